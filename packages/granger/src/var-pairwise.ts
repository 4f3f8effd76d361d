// Pairwise (bivariate) Granger F-tests per lag order, statsmodels' grangercausalitytests
// convention: each order L has its own sample, the cause's lags 1..L are tested jointly.
import { choleskyWithJitter, hasMissing, hasSegments, InputError, logFSurvival, throwIfAborted, type TimeSeries, validTargetRows } from "@causeway/core";
import { gramFromCrossProducts, gramFromRows, laggedCrossProducts, zscoreColumns } from "./var-gram.js";

export interface PairwiseGrangerOptions {
  /** Largest lag order L tested (every order 1..maxLag gets its own test). */
  maxLag: number;
  signal?: AbortSignal;
}

/** Every ordered pair's bivariate Granger F-test at every lag order 1..maxLag. */
export interface PairwiseGrangerResult {
  V: number;
  maxLag: number;
  /** Observations of order L's regressions, `[L - 1]`: T - L (or the valid target rows for order L). */
  nobs: Int32Array;
  /** Residual degrees of freedom of order L's unrestricted model, `[L - 1]`: nobs - (2L + 1). */
  dfDenom: Int32Array;
  /** F statistics `[(effect * V + cause) * maxLag + (L - 1)]`, with (L, dfDenom[L - 1]) degrees of freedom. */
  fStat: Float64Array;
  /** ln p-values, same layout (finite where p underflows). */
  logP: Float64Array;
  /** Residual sums of squares in the data's units, same layout: without the cause's lags (restricted) and with them. */
  ssrRestricted: Float64Array;
  ssrUnrestricted: Float64Array;
  /** Largest ridge added to a Gram matrix because of collinear regressors (0 normally). */
  ridge: number;
}

/**
 * For every ordered pair (effect e, cause c ≠ e) and every order L = 1..maxLag, the F-test of
 * statsmodels' `grangercausalitytests(data[:, [e, c]], maxlag)` "ssr_ftest" (Granger 1969):
 * on the rows t = L .. T-1 (nobs = T - L; with segments or missing cells, order L's valid target
 * rows), the unrestricted model regresses e(t) on 1, e(t-1..t-L), c(t-1..t-L), the restricted
 * one drops the c lags, and `F = ((SSR_r - SSR_u) / L) / (SSR_u / (nobs - 2L - 1))`.
 * No other variable enters: this is the bivariate test, not the conditional one of `varGranger`.
 * The diagonal (c = e) tests e's own lags against the intercept alone (nobs - L - 1 df).
 *
 * Each order's Gram matrix of the VAR(L) design is built once from the lagged cross-products;
 * per pair, with the regressors ordered [1, own lags, cause lags], the forward solve
 * z = L⁻¹ Xᵀy of the Cholesky factor gives SSR_u = yᵀy - |z|² and SSR_r - SSR_u = |z_cause|²
 * (the cause block's part of z), so neither model is refitted.
 */
export function pairwiseGranger(series: TimeSeries, options: PairwiseGrangerOptions): PairwiseGrangerResult {
  const { length: T } = series;
  const V = series.variables.length;
  const P = options.maxLag;
  if (!Number.isInteger(P) || P < 1) throw new InputError(`maxLag must be an integer >= 1, got ${P}`);
  const pooled = hasSegments(series) || hasMissing(series);
  const rowsOf = (L: number): Int32Array | undefined => (pooled ? validTargetRows(series, L) : undefined);
  const nAt = (L: number, rows?: Int32Array): number => (rows ? rows.length : T - L);
  const nP = nAt(P, rowsOf(P));
  if (nP - (2 * P + 1) < 1)
    throw new InputError(`a pairwise Granger test of order ${P} needs more than ${2 * P + 1} lagged samples (one per regressor); the series leaves ${nP}`);
  const { x, sd } = zscoreColumns(series); // x: [V, T]
  const { R, sums } = pooled ? { R: [], sums: new Float64Array(V) } : laggedCrossProducts(x, V, T, P, options.signal);

  const size = V * V * P;
  const fStat = new Float64Array(size);
  const logP = new Float64Array(size);
  const ssrRestricted = new Float64Array(size);
  const ssrUnrestricted = new Float64Array(size);
  const nobs = new Int32Array(P);
  const dfDenom = new Int32Array(P);
  let ridge = 0;
  for (let L = 1; L <= P; L++) {
    throwIfAborted(options.signal);
    const rows = rowsOf(L);
    const n = nAt(L, rows);
    nobs[L - 1] = n;
    const D = 1 + (L + 1) * V;
    const G = rows ? gramFromRows(x, V, T, rows, L, options.signal) : gramFromCrossProducts(x, V, T, R, sums, L, L); // [D, D]
    const col = (lag: number, a: number): number => (lag === 0 ? 1 + L * V + a : 1 + (lag - 1) * V + a);
    for (let e = 0; e < V; e++)
      for (let c = 0; c < V; c++) {
        // regressors: intercept, e's lags, then (c ≠ e) c's lags: the tested block last
        const idx = [0];
        for (let l = 1; l <= L; l++) idx.push(col(l, e));
        if (c !== e) for (let l = 1; l <= L; l++) idx.push(col(l, c));
        const K = idx.length;
        const q = L; // tested coefficients: the cause's L lags (on the diagonal, e's own)
        const first = K - q; // the tested block's first position
        const Gxx = new Float64Array(K * K); // [K, K]
        const z = new Float64Array(K); // Xᵀy, then L⁻¹ Xᵀy
        const y = col(0, e);
        for (let i = 0; i < K; i++) {
          for (let j = 0; j < K; j++) Gxx[i * K + j] = G[idx[i] * D + idx[j]];
          z[i] = G[idx[i] * D + y];
        }
        const chol = choleskyWithJitter(Gxx, K);
        ridge = Math.max(ridge, chol.ridge);
        const Lc = chol.L;
        let zz = 0;
        let zb = 0;
        for (let i = 0; i < K; i++) {
          let s = z[i];
          for (let k = 0; k < i; k++) s -= Lc[i * K + k] * z[k];
          z[i] = s / Lc[i * K + i];
          zz += z[i] * z[i];
          if (i >= first) zb += z[i] * z[i];
        }
        const df = n - K;
        // a perfect fit would give SSR_u <= 0 by cancellation: clamp to a tiny positive value
        const ssrU = Math.max(G[y * D + y] - zz, n * 1e-15);
        const f = zb / q / (ssrU / df);
        const k = (e * V + c) * P + (L - 1);
        fStat[k] = f;
        logP[k] = logFSurvival(f, q, df);
        const unit = sd[e] * sd[e];
        ssrUnrestricted[k] = ssrU * unit;
        ssrRestricted[k] = (ssrU + zb) * unit;
      }
    dfDenom[L - 1] = n - (2 * L + 1);
  }
  return { V, maxLag: P, nobs, dfDenom, fStat, logP, ssrRestricted, ssrUnrestricted, ridge };
}
