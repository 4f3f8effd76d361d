// What the CSV reader decides from the start of a file before reading rows: the delimiter, the
// first record (header or data, which of its cells were quoted), and the cell shapes it
// recognises (ISO-8601 time stamps, decimal commas, thousands separators). formats.md "Time series input".
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- papaparse ships no types: papaparse.d.ts declares the part used, for every program that compiles this file
/// <reference path="./papaparse.d.ts" />
import Papa from "papaparse";
import { INFINITE, MISSING } from "./series-check.js";
import { isBlank } from "./text.js";

/** Delimiters the reader detects, in order of preference when several split the sample evenly. */
export const CSV_DELIMITERS: readonly string[] = ["\t", ";", ","];

/** ISO-8601 date or date-time: `2024-01-31`, `2024-01-31T12:00`, `2024-01-31 12:00:05.5+01:00`, `...Z`. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** True when `text` is an ISO-8601 date or date-time with a valid month, day, hour, minute and second. */
export function isIsoDate(text: string): boolean {
  const m = ISO.exec(text);
  if (!m) return false;
  const [mo, d] = [Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  if (m[4] === undefined) return true;
  return Number(m[4]) <= 23 && Number(m[5]) <= 59 && (m[6] === undefined || Number(m[6]) <= 60);
}

/** A number with one decimal comma (`1,5`, `-,25`, `3,0e-2`). */
export const COMMA_NUMBER = /^[+-]?(?:\d+,\d*|,\d+)(?:[eE][+-]?\d+)?$/;
/** A number with one decimal point (`1.5`, `.25`, `3.0e-2`). */
export const DOT_NUMBER = /^[+-]?(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Digits grouped by thousands separators (`1,234`, `1.234.567,5`, `12 345`, `1'000`). */
const GROUPED = /^[+-]?\d{1,3}(?:[,.' \u00a0]\d{3})+(?:[.,]\d+)?$/;

/** Why a non-numeric cell may look numeric to a person: a hint appended to "is not a number", or "". */
export function numberHint(text: string, delimiter: string): string {
  if (GROUPED.test(text) && !COMMA_NUMBER.test(text) && !DOT_NUMBER.test(text)) return " (thousands separators are not read: write the digits without them)";
  if (COMMA_NUMBER.test(text) && delimiter === ",")
    return ' (a decimal comma? Only files delimited by ";" or tabs may write decimal commas; this one is comma-delimited)';
  return "";
}

/** The records at the start of `sample` split with `delimiter` (a record cut by the sample's end left out). */
function previewRecords(sample: string, delimiter: string, complete: boolean, n: number): string[][] {
  const rows = new Papa.Parser({ delimiter, newline: "\n", preview: n }).parse(sample, 0, !complete).data;
  return rows.filter((r) => !(r.length === 1 && isBlank(r[0])));
}

/**
 * Picks the delimiter from the first records of a file (newlines already `\n`): the first of tab,
 * `;`, `,` that splits every sampled record into the same number (>= 2) of cells; when none
 * does (a ragged row early on), the one giving the first record the most cells; `,` for one column.
 * `;` before `,` is what reads European files (`1,5;2,25`) right: their commas split unevenly or,
 * when evenly, a `;` that also splits evenly is the delimiter.
 */
export function detectDelimiter(sample: string, complete: boolean): string {
  let best = ",";
  let bestCells = 1;
  for (const d of CSV_DELIMITERS) {
    const rows = previewRecords(sample, d, complete, 12);
    if (rows.length === 0) continue;
    const n = rows[0].length;
    if (n >= 2 && rows.every((r) => r.length === n)) return d;
    if (n > bestCells) [best, bestCells] = [d, n];
  }
  return best;
}

/**
 * Which cells of the first non-blank record were double-quoted, found by walking the raw text
 * along the parsed cells (papaparse gives values only). A quoted first row is a header.
 */
export function firstRecordQuoting(sample: string, delimiter: string, complete: boolean): boolean[] {
  const rows = new Papa.Parser({ delimiter, newline: "\n", preview: 64 }).parse(sample, 0, !complete).data;
  let p = 0;
  for (const cells of rows) {
    if (!(cells.length === 1 && isBlank(cells[0]))) {
      return cells.map((cell) => {
        if (sample[p] !== '"') {
          p += cell.length + delimiter.length;
          return false;
        }
        p += 2 + cell.length + cell.split('"').length - 1; // quotes around, and each inner quote doubled
        while (sample[p] === " " || sample[p] === "\t") p++;
        p += delimiter.length;
        return true;
      });
    }
    p += cells[0].length + 1; // a blank line and its newline
  }
  return [];
}

/** A cell text that reads as a number: a plain decimal, or with a decimal comma when `commas`. */
function numeric(t: string, commas: boolean): boolean {
  if (INFINITE.has(t)) return true;
  if (commas && COMMA_NUMBER.test(t)) return true;
  return t !== "" && !Number.isNaN(Number(t));
}

/**
 * True when a first record reads as data rather than a header: no cell quoted, every cell
 * numeric or missing (one at least numeric); the first cell may be an ISO-8601 time stamp.
 * pandas writes headerless frames with the header 0,1,...,V-1 (NetSim files): that is a header.
 */
export function looksLikeData(cells: string[], quoted: boolean[], commas: boolean): boolean {
  if (quoted.some((q) => q)) return false;
  if (cells.length >= 2 && cells.every((c, i) => c.trim() === String(i))) return false;
  let numbers = 0;
  for (let i = 0; i < cells.length; i++) {
    const t = cells[i].trim().toLowerCase();
    if (MISSING.has(t)) continue;
    if (i === 0 && cells.length > 1 && isIsoDate(cells[i].trim())) continue;
    if (!numeric(t, commas)) return false;
    numbers++;
  }
  return numbers > 0;
}
