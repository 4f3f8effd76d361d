// Time-series readers and writers: CSV and JSON (formats.md "Time series input").
import { InputError } from "../errors.js";
import type { TimeSeries } from "../types.js";
import {
  NO_FILE,
  cellText,
  csvCell,
  describeColumn,
  extensionOf,
  isBlank,
  isQuoted,
  isRecord,
  parseJsonText,
  readTextFile,
  splitCsvLine,
  splitLines,
  writeTextFile,
} from "./text.js";

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
}

/** Options of `validateSeries`. */
export interface SeriesCheckOptions {
  file?: string;
  maxLag?: number;
}

/** First-column names (case-insensitive) that mark a time axis rather than a variable. */
export const TIME_COLUMN_NAMES: readonly string[] = ["time", "timestamp", "t", "date", "index"];
const TIME_NAMES = new Set(TIME_COLUMN_NAMES);
/** Cell texts (lower-cased) that mean "missing": imputed by `ffill`, errors otherwise. */
const MISSING = new Set(["", "nan", "na", "null"]);
const INFINITE = new Set(["inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"]);

type Cell = { kind: "value"; value: number } | { kind: "missing" | "infinite" | "bad"; text: string };

/** Classifies one cell's text (the slow path: only called when `Number(raw)` alone cannot decide). */
function classifyCell(raw: string): Cell {
  const text = cellText(raw);
  const lower = text.toLowerCase();
  if (MISSING.has(lower)) return { kind: "missing", text };
  if (INFINITE.has(lower)) return { kind: "infinite", text };
  const value = Number(text);
  if (Number.isNaN(value)) return { kind: "bad", text };
  if (!Number.isFinite(value)) return { kind: "infinite", text };
  // Number() also accepts 0x.., 0b.., 0o..; a data file means decimal.
  const c1 = text.charCodeAt(1) | 32; // lower-cased second character
  if (text.charCodeAt(0) === 48 && (c1 === 120 || c1 === 98 || c1 === 111)) return { kind: "bad", text };
  return { kind: "value", value };
}

function cellProblem(cell: Cell, impute: boolean): string {
  if (cell.kind === "missing")
    return (cell.text === "" ? "the cell is empty (a missing value)" : `the cell is "${cell.text}" (a missing value)`) + (impute ? "" : '; nothing is imputed unless asked (impute: "ffill" / --impute ffill)');
  if (cell.kind === "infinite") return `the cell "${cell.text}" is infinite`;
  if (cell.kind === "bad") return `the cell "${cell.text}" is not a number`;
  return "";
}

function checkReadOptions(opts: SeriesReadOptions, file: string): void {
  if (opts.maxLag !== undefined && !(Number.isInteger(opts.maxLag) && opts.maxLag >= 1))
    throw new InputError(`${file}: maxLag must be an integer >= 1, got ${opts.maxLag}`, { file });
  if (opts.impute !== undefined && opts.impute !== "none" && opts.impute !== "ffill")
    throw new InputError(`${file}: impute must be "none" or "ffill", got ${JSON.stringify(opts.impute)}`, { file });
}

/** Names must be non-empty and unique; `where(i)` describes name i for messages. */
function checkNames(names: string[], file: string, where: (i: number) => string, location: { row?: number } = {}): void {
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === "") throw new InputError(`${file}: ${where(i)}: the variable name is empty`, { file, ...location, column: i });
    const first = seen.get(name);
    if (first !== undefined)
      throw new InputError(`${file}: ${where(i)}: duplicate variable name "${name}" (also ${where(first)})`, { file, ...location, column: name });
    seen.set(name, i);
  });
}

/** Minimum number of rows for a given maxLag (formats.md: `maxLag + 2`, at least 3). */
function minRows(maxLag?: number): number {
  return (maxLag ?? 1) + 2;
}

/** Row count and constant-column checks; `columnOffset` shifts the `#k` column numbers (CSV time column). */
function checkRowsAndColumns(series: TimeSeries, file: string, maxLag: number | undefined, columnOffset: number): void {
  const { variables, length: T, data } = series;
  const V = variables.length;
  const need = minRows(maxLag);
  if (T < need) {
    const why = maxLag === undefined ? "without maxLag, at least 3" : `maxLag + 2 = ${need} for maxLag ${maxLag}`;
    throw new InputError(`${file}: the series has ${T} row${T === 1 ? "" : "s"}; at least ${need} are needed (${why})`, { file, row: T });
  }
  for (let v = 0; v < V; v++) {
    const first = data[v];
    let t = 1;
    while (t < T && data[t * V + v] === first) t++;
    if (t === T)
      throw new InputError(
        `${file}: ${describeColumn(variables[v], v + columnOffset)} is constant (all ${T} rows are ${first}); a constant series carries no causal signal, drop the column`,
        { file, column: variables[v] },
      );
  }
}

/**
 * Checks a series against formats.md: unique non-empty names, `data.length = T * V`, finite
 * values, at least `maxLag + 2` rows (3 without maxLag), no constant column. Throws `InputError`
 * naming the file, row (1-based time step) and column.
 *
 * @example validateSeries(series, { file: "data.csv", maxLag: 3 });
 */
export function validateSeries(series: TimeSeries, opts: SeriesCheckOptions = {}): void {
  const file = opts.file ?? NO_FILE;
  checkReadOptions({ maxLag: opts.maxLag }, file);
  const { variables, length: T, data } = series;
  if (!Array.isArray(variables)) throw new InputError(`${file}: "variables" must be an array of names`, { file });
  for (let i = 0; i < variables.length; i++)
    if (typeof variables[i] !== "string") throw new InputError(`${file}: variable #${i + 1} is not a string`, { file, column: i });
  checkNames(variables, file, (i) => describeColumn(variables[i], i));
  const V = variables.length;
  if (V === 0) throw new InputError(`${file}: the series has no variables`, { file });
  if (!Number.isInteger(T) || T < 0) throw new InputError(`${file}: length must be a whole number of rows, got ${T}`, { file });
  if (!(data instanceof Float64Array) || data.length !== T * V)
    throw new InputError(`${file}: data must be a Float64Array of T x V = ${T} x ${V} = ${T * V} values, got ${data?.length}`, { file });
  if (series.time !== undefined && (!Array.isArray(series.time) || series.time.length !== T))
    throw new InputError(`${file}: the time axis has ${series.time?.length} entries but the series has ${T} rows`, { file });
  for (let t = 0; t < T; t++)
    for (let v = 0; v < V; v++) {
      const x = data[t * V + v];
      if (!Number.isFinite(x))
        throw new InputError(`${file}: row ${t + 1}, ${describeColumn(variables[v], v)}: the value ${x} is not finite`, { file, row: t + 1, column: variables[v] });
    }
  checkRowsAndColumns(series, file, opts.maxLag, 0);
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
      } else throw new InputError(`${where(v + off)}: ${cellProblem(cell, impute)}`, { file, row: i + 1, column: names[v] });
    }
    r++;
  }
  if (r * V !== data.length) data = data.slice(0, r * V);
  const series: TimeSeries = { variables: names, length: r, data };
  if (hasTime) series.time = time;
  checkRowsAndColumns(series, file, opts.maxLag, off);
  return series;
}

/**
 * Parses a JSON time series `{ "variables": [...], "data": [[...], ...] }` (`T x V`, formats.md),
 * with an optional `"time"` array. `null` cells are missing (forward-filled with
 * `impute: "ffill"`, errors otherwise). Errors name the file, the data row (`data[r]`,
 * 1-based in `location.row`) and the variable.
 *
 * @example const s = parseSeriesJson('{"variables":["a","b"],"data":[[1,2],[2,1],[0,3]]}');
 */
export function parseSeriesJson(text: string, opts: SeriesReadOptions = {}): TimeSeries {
  const file = opts.file ?? NO_FILE;
  checkReadOptions(opts, file);
  const impute = opts.impute === "ffill";
  const doc = parseJsonText(text, file);
  if (!isRecord(doc)) throw new InputError(`${file}: expected an object { "variables": [...], "data": [[...], ...] }`, { file });
  const { variables, data: rows, time } = doc;
  if (!Array.isArray(variables)) throw new InputError(`${file}: "variables" must be an array of names`, { file });
  variables.forEach((n, i) => {
    if (typeof n !== "string") throw new InputError(`${file}: variables[${i}] is not a string: ${JSON.stringify(n)}`, { file, column: i });
  });
  const names = variables as string[];
  checkNames(names, file, (i) => `variables[${i}] ("${names[i]}")`);
  const V = names.length;
  if (V === 0) throw new InputError(`${file}: "variables" is empty`, { file });
  if (!Array.isArray(rows)) throw new InputError(`${file}: "data" must be an array of rows (T x V)`, { file });
  const T = rows.length;
  const data = new Float64Array(T * V); // [T, V]
  for (let r = 0; r < T; r++) {
    const row: unknown = rows[r];
    const at = (v: number) => `${file}: data[${r}] (row ${r + 1}), variable "${names[v]}" (data[${r}][${v}])`;
    if (!Array.isArray(row)) throw new InputError(`${file}: data[${r}] (row ${r + 1}) is not an array`, { file, row: r + 1 });
    if (row.length !== V) {
      const detail = row.length < V ? `variable "${names[row.length]}" (#${row.length + 1}) is missing` : `it has ${row.length - V} extra value(s)`;
      throw new InputError(`${file}: data[${r}] (row ${r + 1}): ragged row with ${row.length} values, expected ${V}: ${detail}`, {
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
        const c = classifyCell(x);
        // Numeric strings are not accepted: a JSON series holds numbers.
        cell = c.kind === "value" ? { kind: "bad", text: `"${x}" (a string)` } : c;
      } else cell = { kind: "bad", text: JSON.stringify(x) };
      if (cell.kind === "value") data[r * V + v] = cell.value;
      else if (cell.kind === "missing" && impute) {
        if (r === 0) throw new InputError(`${at(v)}: the first row is missing, so there is nothing to forward-fill from`, { file, row: 1, column: names[v] });
        data[r * V + v] = data[(r - 1) * V + v];
      } else throw new InputError(`${at(v)}: ${cellProblem(cell, impute).replace("the cell", "the value")}`, { file, row: r + 1, column: names[v] });
    }
  }
  const series: TimeSeries = { variables: names, length: T, data };
  if (time !== undefined) {
    if (!Array.isArray(time) || time.length !== T) throw new InputError(`${file}: "time" must be an array with one entry per row (${T})`, { file });
    series.time = time.map((x, r) => {
      if (typeof x !== "string" && typeof x !== "number") throw new InputError(`${file}: time[${r}] (row ${r + 1}) must be a string or number`, { file, row: r + 1, column: "time" });
      return String(x);
    });
  }
  checkRowsAndColumns(series, file, opts.maxLag, 0);
  return series;
}

/** Picks the reader by extension (`.csv`, `.json`), else by content (`{` starts JSON). */
function parseSeriesText(text: string, path: string, opts: SeriesReadOptions): TimeSeries {
  const ext = extensionOf(path);
  const json = ext === ".json" || (ext !== ".csv" && text.replace(/^\uFEFF/, "").trimStart().startsWith("{"));
  const o = { ...opts, file: opts.file ?? path };
  return json ? parseSeriesJson(text, o) : parseSeriesCsv(text, o);
}

/**
 * Reads a time series file (CSV or JSON). Node only at call time: `node:fs/promises` is
 * imported lazily, so the module itself loads in a browser.
 *
 * @example const series = await readSeries("data.csv", { maxLag: 3 });
 */
export async function readSeries(path: string, opts: SeriesReadOptions = {}): Promise<TimeSeries> {
  return parseSeriesText(await readTextFile(path), path, opts);
}

/** Throws unless every value is finite (writers never emit NaN or null). */
function checkWritable(series: TimeSeries): void {
  const V = series.variables.length;
  if (series.data.length !== series.length * V) throw new InputError(`series data has ${series.data.length} values, expected ${series.length} x ${V}`);
  for (let i = 0; i < series.data.length; i++)
    if (!Number.isFinite(series.data[i]))
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
  const { variables, length: T, data } = series;
  const V = variables.length;
  const guard = series.time === undefined && V > 0 && TIME_NAMES.has(variables[0].trim().toLowerCase());
  const header = variables.map(headerCell);
  if (series.time !== undefined) header.unshift("time");
  else if (guard) header.unshift("index");
  const out: string[] = [header.join(",")];
  const row: string[] = new Array<string>(V);
  for (let t = 0; t < T; t++) {
    for (let v = 0; v < V; v++) row[v] = String(data[t * V + v]);
    const line = row.join(",");
    if (series.time !== undefined) out.push(csvCell(series.time[t]) + "," + line);
    else out.push(guard ? `${t},${line}` : line);
  }
  return out.join("\n") + "\n";
}

/** JSON text of a series: `{ "variables", ["time",] "data" }`, one row per line. */
export function seriesToJson(series: TimeSeries): string {
  checkWritable(series);
  const { variables, length: T, data } = series;
  const V = variables.length;
  const parts = [`{\n  "variables": ${JSON.stringify(variables)},\n`];
  if (series.time !== undefined) parts.push(`  "time": ${JSON.stringify(series.time)},\n`);
  const rows: string[] = [];
  for (let t = 0; t < T; t++) rows.push("    " + JSON.stringify(Array.from(data.subarray(t * V, (t + 1) * V))));
  parts.push(T === 0 ? `  "data": []\n}\n` : `  "data": [\n${rows.join(",\n")}\n  ]\n}\n`);
  return parts.join("");
}

/** Writes a series as JSON when `path` ends in `.json`, else as CSV. Creates the folder. */
export async function writeSeries(path: string, series: TimeSeries): Promise<void> {
  await writeTextFile(path, extensionOf(path) === ".json" ? seriesToJson(series) : seriesToCsv(series));
}
