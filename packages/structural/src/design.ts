/**
 * The lagged design both methods regress on: for each target row t, the block
 * z_t = [x(t), x(t-1), ..., x(t-p)] (`(p + 1) V` columns, lag-major), stacked over the rows whose
 * window stays inside one recording and touches no missing cell (core's `validTargetRows`).
 */
import { InputError, powerOfTwoRescale, type TimeSeries } from "@causeway/core";

/**
 * Row-major `[T, V]` values with each variable z-scored over its non-missing cells (NaN stays NaN).
 * The moments are taken on core's `powerOfTwoRescale`d columns (exact), so data at 1e300 (whose
 * squares overflow) or 1e-300 (whose squares underflow) standardises as at unit scale.
 */
export function zscoreData(series: TimeSeries): Float64Array {
  const V = series.variables.length;
  const T = series.length;
  const data = powerOfTwoRescale(series).series.data; // [T, V]
  const out = new Float64Array(T * V);
  for (let v = 0; v < V; v++) {
    let n = 0;
    let mean = 0;
    for (let t = 0; t < T; t++) {
      const x = data[t * V + v];
      if (!Number.isNaN(x)) [n, mean] = [n + 1, mean + (x - mean) / (n + 1)];
    }
    let ss = 0;
    for (let t = 0; t < T; t++) {
      const x = data[t * V + v];
      if (!Number.isNaN(x)) ss += (x - mean) ** 2;
    }
    const sd = Math.sqrt(ss / Math.max(n - 1, 1));
    if (!(sd > 0)) throw new InputError(`variable "${series.variables[v]}" is constant; drop it before running a structural VAR`);
    for (let t = 0; t < T; t++) out[t * V + v] = (data[t * V + v] - mean) / sd;
  }
  return out;
}

/** Cross-products of the stacked lagged design `z_t = [x(t), x(t-1), ..., x(t-p)]`. */
export interface LaggedCrossProducts {
  /** Side of the design: (p + 1) V. */
  D: number;
  /** Rows stacked. */
  n: number;
  /** `[D]` column means. */
  mean: Float64Array;
  /** `[D, D]` raw cross-products Σ_t z_t z_tᵀ. */
  raw: Float64Array;
  /** `[D, D]` centred cross-products Σ_t (z_t - mean)(z_t - mean)ᵀ (two-pass). */
  centred: Float64Array;
}

/** Cross-products of `[x(t), x(t-1), ..., x(t-p)]` over `rows` of row-major `x` `[T, V]`. Cost O(n D²). */
export function laggedCrossProducts(x: Float64Array, V: number, p: number, rows: Int32Array): LaggedCrossProducts {
  const D = (p + 1) * V;
  const n = rows.length;
  const z = new Float64Array(D);
  const fill = (t: number): void => {
    for (let l = 0; l <= p; l++) for (let v = 0; v < V; v++) z[l * V + v] = x[(t - l) * V + v];
  };
  const mean = new Float64Array(D);
  for (const t of rows) {
    fill(t);
    for (let a = 0; a < D; a++) mean[a] += z[a];
  }
  for (let a = 0; a < D; a++) mean[a] /= n;
  const raw = new Float64Array(D * D);
  const centred = new Float64Array(D * D);
  for (const t of rows) {
    fill(t);
    for (let a = 0; a < D; a++) {
      const za = z[a];
      const ca = za - mean[a];
      for (let b = 0; b <= a; b++) {
        raw[a * D + b] += za * z[b];
        centred[a * D + b] += ca * (z[b] - mean[b]);
      }
    }
  }
  for (let a = 0; a < D; a++)
    for (let b = 0; b < a; b++) {
      raw[b * D + a] = raw[a * D + b];
      centred[b * D + a] = centred[a * D + b];
    }
  return { D, n, mean, raw, centred };
}

/** The `[k, k]` sub-matrix of a `[D, D]` matrix on the index list `idx`. */
export function subMatrix(m: Float64Array, D: number, idx: readonly number[]): Float64Array {
  const k = idx.length;
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] = m[idx[i] * D + idx[j]];
  return out;
}
