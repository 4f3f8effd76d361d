import { describe, expect, it } from "vitest";
import { transformSeries } from "@causeway/test-utils";
import { InputError } from "../errors.js";
import { buildGraph, createScores, setScore } from "../graph.js";
import { Rng } from "../random.js";
import type { TimeSeries } from "../types.js";
import { corrMethod } from "./corr.js";

/** x1(t) = 0.9 x0(t-1) + noise, x2 white noise: [T, 3]. */
function planted(T: number): TimeSeries {
  const rng = new Rng(3);
  const data = new Float64Array(T * 3); // [T, V]
  for (let t = 0; t < T; t++) {
    data[t * 3] = rng.normal();
    data[t * 3 + 1] = (t >= 1 ? 0.9 * data[(t - 1) * 3] : 0) + 0.3 * rng.normal();
    data[t * 3 + 2] = rng.normal();
  }
  return { variables: ["x0", "x1", "x2"], length: T, data };
}

describe("corr at scale extremes", () => {
  const s = planted(200);

  it("scores x 1e-12, x 1e12, + 1000 data as the original, and x 1e300 bit for bit (with a scale warning), never all zeros", async () => {
    const base = await corrMethod.discover(s, { maxLag: 2 });
    expect(base.scores[1][0][0]).toBeGreaterThan(0.9);
    for (const f of [(x: number) => x * 1e-12, (x: number) => x * 1e12, (x: number) => x + 1000]) {
      const g = await corrMethod.discover(transformSeries(s, f), { maxLag: 2 });
      const diff = Math.max(...g.scores.flat(2).map((v, i) => Math.abs(v - base.scores.flat(2)[i])));
      expect(diff).toBeLessThan(1e-9);
      expect(g.warnings?.some((w) => w.code === "scale") ?? false).toBe(false);
    }
    // x 2^996 is exact, and the rescaling divides it out exactly
    const huge = await corrMethod.discover(transformSeries(s, (x) => x * 2 ** 996), { maxLag: 2 });
    expect(huge.scores).toEqual(base.scores);
    expect(huge.warnings?.map((w) => w.code)).toContain("scale");
    const e300 = await corrMethod.discover(transformSeries(s, (x) => x * 1e300), { maxLag: 2 });
    expect(e300.scores[1][0][0]).toBeCloseTo(base.scores[1][0][0], 9);
  });

  it("refuses NaN and infinite values with an InputError naming the row and column (every method calls this check)", async () => {
    const bad = transformSeries(s, (x) => x);
    bad.data[5 * 3 + 1] = Infinity;
    await expect(corrMethod.discover(bad, { maxLag: 2 })).rejects.toThrow(InputError);
    await expect(corrMethod.discover(bad, { maxLag: 2 })).rejects.toThrow('column "x1" (#2), row 6: the value Infinity is not finite');
    bad.data[5 * 3 + 1] = NaN;
    await expect(corrMethod.discover(bad, { maxLag: 2 })).rejects.toThrow("the value NaN is not finite");
  });

  it("a method whose arithmetic overflowed fails naming the edge, never a graph with NaN or Infinity", () => {
    const scores = createScores(3, 2);
    setScore(scores, 2, 1, 2, Infinity); // effect x2, cause x1, lag 2
    expect(() => buildGraph({ method: "m", variables: ["x0", "x1", "x2"], scores, threshold: 0.5, meta: { backend: "none", seconds: 0, seed: 0, params: {} } })).toThrow(
      "method m produced a non-finite score (Infinity) for x1 -> x2 at lag 2: its arithmetic overflowed or diverged",
    );
  });
});
