import { prepareRun, Rng, type TimeSeries } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { tcdfMethod } from "./method.js";

/** x0 -> x1 at lag 1, x1 -> x2 at lag 2, each with a self-loop 0.4: a stationary VAR `[T, 3]`. */
function chain(T: number, seed: number): TimeSeries {
  const rng = new Rng(seed);
  const data = new Float64Array(T * 3);
  for (let t = 2; t < T; t++) {
    const at = (lag: number, v: number) => data[(t - lag) * 3 + v];
    data[t * 3] = 0.4 * at(1, 0) + rng.normal();
    data[t * 3 + 1] = 0.4 * at(1, 1) + 0.5 * at(1, 0) + rng.normal();
    data[t * 3 + 2] = 0.4 * at(1, 2) + 0.5 * at(2, 1) + rng.normal();
  }
  return { variables: ["x0", "x1", "x2"], length: T, data };
}

describe("tcdf's reach: its receptive field", () => {
  it("is R - 1 = 3 lags with the defaults (k 4, c 4, L 0, instantaneous), R without instantaneous, and follows k, c and L", () => {
    expect(tcdfMethod.reach!({ kernelSize: 4, dilation: 4, hiddenLayers: 0, instantaneous: true })).toEqual({ maxLag: 3 });
    expect(tcdfMethod.reach!({ kernelSize: 4, dilation: 4, hiddenLayers: 0, instantaneous: false })).toEqual({ maxLag: 4 });
    // R = 1 + (3 - 1)(1 + 2 + 4) = 15
    expect(tcdfMethod.reach!({ kernelSize: 3, dilation: 2, hiddenLayers: 2, instantaneous: true })).toEqual({ maxLag: 14 });
  });

  it("warns lag_beyond_reach beyond it (and nothing within it on a stationary VAR), where the scores of other causes are 0", async () => {
    const series = chain(300, 2);
    expect(prepareRun(tcdfMethod, series, { maxLag: 3 }).warnings).toEqual([]);
    expect(prepareRun(tcdfMethod, series, { maxLag: 8, params: { hiddenLayers: 1 } }).warnings).toEqual([]); // R = 1 + 3 + 12 = 16
    const g = await tcdfMethod.discover(series, { maxLag: 6, seed: 1, backend: "cpu", params: { epochs: 20, engine: "js" } });
    expect(g.warnings!.map((w) => w.code)).toEqual(["lag_beyond_reach"]);
    expect(g.warnings![0].message).toMatch(/^tcdf scores lags 1..3 with these settings, but maxLag is 6: scores at lags 4..6 are not evidence/);
    expect(g.meta.reach).toEqual({ maxLag: 3 });
    for (let e = 0; e < 3; e++) for (let c = 0; c < 3; c++) if (c !== e) expect(g.scores[e][c].slice(3)).toEqual([0, 0, 0]);
  });
});
