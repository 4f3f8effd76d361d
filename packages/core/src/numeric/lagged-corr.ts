import { throwIfAborted } from "../errors.js";

/**
 * Signed lagged Pearson cross-correlations `r = corr(x_c(t - l), x_e(t))` of a row-major
 * `[T, V]` series over the target rows t = maxLag .. T-1 (the same n = T - maxLag rows at every
 * lag, so values compare across lags), for every effect e, cause c and lag 1..maxLag. Each one is
 * handed to `emit(e, c, l, r)`, lags in the outer loop; `r` is not clamped (rounding can take
 * it a hair past ±1) and is 0 where a window is constant. The one copy behind core's `corr`
 * method (`laggedCorrelation`: `min(1, |r|)`) and the LCM's injected correlations (signed).
 *
 * @example laggedPearson(series.data, T, V, 3, (e, c, l, r) => (out[(e * V + c) * 3 + l - 1] = r));
 */
export function laggedPearson(
  data: ArrayLike<number>,
  T: number,
  V: number,
  maxLag: number,
  emit: (effect: number, cause: number, lag: number, r: number) => void,
  signal?: AbortSignal,
): void {
  const n = T - maxLag; // samples per pair
  // Centred and unit-norm copy `[n]` of column v over the rows [start, start + n).
  const window = (v: number, start: number): Float64Array => {
    const out = new Float64Array(n);
    let mean = 0;
    for (let t = 0; t < n; t++) mean += data[(start + t) * V + v];
    mean /= n;
    let ss = 0;
    for (let t = 0; t < n; t++) {
      const d = data[(start + t) * V + v] - mean;
      out[t] = d;
      ss += d * d;
    }
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let t = 0; t < n; t++) out[t] *= inv;
    return out;
  };
  const effects = Array.from({ length: V }, (_, v) => window(v, maxLag)); // V x [n]
  for (let l = 1; l <= maxLag; l++) {
    throwIfAborted(signal);
    for (let c = 0; c < V; c++) {
      const cause = window(c, maxLag - l);
      for (let e = 0; e < V; e++) {
        const eff = effects[e];
        let r = 0;
        for (let t = 0; t < n; t++) r += cause[t] * eff[t];
        emit(e, c, l, r);
      }
    }
  }
}
