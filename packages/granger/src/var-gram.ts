// The VAR's sufficient statistics: lagged cross-products of the columns, the augmented Gram
// matrix of any VAR(q) design built from them, and the unrestricted OLS solve (used by var.ts).
import { InputError, throwIfAborted, type TimeSeries } from "@causeway/core";
import { choleskySolveInPlace, choleskyWithJitter } from "@causeway/core";

/** Rows processed per block when accumulating lagged cross-products (keeps them in cache). */
const CHUNK = 1024;

/**
 * Lagged cross-products of the columns `x` (`[V, T]`, column-major):
 * `R[d][a * V + b] = Σ_{s=d}^{T-1} x_a(s) x_b(s - d)` for d = 0..P, plus column sums.
 * Every Gram matrix of a VAR of order <= P on any window is these minus a few edge terms.
 */
export function laggedCrossProducts(x: Float64Array, V: number, T: number, P: number, signal?: AbortSignal, onFraction?: (f: number) => void) {
  const R = Array.from({ length: P + 1 }, () => new Float64Array(V * V));
  const sums = new Float64Array(V);
  for (let a = 0; a < V; a++) {
    let s = 0;
    const off = a * T;
    for (let t = 0; t < T; t++) s += x[off + t];
    sums[a] = s;
  }
  for (let s0 = 0; s0 < T; s0 += CHUNK) {
    throwIfAborted(signal);
    const s1 = Math.min(T, s0 + CHUNK);
    for (let d = 0; d <= P; d++) {
      const lo = Math.max(s0, d);
      if (lo >= s1) continue;
      const Rd = R[d];
      // register tile: two rows a, a+1 against four columns b..b+3 (6 loads per 8 multiply-adds)
      let a = 0;
      for (; a + 1 < V; a += 2) {
        const xa = a * T;
        const xa1 = xa + T;
        // d = 0 is symmetric: b >= a suffices (the extra lower entry of row a+1 is overwritten later)
        let b = d === 0 ? a : 0;
        for (; b + 3 < V; b += 4) {
          const x0 = b * T - d;
          const x1 = x0 + T;
          const x2 = x1 + T;
          const x3 = x2 + T;
          let c0 = 0;
          let c1 = 0;
          let c2 = 0;
          let c3 = 0;
          let e0 = 0;
          let e1 = 0;
          let e2 = 0;
          let e3 = 0;
          for (let s = lo; s < s1; s++) {
            const u = x[xa + s];
            const w = x[xa1 + s];
            const y0 = x[x0 + s];
            const y1 = x[x1 + s];
            const y2 = x[x2 + s];
            const y3 = x[x3 + s];
            c0 += u * y0;
            c1 += u * y1;
            c2 += u * y2;
            c3 += u * y3;
            e0 += w * y0;
            e1 += w * y1;
            e2 += w * y2;
            e3 += w * y3;
          }
          const row = a * V + b;
          Rd[row] += c0;
          Rd[row + 1] += c1;
          Rd[row + 2] += c2;
          Rd[row + 3] += c3;
          Rd[row + V] += e0;
          Rd[row + V + 1] += e1;
          Rd[row + V + 2] += e2;
          Rd[row + V + 3] += e3;
        }
        for (; b < V; b++) {
          const xb = b * T - d;
          let c = 0;
          let e = 0;
          for (let s = lo; s < s1; s++) {
            const y = x[xb + s];
            c += x[xa + s] * y;
            e += x[xa1 + s] * y;
          }
          Rd[a * V + b] += c;
          Rd[(a + 1) * V + b] += e;
        }
      }
      for (; a < V; a++) {
        const xa = a * T;
        for (let b = d === 0 ? a : 0; b < V; b++) {
          const xb = b * T - d;
          let c = 0;
          for (let s = lo; s < s1; s++) c += x[xa + s] * x[xb + s];
          Rd[a * V + b] += c;
        }
      }
    }
    onFraction?.(s1 / T);
  }
  const R0 = R[0];
  for (let a = 0; a < V; a++) for (let b = 0; b < a; b++) R0[a * V + b] = R0[b * V + a];
  return { R, sums };
}

/**
 * Augmented Gram matrix `Zᵀ Z` of the VAR(q) design on the window t = start .. T-1, where
 * `Z = [1, x(t-1), ..., x(t-q), x(t)]` (intercept, q lag blocks of V columns, then the V
 * responses): size D = 1 + (q + 1) V, row-major.
 */
export function gramFromCrossProducts(
  x: Float64Array,
  V: number,
  T: number,
  R: Float64Array[],
  sums: Float64Array,
  q: number,
  start: number,
): Float64Array {
  const D = 1 + (q + 1) * V;
  const G = new Float64Array(D * D);
  const col = (k: number, a: number): number => (k === 0 ? 1 + q * V + a : 1 + (k - 1) * V + a);
  G[0] = T - start;
  // intercept row: Σ_{t=start}^{T-1} x_a(t - k)
  for (let k = 0; k <= q; k++)
    for (let a = 0; a < V; a++) {
      const off = a * T;
      let s = sums[a];
      for (let u = 0; u < start - k; u++) s -= x[off + u];
      for (let u = T - k; u < T; u++) s -= x[off + u];
      const j = col(k, a);
      G[j] = s;
      G[j * D] = s;
    }
  // Σ_{t=start}^{T-1} x_a(t - k1) x_b(t - k2), k1 <= k2, d = k2 - k1: R_d minus the rows outside the window
  for (let k1 = 0; k1 <= q; k1++)
    for (let k2 = k1; k2 <= q; k2++) {
      const d = k2 - k1;
      const Rd = R[d];
      for (let a = 0; a < V; a++) {
        const xa = a * T;
        const i = col(k1, a);
        for (let b = 0; b < V; b++) {
          const xb = b * T - d;
          let s = Rd[a * V + b];
          for (let u = d; u < start - k1; u++) s -= x[xa + u] * x[xb + u];
          for (let u = T - k1; u < T; u++) s -= x[xa + u] * x[xb + u];
          const j = col(k2, b);
          G[i * D + j] = s;
          G[j * D + i] = s;
        }
      }
    }
  return G;
}

/** Unrestricted OLS of every equation of a VAR(q) from the augmented Gram (`[D, D]`). */
export function solveFromGram(G: Float64Array, D: number, K: number, yOffset: number, V: number) {
  // Gxx: [K, K] regressors; Gxy: [K, V] cross-products with the responses
  const Gxx = new Float64Array(K * K);
  const B = new Float64Array(K * V);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) Gxx[i * K + j] = G[i * D + j];
    for (let e = 0; e < V; e++) B[i * V + e] = G[i * D + yOffset + e];
  }
  const Gxy = Float64Array.from(B);
  const { L, ridge } = choleskyWithJitter(Gxx, K);
  choleskySolveInPlace(L, K, B, V); // B = Gxx⁻¹ Gxy, [K, V]
  // residual cross-products S = Gyy - Gxyᵀ B, [V, V]
  const S = new Float64Array(V * V);
  for (let e = 0; e < V; e++)
    for (let f = e; f < V; f++) {
      let s = G[(yOffset + e) * D + yOffset + f];
      for (let i = 0; i < K; i++) s -= Gxy[i * V + e] * B[i * V + f];
      S[e * V + f] = s;
      S[f * V + e] = s;
    }
  return { L, B, S, ridge };
}

/**
 * Column-major z-scored copy `x` (`[V, T]`) of a series, with the per-variable `mean` and
 * population `sd` (`[V]`) over its present cells; missing cells (`series.mask`) become 0 in `x`
 * (no selected lagged window uses them). A non-finite value not masked, or a constant variable,
 * is an InputError.
 */
export function zscoreColumns(series: TimeSeries): { x: Float64Array; mean: Float64Array; sd: Float64Array } {
  const { length: T, data, mask } = series;
  const V = series.variables.length;
  // z-score into column-major [V, T]; row-major passes over the input (cache friendly)
  const mean = new Float64Array(V);
  const sd = new Float64Array(V);
  const count = new Float64Array(V).fill(T); // present cells per variable
  for (let t = 0; t < T; t++) {
    const row = t * V;
    for (let a = 0; a < V; a++) {
      const v = data[row + a];
      if (!Number.isFinite(v)) {
        if (mask && mask[row + a] !== 0) {
          count[a]--;
          continue;
        }
        throw new InputError(`variable "${series.variables[a]}" has a non-finite value at row ${t}`);
      }
      mean[a] += v;
    }
  }
  for (let a = 0; a < V; a++) mean[a] /= count[a];
  for (let t = 0; t < T; t++) {
    const row = t * V;
    for (let a = 0; a < V; a++) if (!(mask && mask[row + a] !== 0)) sd[a] += (data[row + a] - mean[a]) ** 2;
  }
  const inv = new Float64Array(V);
  for (let a = 0; a < V; a++) {
    sd[a] = Math.sqrt(sd[a] / count[a]);
    if (!(sd[a] > 1e-12 * Math.max(1, Math.abs(mean[a]))))
      throw new InputError(
        sd[a] > 0
          ? `variable "${series.variables[a]}" varies only in its last digits (sd ${sd[a].toPrecision(2)} around a mean of ${mean[a].toPrecision(3)}, below 1e-12 of it); a VAR cannot use it: subtract the offset before saving the data, or drop the variable`
          : `variable "${series.variables[a]}" is constant; a VAR cannot use it`,
      );
    inv[a] = 1 / sd[a];
  }
  const x = new Float64Array(V * T);
  const TILE = 256; // transpose in time tiles so both sides stay in cache
  for (let t0 = 0; t0 < T; t0 += TILE) {
    const t1 = Math.min(T, t0 + TILE);
    for (let a = 0; a < V; a++) {
      const off = a * T;
      const m = mean[a];
      const k = inv[a];
      for (let t = t0; t < t1; t++) x[off + t] = (data[t * V + a] - m) * k;
    }
  }
  if (mask) for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) x[(i % V) * T + Math.floor(i / V)] = 0;
  return { x, mean, sd };
}

/**
 * Augmented Gram matrix `Zᵀ Z` of the VAR(q) design over the given target rows only (valid
 * lagged windows of several segments and around missing cells, from `validTargetRows`): the
 * same layout as `gramFromCrossProducts`, `Z = [1, x(t-1), ..., x(t-q), x(t)]` for t in `rows`,
 * D = 1 + (q + 1) V. `x` is `[V, T]` column-major. Cost O(|rows| D² / 2).
 */
export function gramFromRows(x: Float64Array, V: number, T: number, rows: Int32Array, q: number, signal?: AbortSignal): Float64Array {
  const D = 1 + (q + 1) * V;
  const G = new Float64Array(D * D);
  const z = new Float64Array(D); // one design row
  z[0] = 1;
  for (let i = 0; i < rows.length; i++) {
    if (i % CHUNK === 0) throwIfAborted(signal);
    const t = rows[i];
    for (let a = 0; a < V; a++) {
      for (let k = 1; k <= q; k++) z[1 + (k - 1) * V + a] = x[a * T + t - k];
      z[1 + q * V + a] = x[a * T + t];
    }
    for (let r = 0; r < D; r++) {
      const zr = z[r];
      const off = r * D;
      for (let c = r; c < D; c++) G[off + c] += zr * z[c];
    }
  }
  for (let r = 0; r < D; r++) for (let c = 0; c < r; c++) G[r * D + c] = G[c * D + r];
  return G;
}
