/**
 * ParCorr and RobustParCorr (Runge et al., Sci. Adv. 2019, Methods): the partial correlation of X
 * and Y given Z from OLS residuals, with the analytic Student-t test, dof = n - 2 - |Z|.
 * RobustParCorr first maps every variable to normal scores (rank / n, then Φ⁻¹), as tigramite does.
 */
import { choleskyInPlace, choleskyWithJitter, logBetaInc, normalQuantile } from "@causeway/core";
import type { CITest, CITestResult } from "./ci-test.js";

/** A test result with ln p as well (finite where p underflows). */
export interface ParCorrResult extends CITestResult {
  logPvalue: number;
}

/**
 * ln of the two-sided p-value of a correlation r with `df` degrees of freedom:
 * P(|T| > |r| sqrt(df / (1 - r²))) = I_{1-r²}(df/2, 1/2). NaN when df < 1, -Infinity at |r| = 1.
 */
export function logPvalueOfCorrelation(r: number, df: number): number {
  if (!(df >= 1) || Number.isNaN(r)) return NaN;
  const a = Math.abs(r);
  if (Math.abs(a - 1) <= Number.MIN_VALUE || a >= 1) return -Infinity;
  // 1 - r² computed as (1 - |r|)(1 + |r|) keeps its digits near |r| = 1
  return Math.min(0, logBetaInc((1 - a) * (1 + a), df / 2, 0.5));
}

/**
 * Partial correlation of rows 0 and 1 given rows 2..m-1 of a correlation (or covariance) matrix.
 * `R` is read through `at(a, b)` so callers can index a sub-block of a larger matrix.
 * Cost O(k³) with k = m - 2 conditions (one Cholesky of the Z block).
 */
export function partialCorrelation(m: number, at: (a: number, b: number) => number): number {
  const k = m - 2;
  const sxx0 = at(0, 0);
  const syy0 = at(1, 1);
  const sxy0 = at(0, 1);
  if (k === 0) return sxy0 / Math.sqrt(sxx0 * syy0);
  const L = new Float64Array(k * k); // [k, k] Z block
  for (let a = 0; a < k; a++) for (let b = 0; b <= a; b++) L[a * k + b] = L[b * k + a] = at(a + 2, b + 2);
  const copy = L.slice();
  // the Z block is positive definite unless Z is collinear; then a small ridge (as lstsq's minimum norm would)
  const chol = choleskyInPlace(L, k) ? L : choleskyWithJitter(copy, k).L;
  // u = L⁻¹ R_zx, w = L⁻¹ R_zy (forward substitution)
  const u = new Float64Array(k);
  const w = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let su = at(a + 2, 0);
    let sw = at(a + 2, 1);
    for (let b = 0; b < a; b++) {
      su -= chol[a * k + b] * u[b];
      sw -= chol[a * k + b] * w[b];
    }
    u[a] = su / chol[a * k + a];
    w[a] = sw / chol[a * k + a];
  }
  // residual (co)variances: R_xx - R_xz R_zz⁻¹ R_zx etc.
  let sxx = sxx0;
  let syy = syy0;
  let sxy = sxy0;
  for (let a = 0; a < k; a++) {
    sxx -= u[a] * u[a];
    syy -= w[a] * w[a];
    sxy -= u[a] * w[a];
  }
  if (!(sxx > 0) || !(syy > 0)) return 0;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Residual sum of squares / n of the standardised row 0 regressed (no intercept) on rows 1..m-1 of a correlation matrix. */
export function residualFraction(m: number, at: (a: number, b: number) => number): number {
  const k = m - 1;
  if (k === 0) return 1;
  const L = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b <= a; b++) L[a * k + b] = L[b * k + a] = at(a + 1, b + 1);
  const copy = L.slice();
  const chol = choleskyInPlace(L, k) ? L : choleskyWithJitter(copy, k).L;
  const u = new Float64Array(k);
  let rss = 1;
  for (let a = 0; a < k; a++) {
    let s = at(a + 1, 0);
    for (let b = 0; b < a; b++) s -= chol[a * k + b] * u[b];
    u[a] = s / chol[a * k + a];
    rss -= u[a] * u[a];
  }
  return Math.max(rss, 0);
}

/** Correlation matrix `[m, m]` of the columns (each `[n]`), centred by their means (population moments). */
export function correlationMatrix(cols: readonly Float64Array[]): Float64Array {
  const m = cols.length;
  const n = cols[0].length;
  const centred = cols.map((c) => {
    let mean = 0;
    for (let t = 0; t < n; t++) mean += c[t];
    mean /= n;
    const out = new Float64Array(n);
    for (let t = 0; t < n; t++) out[t] = c[t] - mean;
    return out;
  });
  const R = new Float64Array(m * m);
  for (let a = 0; a < m; a++)
    for (let b = 0; b <= a; b++) {
      const ca = centred[a];
      const cb = centred[b];
      let s = 0;
      for (let t = 0; t < n; t++) s += ca[t] * cb[t];
      R[a * m + b] = R[b * m + a] = s;
    }
  const sd = Array.from({ length: m }, (_, a) => Math.sqrt(R[a * m + a]));
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) R[a * m + b] = a === b ? 1 : sd[a] > 0 && sd[b] > 0 ? R[a * m + b] / (sd[a] * sd[b]) : 0;
  return R;
}

/** Partial correlation and t-test of x and y given the z columns (each `[n]`). */
export function parCorrOnArrays(x: Float64Array, y: Float64Array, z: readonly Float64Array[]): ParCorrResult {
  const n = x.length;
  const R = correlationMatrix([x, y, ...z]);
  const m = 2 + z.length;
  const value = partialCorrelation(m, (a, b) => R[a * m + b]);
  const logPvalue = logPvalueOfCorrelation(value, n - 2 - z.length);
  return { value, pvalue: Math.exp(logPvalue), logPvalue };
}

/**
 * Normal scores `[n]` of one variable: u = rank / n with the largest rank of a tie group ("max"
 * ranks), u = 1 replaced by 1 - 1e-5, then Φ⁻¹(u) (tigramite's RobustParCorr.trafo2normal).
 */
export function normalScores(v: ArrayLike<number>): Float64Array {
  const n = v.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a] - v[b]);
  const out = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1; // tie group [start, end) in sorted order
    while (end < n && v[idx[end]] === v[idx[start]]) end++;
    let u = end / n;
    if (u >= 1) u = 1 - 1e-5;
    const z = normalQuantile(u);
    for (let k = start; k < end; k++) out[idx[k]] = z;
    start = end;
  }
  return out;
}

/** A `CITest` whose result carries ln p too. */
export interface ParCorrTest extends CITest {
  run(x: Float64Array, y: Float64Array, z: readonly Float64Array[], seed?: number): ParCorrResult;
}

/** ParCorr as a `CITest` (standardises its inputs itself; the seed is unused). */
export const parCorr: ParCorrTest = {
  name: "parcorr",
  run: (x, y, z) => parCorrOnArrays(x, y, z),
};

/** RobustParCorr as a `CITest`: normal scores of x, y and every z, then ParCorr. */
export const robustParCorr: ParCorrTest = {
  name: "robust_parcorr",
  run: (x, y, z) => parCorrOnArrays(normalScores(x), normalScores(y), z.map(normalScores)),
};
