// Time-series readers: JSON text into a `TimeSeries` (formats.md "Time series input"); the CSV
// reader is series-csv.ts. The checks they share (cells, names, rows, constant columns) live in series-check.ts.
import { InputError } from "../errors.js";
import type { TimeSeries } from "../types.js";
import { parseSeriesCsv } from "./series-csv.js";
import { type Cell, cellProblem, checkNames, checkReadOptions, checkRowsAndColumns, classifyCell } from "./series-check.js";
import { NO_FILE, isRecord, parseJsonText } from "./text.js";

export { parseSeriesCsv };

/** Options of the time-series readers. */
export interface SeriesReadOptions {
  /** File name used in error messages (the readers never guess it). */
  file?: string;
  /** The series must have at least `maxLag + 2` rows; without it, at least 3. */
  maxLag?: number;
  /** `"ffill"` forward-fills missing cells (empty, `NaN`, `NA`, `null`); default `"none"`: they are errors. */
  impute?: "none" | "ffill";
  /** CSV only: whether the first row is a header. Default: detected (see `parseSeriesCsv`). */
  header?: boolean;
  /** CSV only: the cell delimiter. Default: detected from the first lines (tab, `;` or `,`). */
  delimiter?: "," | ";" | "\t";
  /**
   * CSV only: the decimal separator. Default: `.` in comma-delimited files; in `;`- or
   * tab-delimited files, the separator of the first number that has one (`1,5` or `1.5`).
   */
  decimal?: "." | ",";
  /**
   * `"mask"` reads missing cells (empty, `NaN`, `NA`, `null`) as missing: NaN in `data`, 1 in
   * `series.mask`, for methods that leave out the samples they touch; default `"error"`.
   */
  missing?: "error" | "mask";
}

/** Sets `series.mask` from the flat indices `[row * V + v]` of its missing cells (none: no mask). */
function attachMask(series: TimeSeries, missing: number[]): void {
  if (missing.length === 0) return;
  const mask = new Uint8Array(series.length * series.variables.length); // [T, V]
  for (const i of missing) mask[i] = 1;
  series.mask = mask;
}

/** How a JSON reader treats cells: missing ones forward-filled, masked (indices pushed to `missing`) or errors. */
interface JsonCells {
  file: string;
  names: string[];
  impute: boolean;
  masking: boolean;
  missing: number[];
}

/**
 * Reads JSON rows (`T x V` numbers, `null` missing) into `data` from row `offset` on. `path(r)` is
 * row r's place in the document (`data[3]`), `note(r)` says which row it is (`row 4`).
 */
function jsonRows(rows: unknown[], data: Float64Array, offset: number, c: JsonCells, path: (r: number) => string, note: (r: number) => string): void {
  const { file, names } = c;
  const V = names.length;
  const label = (r: number) => `${path(r)} (${note(r)})`;
  for (let r = 0; r < rows.length; r++) {
    const row: unknown = rows[r];
    const base = (offset + r) * V;
    const at = (v: number) => `${file}: ${label(r)}, variable "${names[v]}" (${path(r)}[${v}])`;
    if (!Array.isArray(row)) throw new InputError(`${file}: ${label(r)} is not an array`, { file, row: r + 1 });
    if (row.length !== V) {
      const detail = row.length < V ? `variable "${names[row.length]}" (#${row.length + 1}) is missing` : `it has ${row.length - V} extra value(s)`;
      throw new InputError(`${file}: ${label(r)}: ragged row with ${row.length} values, expected ${V}: ${detail}`, {
        file,
        row: r + 1,
        column: row.length < V ? names[row.length] : V,
      });
    }
    for (let v = 0; v < V; v++) {
      const x: unknown = row[v];
      let cell: Cell;
      if (typeof x === "number") cell = Number.isFinite(x) ? { kind: "value", value: x } : { kind: "infinite", text: String(x) };
      else if (x === null) cell = { kind: "missing", text: "null" };
      else if (typeof x === "string") {
        const k = classifyCell(x);
        // Numeric strings are not accepted: a JSON series holds numbers.
        cell = k.kind === "value" ? { kind: "bad", text: `"${x}" (a string)` } : k;
      } else cell = { kind: "bad", text: JSON.stringify(x) };
      if (cell.kind === "value") data[base + v] = cell.value;
      else if (cell.kind === "missing" && c.impute) {
        if (r === 0) throw new InputError(`${at(v)}: the first row is missing, so there is nothing to forward-fill from`, { file, row: 1, column: names[v] });
        data[base + v] = data[base - V + v];
      } else if (cell.kind === "missing" && c.masking) {
        data[base + v] = NaN;
        c.missing.push(base + v);
      } else throw new InputError(`${at(v)}: ${cellProblem(cell, c.impute).replace("the cell", "the value")}`, { file, row: r + 1, column: names[v] });
    }
  }
}

/** A JSON `"time"` array of one entry per row, as strings. */
function jsonTime(time: unknown, T: number, file: string, where: string): string[] {
  if (!Array.isArray(time) || time.length !== T) throw new InputError(`${file}: ${where} must be an array with one entry per row (${T})`, { file });
  return time.map((x, r) => {
    if (typeof x !== "string" && typeof x !== "number") throw new InputError(`${file}: ${where}[${r}] (row ${r + 1}) must be a string or number`, { file, row: r + 1, column: "time" });
    return String(x);
  });
}

/**
 * Parses a JSON time series `{ "variables": [...], "data": [[...], ...] }` (`T x V`, formats.md),
 * with an optional `"time"` array, or several recordings of the same variables
 * `{ "variables": [...], "segments": [{ "name": "subject-1", "data": [[...], ...] }, ...] }`
 * (concatenated, with `series.segments` and `series.segmentNames`; each segment needs the
 * minimum rows). `null` cells are missing (forward-filled with `impute: "ffill"`, masked with
 * `missing: "mask"`, errors otherwise). Errors name the file, the data row (`data[r]`, 1-based in
 * `location.row`) and the variable.
 *
 * @example const s = parseSeriesJson('{"variables":["a","b"],"data":[[1,2],[2,1],[0,3]]}');
 */
export function parseSeriesJson(text: string, opts: SeriesReadOptions = {}): TimeSeries {
  const file = opts.file ?? NO_FILE;
  checkReadOptions(opts, file);
  const doc = parseJsonText(text, file);
  if (!isRecord(doc)) throw new InputError(`${file}: expected an object { "variables": [...], "data": [[...], ...] }`, { file });
  const { variables, data: rows, time, segments } = doc;
  if (!Array.isArray(variables)) throw new InputError(`${file}: "variables" must be an array of names`, { file });
  variables.forEach((n, i) => {
    if (typeof n !== "string") throw new InputError(`${file}: variables[${i}] is not a string: ${JSON.stringify(n)}`, { file, column: i });
  });
  const names = variables as string[];
  checkNames(names, file, (i) => `variables[${i}] ("${names[i]}")`);
  const V = names.length;
  if (V === 0) throw new InputError(`${file}: "variables" is empty`, { file });
  const cells: JsonCells = { file, names, impute: opts.impute === "ffill", masking: opts.missing === "mask", missing: [] };
  if (segments !== undefined) {
    if (rows !== undefined) throw new InputError(`${file}: give either "data" (one recording) or "segments" (several), not both`, { file });
    return parseJsonSegments(segments, cells, opts.maxLag);
  }
  if (!Array.isArray(rows)) throw new InputError(`${file}: "data" must be an array of rows (T x V)`, { file });
  const T = rows.length;
  const data = new Float64Array(T * V); // [T, V]
  jsonRows(rows, data, 0, cells, (r) => `data[${r}]`, (r) => `row ${r + 1}`);
  const series: TimeSeries = { variables: names, length: T, data };
  if (time !== undefined) series.time = jsonTime(time, T, file, '"time"');
  attachMask(series, cells.missing);
  checkRowsAndColumns(series, file, opts.maxLag, 0);
  return series;
}

/** The `"segments"` form: each `{ "name"?, "data", "time"? }` read and concatenated `[T, V]`. */
function parseJsonSegments(segments: unknown, cells: JsonCells, maxLag: number | undefined): TimeSeries {
  const { file, names } = cells;
  const V = names.length;
  if (!Array.isArray(segments) || segments.length === 0) throw new InputError(`${file}: "segments" must be a non-empty array of { "name", "data" } objects`, { file });
  const parts = segments.map((seg: unknown, s) => {
    if (!isRecord(seg) || !Array.isArray(seg.data)) throw new InputError(`${file}: segments[${s}] must be an object with a "data" array of rows (T x V)`, { file });
    if (seg.name !== undefined && typeof seg.name !== "string") throw new InputError(`${file}: segments[${s}].name must be a string`, { file });
    return { name: seg.name ?? `segment-${s + 1}`, rows: seg.data as unknown[], time: seg.time };
  });
  const need = (maxLag ?? 1) + 2;
  const T = parts.reduce((n, p) => n + p.rows.length, 0);
  const data = new Float64Array(T * V); // [T, V], segments one after another
  const starts: number[] = [];
  const time: string[] = [];
  let offset = 0;
  parts.forEach((p, s) => {
    const where = `segments[${s}] ("${p.name}")`;
    if (p.rows.length < need)
      throw new InputError(`${file}: ${where} has ${p.rows.length} rows; each segment needs at least ${need} (maxLag + 2${maxLag === undefined ? ", 3 without maxLag" : ""})`, { file });
    jsonRows(p.rows, data, offset, cells, (r) => `segments[${s}].data[${r}]`, (r) => `segment "${p.name}", row ${r + 1}`);
    if (p.time !== undefined) time.push(...jsonTime(p.time, p.rows.length, file, `segments[${s}].time`));
    starts.push(offset);
    offset += p.rows.length;
  });
  const series: TimeSeries = { variables: names, length: T, data, segments: starts, segmentNames: parts.map((p) => p.name) };
  if (time.length === T) series.time = time;
  attachMask(series, cells.missing);
  checkRowsAndColumns(series, file, maxLag, 0);
  return series;
}
