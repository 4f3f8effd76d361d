import { InputError, choleskyInPlace, choleskySolveInPlace } from "@causeway/core";

/**
 * Least-squares weights of the linear highway: `A [p, V]` minimising `‖Y - X A‖²` over windows
 * `X [n, p]` (`p = W * V`, flattened `[n, W, V]` windows) and targets `Y [n, V]`, by the normal
 * equations `(XᵀX + δI) A = XᵀY` with a tiny ridge `δ = 1e-8 · trace(XᵀX) / p` for collinear inputs,
 * solved in float64 by Cholesky. No intercept (the series are z-scored; the model's output bias adds it).
 */
export function leastSquaresHighway(x: Float32Array, y: Float32Array, n: number, p: number, V: number): Float64Array {
  if (x.length < n * p || y.length < n * V) throw new InputError(`leastSquaresHighway: expected ${n} x ${p} inputs and ${n} x ${V} targets`);
  if (n < 1) throw new InputError("leastSquaresHighway: no windows");
  const g = new Float64Array(p * p); // XᵀX [p, p]
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
 * NaN when there are no more windows than regressors.
 */
export function linearResidualSd(x: Float32Array, y: Float32Array, n: number, p: number, V: number): number {
  if (n <= p) return NaN;
  const a = leastSquaresHighway(x, y, n, p, V); // [p, V]
  let rss = 0;
  for (let r = 0; r < n; r++)
    for (let v = 0; v < V; v++) {
      let e = y[r * V + v];
      for (let i = 0; i < p; i++) e -= x[r * p + i] * a[i * V + v];
      rss += e * e;
    }
  return Math.sqrt(rss / ((n - p) * V));
}
