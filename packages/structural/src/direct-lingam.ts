/**
 * DirectLiNGAM (Shimizu et al., JMLR 12, 2011) with the pairwise likelihood-ratio measure of
 * Hyvärinen & Smith (JMLR 14, 2013), and the adaptive-lasso pruning (Zou, JASA 101, 2006) that
 * estimates the connection strengths along the causal order, as in cdt15/lingam.
 */
import { choleskySolveInPlace, choleskyWithJitter, lassoLarsIC } from "@causeway/core";
import { subMatrix } from "./design.js";

/** Constants of the maximum-entropy approximation of differential entropy (Hyvärinen 1998, eq. 4 with G = log cosh and u e^(-u²/2)). */
const K1 = 79.047;
const K2 = 7.4129;
const GAMMA = 0.37457;
const LOG_2 = Math.log(2);

/** ln cosh(u) without overflow. */
const logCosh = (u: number): number => {
  const a = Math.abs(u);
  return a + Math.log1p(Math.exp(-2 * a)) - LOG_2;
};

/** Approximate differential entropy of a standardized sample (Hyvärinen & Smith 2013, §3.2 / lingam's _entropy). */
function entropy(u: Float64Array): number {
  const n = u.length;
  let g1 = 0;
  let g2 = 0;
  for (let i = 0; i < n; i++) {
    g1 += logCosh(u[i]);
    g2 += u[i] * Math.exp(-(u[i] * u[i]) / 2);
  }
  return entropyFromMoments(g1 / n, g2 / n);
}

/** The entropy approximation from E[log cosh u] and E[u e^(-u²/2)]. */
function entropyFromMoments(g1: number, g2: number): number {
  return (1 + Math.log(2 * Math.PI)) / 2 - K1 * (g1 - GAMMA) ** 2 - K2 * g2 ** 2;
}

function meanOf(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Population variance (numpy's np.var). */
function varianceOf(x: Float64Array): number {
  const m = meanOf(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return s / x.length;
}

/** Population covariance (np.cov(bias=True)). */
function covarianceOf(x: Float64Array, y: Float64Array): number {
  const mx = meanOf(x);
  const my = meanOf(y);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - mx) * (y[i] - my);
  return s / x.length;
}

/** xi - (cov(xi, xj) / var(xj)) xj: the residual of regressing xi on xj. */
function residual(xi: Float64Array, xj: Float64Array): Float64Array {
  const b = covarianceOf(xi, xj) / varianceOf(xj);
  return xi.map((v, k) => v - b * xj[k]);
}

function standardize(x: Float64Array): Float64Array {
  const m = meanOf(x);
  const sd = Math.sqrt(varianceOf(x));
  return x.map((v) => (v - m) / sd);
}

/**
 * The causal order of the columns of `e` (`V` arrays of n samples): repeatedly the most exogenous
 * remaining variable, the one minimising Σ_j min(0, Δ_ij)², Δ_ij = H(x_j) + H(r_i→j) - H(x_i) - H(r_j→i)
 * the likelihood-ratio measure (Hyvärinen & Smith 2013, eq. 27); then every other column is replaced
 * by its residual on it (Shimizu et al. 2011, Algorithm step 2c). Cost O(V³ n).
 */
export function directLingamOrder(columns: Float64Array[]): number[] {
  const x: Float64Array[] = columns.map((c) => Float64Array.from(c));
  const n = x.length ? x[0].length : 0;
  let U = x.map((_, i) => i);
  const order: number[] = [];
  while (U.length > 0) {
    let m = U[0];
    if (U.length > 1) {
      const std = new Map(U.map((i) => [i, standardize(x[i])]));
      const H = new Map(U.map((i) => [i, entropy(std.get(i)!)]));
      const mean = new Map(U.map((i) => [i, meanOf(std.get(i)!)]));
      const variance = new Map(U.map((i) => [i, varianceOf(std.get(i)!)]));
      // Δ_ij for each unordered pair once (Δ_ji = -Δ_ij): one pass for the covariance, one for both residual entropies
      const diff = new Map<number, number>();
      for (const i of U)
        for (const j of U) {
          if (j <= i) continue;
          const xi = std.get(i)!;
          const xj = std.get(j)!;
          const [mi, mj] = [mean.get(i)!, mean.get(j)!];
          let c = 0;
          for (let k = 0; k < n; k++) c += (xi[k] - mi) * (xj[k] - mj);
          c /= n; // np.cov(bias=True)
          const [vi, vj] = [variance.get(i)!, variance.get(j)!];
          // r_i→j = x_i - (c / v_j) x_j, r_j→i = x_j - (c / v_i) x_i; their population sds by the variance identity
          const bij = c / vj;
          const bji = c / vi;
          const si = 1 / Math.sqrt(vi - (c * c) / vj);
          const sj = 1 / Math.sqrt(vj - (c * c) / vi);
          let gi1 = 0;
          let gi2 = 0;
          let gj1 = 0;
          let gj2 = 0;
          for (let k = 0; k < n; k++) {
            const ui = (xi[k] - bij * xj[k]) * si;
            const uj = (xj[k] - bji * xi[k]) * sj;
            gi1 += logCosh(ui);
            gi2 += ui * Math.exp(-(ui * ui) / 2);
            gj1 += logCosh(uj);
            gj2 += uj * Math.exp(-(uj * uj) / 2);
          }
          const hri = entropyFromMoments(gi1 / n, gi2 / n);
          const hrj = entropyFromMoments(gj1 / n, gj2 / n);
          diff.set(i * x.length + j, H.get(j)! + hri - H.get(i)! - hrj);
        }
      let best = -Infinity;
      for (const i of U) {
        let M = 0;
        for (const j of U) {
          if (i === j) continue;
          const d = i < j ? diff.get(i * x.length + j)! : -diff.get(j * x.length + i)!;
          M += Math.min(0, d) ** 2;
        }
        if (-M > best) [best, m] = [-M, i];
      }
    }
    for (const i of U) if (i !== m) x[i] = residual(x[i], x[m]);
    order.push(m);
    U = U.filter((i) => i !== m);
  }
  return order;
}

/**
 * Adaptive lasso of column `target` on the columns `predictors`, from the centred cross-products
 * `S` (`[D, D]`) of n rows, as lingam's `predict_adaptive_lasso` (γ = 1): on standardized columns,
 * OLS weights w = |β_OLS|, LassoLarsIC(BIC) of y on w ∘ x picks the support, and the kept
 * predictors are refitted by OLS (with intercept) in the data's units. Returns `[k]` coefficients,
 * zero where pruned.
 */
export function adaptiveLasso(S: Float64Array, D: number, n: number, predictors: readonly number[], target: number): Float64Array {
  const k = predictors.length;
  const out = new Float64Array(k);
  if (k === 0) return out;
  // standardized Gram (StandardScaler: population sd) and its OLS fit
  const sd = (i: number): number => Math.sqrt(S[i * D + i] / n) || 1;
  const gram = new Float64Array(k * k);
  const xty = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    const pa = predictors[a];
    xty[a] = S[pa * D + target] / (sd(pa) * sd(target));
    for (let b = 0; b < k; b++) gram[a * k + b] = S[pa * D + predictors[b]] / (sd(pa) * sd(predictors[b]));
  }
  const yty = S[target * D + target] / sd(target) ** 2;
  const beta = Float64Array.from(xty);
  choleskySolveInPlace(choleskyWithJitter(gram, k).L, k, beta, 1);
  const w = beta.map(Math.abs);
  // LassoLarsIC(bic) on the weighted columns w_a x_a
  const gw = gram.map((g, idx) => g * w[Math.floor(idx / k)] * w[idx % k]);
  const xw = xty.map((v, a) => v * w[a]);
  const { coef } = lassoLarsIC(gw, xw, yty, k, n, "bic");
  const kept: number[] = [];
  for (let a = 0; a < k; a++) if (Math.abs(coef[a] * w[a]) > 0) kept.push(a);
  if (kept.length === 0) return out;
  // OLS refit of the kept predictors in the data's units (centred: the intercept drops out)
  const idx = kept.map((a) => predictors[a]);
  const rhs = Float64Array.from(idx, (i) => S[i * D + target]);
  choleskySolveInPlace(choleskyWithJitter(subMatrix(S, D, idx), idx.length).L, idx.length, rhs, 1);
  kept.forEach((a, q) => (out[a] = rhs[q]));
  return out;
}
