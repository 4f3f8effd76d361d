// Several recordings of one system as one series (formats.md "Time series input"): files of the
// same variables concatenated, each a segment that no lagged window crosses.
import { InputError } from "../errors.js";
import { segmentBounds } from "../samples.js";
import type { TimeSeries } from "../types.js";

/** One recording and the name it goes by in messages and `segmentNames` (e.g. its file). */
export interface NamedSeries {
  name: string;
  series: TimeSeries;
}

/**
 * Concatenates recordings of the same variables into one series with `segments` (one per
 * recording, or per segment of a recording that already has several) and `segmentNames`.
 * Variables must match the first recording's, in the same order or re-ordered by name (the
 * columns are then re-ordered); otherwise an InputError names the recording. A time axis is kept
 * when every recording has one; missing cells (`mask`) are kept.
 *
 * @example const s = combineSeries([{ name: "a.csv", series: a }, { name: "b.csv", series: b }]);
 */
export function combineSeries(parts: NamedSeries[]): TimeSeries {
  if (parts.length === 0) throw new InputError("no recordings to combine");
  const variables = [...parts[0].series.variables];
  const V = variables.length;
  const T = parts.reduce((n, p) => n + p.series.length, 0);
  const data = new Float64Array(T * V); // [T, V]
  const anyMask = parts.some((p) => p.series.mask !== undefined);
  const mask = anyMask ? new Uint8Array(T * V) : undefined; // [T, V]
  const segments: number[] = [];
  const segmentNames: string[] = [];
  const time: string[] = [];
  let offset = 0;
  for (const { name, series } of parts) {
    const order = columnOrder(variables, series.variables, name, parts[0].name); // [V]: our column v is their order[v]
    const W = series.variables.length;
    for (let t = 0; t < series.length; t++)
      for (let v = 0; v < V; v++) {
        const i = t * W + order[v];
        data[(offset + t) * V + v] = series.data[i];
        if (mask && series.mask) mask[(offset + t) * V + v] = series.mask[i];
      }
    const bounds = segmentBounds(series);
    for (let s = 0; s + 1 < bounds.length; s++) {
      segments.push(offset + bounds[s]);
      segmentNames.push(series.segments === undefined ? name : `${name}: ${series.segmentNames?.[s] ?? `segment-${s + 1}`}`);
    }
    if (series.time) time.push(...series.time);
    offset += series.length;
  }
  const out: TimeSeries = { variables, length: T, data, segments, segmentNames };
  if (time.length === T) out.time = time;
  if (mask) out.mask = mask;
  return out;
}

/** Where each of `want`'s names sits in `have`; an InputError naming the recording when they differ. */
function columnOrder(want: string[], have: string[], name: string, firstName: string): number[] {
  if (have.length === want.length && have.every((n, i) => n === want[i])) return want.map((_, i) => i);
  const index = new Map(have.map((n, i) => [n, i]));
  const absent = want.filter((n) => !index.has(n));
  const extra = have.filter((n) => !want.includes(n));
  if (absent.length > 0 || extra.length > 0 || have.length !== want.length)
    throw new InputError(
      `${name}: its variables (${have.join(", ")}) differ from ${firstName}'s (${want.join(", ")})` +
        `${absent.length > 0 ? `; missing: ${absent.join(", ")}` : ""}${extra.length > 0 ? `; not in ${firstName}: ${extra.join(", ")}` : ""}; every recording needs the same variables`,
      { file: name },
    );
  return want.map((n) => index.get(n)!);
}

