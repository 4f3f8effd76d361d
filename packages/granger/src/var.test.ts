import { AbortError, InputError, Rng, summarize, type TimeSeries } from "@causeway/core";
import { scoreGraph } from "@causeway/metrics";
import { generateVar } from "@causeway/synth";
import { describe, expect, it } from "vitest";
import { rssOf } from "./test-ols.js";
import { fSurvival } from "@causeway/core";
import { varGranger, varMethod, varPvalues, varScores } from "./var.js";

// A 2-variable VAR(1) (x -> y), 40 rows, rounded to 3 decimals; the statsmodels 0.13.5
// figures below were computed from exactly these numbers.
const X = [
  0.0, 0.001, -0.274, -0.591, -0.236, -0.61, 0.185, 0.198, 0.07, -1.309, -2.556, -3.12, -2.827, -1.257, -3.145, -1.621, -2.341, -2.149,
  -0.014, -0.039, -0.603, -0.191, -1.321, 0.699, 1.209, -0.037, 0.744, 0.446, 0.034, -0.049, 1.414, 0.91, 0.582, -0.288, 0.755, -0.946,
  0.174, -0.376, 1.069, 0.207,
];
const Y = [
  0.0, 0.299, -0.8, -1.396, 0.567, -0.592, -0.187, -0.876, 0.551, -0.25, -2.15, -2.414, -2.325, -2.581, -2.067, -2.394, -2.169, -2.864,
  -2.956, -0.011, -0.138, -0.34, -0.14, -2.382, -0.176, 2.673, -0.42, 0.897, 1.22, 1.054, -0.389, 0.268, -0.561, -0.015, 0.968, -0.051,
  -2.576, -0.766, 0.234, 0.343,
];

function seriesOf(cols: number[][], names = cols.map((_, i) => `x${i}`)): TimeSeries {
  const T = cols[0].length;
  const V = cols.length;
  const data = new Float64Array(T * V);
  for (let t = 0; t < T; t++) for (let v = 0; v < V; v++) data[t * V + v] = cols[v][t];
  return { variables: names, length: T, data };
}


describe("varGranger", () => {
  const series = seriesOf([X, Y], ["x", "y"]);

  it("gives the closed-form F statistic of a 2-variable VAR(1)", () => {
    const r = varGranger(series, { maxLag: 1, ic: "none" });
    // unrestricted: y_t ~ 1 + x_{t-1} + y_{t-1}; restricted: y_t ~ 1 + y_{t-1}; n = 39, df = 36
    const n = X.length - 1;
    const one = new Array<number>(n).fill(1);
    const xLag = X.slice(0, n);
    const yLag = Y.slice(0, n);
    const yNow = Y.slice(1);
    const rssU = rssOf(yNow, [one, xLag, yLag]);
    const rssR = rssOf(yNow, [one, yLag]);
    const F = (rssR - rssU) / (rssU / (n - 3));
    expect(r.dfResid).toBe(36);
    expect(r.fStat[1 * 2 + 0]).toBeCloseTo(F, 9);
    // statsmodels 0.13.5 VARResults.test_causality(caused=1, causing=[0], kind="f").test_statistic
    expect(r.fStat[1 * 2 + 0]).toBeCloseTo(44.03745075132896, 9);
    expect(r.fStat[0 * 2 + 1]).toBeCloseTo(0.8103962451139018, 9);
    // p-values with the single-equation F(1, 36) law (scipy.stats.f.sf)
    expect(r.pValue[1 * 2 + 0] / 9.902960338013915e-8).toBeCloseTo(1, 8);
    expect(r.pValue[0 * 2 + 1]).toBeCloseTo(0.3739859267917036, 10);
    expect(r.pValue[1 * 2 + 0]).toBeCloseTo(fSurvival(F, 1, 36), 12);
    // coefficients, t-values, intercepts and residual variances (statsmodels r.coefs, r.tvalues, ...)
    expect(r.coef[1 * 2 + 0]).toBeCloseTo(0.8683616448621064, 10); // y <- x
    expect(r.coef[0 * 2 + 0]).toBeCloseTo(0.5713978071671667, 10); // x <- x
    expect(r.tStats[1 * 2 + 0]).toBeCloseTo(6.6360719368711605, 9);
    expect(r.tStats[0 * 2 + 1]).toBeCloseTo(0.9002201092587867, 9);
    expect(r.intercept[0]).toBeCloseTo(-0.10714719715639287, 10);
    expect(r.intercept[1]).toBeCloseTo(-0.20899734258352534, 10);
    expect(r.sigma2[0]).toBeCloseTo(0.8637459205287041, 10);
    expect(r.sigma2[1]).toBeCloseTo(0.6471721554215812, 10);
  });

  it("equals refitting the restricted model at order 2 (partitioned inverse)", () => {
    const r = varGranger(series, { maxLag: 2, ic: "none" });
    const n = X.length - 2;
    const one = new Array<number>(n).fill(1);
    const lag = (s: number[], l: number): number[] => s.slice(2 - l, 2 - l + n);
    const yNow = Y.slice(2);
    const rssU = rssOf(yNow, [one, lag(X, 1), lag(Y, 1), lag(X, 2), lag(Y, 2)]);
    const rssR = rssOf(yNow, [one, lag(Y, 1), lag(Y, 2)]);
    expect(r.fStat[1 * 2 + 0]).toBeCloseTo((rssR - rssU) / 2 / (rssU / (n - 5)), 9);
    expect(r.fStat[1 * 2 + 0]).toBeCloseTo(24.147844951437673, 9); // statsmodels, VAR(2)
    expect(r.fStat[0 * 2 + 1]).toBeCloseTo(0.09673842680154629, 9);
  });

  it("selects the order as statsmodels' select_order does", () => {
    const r = varGranger(series, { maxLag: 3, ic: "aic" });
    // statsmodels select_order(3).ics, orders 1..3 (its entry 0 is the order-0 model)
    const want = {
      aic: [-0.34380625809348175, -0.2825739760037361, -0.11066649747542168],
      bic: [-0.08257632631333722, 0.15280924362983794, 0.49887001001158215],
      hqic: [-0.25171047124342893, -0.1290809979203147, 0.10422367184136827],
    };
    for (const k of ["aic", "bic", "hqic"] as const) for (let q = 0; q < 3; q++) expect(r.criteria![k][q]).toBeCloseTo(want[k][q], 10);
    expect(r.order).toBe(1);
    expect(r.nobs).toBe(39);
  });

  it("finds the order of a VAR(2) by every criterion", () => {
    // a VAR(2) with strong lag-2 terms
    const rng = new Rng(9);
    const T = 2000;
    const data = new Float64Array(T * 3);
    for (let t = 2; t < T; t++)
      for (let e = 0; e < 3; e++) data[t * 3 + e] = 0.4 * data[(t - 1) * 3 + e] - 0.4 * data[(t - 2) * 3 + e] + (e > 0 ? 0.5 * data[(t - 2) * 3 + e - 1] : 0) + rng.normal();
    for (const ic of ["aic", "bic", "hqic"] as const) expect(varGranger({ variables: ["a", "b", "c"], length: T, data }, { maxLag: 5, ic }).order).toBe(2);
  });

  it("adds the smallest ridge for collinear regressors, and the tests match the model without the copy", () => {
    const s = seriesOf([X, Y, X.map((v) => 2 * v + 1)]); // x2 is an exact affine copy of x0
    const r = varGranger(s, { maxLag: 1, ic: "none" });
    // the first jitter level sufficed: 1e-12 x the Gram's mean diagonal (about nobs = 39 for z-scored columns)
    expect(r.ridge / r.nobs).toBeGreaterThan(0.5e-12);
    expect(r.ridge / r.nobs).toBeLessThan(2e-12);
    for (const v of r.logP) expect(Number.isFinite(v)).toBe(true);
    // x0 and x2 carry the same information, so dropping either one's lag changes nothing: F = 0
    for (const e of [0, 1, 2]) for (const c of [0, 2]) expect(r.fStat[e * 3 + c]).toBeLessThan(1e-9);
    // y -> x: the same residuals as the VAR of [X, Y] alone, with one regressor more (df 35 instead of 36)
    const two = varGranger(seriesOf([X, Y]), { maxLag: 1, ic: "none" });
    expect(r.dfResid).toBe(two.dfResid - 1);
    const expected = two.fStat[0 * 2 + 1] * (r.dfResid / two.dfResid); // F = (ΔRSS / q) / (RSS / df)
    expect(r.fStat[0 * 3 + 1]).toBeCloseTo(expected, 9);
    expect(r.fStat[2 * 3 + 1]).toBeCloseTo(expected, 9); // y -> x's copy alike
  });

  it("rejects constant columns and too-short series", () => {
    expect(() => varGranger(seriesOf([X, X.map(() => 3)]), { maxLag: 1 })).toThrow('variable "x1" is constant; a VAR cannot use it');
    // + 1e15 leaves a few digits of variation: named as such, not as constant (issue 15 audit)
    expect(() => varGranger(seriesOf([X, X.map((v) => v + 1e15)]), { maxLag: 1 })).toThrow(/variable "x1" varies only in its last digits \(sd .* around a mean of 1\.00e\+15, below 1e-12 of it\)/);
    expect(() => varGranger(seriesOf([X.slice(0, 8), Y.slice(0, 8)]), { maxLag: 3 })).toThrow(/needs more than/);
  });
});

describe("varMethod", () => {
  it("recovers a synthetic VAR(3) graph with resolved lags", async () => {
    const V = 10;
    const maxLag = 3;
    const { series, truth } = generateVar({ vars: V, length: 1000, maxLag, seed: 3 });
    const g = await varMethod.discover(series, { maxLag });
    const score = scoreGraph(truth, g);
    expect(score.aurocLagged).toBeGreaterThan(0.99);
    // edges: per-lag p-values with Benjamini-Hochberg q <= 0.05 (the trust layer's default)
    expect(score.recall).toBe(1);
    expect(score.precision).toBeGreaterThan(0.8);
    expect(g.meta.correction).toBe("fdr_bh");
    expect(g.threshold).toBe(Math.min(...g.edges.map((e) => e.score)));
    // the summary graph (best lag) is the joint test's -log10 p; every edge has a per-lag q <= 0.05
    const r = varGranger(series, { maxLag });
    const summary = summarize(varScores(r));
    for (let i = 0; i < V * V; i++) expect(summary[i]).toBeCloseTo(-Math.log10(r.pValue[i]), 9);
    const p = varPvalues(r);
    for (const e of g.edges) expect(e.pvalue).toBe(p.data[(Number(e.effect.slice(1)) * V + Number(e.cause.slice(1))) * maxLag + e.lag - 1]);
  });

  it("scores lags above the selected order 0 and reports the order", async () => {
    const { series } = generateVar({ vars: 4, length: 800, maxLag: 1, seed: 2 });
    const g = await varMethod.discover(series, { maxLag: 4, params: { ic: "bic" } });
    expect(g.meta.order).toBe(1);
    for (const row of g.scores) for (const lags of row) expect(lags.slice(1)).toEqual([0, 0, 0]);
  });

  it("honours an aborted signal and rejects unknown params", async () => {
    const { series } = generateVar({ vars: 3, length: 200, seed: 4 });
    const ac = new AbortController();
    ac.abort();
    await expect(varMethod.discover(series, { maxLag: 2, signal: ac.signal })).rejects.toThrow(AbortError);
    await expect(varMethod.discover(series, { maxLag: 2, params: { ic: "fpe" } })).rejects.toThrow(InputError);
  });
});
