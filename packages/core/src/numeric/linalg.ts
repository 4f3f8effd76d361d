/**
 * Small dense float64 linear algebra on row-major typed arrays, enough for OLS through the
 * normal equations: Cholesky factorisation (with a ridge-jitter fallback), triangular
 * solves, the inverse of a triangular factor and a log-determinant. Used by granger (VAR)
 * and transformer (the linear highway).
 */

/**
 * In-place Cholesky factorisation A = L Lᵀ of the symmetric positive definite `n x n`
 * matrix `a` (row-major; only the lower triangle is read). On success the lower triangle
 * holds L, the strict upper triangle is zeroed and true is returned; false when a pivot is
 * not positive (A not numerically positive definite), leaving `a` partly overwritten.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let diag = a[rowJ + j];
    for (let k = 0; k < j; k++) diag -= a[rowJ + k] * a[rowJ + k];
    if (!(diag > 0)) return false;
    const ljj = Math.sqrt(diag);
    a[rowJ + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = a[rowI + j];
      for (let k = 0; k < j; k++) s -= a[rowI + k] * a[rowJ + k];
      a[rowI + j] = s * inv;
    }
    for (let i = 0; i < j; i++) a[i * n + j] = 0;
  }
  return true;
}

/** Result of a guarded Cholesky factorisation. */
export interface CholeskyResult {
  /** Lower-triangular factor, row-major `[n, n]`. */
  L: Float64Array;
  /** Ridge added to the diagonal to make the factorisation succeed (0 when none was needed). */
  ridge: number;
}

/**
 * Cholesky factor of the SPD matrix `a` (`[n, n]`, row-major, not modified). When the
 * matrix is singular or indefinite to working precision (collinear regressors), a ridge
 * `δ·I` is added with δ = 1e-12 · mean(diag), multiplied by 100 until the factorisation
 * succeeds (at most 1e-2 · mean(diag)); the ridge used is returned so callers can report it.
 */
export function choleskyWithJitter(a: Float64Array, n: number): CholeskyResult {
  const L = Float64Array.from(a);
  if (choleskyInPlace(L, n)) return { L, ridge: 0 };
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += Math.abs(a[i * n + i]);
  meanDiag = meanDiag / n || 1;
  for (let rel = 1e-12; rel <= 1e-2; rel *= 100) {
    const ridge = rel * meanDiag;
    L.set(a);
    for (let i = 0; i < n; i++) L[i * n + i] += ridge;
    if (choleskyInPlace(L, n)) return { L, ridge };
  }
  throw new Error(`matrix of size ${n} is not positive definite even with a ridge of 1e-2 x its mean diagonal`);
}

/**
 * Solve L Lᵀ X = B in place for `m` right-hand sides: `b` is row-major `[n, m]`.
 */
export function choleskySolveInPlace(L: Float64Array, n: number, b: Float64Array, m: number): void {
  // forward: L Y = B
  for (let i = 0; i < n; i++) {
    const rowL = i * n;
    const rowB = i * m;
    for (let k = 0; k < i; k++) {
      const lik = L[rowL + k];
      if (lik === 0) continue;
      const rowK = k * m;
      for (let c = 0; c < m; c++) b[rowB + c] -= lik * b[rowK + c];
    }
    const inv = 1 / L[rowL + i];
    for (let c = 0; c < m; c++) b[rowB + c] *= inv;
  }
  // backward: Lᵀ X = Y
  for (let i = n - 1; i >= 0; i--) {
    const rowB = i * m;
    for (let k = i + 1; k < n; k++) {
      const lki = L[k * n + i];
      if (lki === 0) continue;
      const rowK = k * m;
      for (let c = 0; c < m; c++) b[rowB + c] -= lki * b[rowK + c];
    }
    const inv = 1 / L[i * n + i];
    for (let c = 0; c < m; c++) b[rowB + c] *= inv;
  }
}

/** Inverse of a lower-triangular `[n, n]` matrix (row-major); the result is lower triangular. */
export function invertLower(L: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  // row i of L L⁻¹ = I: inv[i][j] = -(Σ_{j<=k<i} L[i][k] inv[k][j]) / L[i][i], accumulated row-wise
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let k = 0; k < i; k++) {
      const lik = L[rowI + k];
      if (lik === 0) continue;
      const rowK = k * n;
      for (let j = 0; j <= k; j++) inv[rowI + j] -= lik * inv[rowK + j];
    }
    const d = 1 / L[rowI + i];
    for (let j = 0; j < i; j++) inv[rowI + j] *= d;
    inv[rowI + i] = d;
  }
  return inv;
}

/** ln det(A) from the Cholesky factor L of A: 2 Σ ln L_ii. */
export function logDetFromCholesky(L: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L[i * n + i]);
  return 2 * s;
}
