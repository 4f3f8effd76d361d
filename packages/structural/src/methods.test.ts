import { describe, expect, it } from "vitest";
import { auroc } from "@causeway/metrics";
import { generateSvar, type SvarResult } from "@causeway/synth";
import { checkRun, LimitError, resolveParams, type CausalGraph, type TimeSeries } from "@causeway/core";
import { dynotearsMethod, varlingamMethod } from "./methods.js";

/** AUROC of the lagged scores against the truth, and of the lag-0 scores (off-diagonal) against B0. */
function aurocs(g: CausalGraph, s: SvarResult): { lagged: number; contemporaneous: number } {
  const V = g.variables.length;
  const truth = new Set(s.truth.edges.map((e) => `${e.effect}|${e.cause}|${e.lag}`));
  const lagScores: number[] = [];
  const lagLabels: (0 | 1)[] = [];
  for (let e = 0; e < V; e++)
    for (let c = 0; c < V; c++)
      for (let l = 1; l <= g.maxLag; l++) {
        lagScores.push(g.scores[e][c][l - 1]);
        lagLabels.push(truth.has(`x${e}|x${c}|${l}`) ? 1 : 0);
      }
  const c0: number[] = [];
  const y0: (0 | 1)[] = [];
  for (let e = 0; e < V; e++)
    for (let c = 0; c < V; c++) {
      if (e === c) continue;
      c0.push(g.contemporaneous![e][c]);
      y0.push(s.B0[e * V + c] !== 0 ? 1 : 0);
    }
  return { lagged: auroc(lagScores, lagLabels), contemporaneous: auroc(c0, y0) };
}

const data = (seed: number, noise: "laplace" | "uniform" | "gaussian") => generateSvar({ vars: 6, length: 1500, maxLag: 2, seed, noise, instantaneousDensity: 0.4 });

describe("varlingam method", () => {
  it("recovers lagged and instantaneous edges of a Laplace SVAR, with directed lag-0 links", async () => {
    const s = data(1, "laplace");
    const g = await varlingamMethod.discover(s.series, { maxLag: 2 });
    const a = aurocs(g, s);
    expect(a.lagged).toBeGreaterThanOrEqual(0.99); // measured 1.000
    expect(a.contemporaneous).toBeGreaterThanOrEqual(0.99); // measured 1.000
    const lag0 = g.edges.filter((e) => e.lag === 0);
    expect(lag0.length).toBeGreaterThan(0);
    for (const e of lag0) expect(e.orientation).toBe("directed");
    // every true instantaneous link found with its direction
    const found = new Set(lag0.map((e) => `${e.cause}->${e.effect}`));
    for (const e of s.contemporaneous) expect(found.has(`${e.cause}->${e.effect}`)).toBe(true);
    expect(g.meta.causalOrder).toHaveLength(6);
    expect(g.warnings).toEqual([]);
  });

  it("warns gaussian_noise when the shocks are Gaussian (B0 not identifiable)", async () => {
    const g = await varlingamMethod.discover(data(6, "gaussian").series, { maxLag: 2 });
    const w = g.warnings?.find((x) => x.code === "gaussian_noise");
    expect(w?.variables?.length).toBeGreaterThanOrEqual(5); // of 6 Gaussian shocks; a 1% test misses one rarely
  });

  it("pools segments without crossing their borders: two halves give the fit of the whole minus one window", async () => {
    const s = data(2, "uniform");
    const T = s.series.length;
    const split: TimeSeries = { ...s.series, segments: [0, T / 2] };
    const g = await varlingamMethod.discover(split, { maxLag: 2 });
    expect(g.meta.nobs).toBe(T - 2 * (g.meta.order as number));
    expect(aurocs(g, s).contemporaneous).toBeGreaterThan(0.9);
  });
});

describe("missing cells", () => {
  it("both methods leave out the samples a missing cell touches; AUROCs stay within .02 of the complete series (varlingam: still >= .95 at lag 0)", async () => {
    const s = data(5, "laplace");
    const V = s.series.variables.length;
    const dataNaN = Float64Array.from(s.series.data);
    const mask = new Uint8Array(dataNaN.length);
    for (let k = 37; k < mask.length; k += 211) [mask[k], dataNaN[k]] = [1, NaN]; // ~0.5% of the cells
    const masked: TimeSeries = { ...s.series, data: dataNaN, mask };
    const g = await varlingamMethod.discover(masked, { maxLag: 2 });
    expect(g.meta.nobs as number).toBeLessThan(s.series.length - 2 * V);
    expect(aurocs(g, s).contemporaneous).toBeGreaterThanOrEqual(0.95);
    const params = { lambdaW: 0.05, lambdaA: 0.05 };
    const full = aurocs(await dynotearsMethod.discover(s.series, { maxLag: 2, params }), s);
    const part = aurocs(await dynotearsMethod.discover(masked, { maxLag: 2, params }), s);
    expect(Math.abs(part.lagged - full.lagged)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(part.contemporaneous - full.contemporaneous)).toBeLessThanOrEqual(0.02);
  });
});

describe("dynotears method", () => {
  it("recovers lagged and instantaneous edges of a Gaussian SVAR, with an acyclic W", async () => {
    const s = data(3, "gaussian");
    const g = await dynotearsMethod.discover(s.series, { maxLag: 2, params: { lambdaW: 0.05, lambdaA: 0.05 } });
    const a = aurocs(g, s);
    expect(a.lagged).toBeGreaterThanOrEqual(0.99); // measured 1.000
    expect(a.contemporaneous).toBeGreaterThanOrEqual(0.99); // measured 1.000
    expect(g.meta.h as number).toBeLessThanOrEqual(1e-8);
    expect(g.warnings ?? []).toEqual([]);
    for (const e of g.edges.filter((x) => x.lag === 0)) expect(e.orientation).toBe("directed");
  });

  it("warns not_converged when the augmented Lagrangian stops with h above hTol", async () => {
    const s = data(4, "gaussian");
    const g = await dynotearsMethod.discover(s.series, { maxLag: 1, params: { lambdaW: 0, lambdaA: 0, maxIter: 1, hTol: 1e-16 } });
    expect(g.warnings?.map((w) => w.code)).toContain("not_converged");
  });
});

describe("dynotears estimate", () => {
  it("grows with maxIter beyond its default (more dual steps, more objective evaluations), so checkRun can refuse maxIter 1000 where 100 fits", () => {
    const shape = { T: 1000, V: 20, maxLag: 3 };
    const flops = (maxIter: number) => dynotearsMethod.estimate!(shape, resolveParams(dynotearsMethod.params, { maxIter }, "dynotears")).flops;
    expect(flops(1000)).toBeGreaterThan(9 * flops(100));
    expect(flops(10)).toBe(flops(100)); // the default's measured count is the floor
    const limit = 2 * flops(100);
    expect(() => checkRun(dynotearsMethod, shape, { maxIter: 100 }, { maxFlops: limit })).not.toThrow();
    expect(() => checkRun(dynotearsMethod, shape, { maxIter: 1000 }, { maxFlops: limit })).toThrow(LimitError);
  });
});
