// Normalisation, sliding windows and small series helpers. Every function returns a new series.
import { InputError } from "./errors.js";
import type { GraphWarning, TimeSeries } from "./types.js";

/** A rescaled series and the per-variable affine map used: `scaled = (x - offset) / scale`. */
export interface Scaled {
  series: TimeSeries;
  /** [V] */
  offset: Float64Array;
  /** [V], never 0 */
  scale: Float64Array;
}

function copyMeta(series: TimeSeries, data: Float64Array, length = series.length, time = series.time): TimeSeries {
  const out: TimeSeries = { variables: [...series.variables], length, data };
  if (time !== undefined) out.time = [...time];
  // same rows: the recordings and the missing cells stay as they are
  if (length === series.length) {
    if (series.segments !== undefined) out.segments = [...series.segments];
    if (series.segmentNames !== undefined) out.segmentNames = [...series.segmentNames];
    if (series.mask !== undefined) out.mask = series.mask.slice();
  }
  return out;
}

/** `(x - offset) / scale` per column, into a new series. */
function affine(series: TimeSeries, offset: Float64Array, scale: Float64Array): TimeSeries {
  const V = series.variables.length;
  const src = series.data;
  const out = new Float64Array(src.length); // [T, V]
  for (let t = 0; t < series.length; t++)
    for (let v = 0; v < V; v++) out[t * V + v] = (src[t * V + v] - offset[v]) / scale[v];
  return copyMeta(series, out);
}

function constantColumn(series: TimeSeries, v: number, how: string): never {
  throw new InputError(`cannot ${how}: column "${series.variables[v]}" (#${v + 1}) is constant (${series.data[v]} in all ${series.length} rows)`, {
    column: series.variables[v],
  });
}

/** Largest |x| per column `[V]`. */
function maxAbsPerColumn(series: TimeSeries): Float64Array {
  const V = series.variables.length;
  const out = new Float64Array(V);
  for (let i = 0; i < series.data.length; i++) {
    const a = Math.abs(series.data[i]);
    if (a > out[i % V]) out[i % V] = a;
  }
  return out;
}

/** 2^e with 2^e <= m < 2^(e+1) (m > 0 finite): dividing by a power of two is exact, so it changes no digit. */
function powerOfTwoBelow(m: number): number {
  if (!(m > 0)) return 1;
  return Math.pow(2, Math.max(-1074, Math.min(1023, Math.floor(Math.log2(m)))));
}

/**
 * Each column divided by a power of two near its largest |x| (so its largest |x| lies in [1, 2)).
 * Dividing by a power of two is exact: scale-invariant methods (correlations, F-tests) call it so
 * that data at 1e300 or 1e-300 neither overflows nor underflows, and moderate data gives bit for
 * bit the same results. A column of zeros is left as it is.
 *
 * @example const { series: safe } = powerOfTwoRescale(series);
 */
export function powerOfTwoRescale(series: TimeSeries): { series: TimeSeries; factor: Float64Array } {
  const V = series.variables.length;
  const factor = maxAbsPerColumn(series).map(powerOfTwoBelow); // [V]
  const out = new Float64Array(series.data.length); // [T, V]
  for (let i = 0; i < out.length; i++) out[i] = series.data[i] / factor[i % V];
  return { series: copyMeta(series, out), factor };
}

/**
 * Mean and population std per column `[V]` of the columns divided by `pre` (the factors of
 * `powerOfTwoRescale`, applied on the fly: no copy of the data).
 */
function moments(series: TimeSeries): { mean: Float64Array; std: Float64Array; pre: Float64Array } {
  const V = series.variables.length;
  const T = series.length;
  const { data } = series; // [T, V]
  const pre = maxAbsPerColumn(series).map(powerOfTwoBelow); // [V]
  const mean = new Float64Array(V);
  const std = new Float64Array(V);
  // Mean via deviations from the first row (shifted data: no cancellation for large offsets).
  for (let t = 1; t < T; t++) for (let v = 0; v < V; v++) mean[v] += data[t * V + v] / pre[v] - data[v] / pre[v];
  for (let v = 0; v < V; v++) mean[v] = data[v] / pre[v] + mean[v] / T;
  // Two-pass variance (numerically stable for large means).
  for (let t = 0; t < T; t++)
    for (let v = 0; v < V; v++) {
      const d = data[t * V + v] / pre[v] - mean[v];
      std[v] += d * d;
    }
  for (let v = 0; v < V; v++) std[v] = Math.sqrt(std[v] / T);
  return { mean, std, pre };
}

/**
 * Z-score each variable: mean 0 and (population, divide-by-T) standard deviation 1.
 * A constant column is an `InputError` naming it. Computed on `powerOfTwoRescale`d columns, so
 * values up to the float64 limit (1e300, whose squares overflow) and down to 1e-300 standardise
 * without overflow or underflow, and moderate data gets bit for bit the same result as without.
 *
 * @example const { series: z, offset: mean, scale: std } = zscore(series);
 */
export function zscore(series: TimeSeries): Scaled {
  const V = series.variables.length;
  const T = series.length;
  const { data } = series;
  if (T < 2) throw new InputError(`cannot z-score a series with ${T} row(s)`);
  const { mean, std, pre } = moments(series);
  for (let v = 0; v < V; v++) {
    // Exact test: rounding in the mean can leave a tiny non-zero std on a constant column.
    let t = 1;
    while (t < T && data[t * V + v] === data[v]) t++;
    if (t === T) constantColumn(series, v, "z-score");
  }
  const z = new Float64Array(data.length); // [T, V]
  for (let t = 0; t < T; t++) for (let v = 0; v < V; v++) z[t * V + v] = (data[t * V + v] / pre[v] - mean[v]) / std[v];
  for (let v = 0; v < V; v++) {
    mean[v] *= pre[v];
    std[v] *= pre[v];
  }
  return { series: copyMeta(series, z), offset: mean, scale: std };
}

/**
 * Population standard deviation per column `[V]` over its finite cells (missing cells, NaN, are
 * skipped), on `powerOfTwoRescale`d values so that any finite magnitude neither overflows nor
 * underflows; NaN for a column with no finite cell.
 */
function presentStd(series: TimeSeries): Float64Array {
  const V = series.variables.length;
  const { data } = series; // [T, V]
  const pre = maxAbsPerColumn(series).map(powerOfTwoBelow); // [V]
  const count = new Float64Array(V);
  const mean = new Float64Array(V);
  for (let i = 0; i < data.length; i++)
    if (Number.isFinite(data[i])) {
      mean[i % V] += data[i] / pre[i % V];
      count[i % V]++;
    }
  for (let v = 0; v < V; v++) mean[v] /= count[v];
  const std = new Float64Array(V); // two-pass: stable for large means
  for (let i = 0; i < data.length; i++)
    if (Number.isFinite(data[i])) {
      const d = data[i] / pre[i % V] - mean[i % V];
      std[i % V] += d * d;
    }
  for (let v = 0; v < V; v++) std[v] = Math.sqrt(std[v] / count[v]) * pre[v];
  return std;
}

/** Magnitudes beyond which a `scale` warning is given: squares of |x| >= 1e150 overflow float64, of |x| <= 1e-150 underflow. */
export const EXTREME_MAGNITUDE = { above: 1e150, below: 1e-150 } as const;
/** A variable whose standard deviation is below this fraction of its largest |x| varies only in its last digits: `near_constant`. */
export const NEAR_CONSTANT_RATIO = 1e-10;

function names(series: TimeSeries, picks: number[]): string {
  const shown = picks.slice(0, 5).map((v) => series.variables[v]).join(", ");
  return picks.length > 5 ? `${shown} and ${picks.length - 5} more` : shown;
}

/**
 * What standardising a series could not vouch for (formats.md `warnings`): `scale` for variables
 * with extreme magnitudes (rescaled, never squared raw), `near_constant` for variables that vary
 * only in their last significant digits (standardising then amplifies rounding noise) or not at all.
 * Missing cells (NaN under `series.mask`) are skipped. `sd`: the per-variable standard deviations
 * `[V]` when already known (`zscore`'s `scale`).
 */
export function scaleWarnings(series: TimeSeries, sd?: Float64Array): GraphWarning[] {
  const V = series.variables.length;
  const maxAbs = maxAbsPerColumn(series);
  sd ??= presentStd(series);
  const extreme: number[] = [];
  const flat: number[] = [];
  for (let v = 0; v < V; v++) {
    if (maxAbs[v] >= EXTREME_MAGNITUDE.above || maxAbs[v] <= EXTREME_MAGNITUDE.below) extreme.push(v);
    if (sd[v] <= NEAR_CONSTANT_RATIO * maxAbs[v]) flat.push(v); // a constant column too (0 <= 0)
  }
  const warnings: GraphWarning[] = [];
  if (extreme.length > 0) {
    const largest = Math.max(...extreme.map((v) => maxAbs[v]));
    const smallest = Math.min(...extreme.map((v) => maxAbs[v]));
    warnings.push({
      code: "scale",
      message: `${names(series, extreme)}: magnitudes ${smallest.toExponential(1)} to ${largest.toExponential(1)} are beyond ${EXTREME_MAGNITUDE.below} .. ${EXTREME_MAGNITUDE.above} (where squares underflow or overflow float64); each variable was rescaled to magnitude ~1 before fitting`,
      variables: extreme.map((v) => series.variables[v]),
    });
  }
  if (flat.length > 0)
    warnings.push({
      code: "near_constant",
      message: `${names(series, flat)}: the standard deviation is below ${NEAR_CONSTANT_RATIO} of the largest value, so only the last digits vary; scores for these variables rest on rounding noise`,
      variables: flat.map((v) => series.variables[v]),
    });
  return warnings;
}

/** A z-scored series with the checks of `scaleWarnings`. */
export interface Standardized extends Scaled {
  warnings: GraphWarning[];
}

/**
 * What methods that are not scale-invariant fit on: `zscore` (robust to any finite magnitude)
 * plus `scaleWarnings` for the graph. A constant column is an `InputError` naming it.
 *
 * @example const { series: z, warnings } = standardize(series);
 */
export function standardize(series: TimeSeries): Standardized {
  const scaled = zscore(series);
  return { ...scaled, warnings: scaleWarnings(series, scaled.scale) };
}

/**
 * Min-max scale each variable to [0, 1]: `offset = min`, `scale = max - min`.
 * A constant column is an `InputError` naming it.
 *
 * @example const { series: unit } = minMax(series);
 */
export function minMax(series: TimeSeries): Scaled {
  const V = series.variables.length;
  const T = series.length;
  const { data } = series;
  if (T < 1) throw new InputError("cannot min-max scale an empty series");
  const lo = new Float64Array(V).fill(Infinity);
  const hi = new Float64Array(V).fill(-Infinity);
  for (let t = 0; t < T; t++)
    for (let v = 0; v < V; v++) {
      const x = data[t * V + v];
      if (x < lo[v]) lo[v] = x;
      if (x > hi[v]) hi[v] = x;
    }
  const range = new Float64Array(V);
  for (let v = 0; v < V; v++) {
    range[v] = hi[v] - lo[v];
    if (!(range[v] > 0)) constantColumn(series, v, "min-max scale");
  }
  return { series: affine(series, lo, range), offset: lo, scale: range };
}

/**
 * Rows `start <= t < end` (0-based, like `Array.prototype.slice` without negatives), as a new series.
 *
 * @example const train = sliceSeries(series, 0, 800);
 */
export function sliceSeries(series: TimeSeries, start: number, end: number = series.length): TimeSeries {
  const T = series.length;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > T || start >= end)
    throw new InputError(`slice [${start}, ${end}) must satisfy 0 <= start < end <= ${T} with whole numbers`);
  const V = series.variables.length;
  return copyMeta(series, series.data.slice(start * V, end * V), end - start, series.time?.slice(start, end));
}

/**
 * A new series with only the named variables, in the order given.
 *
 * @example const xy = selectVariables(series, ["x", "y"]);
 */
export function selectVariables(series: TimeSeries, names: string[]): TimeSeries {
  const V = series.variables.length;
  const index = new Map(series.variables.map((n, i) => [n, i]));
  if (names.length === 0) throw new InputError("select at least one variable");
  const picks = names.map((n) => {
    const i = index.get(n);
    if (i === undefined) throw new InputError(`unknown variable "${n}"; the series has ${series.variables.join(", ")}`, { column: n });
    return i;
  });
  if (new Set(picks).size !== picks.length) throw new InputError(`a variable is selected twice: ${names.join(", ")}`);
  const W = picks.length;
  const T = series.length;
  const out = new Float64Array(T * W); // [T, W]
  for (let t = 0; t < T; t++) for (let k = 0; k < W; k++) out[t * W + k] = series.data[t * V + picks[k]];
  const result: TimeSeries = { variables: [...names], length: T, data: out };
  if (series.time !== undefined) result.time = [...series.time];
  return result;
}

/**
 * Builds a series from one array per variable (all the same length, finite values).
 *
 * @example const s = seriesFromColumns(["a", "b"], [[1, 2, 3], [3, 1, 2]]);
 */
export function seriesFromColumns(variables: string[], columns: ArrayLike<number>[]): TimeSeries {
  const V = variables.length;
  if (V === 0) throw new InputError("a series needs at least one variable");
  if (columns.length !== V) throw new InputError(`got ${columns.length} columns for ${V} variables`);
  if (new Set(variables).size !== V) throw new InputError(`variable names must be unique: ${variables.join(", ")}`);
  const T = columns[0].length;
  const data = new Float64Array(T * V); // [T, V]
  for (let v = 0; v < V; v++) {
    const col = columns[v];
    if (col.length !== T) throw new InputError(`column "${variables[v]}" (#${v + 1}) has ${col.length} values, expected ${T}`, { column: variables[v] });
    for (let t = 0; t < T; t++) {
      const x = col[t];
      if (!Number.isFinite(x)) throw new InputError(`column "${variables[v]}" (#${v + 1}), row ${t + 1}: the value ${x} is not finite`, { row: t + 1, column: variables[v] });
      data[t * V + v] = x;
    }
  }
  return { variables: [...variables], length: T, data };
}

/**
 * One variable's values `[T]` (a copy), by index or name.
 *
 * @example const x = column(series, "x0");
 */
export function column(series: TimeSeries, v: number | string): Float64Array {
  const V = series.variables.length;
  const i = typeof v === "string" ? series.variables.indexOf(v) : v;
  if (!Number.isInteger(i) || i < 0 || i >= V)
    throw new InputError(typeof v === "string" ? `unknown variable "${v}"; the series has ${series.variables.join(", ")}` : `column index ${v} is outside 0..${V - 1}`, { column: v });
  const out = new Float64Array(series.length);
  for (let t = 0; t < series.length; t++) out[t] = series.data[t * V + i];
  return out;
}
