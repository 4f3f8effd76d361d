// Time-series writers: a `TimeSeries` to CSV or JSON text and files (formats.md "Time series input").
import { InputError } from "../errors.js";
import type { TimeSeries } from "../types.js";
import { INFINITE, MISSING, TIME_NAMES } from "./series-check.js";
import { csvCell, describeColumn } from "./text.js";

/** Throws unless every value is finite or masked as missing (written as `null` / an empty cell, never NaN). */
function checkWritable(series: TimeSeries): void {
  const V = series.variables.length;
  const { mask } = series;
  if (series.data.length !== series.length * V) throw new InputError(`series data has ${series.data.length} values, expected ${series.length} x ${V}`);
  for (let i = 0; i < series.data.length; i++)
    if (!Number.isFinite(series.data[i]) && !(mask && mask[i] !== 0))
      throw new InputError(`cannot write row ${Math.floor(i / V) + 1}, ${describeColumn(series.variables[i % V], i % V)}: the value ${series.data[i]} is not finite`);
}

/** A header name that a reader could mistake for data (numeric, NaN, inf) gets quoted. */
function headerCell(name: string): string {
  const t = name.trim().toLowerCase();
  const numeric = t !== "" && (MISSING.has(t) || INFINITE.has(t) || !Number.isNaN(Number(t)));
  return csvCell(name, numeric);
}

/**
 * CSV text of a series: header, then one line per row, values written with full precision
 * (`String(x)` round-trips exactly). A time axis is written as a first `time` column. When
 * there is no time axis but the first variable has a time-column name (`t`, `date`, ...), an
 * `index` column 0..T-1 is written first so that the reader keeps that variable.
 */
export function seriesToCsv(series: TimeSeries): string {
  checkWritable(series);
  if (series.segments !== undefined && series.segments.length > 1)
    throw new InputError(`a series of ${series.segments.length} recordings (segments) is written as JSON ("segments"), or as one CSV per segment`);
  const { variables, length: T, data, mask } = series;
  const V = variables.length;
  const guard = series.time === undefined && V > 0 && TIME_NAMES.has(variables[0].trim().toLowerCase());
  const header = variables.map(headerCell);
  if (series.time !== undefined) header.unshift("time");
  else if (guard) header.unshift("index");
  const out: string[] = [header.join(",")];
  const row: string[] = new Array<string>(V);
  for (let t = 0; t < T; t++) {
    for (let v = 0; v < V; v++) row[v] = mask && mask[t * V + v] !== 0 ? "" : String(data[t * V + v]); // missing: an empty cell
    const line = row.join(",");
    if (series.time !== undefined) out.push(csvCell(series.time[t]) + "," + line);
    else out.push(guard ? `${t},${line}` : line);
  }
  return out.join("\n") + "\n";
}

/** JSON rows `t0 .. t1-1` of a series, one per line with `indent`; missing cells `null`. */
function jsonRowLines(series: TimeSeries, t0: number, t1: number, indent: string): string[] {
  const V = series.variables.length;
  const { data, mask } = series;
  const rows: string[] = [];
  for (let t = t0; t < t1; t++) rows.push(indent + JSON.stringify(Array.from(data.subarray(t * V, (t + 1) * V), (x, v) => (mask && mask[t * V + v] !== 0 ? null : x))));
  return rows;
}

/**
 * JSON text of a series: `{ "variables", ["time",] "data" }`, one row per line; a series of several
 * recordings as `{ "variables", "segments": [{ "name", ["time",] "data" }, ...] }`. Missing cells are `null`.
 */
export function seriesToJson(series: TimeSeries): string {
  checkWritable(series);
  const { variables, length: T } = series;
  const parts = [`{\n  "variables": ${JSON.stringify(variables)},\n`];
  if (series.segments !== undefined && series.segments.length > 1) {
    const bounds = [...series.segments, T];
    const segs: string[] = [];
    for (let s = 0; s + 1 < bounds.length; s++) {
      const name = series.segmentNames?.[s] ?? `segment-${s + 1}`;
      const time = series.time ? `, "time": ${JSON.stringify(series.time.slice(bounds[s], bounds[s + 1]))}` : "";
      segs.push(`    { "name": ${JSON.stringify(name)}${time}, "data": [\n${jsonRowLines(series, bounds[s], bounds[s + 1], "      ").join(",\n")}\n    ] }`);
    }
    parts.push(`  "segments": [\n${segs.join(",\n")}\n  ]\n}\n`);
    return parts.join("");
  }
  if (series.time !== undefined) parts.push(`  "time": ${JSON.stringify(series.time)},\n`);
  const rows = jsonRowLines(series, 0, T, "    ");
  parts.push(T === 0 ? `  "data": []\n}\n` : `  "data": [\n${rows.join(",\n")}\n  ]\n}\n`);
  return parts.join("");
}

