// The test choice through the methods: RobustParCorr on monotone-distorted data, CMIknn plugged in.
import type { CausalGraph, GroundTruth, TimeSeries } from "@causeway/core";
import { scoreGraph } from "@causeway/metrics";
import { generateVar } from "@causeway/synth";
import { describe, expect, it } from "vitest";
import { pcmciMethod, pcmciplusMethod } from "./method.js";

const auroc = (g: CausalGraph, truth: GroundTruth) => scoreGraph(truth, g).aurocLagged ?? NaN;

/** Each variable through exp(1.5 x / sd): monotone, so ranks (and RobustParCorr) barely change. */
function distorted(s: TimeSeries): TimeSeries {
  const V = s.variables.length;
  const data = Float64Array.from(s.data);
  for (let v = 0; v < V; v++) {
    let ss = 0;
    for (let t = 0; t < s.length; t++) ss += data[t * V + v] ** 2;
    const sd = Math.sqrt(ss / s.length);
    for (let t = 0; t < s.length; t++) data[t * V + v] = Math.exp((1.5 * data[t * V + v]) / sd);
  }
  return { ...s, data };
}

describe("conditional-independence test choice", () => {
  it("robust_parcorr keeps its ranking under a monotone distortion that hurts parcorr", async () => {
    const { series, truth } = generateVar({ vars: 5, length: 600, maxLag: 2, seed: 21, coefRange: [0.15, 0.4] });
    const bent = distorted(series);
    const robust = auroc(await pcmciMethod.discover(bent, { maxLag: 2, params: { test: "robust_parcorr" } }), truth);
    const robustPlain = auroc(await pcmciMethod.discover(series, { maxLag: 2, params: { test: "robust_parcorr" } }), truth);
    const linear = auroc(await pcmciMethod.discover(bent, { maxLag: 2 }), truth);
    expect(Math.abs(robust - robustPlain)).toBeLessThan(0.01);
    expect(robust).toBeGreaterThan(linear + 0.02);
  });

  it("cmiknn runs through the method (few permutations) and finds the strong links", async () => {
    const { series, truth } = generateVar({ vars: 2, length: 80, maxLag: 1, seed: 2, coefRange: [0.5, 0.6] });
    const g = await pcmciMethod.discover(series, { maxLag: 1, seed: 3, params: { test: "cmiknn", permutations: 9, knn: 0.1, pcAlpha: "0.1" } });
    expect(g.meta.test).toBe("cmiknn");
    expect(auroc(g, truth)).toBeGreaterThan(0.9);
    await expect(pcmciMethod.discover(series, { maxLag: 1, params: { test: "cmiknn", pcAlpha: "auto" } })).rejects.toThrow(/cmiknn has none: give one pcAlpha level/);
  });

  it("pcmciplus runs with robust_parcorr on data with missing cells", async () => {
    const { series } = generateVar({ vars: 3, length: 300, maxLag: 1, seed: 4 });
    const data = Float64Array.from(series.data);
    const mask = new Uint8Array(data.length);
    for (const i of [10, 55, 200, 401, 777]) {
      mask[i] = 1;
      data[i] = NaN;
    }
    const g = await pcmciplusMethod.discover({ ...series, data, mask }, { maxLag: 1, params: { test: "robust_parcorr" } });
    expect(g.contemporaneous).toBeDefined();
    expect(g.scores.flat(2).every(Number.isFinite)).toBe(true);
  });
});
