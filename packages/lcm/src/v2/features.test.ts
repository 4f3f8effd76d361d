import type { TimeSeries } from "@causeway/core";
import { varGranger } from "@causeway/granger";
import { runPcmci } from "@causeway/pcmci";
import { generateNonlinear, generateVar } from "@causeway/synth";
import { describe, expect, it } from "vitest";
import { featureNames, featureTable, pairContext } from "./features.js";
import { laggedCross, mciStats, varTStats, zColumns } from "./stats.js";

/** Variables reordered (or a subset): new variable i is old variable perm[i]. */
function permute(s: TimeSeries, perm: number[]): TimeSeries {
  const V = s.variables.length;
  const n = perm.length;
  const data = new Float64Array(s.length * n);
  for (let t = 0; t < s.length; t++) for (let i = 0; i < n; i++) data[t * n + i] = s.data[t * V + perm[i]];
  return { ...s, variables: perm.map((p) => s.variables[p]), data };
}

describe("LCM v2 statistics", () => {
  it("lagged cross-correlation equals a hand-computed Pearson r over the rows t = L..T-1", () => {
    // x0 = [1, 2, 4, 3, 5, 7], x1 = [0, 1, 1, 3, 2, 6]; r(x0(t-2), x1(t)) over t = 2..5 (L = 2):
    // cause [1, 2, 4, 3], effect [1, 3, 2, 6] -> by hand: sum of cross-deviations 3, of squares 5 and 14 -> r = 3 / sqrt(70)
    const T = 6;
    const x0 = [1, 2, 4, 3, 5, 7];
    const x1 = [0, 1, 1, 3, 2, 6];
    const data = new Float64Array(T * 2);
    for (let t = 0; t < T; t++) [data[t * 2], data[t * 2 + 1]] = [x0[t], x1[t]];
    const cols = zColumns(data, T, 2);
    const r = laggedCross(cols, cols, T, 2); // [2, 2, 2]
    const cause = [1, 2, 4, 3];
    const effect = [1, 1, 3, 2].map((_, i) => x1[i + 2]);
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const mc = mean(cause);
    const me = mean(effect);
    const cov = cause.reduce((s, c, i) => s + (c - mc) * (effect[i] - me), 0);
    const hand = cov / Math.sqrt(cause.reduce((s, c) => s + (c - mc) ** 2, 0) * effect.reduce((s, e) => s + (e - me) ** 2, 0));
    expect(hand).toBeCloseTo(3 / Math.sqrt(70), 12);
    expect(r[(1 * 2 + 0) * 2 + 1]).toBeCloseTo(hand, 12);
  });

  it("full-VAR t-statistics equal granger's varGranger (scale-free: z-scoring changes none)", () => {
    const { series } = generateVar({ vars: 4, length: 300, maxLag: 2, seed: 3 });
    const vt = varTStats(zColumns(series.data, 300, 4), 300, 3);
    const g = varGranger(series, { maxLag: 3, ic: "none" });
    expect(vt.fallback).toBe(false);
    for (let i = 0; i < g.tStats.length; i++) expect(vt.t[i]).toBeCloseTo(g.tStats[i], 8);
    expect(vt.df).toBe(g.dfResid);
  });

  it("falls back to bivariate VARs when the full VAR has too few samples, each equal to that pair's own VAR", () => {
    const { series } = generateVar({ vars: 8, length: 60, maxLag: 2, seed: 5 });
    const cols = zColumns(series.data, 60, 8);
    const vt = varTStats(cols, 60, 4); // 1 + 8 * 4 = 33 > 56 / 2
    expect(vt.fallback).toBe(true);
    const pair = permute(series, [2, 5]); // effect 2, cause 5 as a 2-variable series
    const g = varGranger({ ...pair, variables: ["a", "b"] }, { maxLag: 4, ic: "none" });
    for (let l = 0; l < 4; l++) expect(vt.t[(2 * 8 + 5) * 4 + l]).toBeCloseTo(g.tStats[(0 * 2 + 1) * 4 + l], 8);
  });

  it("MCI statistics are PCMCI's, moved to the [effect, cause, lag] layout", () => {
    const { series } = generateVar({ vars: 4, length: 300, maxLag: 2, seed: 7 });
    const cols = zColumns(series.data, 300, 4);
    const m = mciStats(cols, 300, 2, 3);
    const z = new Float64Array(300 * 4);
    for (let v = 0; v < 4; v++) for (let t = 0; t < 300; t++) z[t * 4 + v] = cols[v][t];
    const p = runPcmci({ ...series, data: z }, { tauMax: 2, pcAlpha: 0.2, maxCondsDim: 3, maxCondsPy: 3, maxCondsPx: 3, maxCombinations: 1 });
    expect(m.value[(1 * 4 + 3) * 2 + 1]).toBeCloseTo(p.value[(3 * 4 + 1) * 3 + 2], 12); // effect 1, cause 3, lag 2
    expect(m.minusLog10P[(1 * 4 + 3) * 2 + 1]).toBeCloseTo(-p.logP[(3 * 4 + 1) * 3 + 2] / Math.LN10, 10);
  });

  it("pair context: lag maximum and descending rank fractions within the pair, row and column", () => {
    // V = 2, L = 2: s[e][c][l]
    const s = Float64Array.from([0.1, 0.5, 0.2, 0.2, 0.9, 0.3, 0.0, 0.4]);
    const [max, lag, row, col] = pairContext(s, 2, 2, true);
    expect(Array.from(max)).toEqual([0.5, 0.5, 0.2, 0.2, 0.9, 0.9, 0.4, 0.4]);
    expect(Array.from(lag)).toEqual([1, 0, 0.5, 0.5, 0, 1, 1, 0]);
    // row e = 0: [0.1, 0.5, 0.2, 0.2] -> ranks 3, 0, 1.5, 1.5 of 3
    expect(Array.from(row.slice(0, 4))).toEqual([1, 0, 0.5, 0.5]);
    // column c = 1: entries (0,1,*) = [0.2, 0.2], (1,1,*) = [0.0, 0.4]
    expect([col[2], col[3], col[6], col[7]]).toEqual([0.5, 0.5, 1, 0]);
  });
});

describe("LCM v2 feature table", () => {
  it("has the declared columns, finite values, and permuting the variables permutes its rows", () => {
    const { series } = generateNonlinear({ vars: 5, length: 400, maxLag: 2, seed: 2 });
    const L = 3;
    for (const set of ["full", "corr"] as const) {
      const a = featureTable(series.data, 400, 5, L, set);
      const F = featureNames(set).length;
      expect(a.names).toEqual(featureNames(set));
      expect(a.data.length).toBe(5 * 5 * L * F);
      expect(a.data.every(Number.isFinite)).toBe(true);
      const perm = [3, 0, 4, 1, 2];
      const b = featureTable(permute(series, perm).data, 400, 5, L, set);
      for (let e = 0; e < 5; e++)
        for (let c = 0; c < 5; c++)
          for (let l = 0; l < L; l++)
            for (let f = 0; f < F; f++) {
              const x = a.data[((perm[e] * 5 + perm[c]) * L + l) * F + f];
              const y = b.data[((e * 5 + c) * L + l) * F + f];
              expect(Math.abs(x - y), `${set} ${a.names[f]} (${e}, ${c}, ${l + 1})`).toBeLessThan(1e-4);
            }
    }
  });

  it("is scale- and offset-free and refuses bad shapes", () => {
    const { series } = generateVar({ vars: 3, length: 200, maxLag: 1, seed: 1 });
    const a = featureTable(series.data, 200, 3, 2, "full");
    const b = featureTable(series.data.map((x) => 1e6 * x + 42), 200, 3, 2, "full");
    for (let i = 0; i < a.data.length; i++) expect(b.data[i]).toBeCloseTo(a.data[i], 3);
    expect(() => featureTable(series.data, 200, 3, 0, "full")).toThrow(/maxLag must be an integer >= 1/);
    expect(() => featureTable(series.data, 11, 3, 2, "full")).toThrow(/at least maxLag \+ 10 = 12 steps/);
  });
});
