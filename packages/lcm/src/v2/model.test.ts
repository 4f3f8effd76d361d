import type { TimeSeries } from "@causeway/core";
import { auroc } from "@causeway/metrics";
import { generateVar } from "@causeway/synth";
import { describe, expect, it } from "vitest";
import { lcmMethod } from "../method.js";
import { labelsV2 } from "./data.js";
import { loadAnyModelOnce, loadDefaultV2Model } from "./io.js";
import { LcmV2Model, predictV2 } from "./model.js";

function permute(s: TimeSeries, perm: number[]): TimeSeries {
  const V = s.variables.length;
  const data = new Float64Array(s.data.length);
  for (let t = 0; t < s.length; t++) for (let i = 0; i < V; i++) data[t * V + i] = s.data[t * V + perm[i]];
  return { ...s, variables: perm.map((p) => s.variables[p]), data };
}

describe("the shipped LCM v2 model", () => {
  it("loads (under 1 MB of weights), round-trips through JSON, and recovers a seeded VAR's truth (lagged AUROC > 0.95)", async () => {
    const model = await loadDefaultV2Model();
    expect(model.params.length * 4).toBeLessThan(1e6);
    const again = LcmV2Model.fromJson(JSON.parse(JSON.stringify(model.toJson())));
    const { series, truth } = generateVar({ vars: 6, length: 500, maxLag: 3, seed: 21 });
    const a = predictV2(model, series, 4).scores.data;
    expect(Array.from(predictV2(again, series, 4).scores.data)).toEqual(Array.from(a));
    const labels = labelsV2(truth, 4);
    expect(auroc(Array.from(a), Array.from(labels) as (0 | 1)[])).toBeGreaterThan(0.95);
  });

  it("is permutation-equivariant: permuting the variables permutes the scores", async () => {
    const model = await loadDefaultV2Model();
    const { series } = generateVar({ vars: 5, length: 400, maxLag: 2, seed: 8 });
    const perm = [2, 4, 0, 1, 3];
    const a = predictV2(model, series, 3).scores.data;
    const b = predictV2(model, permute(series, perm), 3).scores.data;
    for (let e = 0; e < 5; e++)
      for (let c = 0; c < 5; c++) for (let l = 0; l < 3; l++) expect(b[(e * 5 + c) * 3 + l]).toBeCloseTo(a[(perm[e] * 5 + perm[c]) * 3 + l], 4);
  });

  it("is the lcm method's default, reaching lag 10; v1 stays loadable by name", async () => {
    const { series } = generateVar({ vars: 4, length: 600, maxLag: 2, seed: 4 });
    const g = await lcmMethod.discover(series, { maxLag: 10, seed: 0 });
    expect(g.meta.params.model).toBe("lcm-v2");
    expect(g.meta.params.version).toBe(2);
    expect(g.meta.reach).toEqual({ maxLag: 10, variables: 20 });
    expect(g.scores.flat(2).some((s) => s > 0.5)).toBe(true);
    const v1 = await loadAnyModelOnce("lcm-v12-l3");
    expect(v1).not.toBeInstanceOf(LcmV2Model);
  });
});
