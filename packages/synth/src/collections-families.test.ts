import { describe, expect, it } from "vitest";
import { generateCollection } from "./collections.js";
import type { ConfoundedResult } from "./confounded.js";
import { varSpectralRadius } from "./linalg.js";
import { column, ols } from "./test-ols.js";
import type { NonstationaryResult } from "./nonstationary.js";
import type { SpikingResult } from "./spiking.js";
import type { VarResult } from "./var.js";

/** Residual variance of column e of `[T, V]` data given lag coefficients `[p, V, V]` with `drop` (lag, cause) zeroed. */
function residualVariance(data: Float64Array, V: number, A: Float64Array, p: number, e: number, drop?: [number, number]): number {
  const T = data.length / V;
  let s = 0;
  for (let t = p; t < T; t++) {
    let r = data[t * V + e];
    for (let l = 1; l <= p; l++)
      for (let c = 0; c < V; c++) {
        if (drop && drop[0] === l && drop[1] === c) continue;
        r -= A[((l - 1) * V + e) * V + c] * data[(t - l) * V + c];
      }
    s += r * r;
  }
  return s / (T - p);
}

/** Every true edge of a VAR is needed: dropping its coefficient raises the residual variance of its effect. */
function expectEveryEdgeMatters(data: Float64Array, V: number, A: Float64Array, p: number, edges: { cause: string; effect: string; lag: number }[]): void {
  for (const { cause, effect, lag } of edges) {
    const e = Number(effect.slice(1));
    const c = Number(cause.slice(1));
    expect(A[((lag - 1) * V + e) * V + c]).not.toBe(0);
    expect(residualVariance(data, V, A, p, e, [lag, c])).toBeGreaterThan(1.01 * residualVariance(data, V, A, p, e));
  }
}

/** OLS of each effect on its true lagged parents (rows [from, to)) recovers the generating coefficients. */
function expectOlsRecovers(data: Float64Array, V: number, A: Float64Array, edges: { cause: string; effect: string; lag: number }[], from: number, to: number): void {
  for (let e = 0; e < V; e++) {
    const mine = edges.filter((x) => Number(x.effect.slice(1)) === e).map((x) => ({ c: Number(x.cause.slice(1)), l: x.lag }));
    const fit = ols(mine.map(({ c, l }) => column(data, V, c, from - l, to - from)), column(data, V, e, from, to - from));
    mine.forEach(({ c, l }, k) => expect(Math.abs(fit.beta[k] - A[((l - 1) * V + e) * V + c])).toBeLessThan(0.06));
  }
}

describe("issue #19 collections: the truth is what generated the data", () => {
  it("longlag-v6-l8: a stable VAR whose cross links all sit at lags 4..8, each one needed", () => {
    const [d] = generateCollection("longlag-v6-l8", { count: 1, seed: 1 }) as unknown as (VarResult & { seed: number })[];
    expect(d.truth.maxLag).toBe(8);
    const cross = d.truth.edges.filter((e) => e.cause !== e.effect);
    expect(cross.length).toBeGreaterThan(2);
    expect(cross.every((e) => e.lag >= 4 && e.lag <= 8)).toBe(true);
    expect(varSpectralRadius(d.coefficients, 6, 8)).toBeLessThanOrEqual(0.95);
    expectEveryEdgeMatters(d.series.data, 6, d.coefficients, 8, d.truth.edges);
  });

  it("regime-v6: the coupling changes at the switch, its graph does not", () => {
    const T = 20000;
    const [d] = generateCollection("regime-v6", { count: 1, seed: 2, length: T }) as unknown as NonstationaryResult[];
    const V = 6;
    expectOlsRecovers(d.stationary, V, d.coefficients, d.truth.edges, 3, d.switchRow);
    expectOlsRecovers(d.stationary, V, d.coefficientsAfter, d.truth.edges, d.switchRow + 3, T);
    expect(Array.from(d.coefficientsAfter)).not.toEqual(Array.from(d.coefficients));
  });

  it("confounded-v8: truth among observed variables, every edge of the full VAR needed, hidden drivers confound", () => {
    const [d] = generateCollection("confounded-v8", { count: 1, seed: 3 }) as unknown as ConfoundedResult[];
    expect(d.truth.edges.every((e) => Number(e.cause.slice(1)) < 8 && Number(e.effect.slice(1)) < 8)).toBe(true);
    expect(new Set(d.hiddenEdges.map((e) => e.cause))).toEqual(new Set(["h0", "h1"]));
    const full = d.full as VarResult;
    expectEveryEdgeMatters(full.series.data, 10, full.coefficients, 3, full.truth.edges);
  });

  it("spiking-v8: no self-loops, truth at the synaptic delays", () => {
    for (const d of generateCollection("spiking-v8", { count: 2, seed: 4, length: 300 }) as unknown as SpikingResult[]) {
      expect(d.truth.edges.every((e) => e.cause !== e.effect)).toBe(true);
      for (const e of d.truth.edges) expect(d.delays[Number(e.effect.slice(1)) * 8 + Number(e.cause.slice(1))]).toBe(e.lag);
    }
  });

  it("hetero-v8: variables draw different noise laws and the data stay finite", () => {
    const [d] = generateCollection("hetero-v8", { count: 1, seed: 5 });
    expect(d.series.data.every(Number.isFinite)).toBe(true);
    // kurtosis differs across variables (uniform ~1.8 up to Student-t df 4 and heteroscedastic tails)
    const kurt = Array.from({ length: 8 }, (_, v) => {
      const x = Array.from({ length: 1000 }, (_, t) => d.series.data[t * 8 + v]);
      const m = x.reduce((a, b) => a + b, 0) / x.length;
      const m2 = x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length;
      return x.reduce((a, b) => a + (b - m) ** 4, 0) / x.length / m2 ** 2;
    });
    expect(Math.max(...kurt) - Math.min(...kurt)).toBeGreaterThan(1);
  });
});
