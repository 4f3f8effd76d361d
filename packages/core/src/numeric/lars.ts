/**
 * The lasso path by least-angle regression with the lasso modification (Efron, Hastie, Johnstone,
 * Tibshirani, "Least angle regression", Ann. Statist. 32(2), 2004, §3.1), computed from the Gram
 * matrix, and the lasso chosen on it by an information criterion (Zou, Hastie, Tibshirani, "On the
 * degrees of freedom of the lasso", Ann. Statist. 35(5), 2007: df = number of nonzero coefficients),
 * as scikit-learn's LassoLarsIC does. Both work on centred data (the caller centres X and y).
 */
import { choleskyWithJitter, choleskySolveInPlace } from "./linalg.js";

/** The knots of a lasso path: coefficients where the active set changes. */
export interface LassoPath {
  /** `[knots][p]` coefficients at each knot, the first all zero, the last the OLS fit (when p < n). */
  coefs: Float64Array[];
  /** The maximal inactive correlation |Xᵀr| / n at each knot (scikit-learn's alphas_). */
  alphas: Float64Array;
}

/** Solve G_AA w = rhs for the active set A (Cholesky of the sub-Gram). */
function solveActive(gram: Float64Array, p: number, active: number[], rhs: number[]): Float64Array {
  const k = active.length;
  const sub = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) sub[i * k + j] = gram[active[i] * p + active[j]];
  const { L } = choleskyWithJitter(sub, k);
  const w = Float64Array.from(rhs);
  choleskySolveInPlace(L, k, w, 1);
  return w;
}

/** The smallest strictly positive entry (Infinity when none). */
const minPositive = (values: number[]): number => values.reduce((m, v) => (v > 0 && v < m ? v : m), Infinity);

/**
 * The lasso path of y on X from `gram = XᵀX` (`[p, p]`) and `xty = Xᵀy` (`[p]`), both of centred
 * data, by LARS with the lasso modification: a variable whose coefficient would cross zero leaves the
 * active set at that knot. `n` scales the reported alphas. At most `maxIter` steps (default 500).
 *
 * @example
 * const { coefs } = lassoLarsPath(gram, xty, p, n); // coefs.at(-1): the OLS coefficients
 */
export function lassoLarsPath(gram: Float64Array, xty: Float64Array, p: number, n: number, maxIter = 500): LassoPath {
  const beta = new Float64Array(p);
  const active: number[] = [];
  const signs: number[] = [];
  const isActive = new Uint8Array(p);
  const coefs: Float64Array[] = [Float64Array.from(beta)];
  const alphas: number[] = [];
  const corr = Float64Array.from(xty); // c = Xᵀ(y - Xβ)
  let drop = false;
  for (let iter = 0; ; iter++) {
    // the largest correlation among the inactive variables
    let j = -1;
    let C = 0;
    for (let i = 0; i < p; i++) if (!isActive[i] && Math.abs(corr[i]) > C) [C, j] = [Math.abs(corr[i]), i];
    if (alphas.length < coefs.length) alphas.push(C / n);
    if (C / n <= Number.EPSILON || iter >= maxIter || active.length >= p) break;
    if (!drop) {
      active.push(j);
      signs.push(Math.sign(corr[j]));
      isActive[j] = 1;
    }
    // equiangular direction: w = G_AA⁻¹ s, A_A = (sᵀw)^-1/2, d = A_A w (Efron et al. 2004, eq. 2.5-2.6)
    const w = solveActive(gram, p, active, signs);
    let sw = 0;
    for (let k = 0; k < active.length; k++) sw += signs[k] * w[k];
    const AA = 1 / Math.sqrt(sw);
    for (let k = 0; k < active.length; k++) w[k] *= AA;
    // a_i = (Xᵀ u)_i for the inactive variables; the step that lets one of them catch up (eq. 2.13)
    const steps: number[] = [C / AA];
    const a = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      if (isActive[i]) continue;
      let s = 0;
      for (let k = 0; k < active.length; k++) s += gram[i * p + active[k]] * w[k];
      a[i] = s;
      steps.push((C - corr[i]) / (AA - s), (C + corr[i]) / (AA + s));
    }
    let gamma = minPositive(steps);
    // lasso modification: stop where an active coefficient reaches zero (eq. 3.4-3.5)
    drop = false;
    let dropAt = -1;
    for (let k = 0; k < active.length; k++) {
      const z = -beta[active[k]] / w[k];
      if (z > 0 && z < gamma) [gamma, dropAt, drop] = [z, k, true];
    }
    for (let k = 0; k < active.length; k++) beta[active[k]] += gamma * w[k];
    if (drop) {
      const v = active[dropAt];
      beta[v] = 0;
      isActive[v] = 0;
      active.splice(dropAt, 1);
      signs.splice(dropAt, 1);
    }
    // correlations of the new residual, from the Gram matrix
    for (let i = 0; i < p; i++) {
      let s = xty[i];
      for (let k = 0; k < p; k++) s -= gram[i * p + k] * beta[k];
      corr[i] = s;
    }
    coefs.push(Float64Array.from(beta));
  }
  while (alphas.length < coefs.length) alphas.push(0);
  return { coefs, alphas: Float64Array.from(alphas) };
}

/** The lasso picked on the LARS path by AIC or BIC. */
export interface LassoIcResult {
  /** `[p]` coefficients at the chosen knot. */
  coef: Float64Array;
  /** Index of the chosen knot on the path. */
  knot: number;
  /** `[knots]` the criterion at each knot. */
  criterion: Float64Array;
  /** The noise variance the criterion used: the OLS residual variance RSS / (n - p - 1). */
  noiseVariance: number;
}

/**
 * LassoLarsIC on sufficient statistics of centred data (`gram = XᵀX` `[p, p]`, `xty = Xᵀy`,
 * `yty = yᵀy`, `n` rows, an intercept removed by the centring): the knot minimising
 * n ln(2π σ²) + RSS / σ² + k · df, k = ln n (BIC) or 2 (AIC), df the nonzero coefficients and σ²
 * the OLS residual variance (needs n > p + 1).
 */
export function lassoLarsIC(gram: Float64Array, xty: Float64Array, yty: number, p: number, n: number, criterion: "bic" | "aic" = "bic"): LassoIcResult {
  if (n <= p + 1) throw new Error(`lassoLarsIC: needs more rows (${n}) than coefficients + 1 (${p + 1}) to estimate the noise variance`);
  const all = Array.from({ length: p }, (_, i) => i);
  const ols = solveActive(gram, p, all, Array.from(xty));
  let rssOls = yty;
  for (let i = 0; i < p; i++) rssOls -= ols[i] * xty[i];
  const sigma2 = Math.max(rssOls, 0) / (n - p - 1);
  const { coefs } = lassoLarsPath(gram, xty, p, n);
  const k = criterion === "bic" ? Math.log(n) : 2;
  const crit = new Float64Array(coefs.length);
  let best = 0;
  coefs.forEach((b, idx) => {
    // RSS = yᵀy - 2 βᵀXᵀy + βᵀGβ
    let rss = yty;
    let df = 0;
    for (let i = 0; i < p; i++) {
      if (Math.abs(b[i]) > Number.EPSILON) df++;
      let gb = 0;
      for (let j = 0; j < p; j++) gb += gram[i * p + j] * b[j];
      rss += b[i] * (gb - 2 * xty[i]);
    }
    crit[idx] = n * Math.log(2 * Math.PI * sigma2) + rss / sigma2 + k * df;
    if (crit[idx] < crit[best]) best = idx;
  });
  return { coef: coefs[best], knot: best, criterion: crit, noiseVariance: sigma2 };
}
