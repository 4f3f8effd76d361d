// Time-series readers: CSV and JSON text into a `TimeSeries` (formats.md "Time series input").
// The checks they share (cells, names, rows, constant columns) live in series-check.ts.
import { InputError } from "../errors.js";
import type { TimeSeries } from "../types.js";
import { type Cell, INFINITE, MISSING, TIME_NAMES, cellProblem, checkNames, checkReadOptions, checkRowsAndColumns, classifyCell } from "./series-check.js";
import { NO_FILE, cellText, describeColumn, extensionOf, isBlank, isQuoted, isRecord, parseJsonText, splitCsvLine, splitLines } from "./text.js";

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

/** Exact powers of ten 1e0..1e22 (every one is a double without rounding). */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * Parses `V` comma-separated plain decimals (`-?digits[.digits]`, spaces around allowed) from
 * `line[from..]` into `data[base..base+V)`. Returns false, leaving the row to the careful
 * path, on anything else (exponents, quotes, empty cells, more than 15 significant digits,
 * wrong cell count). Exact: a mantissa below 2^53 divided by an exact power of ten <= 1e22
 * is one correctly rounded operation, so the result equals `Number(cell)` (Clinger 1990).
 */
function parsePlainRow(line: string, from: number, data: Float64Array, base: number, V: number): boolean {
  const n = line.length;
  let i = from;
  let c = line.charCodeAt(i); // NaN past the end
  for (let v = 0; v < V; v++) {
    while (c === 32 || c === 9) c = line.charCodeAt(++i);
    let neg = false;
    if (c === 45) {
      neg = true;
      c = line.charCodeAt(++i);
    }
    let m = 0; // mantissa, all digits
    let sig = 0; // significant digits (from the first non-zero one)
    let frac = 0; // digits after the point
    let seen = false;
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      if (m !== 0) sig++;
      seen = true;
      c = line.charCodeAt(++i);
    }
    if (c === 46) {
      c = line.charCodeAt(++i);
      while (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        if (m !== 0) sig++;
        frac++;
        seen = true;
        c = line.charCodeAt(++i);
      }
    }
    if (!seen || sig > 15 || frac > 22) return false;
    while (c === 32 || c === 9) c = line.charCodeAt(++i);
    if (v < V - 1) {
      if (c !== 44) return false;
      c = line.charCodeAt(++i);
    } else if (i !== n) return false;
    const x = frac === 0 ? m : m / POW10[frac];
    data[base + v] = neg ? -x : x;
  }
  return true;
}

/** True when a first row reads as data rather than a header (every cell numeric or missing, one at least numeric). */
function looksLikeData(raw: string[]): boolean {
  // pandas writes headerless frames with the header 0,1,...,V-1 (NetSim files): that is a header.
  if (raw.length >= 2 && raw.every((c, i) => c.trim() === String(i))) return false;
  let numbers = 0;
  for (const c of raw) {
    if (isQuoted(c)) return false;
    const t = c.trim().toLowerCase();
    if (MISSING.has(t)) continue;
    if (!INFINITE.has(t) && Number.isNaN(Number(t))) return false;
    numbers++;
  }
  return numbers > 0;
}

/**
 * Parses a CSV time series (formats.md): a header row of variable names, then one row per time
 * step. An optional first column named `time`, `timestamp`, `t`, `date` or `index` becomes
 * `series.time`. Without a header (first row numeric) the names are `x0 ... x{V-1}`; a first row
 * reading exactly `0,1,...,V-1` is taken as a header (pandas' default names, as in NetSim).
 * Accepts CR, LF and CRLF line endings, a UTF-8 BOM, blank lines (skipped, except in a
 * one-column file where a blank line is an empty cell), spaces around cells and double-quoted
 * cells. Every bad cell is an `InputError` naming the file, the line (`location.row`), the data
 * row and the column.
 *
 * @example const s = parseSeriesCsv("time,a,b\n0,1,2\n1,2,0\n2,4,1\n", { file: "x.csv" });
 */
export function parseSeriesCsv(text: string, opts: SeriesReadOptions = {}): TimeSeries {
  const file = opts.file ?? NO_FILE;
  checkReadOptions(opts, file);
  const impute = opts.impute === "ffill";
  const masking = opts.missing === "mask";
  const missing: number[] = []; // flat indices of masked cells
  const lines = splitLines(text);
  const lineAt = (i: number) => `${file}: line ${i + 1}`;

  // Header (first non-blank line) or first data row.
  let h = 0;
  while (h < lines.length && isBlank(lines[h])) h++;
  if (h === lines.length) throw new InputError(`${file}: the file is empty`, { file });
  const first = splitCsvLine(lines[h], file, h + 1);
  const hasHeader = opts.header ?? !looksLikeData(first);
  const width = first.length; // cells per line, time column included
  let hasTime = false;
  let names: string[];
  if (hasHeader) {
    const cells = first.map(cellText);
    hasTime = width > 1 && TIME_NAMES.has(cells[0].toLowerCase());
    names = hasTime ? cells.slice(1) : cells;
    const off = hasTime ? 1 : 0;
    checkNames(names, file, (i) => `line ${h + 1}, ${describeColumn(names[i], i + off)}`, { row: h + 1 });
  } else {
    names = Array.from({ length: width }, (_, i) => `x${i}`);
  }
  const off = hasTime ? 1 : 0;
  const V = names.length;

  // Data lines: from after the header to the last non-blank line.
  let last = lines.length - 1;
  while (last >= 0 && isBlank(lines[last])) last--;
  const start = hasHeader ? h + 1 : h;
  let data = new Float64Array(Math.max(0, last - start + 1) * V); // [T, V], trimmed below
  const time: string[] = [];
  let r = 0; // data row
  for (let i = start; i <= last; i++) {
    const line = lines[i];
    // Fast path: a row of plain decimals (the time stamp, if any, unquoted and non-empty).
    if (hasTime) {
      const comma = line.indexOf(",");
      const stamp = comma > 0 ? line.slice(0, comma).trim() : "";
      if (stamp !== "" && stamp.indexOf('"') === -1 && parsePlainRow(line, comma + 1, data, r * V, V)) {
        time.push(stamp);
        r++;
        continue;
      }
    } else if (parsePlainRow(line, 0, data, r * V, V)) {
      r++;
      continue;
    }
    // Careful path: blank lines, quotes, missing, infinite or odd cells; names the problem.
    if (width > 1 && isBlank(line)) continue;
    const cells = splitCsvLine(line, file, i + 1);
    const where = (c: number) => `${lineAt(i)} (row ${r + 1}), ${describeColumn(c - off >= 0 ? names[c - off] : "time", c)}`;
    if (cells.length !== width) {
      const detail =
        cells.length < width
          ? `${describeColumn(cells.length - off >= 0 ? names[cells.length - off] : "time", cells.length)} is missing`
          : `unexpected extra cell #${width + 1} "${cellText(cells[width])}"`;
      throw new InputError(`${lineAt(i)} (row ${r + 1}): ragged row with ${cells.length} cells, expected ${width}: ${detail}`, {
        file,
        row: i + 1,
        column: cells.length < width ? names[cells.length - off] : width,
      });
    }
    if (hasTime) {
      const stamp = cellText(cells[0]);
      if (stamp === "") throw new InputError(`${where(0)}: the time cell is empty`, { file, row: i + 1, column: "time" });
      time.push(stamp);
    }
    const base = r * V;
    for (let v = 0; v < V; v++) {
      const cell = classifyCell(cells[v + off]);
      if (cell.kind === "value") data[base + v] = cell.value;
      else if (cell.kind === "missing" && impute) {
        if (r === 0) throw new InputError(`${where(v + off)}: the first row is missing, so there is nothing to forward-fill from`, { file, row: i + 1, column: names[v] });
        data[base + v] = data[base - V + v];
      } else if (cell.kind === "missing" && masking) {
        data[base + v] = NaN;
        missing.push(base + v);
      } else throw new InputError(`${where(v + off)}: ${cellProblem(cell, impute)}`, { file, row: i + 1, column: names[v] });
    }
    r++;
  }
  if (r * V !== data.length) data = data.slice(0, r * V);
  const series: TimeSeries = { variables: names, length: r, data };
  if (hasTime) series.time = time;
  attachMask(series, missing);
  checkRowsAndColumns(series, file, opts.maxLag, off);
  return series;
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

/** Picks the reader by extension (`.csv`, `.json`), else by content (`{` starts JSON). Internal: `readSeries` uses it. */
export function parseSeriesText(text: string, path: string, opts: SeriesReadOptions): TimeSeries {
  const ext = extensionOf(path);
  const json = ext === ".json" || (ext !== ".csv" && text.replace(/^\uFEFF/, "").trimStart().startsWith("{"));
  const o = { ...opts, file: opts.file ?? path };
  return json ? parseSeriesJson(text, o) : parseSeriesCsv(text, o);
}
