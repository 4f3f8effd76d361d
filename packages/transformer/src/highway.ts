import { InputError } from "@causeway/core";

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
  // Cholesky G = L Lᵀ, lower triangle in place
  for (let i = 0; i < p; i++) g[i * p + i] += ridge;
  for (let j = 0; j < p; j++) {
    let d = g[j * p + j];
    for (let k = 0; k < j; k++) d -= g[j * p + k] ** 2;
    if (!(d > 0)) throw new InputError("leastSquaresHighway: the windows' Gram matrix is not positive definite");
    const ljj = Math.sqrt(d);
    g[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let s = g[i * p + j];
      for (let k = 0; k < j; k++) s -= g[i * p + k] * g[j * p + k];
      g[i * p + j] = s / ljj;
    }
  }
  // forward (L z = b) and back (Lᵀ a = z) substitution, every target column at once
  for (let i = 0; i < p; i++)
    for (let v = 0; v < V; v++) {
      let s = b[i * V + v];
      for (let k = 0; k < i; k++) s -= g[i * p + k] * b[k * V + v];
      b[i * V + v] = s / g[i * p + i];
    }
  for (let i = p - 1; i >= 0; i--)
    for (let v = 0; v < V; v++) {
      let s = b[i * V + v];
      for (let k = i + 1; k < p; k++) s -= g[k * p + i] * b[k * V + v];
      b[i * V + v] = s / g[i * p + i];
    }
  return b;
}
