/**
 * The matrix exponential of a small dense matrix by scaling and squaring with the degree-13 Padé
 * approximant (Higham, "The scaling and squaring method for the matrix exponential revisited",
 * SIAM J. Matrix Anal. Appl. 26(4), 2005, Algorithm 2.3), and the LU solve it needs.
 */

/** Padé(13) coefficients b_0..b_13 (Higham 2005, Table 2.3 / eq. 2.2). */
const PADE13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600, 670442572800, 33522128640, 1323241920, 40840800,
  960960, 16380, 182, 1,
];
/** θ_13: the largest 1-norm for which Padé(13) meets double precision without scaling (Higham 2005, Table 2.3). */
const THETA13 = 5.371920351148152;

/** C = A B for row-major `[n, n]` matrices. */
function matMul(a: Float64Array, b: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  return c;
}

/**
 * Solve A X = B by LU with partial pivoting: `a` `[n, n]`, `b` `[n, m]`, both row-major and
 * overwritten (B holds X on return). Throws when A is singular to working precision.
 */
export function luSolveInPlace(a: Float64Array, n: number, b: Float64Array, m: number): void {
  for (let k = 0; k < n; k++) {
    // pivot: the largest |a_ik| in column k at or below the diagonal
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i * n + k]) > Math.abs(a[p * n + k])) p = i;
    if (a[p * n + k] === 0) throw new Error(`luSolveInPlace: the ${n} x ${n} matrix is singular`);
    if (p !== k) {
      for (let j = 0; j < n; j++) [a[k * n + j], a[p * n + j]] = [a[p * n + j], a[k * n + j]];
      for (let j = 0; j < m; j++) [b[k * m + j], b[p * m + j]] = [b[p * m + j], b[k * m + j]];
    }
    const inv = 1 / a[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k] * inv;
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) a[i * n + j] -= f * a[k * n + j];
      for (let j = 0; j < m; j++) b[i * m + j] -= f * b[k * m + j];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) b[i * m + j] -= aik * b[k * m + j];
    }
    const inv = 1 / a[i * n + i];
    for (let j = 0; j < m; j++) b[i * m + j] *= inv;
  }
}

/**
 * e^A of a row-major `[n, n]` matrix: A is scaled by 2^-s so that its 1-norm is at most θ_13, the
 * Padé(13) approximant r(A/2^s) = (V - U)⁻¹ (V + U) is formed, then squared s times (Higham 2005).
 * Cost about (6 + s) n³ multiply-adds plus one LU solve; relative error near machine precision
 * for well-conditioned problems.
 *
 * @example
 * const E = expm(new Float64Array([0, 1, 0, 0]), 2); // [[1, 1], [0, 1]]
 */
export function expm(a: Float64Array, n: number): Float64Array {
  if (a.length !== n * n) throw new Error(`expm: expected ${n * n} entries for a ${n} x ${n} matrix, got ${a.length}`);
  let norm1 = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(a[i * n + j]);
    norm1 = Math.max(norm1, s);
  }
  if (!Number.isFinite(norm1)) throw new Error("expm: the matrix has a non-finite entry");
  const s = norm1 > THETA13 ? Math.ceil(Math.log2(norm1 / THETA13)) : 0;
  const scale = 2 ** -s;
  const A = a.map((v) => v * scale); // [n, n] A / 2^s
  const A2 = matMul(A, A, n);
  const A4 = matMul(A2, A2, n);
  const A6 = matMul(A4, A2, n);
  const b = PADE13;
  // U = A [A6 (b13 A6 + b11 A4 + b9 A2) + b7 A6 + b5 A4 + b3 A2 + b1 I]  (Higham 2005, eq. 2.2 grouping)
  // V = A6 (b12 A6 + b10 A4 + b8 A2) + b6 A6 + b4 A4 + b2 A2 + b0 I
  const inner1 = new Float64Array(n * n);
  const inner2 = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    inner1[i] = b[13] * A6[i] + b[11] * A4[i] + b[9] * A2[i];
    inner2[i] = b[12] * A6[i] + b[10] * A4[i] + b[8] * A2[i];
  }
  const u1 = matMul(A6, inner1, n);
  const v1 = matMul(A6, inner2, n);
  for (let i = 0; i < n * n; i++) {
    u1[i] += b[7] * A6[i] + b[5] * A4[i] + b[3] * A2[i];
    v1[i] += b[6] * A6[i] + b[4] * A4[i] + b[2] * A2[i];
  }
  for (let i = 0; i < n; i++) {
    u1[i * n + i] += b[1];
    v1[i * n + i] += b[0];
  }
  const U = matMul(A, u1, n);
  const lhs = new Float64Array(n * n); // V - U
  let R: Float64Array<ArrayBuffer> = new Float64Array(n * n); // V + U, then r(A / 2^s)
  for (let i = 0; i < n * n; i++) {
    lhs[i] = v1[i] - U[i];
    R[i] = v1[i] + U[i];
  }
  luSolveInPlace(lhs, n, R, n);
  for (let k = 0; k < s; k++) R = matMul(R, R, n);
  return R;
}
