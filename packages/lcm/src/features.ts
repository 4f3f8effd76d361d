import { InputError, Rng } from "@causeway/core";

/** Standard deviation of the N(0, 0.01) padding noise (variance 0.01). */
export const PAD_STD = 0.1;

/** One model input: a padded window and its correlation features. */
export interface LcmInput {
  /** `[lMax, vMax]` row-major, min-max normalised, padded with N(0, 0.01) noise. */
  x: Float32Array;
  /** `[vMax, vMax, maxLag]` signed lagged Pearson correlations `corr(x_cause(t-l), x_effect(t))`, 0 on padding. */
  corr: Float32Array;
}

/**
 * Min-max normalisation of each variable to [0, 1] (the paper's per-variable scaling); a
 * constant column becomes 0.5.
 *
 * @param data `[T, V]` row-major
 * @returns `[T, V]` row-major, float32
 */
export function minMaxNormalize(data: ArrayLike<number>, T: number, V: number): Float32Array {
  const out = new Float32Array(T * V);
  for (let v = 0; v < V; v++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let t = 0; t < T; t++) {
      const x = data[t * V + v];
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    const span = hi - lo;
    for (let t = 0; t < T; t++) out[t * V + v] = span > 0 ? (data[t * V + v] - lo) / span : 0.5;
  }
  return out;
}

/**
 * Signed lagged Pearson cross-correlations `r[e][c][l-1] = corr(x_c(t - l), x_e(t))` over
 * t = maxLag .. T-1 (one window for every lag, as `corr` in @causeway/core), written into a
 * `[vMax, vMax, maxLag]` buffer for the first V variables.
 *
 * @param data `[T, V]` row-major
 */
export function laggedCrossCorrelation(data: ArrayLike<number>, T: number, V: number, maxLag: number, vMax = V): Float32Array {
  const out = new Float32Array(vMax * vMax * maxLag);
  const n = T - maxLag;
  if (n < 2) return out;
  // Centred, unit-norm copy of column v over rows [start, start + n).
  const unit = (v: number, start: number): Float64Array => {
    const w = new Float64Array(n);
    let mean = 0;
    for (let t = 0; t < n; t++) mean += data[(start + t) * V + v];
    mean /= n;
    let ss = 0;
    for (let t = 0; t < n; t++) {
      const d = data[(start + t) * V + v] - mean;
      w[t] = d;
      ss += d * d;
    }
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let t = 0; t < n; t++) w[t] *= inv;
    return w;
  };
  const effects = Array.from({ length: V }, (_, v) => unit(v, maxLag));
  for (let l = 1; l <= maxLag; l++) {
    for (let c = 0; c < V; c++) {
      const cause = unit(c, maxLag - l);
      for (let e = 0; e < V; e++) {
        const eff = effects[e];
        let r = 0;
        for (let t = 0; t < n; t++) r += cause[t] * eff[t];
        out[(e * vMax + c) * maxLag + (l - 1)] = Math.max(-1, Math.min(1, r));
      }
    }
  }
  return out;
}

/**
 * Builds one model input from a series `[T, V]` (at most vMax variables of it, see `order`): min-max normalises each variable
 * over the whole series, computes the correlation features on the whole series, and takes the
 * window of `lMax` steps starting at `start` (default: the last lMax steps), padded to
 * `[lMax, vMax]`. Real rows sit at the END of the window (the summary token is the last one);
 * the first `lMax - T` rows of a shorter series and the columns `V..vMax-1` are N(0, 0.01) noise.
 * `order` (distinct indices into 0..V-1, at most vMax) places variable `order[i]` in slot i (a
 * subset for V > vMax, a permutation for test-time augmentation); `corr` reuses features computed once.
 */
export function buildInput(
  data: ArrayLike<number>,
  T: number,
  V: number,
  arch: { lMax: number; vMax: number; maxLag: number },
  rng: Rng,
  options: { start?: number; order?: readonly number[]; corr?: Float32Array } = {},
): LcmInput {
  const { lMax, vMax, maxLag } = arch;
  const order = options.order ?? Array.from({ length: V }, (_, i) => i);
  const n = order.length;
  if (n > vMax) throw new InputError(`lcm: ${n} variables in one window, more than vMax = ${vMax}`);
  if (T < maxLag + 2) throw new InputError(`lcm: a series needs at least maxLag + 2 = ${maxLag + 2} steps, got ${T}`);
  const norm = minMaxNormalize(data, T, V);
  let corr = options.corr;
  if (!corr) {
    const full = laggedCrossCorrelation(norm, T, V, maxLag, V); // [V, V, maxLag]
    corr = new Float32Array(vMax * vMax * maxLag);
    for (let e = 0; e < n; e++) {
      for (let c = 0; c < n; c++) {
        for (let l = 0; l < maxLag; l++) corr[(e * vMax + c) * maxLag + l] = full[(order[e] * V + order[c]) * maxLag + l];
      }
    }
  }
  const x = new Float32Array(lMax * vMax);
  for (let i = 0; i < x.length; i++) x[i] = PAD_STD * rng.normal();
  const len = Math.min(T, lMax);
  const start = options.start ?? T - len;
  const offset = lMax - len;
  for (let t = 0; t < len; t++) for (let v = 0; v < n; v++) x[(offset + t) * vMax + v] = norm[(start + t) * V + order[v]];
  return { x, corr };
}

/**
 * Start rows of the encoder windows for a series of length T. The correlation features always
 * cover the whole series; the encoder reads `windows` windows of lMax steps spread evenly from
 * the first to the last step (windows = 1: the last lMax steps) and their outputs are averaged.
 */
export function windowStarts(T: number, lMax: number, maxWindows: number): number[] {
  if (T <= lMax) return [0];
  const k = Math.max(1, Math.min(maxWindows, Math.ceil(T / lMax)));
  if (k === 1) return [T - lMax];
  return Array.from({ length: k }, (_, i) => Math.round((i * (T - lMax)) / (k - 1)));
}

/**
 * Variable subsets that cover every ordered pair of V variables with windows of at most vMax:
 * the variables are split into G = ceil(V / floor(vMax / 2)) groups and every pair of groups
 * forms one subset, so V > vMax costs G (G - 1) / 2 forward passes (V <= vMax: one).
 */
export function coveringSubsets(V: number, vMax: number): number[][] {
  if (V <= vMax) return [Array.from({ length: V }, (_, i) => i)];
  const size = Math.floor(vMax / 2);
  const groups: number[][] = [];
  for (let s = 0; s < V; s += size) groups.push(Array.from({ length: Math.min(size, V - s) }, (_, i) => s + i));
  const out: number[][] = [];
  for (let a = 0; a < groups.length; a++) for (let b = a + 1; b < groups.length; b++) out.push([...groups[a], ...groups[b]]);
  return out;
}
