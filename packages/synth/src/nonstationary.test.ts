import { InputError } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { column, ols } from "./test-ols.js";
import { generateNonstationary } from "./nonstationary.js";
import { generateVar } from "./var.js";

/** Mean and sd of rows [a, b) of column v of a row-major [T, V] array. */
function stats(data: Float64Array, V: number, v: number, a: number, b: number): { mean: number; sd: number } {
  let m = 0;
  for (let t = a; t < b; t++) m += data[t * V + v];
  m /= b - a;
  let s = 0;
  for (let t = a; t < b; t++) s += (data[t * V + v] - m) ** 2;
  return { mean: m, sd: Math.sqrt(s / (b - a)) };
}

describe("generateNonstationary", () => {
  it("keeps generateVar's truth and coefficients, and its stationary part is that VAR (OLS recovers it)", () => {
    const V = 4;
    const T = 20000;
    const g = generateNonstationary({ vars: V, length: T, maxLag: 2, seed: 7 });
    const v = generateVar({ vars: V, length: 100, maxLag: 2, seed: 7 });
    expect(g.truth).toEqual(v.truth);
    expect(Array.from(g.coefficients)).toEqual(Array.from(v.coefficients));
    // OLS of the stationary part on its lags (regime-varying noise does not bias OLS)
    const n = T - 2;
    const regressors: Float64Array[] = [];
    for (let l = 1; l <= 2; l++) for (let c = 0; c < V; c++) regressors.push(column(g.stationary, V, c, 2 - l, n));
    let worst = 0;
    for (let e = 0; e < V; e++) {
      const fit = ols(regressors, column(g.stationary, V, e, 2, n));
      for (let l = 1; l <= 2; l++) for (let c = 0; c < V; c++) worst = Math.max(worst, Math.abs(fit.beta[(l - 1) * V + c] - g.coefficients[((l - 1) * V + e) * V + c]));
    }
    expect(worst).toBeLessThan(0.05);
  });

  it("drifts, shifts its level and raises its noise at the switch", () => {
    const V = 3;
    const T = 4000;
    const g = generateNonstationary({ vars: V, length: T, maxLag: 1, seed: 3, walk: 0, trend: 0, shift: 4, noiseRatio: 3 });
    expect(g.switchRow).toBe(2000);
    let ratios = 0;
    for (let v = 0; v < V; v++) {
      const before = stats(g.series.data, V, v, 0, 2000);
      const after = stats(g.series.data, V, v, 2000, T);
      // a level shift of 2..6 first-regime sds
      expect(Math.abs(after.mean - before.mean) / before.sd).toBeGreaterThan(1.5);
      // the stationary part's noise grows by U[1, 3] after the switch; never shrinks
      const s0 = stats(g.stationary, V, v, 0, 2000).sd;
      const s1 = stats(g.stationary, V, v, 2000, T).sd;
      expect(s1 / s0).toBeGreaterThan(0.9);
      ratios += s1 / s0 / V;
    }
    expect(ratios).toBeGreaterThan(1.2); // U[1, 3] averages 2
    // a trend: without shift and walk, the mean of the last tenth differs from the first's by 0.5..1.5 x trend sds
    const d = generateNonstationary({ vars: V, length: T, maxLag: 1, seed: 3, walk: 0, trend: 3, shift: 0, noiseRatio: 1 });
    for (let v = 0; v < V; v++) {
      const first = stats(d.series.data, V, v, 0, 400);
      const last = stats(d.series.data, V, v, T - 400, T);
      const sd = stats(d.stationary, V, v, 0, T).sd;
      const moved = Math.abs(last.mean - first.mean) / sd;
      expect(moved).toBeGreaterThan(0.9); // 0.9 x (0.5 x 3) with the window means 0.1 T from the ends
      expect(moved).toBeLessThan(5);
    }
  });

  it("switches the coupling's size but not its graph: OLS per regime recovers each regime's coefficients", () => {
    const V = 3;
    const T = 24000;
    const g = generateNonstationary({ vars: V, length: T, maxLag: 1, seed: 11, couplingSwitch: 0.8, noiseRatio: 1 });
    let changed = 0;
    for (let k = 0; k < g.coefficients.length; k++) {
      expect(g.coefficientsAfter[k] === 0).toBe(g.coefficients[k] === 0);
      if (g.coefficients[k] !== 0) expect(Math.sign(g.coefficientsAfter[k])).toBe(Math.sign(g.coefficients[k]));
      changed = Math.max(changed, Math.abs(g.coefficientsAfter[k] - g.coefficients[k]));
    }
    expect(changed).toBeGreaterThan(0.1);
    for (const [from, to, A] of [[1, g.switchRow, g.coefficients], [g.switchRow + 1, T, g.coefficientsAfter]] as const) {
      const n = to - from;
      const regressors = Array.from({ length: V }, (_, c) => column(g.stationary, V, c, from - 1, n));
      for (let e = 0; e < V; e++) {
        const fit = ols(regressors, column(g.stationary, V, e, from, n));
        for (let c = 0; c < V; c++) expect(Math.abs(fit.beta[c] - A[e * V + c])).toBeLessThan(0.05);
      }
    }
    // seasonal drift: the observed minus the VAR part oscillates with amplitude ~ seasonal sds
    const s = generateNonstationary({ vars: 1, length: 2000, maxLag: 1, seed: 2, trend: 0, walk: 0, shift: 0, seasonal: 2 });
    const drift = s.series.data.map((y, t) => y - s.stationary[t]);
    const sd = stats(s.stationary, 1, 0, 0, 1000).sd;
    expect(Math.max(...drift) / sd).toBeGreaterThan(1.9);
    expect(Math.min(...drift) / sd).toBeLessThan(-1.9);
  });

  it("is deterministic and checks its options", () => {
    const a = generateNonstationary({ vars: 3, length: 300, seed: 2 });
    const b = generateNonstationary({ vars: 3, length: 300, seed: 2 });
    expect(Array.from(a.series.data)).toEqual(Array.from(b.series.data));
    expect(() => generateNonstationary({ vars: 3, length: 300, switchAt: 1 })).toThrow(InputError);
    expect(() => generateNonstationary({ vars: 3, length: 300, noiseRatio: 0.5 })).toThrow(/noiseRatio/);
    expect(() => generateNonstationary({ vars: 3, length: 300, trend: -1 })).toThrow(/trend/);
  });
});
