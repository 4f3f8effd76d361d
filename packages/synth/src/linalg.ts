/**
 * Small dense linear algebra for the generators: eigenvalues of a real matrix (to check that a
 * VAR is stable) and the VAR companion matrix. Plain Float64Array, row-major.
 */

/** Eigenvalues of a real matrix: real parts and imaginary parts, in no particular order. */
export interface Eigenvalues {
  re: Float64Array;
  im: Float64Array;
}

/** Upper bound on Francis steps spent on one eigenvalue (or pair) before giving up. */
const MAX_STEPS_PER_EIGENVALUE = 300;

/**
 * Eigenvalues of a real square matrix by Householder reduction to upper Hessenberg form and the
 * Francis implicit double-shift QR iteration (Golub & Van Loan, Matrix Computations, 4th ed.,
 * Alg. 7.4.2 and 7.5.1–7.5.2), with ad-hoc exceptional shifts every 10 steps without deflation.
 *
 * @param matrix `[n, n]` row-major (not modified)
 * @example eigenvalues(Float64Array.of(0, -1, 1, 0), 2) // re [0, 0], im [1, -1]
 */
export function eigenvalues(matrix: Float64Array, n: number): Eigenvalues {
  if (matrix.length !== n * n) throw new Error(`eigenvalues: expected ${n * n} entries, got ${matrix.length}`);
  const h = Float64Array.from(matrix); // [n, n], reduced in place
  toHessenberg(h, n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  let norm = 0; // scale used for the deflation test when both diagonal entries are zero
  for (let k = 0; k < h.length; k++) norm = Math.max(norm, Math.abs(h[k]));

  let hi = n - 1; // the active window is rows/columns lo..hi
  let steps = 0;
  while (hi >= 0) {
    // Deflate: find the largest lo such that h[lo][lo-1] is negligible.
    let lo = hi;
    while (lo > 0) {
      let s = Math.abs(h[(lo - 1) * n + lo - 1]) + Math.abs(h[lo * n + lo]);
      if (s === 0) s = norm;
      if (Math.abs(h[lo * n + lo - 1]) <= Number.EPSILON * s) {
        h[lo * n + lo - 1] = 0;
        break;
      }
      lo--;
    }
    if (lo === hi) {
      // A 1x1 block: one real eigenvalue.
      re[hi] = h[hi * n + hi];
      im[hi] = 0;
      hi -= 1;
      steps = 0;
    } else if (lo === hi - 1) {
      // A 2x2 block [[a, b], [c, d]]: eigenvalues d + p ± sqrt(p^2 + bc) with p = (a - d) / 2.
      const a = h[(hi - 1) * n + hi - 1];
      const b = h[(hi - 1) * n + hi];
      const c = h[hi * n + hi - 1];
      const d = h[hi * n + hi];
      const p = 0.5 * (a - d);
      const q = p * p + b * c;
      if (q >= 0) {
        const z = p + (p >= 0 ? 1 : -1) * Math.sqrt(q); // no cancellation
        re[hi - 1] = d + z;
        re[hi] = z !== 0 ? d - (b * c) / z : d;
        im[hi - 1] = 0;
        im[hi] = 0;
      } else {
        const w = Math.sqrt(-q);
        re[hi - 1] = d + p;
        re[hi] = d + p;
        im[hi - 1] = w;
        im[hi] = -w;
      }
      hi -= 2;
      steps = 0;
    } else {
      steps++;
      if (steps > MAX_STEPS_PER_EIGENVALUE) {
        throw new Error(`eigenvalues: QR iteration did not converge for a ${n}x${n} matrix`);
      }
      francisStep(h, n, lo, hi, steps % 10 === 0);
    }
  }
  return { re, im };
}

/** Largest eigenvalue modulus of a real square matrix `[n, n]` (see {@link eigenvalues}). */
export function spectralRadius(matrix: Float64Array, n: number): number {
  const { re, im } = eigenvalues(matrix, n);
  let r = 0;
  for (let k = 0; k < n; k++) r = Math.max(r, Math.hypot(re[k], im[k]));
  return r;
}

/**
 * Companion matrix of a VAR(p) `x_t = sum_l A_l x_{t-l} + e_t` (Lütkepohl, New Introduction to
 * Multiple Time Series Analysis, eq. 2.1.8): the VAR(1) form of the stacked state
 * `[x_t; x_{t-1}; ...; x_{t-p+1}]`. The VAR is stable iff its spectral radius is < 1.
 *
 * @param coefficients `[p, V, V]` indexed `[lag - 1][effect][cause]`
 * @returns `[V p, V p]` row-major
 */
export function companionMatrix(coefficients: Float64Array, vars: number, maxLag: number): Float64Array {
  const V = vars;
  const N = V * maxLag;
  if (coefficients.length !== maxLag * V * V) {
    throw new Error(`companionMatrix: expected ${maxLag * V * V} coefficients, got ${coefficients.length}`);
  }
  const m = new Float64Array(N * N);
  // First block row: [A_1 A_2 ... A_p].
  for (let l = 0; l < maxLag; l++) {
    for (let e = 0; e < V; e++) {
      for (let c = 0; c < V; c++) m[e * N + l * V + c] = coefficients[(l * V + e) * V + c];
    }
  }
  // Identity blocks below the diagonal shift the state by one step.
  for (let k = V; k < N; k++) m[k * N + k - V] = 1;
  return m;
}

/** Spectral radius of a VAR(p)'s companion matrix; < 1 means the process is stable. */
export function varSpectralRadius(coefficients: Float64Array, vars: number, maxLag: number): number {
  return spectralRadius(companionMatrix(coefficients, vars, maxLag), vars * maxLag);
}

/** In-place Householder reduction of `h` `[n, n]` to upper Hessenberg form (Golub & Van Loan Alg. 7.4.2). */
function toHessenberg(h: Float64Array, n: number): void {
  const u = new Float64Array(n);
  const d = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    // Reflector that zeroes h[k+2..n-1][k]: u = x + sign(x_0) |x| e_1 with x = h[k+1..n-1][k].
    const m = n - k - 1;
    let alpha = 0;
    for (let i = 0; i < m; i++) {
      u[i] = h[(k + 1 + i) * n + k];
      alpha += u[i] * u[i];
    }
    alpha = Math.sqrt(alpha);
    if (alpha === 0) continue;
    u[0] += u[0] >= 0 ? alpha : -alpha;
    let beta = 0;
    for (let i = 0; i < m; i++) beta += u[i] * u[i];
    if (beta === 0) continue;
    const scale = 2 / beta;
    // Left: rows k+1..n-1, columns k..n-1: h -= u (scale u'h), accumulated row by row (contiguous).
    d.fill(0, k, n);
    for (let i = 0; i < m; i++) {
      const row = (k + 1 + i) * n;
      const ui = u[i];
      for (let j = k; j < n; j++) d[j] += ui * h[row + j];
    }
    for (let i = 0; i < m; i++) {
      const row = (k + 1 + i) * n;
      const ui = u[i] * scale;
      for (let j = k; j < n; j++) h[row + j] -= ui * d[j];
    }
    // Right: all rows, columns k+1..n-1.
    for (let r = 0; r < n; r++) {
      const row = r * n + k + 1;
      let dot = 0;
      for (let i = 0; i < m; i++) dot += h[row + i] * u[i];
      dot *= scale;
      for (let i = 0; i < m; i++) h[row + i] -= dot * u[i];
    }
    for (let i = 2; i <= m; i++) h[(k + i) * n + k] = 0;
  }
}

/**
 * One Francis double-shift QR step on the unreduced Hessenberg window `lo..hi` (at least 3x3)
 * (Golub & Van Loan Alg. 7.5.1). Only the window is updated: the eigenvalues of the whole matrix
 * are those of its diagonal blocks, so the off-window parts never matter here.
 */
function francisStep(h: Float64Array, n: number, lo: number, hi: number, exceptional: boolean): void {
  const at = (i: number, j: number): number => h[i * n + j];
  const m = hi - lo + 1;
  // Shifts: the eigenvalues of the trailing 2x2 block, through their sum s and product t.
  let s = at(hi - 1, hi - 1) + at(hi, hi);
  let t = at(hi - 1, hi - 1) * at(hi, hi) - at(hi - 1, hi) * at(hi, hi - 1);
  if (exceptional) {
    // Exceptional shifts around the trailing diagonal entry x (EISPACK hqr, Wilkinson's ad-hoc
    // shifts): mu^2 - 1.5 w mu + w^2 = 0 with lambda = x + mu. Shifts about 0 instead stall on
    // companion matrices, whose trailing block is often a near-cyclic shift.
    const x = at(hi, hi);
    const w = Math.abs(at(hi, hi - 1)) + Math.abs(at(hi - 1, hi - 2));
    s = 2 * x + 1.5 * w;
    t = x * x + 1.5 * w * x + w * w;
  }
  // First column of (H - s1 I)(H - s2 I).
  let x = at(lo, lo) * at(lo, lo) + at(lo, lo + 1) * at(lo + 1, lo) - s * at(lo, lo) + t;
  let y = at(lo + 1, lo) * (at(lo, lo) + at(lo + 1, lo + 1) - s);
  let z = at(lo + 1, lo) * at(lo + 2, lo + 1);
  // Chase the bulge down the window with 3x3 reflectors.
  for (let k = 0; k <= m - 3; k++) {
    const r0 = lo + k; // the reflector acts on rows/columns r0..r0+2
    const norm = Math.hypot(x, y, z);
    if (norm !== 0) {
      const u0 = x + (x >= 0 ? norm : -norm);
      const beta = 2 / (u0 * u0 + y * y + z * z);
      const first = lo + Math.max(0, k - 1);
      const a0 = r0 * n;
      const a1 = a0 + n;
      const a2 = a1 + n;
      for (let j = first; j <= hi; j++) {
        const d = beta * (u0 * h[a0 + j] + y * h[a1 + j] + z * h[a2 + j]);
        h[a0 + j] -= d * u0;
        h[a1 + j] -= d * y;
        h[a2 + j] -= d * z;
      }
      const last = Math.min(r0 + 3, hi);
      for (let i = lo; i <= last; i++) {
        const b = i * n + r0;
        const d = beta * (h[b] * u0 + h[b + 1] * y + h[b + 2] * z);
        h[b] -= d * u0;
        h[b + 1] -= d * y;
        h[b + 2] -= d * z;
      }
    }
    x = h[(r0 + 1) * n + r0];
    y = h[(r0 + 2) * n + r0];
    if (k < m - 3) z = h[(r0 + 3) * n + r0];
  }
  // Final 2x2 reflector on rows/columns hi-1..hi.
  const norm = Math.hypot(x, y);
  if (norm !== 0) {
    const u0 = x + (x >= 0 ? norm : -norm);
    const beta = 2 / (u0 * u0 + y * y);
    for (let j = hi - 2; j <= hi; j++) {
      const d = beta * (u0 * at(hi - 1, j) + y * at(hi, j));
      h[(hi - 1) * n + j] -= d * u0;
      h[hi * n + j] -= d * y;
    }
    for (let i = lo; i <= hi; i++) {
      const d = beta * (at(i, hi - 1) * u0 + at(i, hi) * y);
      h[i * n + hi - 1] -= d * u0;
      h[i * n + hi] -= d * y;
    }
  }
}
