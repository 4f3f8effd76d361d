/**
 * Test helper: ordinary least squares by the normal equations and a Cholesky solve.
 * Not exported from the package (excluded from the build by its `test-` prefix).
 */

export interface OlsFit {
  /** Coefficients, one per regressor (plus the intercept last when asked for). */
  beta: Float64Array;
  /** Mean squared residual. */
  residualVariance: number;
  /** 1 - residual variance / variance of y. */
  r2: number;
}

/**
 * Fits `y ≈ X beta` (+ intercept).
 * @param columns regressors, each `[n]`
 * @param y `[n]`
 */
export function ols(columns: Float64Array[], y: Float64Array, intercept = true): OlsFit {
  const n = y.length;
  const cols = intercept ? [...columns, new Float64Array(n).fill(1)] : columns;
  const k = cols.length;
  // Normal equations G beta = b with G = X'X [k, k], b = X'y [k].
  const g = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const ci = cols[i];
    for (let j = 0; j <= i; j++) {
      const cj = cols[j];
      let s = 0;
      for (let t = 0; t < n; t++) s += ci[t] * cj[t];
      g[i * k + j] = s;
      g[j * k + i] = s;
    }
    let s = 0;
    for (let t = 0; t < n; t++) s += ci[t] * y[t];
    b[i] = s;
  }
  // Cholesky G = L L' (lower triangular L in place).
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = g[i * k + j];
      for (let m = 0; m < j; m++) s -= l[i * k + m] * l[j * k + m];
      if (i === j) {
        if (s <= 0) throw new Error("ols: regressors are collinear");
        l[i * k + i] = Math.sqrt(s);
      } else {
        l[i * k + j] = s / l[j * k + j];
      }
    }
  }
  // Forward then back substitution.
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let m = 0; m < i; m++) s -= l[i * k + m] * z[m];
    z[i] = s / l[i * k + i];
  }
  const beta = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i];
    for (let m = i + 1; m < k; m++) s -= l[m * k + i] * beta[m];
    beta[i] = s / l[i * k + i];
  }
  let mean = 0;
  for (let t = 0; t < n; t++) mean += y[t];
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  for (let t = 0; t < n; t++) {
    let fit = 0;
    for (let i = 0; i < k; i++) fit += beta[i] * cols[i][t];
    ssRes += (y[t] - fit) ** 2;
    ssTot += (y[t] - mean) ** 2;
  }
  return { beta, residualVariance: ssRes / n, r2: 1 - ssRes / ssTot };
}

/** Column `v` of a row-major `[T, V]` series over rows `from .. from + n - 1`. */
export function column(data: Float64Array, V: number, v: number, from: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) out[t] = data[(from + t) * V + v];
  return out;
}
