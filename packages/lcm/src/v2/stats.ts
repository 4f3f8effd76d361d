// The classical statistics LCM v2 injects per (effect, cause, lag): lagged cross-correlations of
// any column transform, VAR coefficient t-statistics (full VAR, or a bivariate fallback when the
// full one has too few samples), and PCMCI's MCI partial correlations. Plain float64 JS, no tensors.
import { choleskyWithJitter, invertLower, midRanks, type TimeSeries } from "@causeway/core";
import { runPcmci } from "@causeway/pcmci";

/** Columns `[V][T]` of a row-major `[T, V]` series, each z-scored (a constant column becomes 0). */
export function zColumns(data: ArrayLike<number>, T: number, V: number): Float64Array[] {
  return Array.from({ length: V }, (_, v) => {
    const col = new Float64Array(T);
    let mean = 0;
    for (let t = 0; t < T; t++) mean += (col[t] = data[t * V + v]);
    mean /= T;
    let ss = 0;
    for (let t = 0; t < T; t++) ss += (col[t] -= mean) ** 2;
    const inv = ss > 0 ? 1 / Math.sqrt(ss / T) : 0;
    for (let t = 0; t < T; t++) col[t] *= inv;
    return col;
  });
}

/** Mid-ranks of each column (Spearman's correlation is Pearson's on these). */
export function rankColumns(cols: Float64Array[]): Float64Array[] {
  return cols.map((c) => midRanks(c).ranks);
}

/** Centred, unit-norm window `[n]` of `col` over rows [start, start + n). */
function unitWindow(col: Float64Array, start: number, n: number): Float64Array {
  const w = col.slice(start, start + n);
  let mean = 0;
  for (let t = 0; t < n; t++) mean += w[t];
  mean /= n;
  let ss = 0;
  for (let t = 0; t < n; t++) ss += (w[t] -= mean) ** 2;
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  for (let t = 0; t < n; t++) w[t] *= inv;
  return w;
}

/**
 * Pearson `r = corr(cause_c(t - l), effect_e(t))` over the target rows t = L..T-1 (the same
 * n = T - L rows at every lag), for cause columns from `causes` and effect columns from
 * `effects` (both `[V][T]`, e.g. a transform of the series against the series). Out `[V, V, L]`
 * indexed `(e * V + c) * L + l - 1`; 0 where a window is constant.
 */
export function laggedCross(causes: Float64Array[], effects: Float64Array[], T: number, L: number): Float64Array {
  const V = causes.length;
  const n = T - L;
  const out = new Float64Array(V * V * L);
  const eff = effects.map((col) => unitWindow(col, L, n)); // V x [n]
  for (let c = 0; c < V; c++) {
    for (let l = 1; l <= L; l++) {
      const w = unitWindow(causes[c], L - l, n);
      for (let e = 0; e < V; e++) {
        const y = eff[e];
        let s = 0;
        for (let t = 0; t < n; t++) s += w[t] * y[t];
        out[(e * V + c) * L + l - 1] = s;
      }
    }
  }
  return out;
}

/** VAR t-statistics `[V, V, L]` (effect, cause, lag) and the residual degrees of freedom behind them. */
export interface VarT {
  t: Float64Array;
  df: number;
  /** True when the full VAR had too few samples and each pair was fitted alone (bivariate VAR). */
  fallback: boolean;
}

/**
 * t-statistics of every lagged coefficient: of the full VAR(L) (the regression of granger's `var`, each
 * conditioned on all other lags and variables) when it keeps at least half its samples as residual
 * degrees of freedom; otherwise of the bivariate VAR(L) of each pair (e on its own and c's lags;
 * self-loops from the univariate AR(L)), flagged `fallback`.
 */
export function varTStats(cols: Float64Array[], T: number, L: number): VarT {
  const V = cols.length;
  const n = T - L;
  const all = cols.map((_, v) => v);
  if (1 + V * L <= n / 2) {
    const fit = olsLagT(cols, T, L, all, all); // one Gram matrix for every equation
    return { t: fit.t, df: fit.df, fallback: false };
  }
  const t = new Float64Array(V * V * L);
  let df = 0;
  for (let e = 0; e < V; e++) {
    for (let c = 0; c < V; c++) {
      const regs = c === e ? [e] : [e, c];
      const fit = olsLagT(cols, T, L, regs, [e]);
      df = fit.df;
      const block = c === e ? 0 : 1; // c's lags are the second block of regressors
      for (let l = 0; l < L; l++) t[(e * V + c) * L + l] = fit.t[block * L + l];
    }
  }
  return { t, df, fallback: true };
}

/**
 * OLS of each `effects[i](t)` on an intercept and lags 1..L of each regressor variable (one shared
 * Gram matrix, ridge-jittered when singular). t-statistics `[effects, regs, L]` flat.
 */
function olsLagT(cols: Float64Array[], T: number, L: number, regs: number[], effects: number[]): { t: Float64Array; df: number } {
  const n = T - L;
  const k = 1 + regs.length * L;
  const m = effects.length;
  const G = new Float64Array(k * k); // X'X [k, k]
  const B = new Float64Array(k * m); // X'Y [k, m]
  const xr = new Float64Array(k);
  const row = (r: number): void => {
    xr[0] = 1;
    for (let q = 0; q < regs.length; q++) for (let l = 0; l < L; l++) xr[1 + q * L + l] = cols[regs[q]][r - 1 - l];
  };
  for (let r = L; r < T; r++) {
    row(r);
    for (let i = 0; i < k; i++) {
      const xi = xr[i];
      if (xi === 0) continue;
      for (let j = 0; j <= i; j++) G[i * k + j] += xi * xr[j];
      for (let q = 0; q < m; q++) B[i * m + q] += xi * cols[effects[q]][r];
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) G[j * k + i] = G[i * k + j];
  const { L: chol } = choleskyWithJitter(G, k);
  const inv = invertLower(chol, k); // L⁻¹; (X'X)⁻¹ = L⁻ᵀ L⁻¹
  const diag = new Float64Array(k); // diag of (X'X)⁻¹: squared norms of the columns of L⁻¹
  for (let j = 0; j < k; j++) for (let i = j; i < k; i++) diag[j] += inv[i * k + j] ** 2;
  const df = Math.max(1, n - k);
  const t = new Float64Array(m * (k - 1));
  const z = new Float64Array(k);
  const beta = new Float64Array(k);
  for (let q = 0; q < m; q++) {
    z.fill(0);
    beta.fill(0);
    for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) z[i] += inv[i * k + j] * B[j * m + q];
    for (let j = 0; j < k; j++) for (let i = j; i < k; i++) beta[j] += inv[i * k + j] * z[i];
    let rss = 0;
    const y = cols[effects[q]];
    for (let r = L; r < T; r++) {
      row(r);
      let fit = 0;
      for (let j = 0; j < k; j++) fit += beta[j] * xr[j];
      rss += (y[r] - fit) ** 2;
    }
    const s2 = rss / df;
    for (let j = 1; j < k; j++) {
      const se = Math.sqrt(s2 * diag[j]);
      t[q * (k - 1) + j - 1] = se > 0 ? beta[j] / se : 0;
    }
  }
  return { t, df };
}

/** PCMCI's MCI partial correlations and -log10 p-values `[V, V, L]` (effect, cause, lag). */
export interface MciStats {
  value: Float64Array;
  minusLog10P: Float64Array;
  /** The condition cap used (PC1's largest condition set and the parents per side in MCI). */
  maxConds: number;
}

/**
 * PCMCI-ParCorr (Runge et al. 2019) at pcAlpha 0.2 on the z-scored columns. Its cost grows with the
 * conditions, so PC1's condition sets and MCI's parents per side are capped at `maxConds`.
 */
export function mciStats(cols: Float64Array[], T: number, L: number, maxConds: number): MciStats {
  const V = cols.length;
  const data = new Float64Array(T * V);
  for (let v = 0; v < V; v++) for (let t = 0; t < T; t++) data[t * V + v] = cols[v][t];
  const series: TimeSeries = { variables: cols.map((_, v) => `x${v}`), length: T, data };
  const r = runPcmci(series, { tauMax: L, pcAlpha: 0.2, maxCondsDim: maxConds, maxCondsPy: maxConds, maxCondsPx: maxConds, maxCombinations: 1 });
  const value = new Float64Array(V * V * L);
  const minusLog10P = new Float64Array(V * V * L);
  for (let e = 0; e < V; e++) {
    for (let c = 0; c < V; c++) {
      for (let l = 1; l <= L; l++) {
        const src = (c * V + e) * (L + 1) + l; // tigramite's layout
        const dst = (e * V + c) * L + l - 1;
        value[dst] = Number.isFinite(r.value[src]) ? r.value[src] : 0;
        const lp = r.logP[src];
        minusLog10P[dst] = Number.isFinite(lp) ? -lp / Math.LN10 : 0;
      }
    }
  }
  return { value, minusLog10P, maxConds };
}
