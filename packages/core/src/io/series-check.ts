// Time-series validation (formats.md "Time series input"): the cell vocabulary the readers share
// (missing, infinite, not a number), names, row counts and constant columns.
import { InputError } from "../errors.js";
import type { TimeSeries } from "../types.js";
import { validateLayout } from "../samples.js";
import { NO_FILE, cellText, describeColumn } from "./text.js";

/** Options of `validateSeries`. */
export interface SeriesCheckOptions {
  file?: string;
  maxLag?: number;
}

/** First-column names (case-insensitive) that mark a time axis rather than a variable. */
export const TIME_COLUMN_NAMES: readonly string[] = ["time", "timestamp", "t", "date", "index"];
/** `TIME_COLUMN_NAMES` as a set. */
export const TIME_NAMES = new Set(TIME_COLUMN_NAMES);
/** Cell texts (lower-cased) that mean "missing": imputed by `ffill`, errors otherwise. */
export const MISSING = new Set(["", "nan", "na", "null"]);
/** Cell texts (lower-cased) that mean an infinite value: always errors. */
export const INFINITE = new Set(["inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"]);

/** One cell read: a finite value, or what is wrong with its text. */
export type Cell = { kind: "value"; value: number } | { kind: "missing" | "infinite" | "bad"; text: string };

/** Classifies one cell's text (the slow path: only called when `Number(raw)` alone cannot decide). */
export function classifyCell(raw: string): Cell {
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

/** The message for a cell that is not a finite value. */
export function cellProblem(cell: Cell, impute: boolean): string {
  if (cell.kind === "missing")
    return (
      (cell.text === "" ? "the cell is empty (a missing value)" : `the cell is "${cell.text}" (a missing value)`) +
      (impute ? "" : '; nothing is imputed or masked unless asked (impute: "ffill" / --impute ffill, or missing: "mask" / --missing mask for methods that leave out the samples it touches)')
    );
  if (cell.kind === "infinite") return `the cell "${cell.text}" is infinite`;
  if (cell.kind === "bad") return `the cell "${cell.text}" is not a number`;
  return "";
}

/** Checks the readers' options (maxLag a whole number >= 1, impute "none" or "ffill", missing "error" or "mask", not both). */
export function checkReadOptions(opts: { maxLag?: number; impute?: string; missing?: string }, file: string): void {
  if (opts.missing !== undefined && opts.missing !== "error" && opts.missing !== "mask")
    throw new InputError(`${file}: missing must be "error" or "mask", got ${JSON.stringify(opts.missing)}`, { file });
  if (opts.missing === "mask" && opts.impute === "ffill") throw new InputError(`${file}: missing cells are either forward-filled (impute) or masked (missing), not both`, { file });
  if (opts.maxLag !== undefined && !(Number.isInteger(opts.maxLag) && opts.maxLag >= 1))
    throw new InputError(`${file}: maxLag must be an integer >= 1, got ${opts.maxLag}`, { file });
  if (opts.impute !== undefined && opts.impute !== "none" && opts.impute !== "ffill")
    throw new InputError(`${file}: impute must be "none" or "ffill", got ${JSON.stringify(opts.impute)}`, { file });
}

/** Names must be non-empty and unique; `where(i)` describes name i for messages. */
export function checkNames(names: string[], file: string, where: (i: number) => string, location: { row?: number } = {}): void {
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
export function checkRowsAndColumns(series: TimeSeries, file: string, maxLag: number | undefined, columnOffset: number): void {
  const { variables, length: T, data } = series;
  const V = variables.length;
  const need = minRows(maxLag);
  if (T < need) {
    const why = maxLag === undefined ? "without maxLag, at least 3" : `maxLag + 2 = ${need} for maxLag ${maxLag}`;
    throw new InputError(`${file}: the series has ${T} row${T === 1 ? "" : "s"}; at least ${need} are needed (${why})`, { file, row: T });
  }
  for (let v = 0; v < V; v++) {
    let t = 0;
    while (t < T && Number.isNaN(data[t * V + v])) t++; // a masked (missing) cell holds NaN
    const first = t < T ? data[t * V + v] : NaN;
    while (t < T && (data[t * V + v] === first || Number.isNaN(data[t * V + v]))) t++;
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
      if (!Number.isFinite(x) && !(series.mask && series.mask[t * V + v] !== 0))
        throw new InputError(`${file}: row ${t + 1}, ${describeColumn(variables[v], v)}: the value ${x} is not finite`, { file, row: t + 1, column: variables[v] });
    }
  try {
    validateLayout(series);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${file}: ${e.message}`, { file });
    throw e;
  }
  checkRowsAndColumns(series, file, opts.maxLag, 0);
}

/** Exact powers of ten 1e0..1e22 (every one is a double without rounding). */
