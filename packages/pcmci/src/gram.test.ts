import { Rng } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { laggedCorrelation, laggedCrossProducts, laggedRobustCorrelation, rowRuns, toCorrelation } from "./gram.js";
import { correlationMatrix, normalScores } from "./parcorr.js";

describe("the lagged correlation matrix", () => {
  // x: [V][T] AR-ish series; two recordings [0, 70) and [70, 150), rows with a window of L = 4 inside each
  const V = 3;
  const T = 150;
  const L = 4;
  const rng = new Rng(5);
  const x = Array.from({ length: V }, () => {
    const c = new Float64Array(T);
    for (let t = 0; t < T; t++) c[t] = (t > 0 ? 0.6 * c[t - 1] : 0) + rng.normal() + 3;
    return c;
  });
  const rows = Int32Array.from([...Array.from({ length: 70 - L }, (_, k) => L + k), ...Array.from({ length: 80 - L }, (_, k) => 70 + L + k)]);
  const column = (v: number, lag: number) => Float64Array.from(rows, (t) => x[v][t - lag]);
  const D = V * (L + 1);
  const nodes = Array.from({ length: D }, (_, p) => column(p % V, Math.floor(p / V)));

  it("splits rows into contiguous runs", () => {
    expect(rowRuns(rows)).toEqual([
      [4, 70],
      [74, 150],
    ]);
  });

  it("equals the direct correlation of the stacked lagged columns (shift trick across two recordings)", () => {
    const R = laggedCorrelation(x, L, rowRuns(rows));
    const want = correlationMatrix(nodes);
    for (let k = 0; k < D * D; k++) expect(Math.abs(R[k] - want[k])).toBeLessThan(1e-12);
  });

  it("robust: normal scores per lagged column, then correlations", () => {
    const R = laggedRobustCorrelation(x, L, rows);
    const want = correlationMatrix(nodes.map(normalScores));
    for (let k = 0; k < D * D; k++) expect(Math.abs(R[k] - want[k])).toBeLessThan(1e-12);
  });
});

describe("laggedCrossProducts by parts", () => {
  it("parts over disjoint variables add up to the whole matrix bit for bit (two recordings)", () => {
    const V = 5;
    const T = 300;
    let s = 7;
    const x = Array.from({ length: V }, () => Float64Array.from({ length: T }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31), s / 2 ** 31 - 0.5)));
    const runs: [number, number][] = [[4, 140], [154, 300]];
    const whole = laggedCrossProducts(x, 4, runs);
    const parts = [[0, 3], [1, 4], [2]].map((vars) => laggedCrossProducts(x, 4, runs, vars));
    const S = new Float64Array(whole.S.length);
    const sums = new Float64Array(whole.sums.length);
    for (const p of parts) {
      p.S.forEach((v, k) => (S[k] += v));
      p.sums.forEach((v, k) => (sums[k] += v));
    }
    expect(S).toEqual(whole.S);
    expect(sums).toEqual(whole.sums);
    expect(toCorrelation(S, sums, V * 5, whole.n)).toEqual(laggedCorrelation(x, 4, runs));
    expect(parts.every((p) => p.S.some((v) => v === 0))).toBe(true);
  });
});
