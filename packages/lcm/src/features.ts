import { InputError, laggedPearson, type Rng } from "@causeway/core";
import { varGranger } from "@causeway/granger";

/** Standard deviation of the N(0, 0.01) padding noise (variance 0.01). */
export const PAD_STD = 0.1;

/** One model input: a padded window and its injected statistics. */
export interface LcmInput {
  /** `[lMax, vMax]` row-major, min-max normalised, padded with N(0, 0.01) noise. */
  x: Float32Array;
  /** `[vMax, vMax, maxLag]` signed lagged Pearson correlations `corr(x_cause(t-l), x_effect(t))`, 0 on padding. */
  corr: Float32Array;
  /** `[vMax, vMax, maxLag]` signed lagged partial correlations (see `laggedPartialCorrelation`), 0 on padding. */
  pcorr: Float32Array;
  /** Residual degrees of freedom of the VAR fit behind `pcorr` (0 when it could not be fitted). */
  df: number;
}

/** The statistics a model reads besides the window (what `LcmModel.forward` takes). */
export interface LcmFeatures {
  /** `[lMax, vMax]` */
  x: Float32Array;
  /** `[S * vMax * vMax * maxLag]`: corr, then pcorr when the architecture injects it. */
  stats: Float32Array;
  /** `[vMax * vMax * maxLag, EDGE_FEATURES + maxLag]` per-entry features, empty without an edge head. */
  edge: Float32Array;
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
 * t = maxLag .. T-1 (core's `laggedPearson`, the same numbers as the `corr` method before its
 * absolute value), clamped to [-1, 1] and written into a `[vMax, vMax, maxLag]` buffer for the
 * first V variables; all zeros when fewer than 2 rows remain.
 *
 * @param data `[T, V]` row-major
 */
export function laggedCrossCorrelation(data: ArrayLike<number>, T: number, V: number, maxLag: number, vMax = V): Float32Array {
  const out = new Float32Array(vMax * vMax * maxLag);
  if (T - maxLag < 2) return out;
  laggedPearson(data, T, V, maxLag, (e, c, l, r) => (out[(e * vMax + c) * maxLag + (l - 1)] = Math.max(-1, Math.min(1, r))));
  return out;
}

/**
 * Signed lagged partial correlations `p[e][c][l-1]`: the partial correlation of `x_c(t - l)` and
 * `x_e(t)` given every other regressor of a VAR(maxLag) OLS fit of `x_e` (all variables' lags
 * 1..maxLag and an intercept), from the coefficient's t statistic, `t / sqrt(t^2 + df)` (Greene,
 * Econometric Analysis, Sec. 3.4). The conditional counterpart of `laggedCrossCorrelation`: it
 * separates direct causes from variables that are only correlated through them. All zeros (and
 * df 0) when the series is too short for the fit (T - maxLag <= 1 + maxLag V) or a column is constant.
 *
 * @param data `[T, V]` row-major @returns `[vMax, vMax, maxLag]` and the residual degrees of freedom
 */
export function laggedPartialCorrelation(data: ArrayLike<number>, T: number, V: number, maxLag: number, vMax = V): { pcorr: Float32Array; df: number } {
  const pcorr = new Float32Array(vMax * vMax * maxLag);
  if (T - maxLag <= 1 + maxLag * V + 1) return { pcorr, df: 0 };
  let fit: ReturnType<typeof varGranger>;
  try {
    fit = varGranger({ variables: Array.from({ length: V }, (_, i) => `x${i}`), length: T, data: data instanceof Float64Array ? data : Float64Array.from(data) }, { maxLag });
  } catch (e) {
    if (e instanceof InputError) return { pcorr, df: 0 };
    throw e;
  }
  const df = fit.dfResid;
  for (let e = 0; e < V; e++)
    for (let c = 0; c < V; c++)
      for (let l = 0; l < maxLag; l++) {
        const t = fit.tStats[(e * V + c) * maxLag + l];
        pcorr[(e * vMax + c) * maxLag + l] = Number.isFinite(t) ? t / Math.sqrt(t * t + df) : 0;
      }
  return { pcorr, df };
}

/** Per-entry features before the lag one-hot (see `edgeFeatures`). */
export const EDGE_FEATURES = 12;

/**
 * Per-entry features `[vMax * vMax * maxLag, EDGE_FEATURES + maxLag]` for the shared edge MLP, for
 * entry (effect e, cause c, lag l) of the first `n` slots: corr, |corr|, pcorr, |pcorr|, the
 * reverse direction's |corr| and |pcorr| at the same lag, the pair's largest |corr| and |pcorr|
 * over lags, |pcorr| relative to the effect's strongest cause, a significance
 * `log(1 + |pcorr| sqrt(df)) / 3`, a self-pair flag, a real-entry flag, then the lag one-hot.
 * Padded entries are all zero.
 */
export function edgeFeatures(corr: Float32Array, pcorr: Float32Array, df: number, n: number, vMax: number, maxLag: number): Float32Array {
  const F = EDGE_FEATURES + maxLag;
  const out = new Float32Array(vMax * vMax * maxLag * F);
  const at = (a: Float32Array, e: number, c: number, l: number) => a[(e * vMax + c) * maxLag + l];
  const sqrtDf = Math.sqrt(Math.max(0, df));
  for (let e = 0; e < n; e++) {
    let rowMax = 0;
    for (let c = 0; c < n; c++) for (let l = 0; l < maxLag; l++) rowMax = Math.max(rowMax, Math.abs(at(pcorr, e, c, l)));
    for (let c = 0; c < n; c++) {
      let maxCorr = 0;
      let maxP = 0;
      for (let l = 0; l < maxLag; l++) {
        maxCorr = Math.max(maxCorr, Math.abs(at(corr, e, c, l)));
        maxP = Math.max(maxP, Math.abs(at(pcorr, e, c, l)));
      }
      for (let l = 0; l < maxLag; l++) {
        const f = out.subarray(((e * vMax + c) * maxLag + l) * F, ((e * vMax + c) * maxLag + l + 1) * F);
        const r = at(corr, e, c, l);
        const p = at(pcorr, e, c, l);
        f[0] = r;
        f[1] = Math.abs(r);
        f[2] = p;
        f[3] = Math.abs(p);
        f[4] = Math.abs(at(corr, c, e, l));
        f[5] = Math.abs(at(pcorr, c, e, l));
        f[6] = maxCorr;
        f[7] = maxP;
        f[8] = rowMax > 0 ? Math.abs(p) / rowMax : 0;
        f[9] = Math.log1p(Math.abs(p) * sqrtDf) / 3;
        f[10] = e === c ? 1 : 0;
        f[11] = 1;
        f[EDGE_FEATURES + l] = 1;
      }
    }
  }
  return out;
}

/** Concatenates an input's injected statistics and builds its edge features, as `arch` asks. */
export function modelFeatures(
  input: LcmInput,
  n: number,
  arch: { vMax: number; maxLag: number; partialCorrInjection: boolean; edgeHidden: number },
): LcmFeatures {
  const stats = arch.partialCorrInjection ? new Float32Array(input.corr.length * 2) : input.corr;
  if (arch.partialCorrInjection) {
    stats.set(input.corr, 0);
    stats.set(input.pcorr, input.corr.length);
  }
  const pcorr = arch.partialCorrInjection ? input.pcorr : new Float32Array(input.pcorr.length);
  const edge = arch.edgeHidden > 0 ? edgeFeatures(input.corr, pcorr, arch.partialCorrInjection ? input.df : 0, n, arch.vMax, arch.maxLag) : new Float32Array(0);
  return { x: input.x, stats, edge };
}

/** Copies the `[V, V, maxLag]` block of a full statistics tensor for the variables `order` into `[vMax, vMax, maxLag]` slots. */
export function selectBlock(full: Float32Array, V: number, order: readonly number[], vMax: number, maxLag: number): Float32Array {
  const out = new Float32Array(vMax * vMax * maxLag);
  const n = order.length;
  for (let e = 0; e < n; e++)
    for (let c = 0; c < n; c++)
      for (let l = 0; l < maxLag; l++) out[(e * vMax + c) * maxLag + l] = full[(order[e] * V + order[c]) * maxLag + l];
  return out;
}

/** Columns `order` of a `[T, V]` series as a `[T, order.length]` series. */
export function selectColumns(data: ArrayLike<number>, T: number, V: number, order: readonly number[]): Float64Array {
  const n = order.length;
  const out = new Float64Array(T * n);
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) out[t * n + i] = data[t * V + order[i]];
  return out;
}

/**
 * Builds one model input from a series `[T, V]` (at most vMax variables of it, see `order`): min-max normalises each variable
 * over the whole series, computes the correlation features on the whole series, and takes the
 * window of `lMax` steps starting at `start` (default: the last lMax steps), padded to
 * `[lMax, vMax]`. Real rows sit at the END of the window (the summary token is the last one);
 * the first `lMax - T` rows of a shorter series and the columns `V..vMax-1` are N(0, 0.01) noise.
 * `order` (distinct indices into 0..V-1, at most vMax) places variable `order[i]` in slot i (a
 * subset for V > vMax, a permutation for test-time augmentation). The partial correlations
 * condition on the variables in `order` only. `stats` reuses statistics computed once, laid out
 * in slots already (`corr`, `pcorr`, `df`).
 */
export function buildInput(
  data: ArrayLike<number>,
  T: number,
  V: number,
  arch: { lMax: number; vMax: number; maxLag: number },
  rng: Rng,
  options: { start?: number; order?: readonly number[]; stats?: Pick<LcmInput, "corr" | "pcorr" | "df"> } = {},
): LcmInput {
  const { lMax, vMax, maxLag } = arch;
  const order = options.order ?? Array.from({ length: V }, (_, i) => i);
  const n = order.length;
  if (n > vMax) throw new InputError(`lcm: ${n} variables in one window, more than vMax = ${vMax}`);
  if (T < maxLag + 2) throw new InputError(`lcm: a series needs at least maxLag + 2 = ${maxLag + 2} steps, got ${T}`);
  const norm = minMaxNormalize(data, T, V);
  const stats = options.stats ?? slotStatistics(norm, T, V, order, vMax, maxLag);
  const x = new Float32Array(lMax * vMax);
  for (let i = 0; i < x.length; i++) x[i] = PAD_STD * rng.normal();
  const len = Math.min(T, lMax);
  const start = options.start ?? T - len;
  const offset = lMax - len;
  for (let t = 0; t < len; t++) for (let v = 0; v < n; v++) x[(offset + t) * vMax + v] = norm[(start + t) * V + order[v]];
  return { x, corr: stats.corr, pcorr: stats.pcorr, df: stats.df };
}

/**
 * The injected statistics of the variables `order` of a normalised `[T, V]` series, in slots:
 * cross-correlations (pairwise, so taken from the whole series' tensor) and partial correlations
 * (conditioned on the variables in `order`).
 */
export function slotStatistics(norm: ArrayLike<number>, T: number, V: number, order: readonly number[], vMax: number, maxLag: number): Pick<LcmInput, "corr" | "pcorr" | "df"> {
  const corr = selectBlock(laggedCrossCorrelation(norm, T, V, maxLag, V), V, order, vMax, maxLag);
  const { pcorr, df } = laggedPartialCorrelation(selectColumns(norm, T, V, order), T, order.length, maxLag, vMax);
  return { corr, pcorr, df };
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
