/**
 * Lagged-sample selection over several recordings and missing cells (formats.md "Time series
 * input"): which target rows t have a complete lagged window t-maxLag..t inside one segment and
 * touching no masked cell. Every method that pools segments or masks samples asks here.
 */
import { InputError } from "./errors.js";
import type { TimeSeries } from "./types.js";

/** Row offsets where each recording starts plus `T` at the end: `[S + 1]`, `[0, T]` for one recording. */
export function segmentBounds(series: TimeSeries): number[] {
  return [...(series.segments ?? [0]), series.length];
}

/** Number of missing cells (`mask` entries that are 1). */
export function countMissing(series: TimeSeries): number {
  const { mask } = series;
  if (!mask) return 0;
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) n++;
  return n;
}

/** True when the series has several recordings (`segments` with more than one start). */
export function hasSegments(series: TimeSeries): boolean {
  return series.segments !== undefined && series.segments.length > 1;
}

/** True when some cell is masked as missing. */
export function hasMissing(series: TimeSeries): boolean {
  return countMissing(series) > 0;
}

/**
 * Checks `segments`, `segmentNames` and `mask` against formats.md: starts ascending, the first 0,
 * each before T; one name per segment; a `[T, V]` mask of 0/1 with NaN exactly where it is 1.
 * Throws InputError naming what is wrong.
 */
export function validateLayout(series: TimeSeries): void {
  const { segments, segmentNames, mask, length: T } = series;
  const V = series.variables.length;
  if (segments !== undefined) {
    if (!Array.isArray(segments) || segments.length === 0 || segments[0] !== 0) throw new InputError(`segments must be a list of row offsets starting with 0, got ${JSON.stringify(segments)}`);
    for (let s = 1; s < segments.length; s++)
      if (!Number.isInteger(segments[s]) || segments[s] <= segments[s - 1] || segments[s] >= T)
        throw new InputError(`segments must be ascending row offsets below T = ${T}; segment ${s + 1} starts at ${segments[s]} after ${segments[s - 1]}`);
    if (segmentNames !== undefined && segmentNames.length !== segments.length)
      throw new InputError(`segmentNames has ${segmentNames.length} names for ${segments.length} segments`);
  }
  if (mask !== undefined) {
    if (!(mask instanceof Uint8Array) || mask.length !== T * V) throw new InputError(`mask must be a Uint8Array of T x V = ${T} x ${V} values, got ${mask?.length}`);
    for (let i = 0; i < mask.length; i++)
      if (mask[i] !== 0 && !Number.isNaN(series.data[i]))
        throw new InputError(`row ${Math.floor(i / V) + 1}, column "${series.variables[i % V]}": masked as missing but holds ${series.data[i]} (a missing cell holds NaN)`);
  }
}

/**
 * Target rows `t` (ascending, `[n]`) whose lagged window, rows `t - maxLag .. t`, lies inside one
 * segment and has no missing cell in `columns` (default: every variable). With one segment and
 * no mask: `maxLag, ..., T - 1`. Cost O(T · |columns|).
 *
 * @example const rows = validTargetRows(series, 3); // regress x(t) on x(t-1..t-3) for t of rows
 */
export function validTargetRows(series: TimeSeries, maxLag: number, columns?: readonly number[]): Int32Array {
  const V = series.variables.length;
  const { mask } = series;
  const bounds = segmentBounds(series);
  const cols = columns ?? Array.from({ length: V }, (_, v) => v);
  const out: number[] = [];
  for (let s = 0; s + 1 < bounds.length; s++) {
    const end = bounds[s + 1];
    // lastMissing: the latest row <= t of this segment with a missing cell in cols (start - 1 if none)
    let lastMissing = bounds[s] - 1;
    for (let t = bounds[s]; t < end; t++) {
      if (mask)
        for (const v of cols)
          if (mask[t * V + v] !== 0) {
            lastMissing = t;
            break;
          }
      if (t - maxLag > lastMissing) out.push(t);
    }
  }
  return Int32Array.from(out);
}

/** Target rows there would be without missing cells: Σ over segments of max(0, length - maxLag). */
export function possibleTargetRows(series: TimeSeries, maxLag: number): number {
  const bounds = segmentBounds(series);
  let n = 0;
  for (let s = 0; s + 1 < bounds.length; s++) n += Math.max(0, bounds[s + 1] - bounds[s] - maxLag);
  return n;
}
