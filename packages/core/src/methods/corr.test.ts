import { describe, expect, it } from "vitest";
import { getScore } from "../graph.js";
import { Rng } from "../random.js";
import type { TimeSeries } from "../types.js";
import { corrMethod, laggedCorrelation } from "./corr.js";

/** x1(t) = 0.9 x0(t-2) + small noise; x0 white noise. */
function planted(T: number): TimeSeries {
  const rng = new Rng(7);
  const data = new Float64Array(T * 2);
  for (let t = 0; t < T; t++) {
    data[t * 2] = rng.normal();
    data[t * 2 + 1] = (t >= 2 ? 0.9 * data[(t - 2) * 2] : 0) + 0.1 * rng.normal();
  }
  return { variables: ["x0", "x1"], length: T, data };
}

describe("corr", () => {
  it("matches a hand-computed lagged correlation", () => {
    // x0 = [1, 2, 3, 4, 5], x1 = [0, 1, 4, 9, 16]: corr(x0(t-1), x1(t)) over t = 2..4 uses
    // x0 [2, 3, 4] vs x1 [4, 9, 16] (window starts at maxLag = 2); and lag 2: x0 [1, 2, 3] vs x1 [4, 9, 16].
    const s: TimeSeries = { variables: ["a", "b"], length: 5, data: Float64Array.from([1, 0, 2, 1, 3, 4, 4, 9, 5, 16]) };
    const scores = laggedCorrelation(s, 2);
    const r = (x: number[], y: number[]) => {
      const mx = x.reduce((a, b) => a + b) / x.length;
      const my = y.reduce((a, b) => a + b) / y.length;
      let sxy = 0, sxx = 0, syy = 0;
      for (let i = 0; i < x.length; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) ** 2;
        syy += (y[i] - my) ** 2;
      }
      return sxy / Math.sqrt(sxx * syy);
    };
    expect(getScore(scores, 1, 0, 1)).toBeCloseTo(Math.abs(r([2, 3, 4], [4, 9, 16])), 12);
    // by hand: dx = [-1, 0, 1], dy = [-17/3, -2/3, 19/3]; sxy = 12, sxx = 2, syy = 218/3 → r = 12 / sqrt(436/3)
    expect(getScore(scores, 1, 0, 2)).toBeCloseTo(12 / Math.sqrt(436 / 3), 12);
    expect(getScore(scores, 0, 0, 1)).toBeCloseTo(1, 12); // a linear ramp correlates perfectly with itself shifted
  });

  it("finds a planted lag-2 edge and ranks it first", async () => {
    const graph = await corrMethod.discover(planted(2000), { maxLag: 3 });
    expect(graph.format).toBe("causeway.graph/v1");
    expect(graph.edges[0]).toMatchObject({ cause: "x0", effect: "x1", lag: 2 });
    expect(graph.edges[0].score).toBeGreaterThan(0.95);
    expect(graph.scores[1][0][0]).toBeLessThan(0.1); // lag 1 is not an edge
    expect(graph.meta.lagResolved).toBe(true);
  });

  it("rejects a series shorter than maxLag + 2", async () => {
    const s: TimeSeries = { variables: ["a"], length: 3, data: Float64Array.from([1, 2, 3]) };
    await expect(corrMethod.discover(s, { maxLag: 2 })).rejects.toThrow(/at least maxLag \+ 2 = 4/);
  });

  it("stops when aborted", async () => {
    const c = new AbortController();
    c.abort();
    await expect(corrMethod.discover(planted(100), { maxLag: 2, signal: c.signal })).rejects.toThrow(/cancelled/);
  });
});
