import { InputError, choleskyInPlace, choleskySolveInPlace, invertLower } from "@causeway/core";

/** `XᵀX [p, p]` (lower triangle) and `XᵀY [p, V]` of windows `X [n, p]` and targets `Y [n, V]`, in float64. */
function normalEquations(x: Float32Array, y: Float32Array, n: number, p: number, V: number, where: string): { g: Float64Array; b: Float64Array } {
  if (x.length < n * p || y.length < n * V) throw new InputError(`${where}: expected ${n} x ${p} inputs and ${n} x ${V} targets`);
  if (n < 1) throw new InputError(`${where}: no windows`);
  const g = new Float64Array(p * p); // XᵀX [p, p], lower triangle
  const b = new Float64Array(p * V); // XᵀY [p, V]
  for (let r = 0; r < n; r++) {
    const xr = x.subarray(r * p, (r + 1) * p);
    const yr = y.subarray(r * V, (r + 1) * V);
    for (let i = 0; i < p; i++) {
      const xi = xr[i];
      if (xi === 0) continue;
      for (let j = 0; j <= i; j++) g[i * p + j] += xi * xr[j];
      for (let v = 0; v < V; v++) b[i * V + v] += xi * yr[v];
    }
  }
  return { g, b };
}

/**
 * Least-squares weights of the linear highway: `A [p, V]` minimising `‖Y - X A‖²` over windows
 * `X [n, p]` (`p = W * V`, flattened `[n, W, V]` windows) and targets `Y [n, V]`, by the normal
 * equations `(XᵀX + δI) A = XᵀY` with a tiny ridge `δ = 1e-8 · trace(XᵀX) / p` for collinear inputs,
 * solved in float64 by Cholesky. No intercept (the series are z-scored; the model's output bias adds it).
 */
export function leastSquaresHighway(x: Float32Array, y: Float32Array, n: number, p: number, V: number): Float64Array {
  const { g, b } = normalEquations(x, y, n, p, V, "leastSquaresHighway");
  let trace = 0;
  for (let i = 0; i < p; i++) trace += g[i * p + i];
  const ridge = Math.max(1e-8 * (trace / p), 1e-12);
  // Cholesky G = L Lᵀ, lower triangle in place, then L Lᵀ A = XᵀY for every target column at once
  for (let i = 0; i < p; i++) g[i * p + i] += ridge;
  if (!choleskyInPlace(g, p)) throw new InputError("leastSquaresHighway: the windows' Gram matrix is not positive definite");
  choleskySolveInPlace(g, p, b, V);
  return b;
}

/**
 * Root mean squared one-step residual of the least-squares linear autoregression of `leastSquaresHighway`
 * (`X [n, p]` windows -> `Y [n, V]` targets), each variable's residual sum of squares divided by its
 * degrees of freedom `n - p`, averaged over variables: the innovation scale a linear model leaves.
 * NaN when there are no more windows than regressors. `weights`: that regression's `[p, V]` weights
 * when the caller already has them (an `ols` highway), so they are not fitted twice.
 */
export function linearResidualSd(x: Float32Array, y: Float32Array, n: number, p: number, V: number, weights?: Float64Array): number {
  if (n <= p) return NaN;
  const a = weights ?? leastSquaresHighway(x, y, n, p, V); // [p, V]
  let rss = 0;
  for (let r = 0; r < n; r++)
    for (let v = 0; v < V; v++) {
      let e = y[r * V + v];
      for (let i = 0; i < p; i++) e -= x[r * p + i] * a[i * V + v];
      rss += e * e;
    }
  return Math.sqrt(rss / ((n - p) * V));
}

/** Ridge penalties `λ = 10^k · trace(XᵀX) / p` that `ridgeHighway` tries: k = -8, -7.75, ..., 2. */
export const RIDGE_GRID = Array.from({ length: 41 }, (_, i) => 10 ** (-8 + i / 4));

/** Result of `ridgeHighway`. */
export interface RidgeHighway {
  /** `A [p, V]`: column v is output v's ridge solution at its chosen penalty. */
  weights: Float64Array;
  /** Chosen penalty of every output `[V]`, relative to the mean diagonal `trace(XᵀX) / p` (a value of `RIDGE_GRID`). */
  lambda: Float64Array;
  /** Effective degrees of freedom `tr H` of every output's fit `[V]` (p: least squares; 0: all shrunk away). */
  dof: Float64Array;
}

/**
 * Ridge weights of the linear highway, each output's penalty chosen from the data by generalised
 * cross-validation (Golub, Heath & Wahba 1979): for every `λ` of `RIDGE_GRID` (times the mean
 * diagonal of `XᵀX`), `A_v(λ) = (XᵀX + λI)⁻¹ Xᵀy_v` and `GCV_v(λ) = n · RSS_v(λ) / (n - tr H(λ))²` with
 * `tr H(λ) = p - λ · tr((XᵀX + λI)⁻¹)`; each column keeps its smallest-GCV solution. Where collinear
 * lags of a smooth series would give least squares large, cancelling coefficients, the penalty that
 * predicts best out of sample shrinks them; where the inputs are well conditioned it is near zero
 * and the weights are least squares'. `X [n, p]` flattened windows, `Y [n, V]` targets, float64.
 */
export function ridgeHighway(x: Float32Array, y: Float32Array, n: number, p: number, V: number): RidgeHighway {
  const { g, b } = normalEquations(x, y, n, p, V, "ridgeHighway");
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) g[j * p + i] = g[i * p + j]; // full symmetric XᵀX
  const yy = new Float64Array(V); // yᵀy per output
  for (let r = 0; r < n; r++) for (let v = 0; v < V; v++) yy[v] += y[r * V + v] ** 2;
  let trace = 0;
  for (let i = 0; i < p; i++) trace += g[i * p + i];
  const scale = Math.max(trace / p, 1e-12);
  const weights = new Float64Array(p * V);
  const lambda = new Float64Array(V);
  const dof = new Float64Array(V);
  const best = new Float64Array(V).fill(Infinity);
  const ga = new Float64Array(p);
  for (const k of RIDGE_GRID) {
    const lam = k * scale;
    const m = g.slice();
    for (let i = 0; i < p; i++) m[i * p + i] += lam;
    if (!choleskyInPlace(m, p)) continue;
    const inv = invertLower(m, p); // L⁻¹: tr((XᵀX + λI)⁻¹) = ‖L⁻¹‖²_F
    let trInv = 0;
    for (let i = 0; i < p * p; i++) trInv += inv[i] * inv[i];
    const df = p - lam * trInv;
    if (!(n - df > 0)) continue;
    const a = b.slice(); // [p, V]
    choleskySolveInPlace(m, p, a, V);
    for (let v = 0; v < V; v++) {
      // RSS = yᵀy - 2 aᵀXᵀy + aᵀXᵀX a
      let ab = 0;
      let aga = 0;
      for (let i = 0; i < p; i++) {
        let s = 0;
        for (let j = 0; j < p; j++) s += g[i * p + j] * a[j * V + v];
        ga[i] = s;
      }
      for (let i = 0; i < p; i++) {
        ab += a[i * V + v] * b[i * V + v];
        aga += a[i * V + v] * ga[i];
      }
      const gcv = (n * Math.max(yy[v] - 2 * ab + aga, 0)) / (n - df) ** 2;
      if (gcv < best[v]) {
        best[v] = gcv;
        lambda[v] = k;
        dof[v] = df;
        for (let i = 0; i < p; i++) weights[i * V + v] = a[i * V + v];
      }
    }
  }
  if (!best.every(Number.isFinite)) throw new InputError(`ridgeHighway: no penalty gave a usable fit of ${n} windows with ${p} inputs`);
  return { weights, lambda, dof };
}
