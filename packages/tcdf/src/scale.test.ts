import { Rng, type TimeSeries } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { SCALE_TRANSFORMS, flatScores, transformSeries } from "@causeway/test-utils";
import { tcdfMethod } from "./method.js";

/** x1(t) = 0.9 x0(t-1) + noise, x2(t) = 0.8 x1(t-2) + noise, x0 white noise: [T, 3]. */
function chain(T: number): TimeSeries {
  const rng = new Rng(5);
  const V = 3;
  const data = new Float64Array(T * V); // [T, V]
  for (let t = 0; t < T; t++) {
    data[t * V] = rng.normal();
    data[t * V + 1] = (t >= 1 ? 0.9 * data[(t - 1) * V] : 0) + 0.4 * rng.normal();
    data[t * V + 2] = (t >= 2 ? 0.8 * data[(t - 2) * V + 1] : 0) + 0.4 * rng.normal();
  }
  return { variables: ["x0", "x1", "x2"], length: T, data };
}

const run = (s: TimeSeries) => tcdfMethod.discover(s, { maxLag: 3, seed: 1, backend: "cpu", params: { epochs: 150, engine: "js" } });

describe("tcdf standardises its input", () => {
  it("scores x 1e-12, x 1e12, + 1000 and x 1e300 data as the original (to 1e-6), warning `scale` only at 1e300", async () => {
    const s = chain(300);
    const base = await run(s);
    expect(base.warnings).toEqual([]);
    // confident and unconfident edges alike (one score everywhere would pass the comparisons below)
    expect(Math.max(...flatScores(base)) - Math.min(...flatScores(base))).toBeGreaterThan(0.5);
    for (const [name, f] of SCALE_TRANSFORMS) {
      const g = await run(transformSeries(s, f));
      const diff = Math.max(...flatScores(g).map((v, i) => Math.abs(v - flatScores(base)[i])));
      expect(diff, name).toBeLessThan(1e-6);
      expect(g.edges.map((e) => `${e.cause}->${e.effect}@${e.lag}`), name).toEqual(base.edges.map((e) => `${e.cause}->${e.effect}@${e.lag}`));
      expect(g.warnings?.map((w) => w.code), name).toEqual(name === "x1e300" ? ["scale"] : []);
    }
  });
});
