/**
 * VARLiNGAM (Hyvärinen, Zhang, Shimizu, Hoyer, "Estimation of a structural vector autoregression
 * model using non-Gaussianity", JMLR 11, 2010): x(t) = B0 x(t) + Σ_τ B_τ x(t-τ) + e(t) with a DAG B0
 * and non-Gaussian independent e. Steps as in the paper (§3) and cdt15/lingam's VARLiNGAM:
 * 1. the reduced-form VAR x(t) = Σ_τ M_τ x(t-τ) + n(t) by OLS (no intercept, as lingam), order by BIC/AIC/HQ;
 * 2. DirectLiNGAM on the residuals n(t): causal order and B0 (adaptive lasso along the order);
 * 3. B_τ = (I - B0) M_τ (eq. 6);
 * 4. optionally, every row re-estimated by adaptive lasso on its ancestors at t and all lags (lingam's prune).
 */
import { choleskySolveInPlace, choleskyWithJitter, InputError, logDetFromCholesky, type TimeSeries, validTargetRows } from "@causeway/core";
import { adaptiveLasso, directLingamOrder } from "./direct-lingam.js";
import { laggedCrossProducts } from "./design.js";

/** Criterion choosing the VAR order in 1..maxLag ("none": maxLag). */
export type VarCriterion = "bic" | "aic" | "hqic" | "none";
export const VAR_CRITERIA: readonly VarCriterion[] = ["bic", "aic", "hqic", "none"];

export interface VarLingamOptions {
  /** Largest VAR order (the order itself with criterion "none"). */
  maxLag: number;
  /** Order selection, each order fitted on its own sample t = q..T-1 as lingam does. Default "bic". */
  criterion?: VarCriterion;
  /** Re-estimate B0 and B_τ by adaptive lasso (lingam's prune=True). Default true. */
  prune?: boolean;
  /** Row-major `[T, V]` values to fit instead of `series.data` (e.g. z-scored); rows still from `series`. */
  data?: Float64Array;
}

export interface VarLingamResult {
  V: number;
  /** The VAR order used. */
  order: number;
  /** Criterion value per order 1..maxLag (empty with "none"). */
  criteria: Float64Array;
  /** Causal order of the instantaneous effects, most exogenous first. */
  causalOrder: number[];
  /** `[V, V]` instantaneous effects B0[effect * V + cause]. */
  B0: Float64Array;
  /** `[order][V * V]` lagged effects B_τ[effect * V + cause]. */
  B: Float64Array[];
  /** `[order][V * V]` reduced-form VAR coefficients M_τ. */
  M: Float64Array[];
  /** Samples in the final fit. */
  nobs: number;
  /** `[V]` Jarque-Bera p-value of each VAR residual (small: non-Gaussian, as LiNGAM needs). */
  gaussianityP: Float64Array;
}

/**
 * Jarque-Bera test of normality (Jarque & Bera, Econ. Letters 6, 1980): JB = n/6 (S² + K²/4) with S the
 * skewness and K the excess kurtosis, χ²(2) under normality, so p = e^(-JB/2).
 */
export function jarqueBeraP(x: Float64Array): number {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i] / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - m;
    m2 += (d * d) / n;
    m3 += (d * d * d) / n;
    m4 += (d * d * d * d) / n;
  }
  const S = m3 / m2 ** 1.5;
  const K = m4 / (m2 * m2) - 3;
  return Math.exp(-((n / 6) * (S * S + (K * K) / 4)) / 2);
}

/** OLS VAR(q) without intercept on the valid rows of order q: coefficients and ln det Σ_ML. */
function fitVar(x: Float64Array, series: TimeSeries, q: number): { M: Float64Array[]; logDet: number; rows: Int32Array } {
  const V = series.variables.length;
  const rows = validTargetRows(series, q);
  const K = q * V;
  if (rows.length <= K) throw new InputError(`a VAR(${q}) of ${V} variables needs more than ${K} lagged samples; the series leaves ${rows.length}`);
  const { raw, D } = laggedCrossProducts(x, V, q, rows);
  // normal equations (ZᵀZ) β = ZᵀY, Z = lagged block (columns V..D-1), Y = x(t) (columns 0..V-1)
  const ztz = new Float64Array(K * K);
  const zty = new Float64Array(K * V);
  for (let a = 0; a < K; a++) {
    for (let b = 0; b < K; b++) ztz[a * K + b] = raw[(V + a) * D + V + b];
    for (let e = 0; e < V; e++) zty[a * V + e] = raw[(V + a) * D + e];
  }
  const beta = Float64Array.from(zty); // [K, V]
  choleskySolveInPlace(choleskyWithJitter(ztz, K).L, K, beta, V);
  // Σ_ML = (YᵀY - βᵀ ZᵀY) / n
  const n = rows.length;
  const sigma = new Float64Array(V * V);
  for (let e = 0; e < V; e++)
    for (let f = 0; f < V; f++) {
      let s = raw[e * D + f];
      for (let a = 0; a < K; a++) s -= beta[a * V + e] * zty[a * V + f];
      sigma[e * V + f] = s / n;
    }
  const logDet = logDetFromCholesky(choleskyWithJitter(sigma, V).L, V);
  const M = Array.from({ length: q }, (_, l) => {
    const m = new Float64Array(V * V);
    for (let e = 0; e < V; e++) for (let c = 0; c < V; c++) m[e * V + c] = beta[(l * V + c) * V + e];
    return m;
  });
  return { M, logDet, rows };
}

/**
 * VARLiNGAM of a series (segments and missing cells: the valid target rows of each order).
 *
 * @example
 * const r = varLingam(series, { maxLag: 2 });
 * r.B0[effect * r.V + cause]; // instantaneous effect; r.B[lag - 1][effect * r.V + cause]: lagged
 */
export function varLingam(series: TimeSeries, options: VarLingamOptions): VarLingamResult {
  const V = series.variables.length;
  const P = options.maxLag;
  const criterion = options.criterion ?? "bic";
  const x = options.data ?? series.data;
  if (!Number.isInteger(P) || P < 1) throw new InputError(`maxLag must be an integer >= 1, got ${P}`);
  // 1. reduced-form VAR, order by the criterion (statsmodels' VARResults.bic etc. with trend "n")
  const criteria = new Float64Array(criterion === "none" ? 0 : P);
  const full = fitVar(x, series, P);
  let fit = full;
  if (criterion !== "none") {
    let best = Infinity;
    for (let q = 1; q <= P; q++) {
      const f = q === P ? full : fitVar(x, series, q);
      const n = f.rows.length;
      const k = q * V * V;
      const penalty = criterion === "bic" ? Math.log(n) : criterion === "aic" ? 2 : 2 * Math.log(Math.log(n));
      criteria[q - 1] = f.logDet + (penalty * k) / n;
      if (criteria[q - 1] < best) [best, fit] = [criteria[q - 1], f];
    }
  }
  const order = fit.M.length;
  const rows = fit.rows;
  const n = rows.length;
  // residuals n(t) = x(t) - Σ_τ M_τ x(t-τ), one column per variable
  const resid = Array.from({ length: V }, () => new Float64Array(n));
  rows.forEach((t, r) => {
    for (let e = 0; e < V; e++) {
      let s = x[t * V + e];
      for (let l = 1; l <= order; l++) for (let c = 0; c < V; c++) s -= fit.M[l - 1][e * V + c] * x[(t - l) * V + c];
      resid[e][r] = s;
    }
  });
  // 2. DirectLiNGAM on the residuals: order, then B0 by adaptive lasso along it
  const causalOrder = directLingamOrder(resid);
  const S = new Float64Array(V * V); // centred cross-products of the residuals
  const means = resid.map((c) => c.reduce((a, b) => a + b, 0) / n);
  for (let a = 0; a < V; a++)
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += (resid[a][r] - means[a]) * (resid[b][r] - means[b]);
      S[a * V + b] = s;
      S[b * V + a] = s;
    }
  const B0 = new Float64Array(V * V);
  causalOrder.forEach((target, i) => {
    const coef = adaptiveLasso(S, V, n, causalOrder.slice(0, i), target);
    causalOrder.slice(0, i).forEach((c, k) => (B0[target * V + c] = coef[k]));
  });
  // 3. B_τ = (I - B0) M_τ
  const B = fit.M.map((m) => {
    const b = new Float64Array(V * V);
    for (let e = 0; e < V; e++)
      for (let c = 0; c < V; c++) {
        let s = m[e * V + c];
        for (let k = 0; k < V; k++) s -= B0[e * V + k] * m[k * V + c];
        b[e * V + c] = s;
      }
    return b;
  });
  // 4. pruning: x_i(t) on its ancestors at t and every variable at lags 1..order, adaptive lasso
  if (options.prune ?? true) {
    const { centred, D } = laggedCrossProducts(x, V, order, rows);
    causalOrder.forEach((i, pos) => {
      const ancestors = causalOrder.slice(0, pos);
      const lagged = Array.from({ length: order * V }, (_, k) => V + k);
      const coef = adaptiveLasso(centred, D, n, [...ancestors, ...lagged], i);
      ancestors.forEach((c, k) => (B0[i * V + c] = coef[k]));
      for (let l = 0; l < order; l++) for (let c = 0; c < V; c++) B[l][i * V + c] = coef[pos + l * V + c];
    });
  }
  return { V, order, criteria, causalOrder, B0, B, M: fit.M, nobs: n, gaussianityP: Float64Array.from(resid, jarqueBeraP) };
}
