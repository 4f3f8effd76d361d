// The CSV time-series reader (formats.md "Time series input"): papaparse splits records (quoted
// newlines, delimiters, doubled quotes); this file turns them into a [T, V] series one record at a
// time, with the physical line, data row and column of every bad cell.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- papaparse ships no types: papaparse.d.ts declares the part used, for every program that compiles this file
/// <reference path="./papaparse.d.ts" />
import Papa, { type Parser } from "papaparse";
import { InputError } from "../errors.js";
import type { TimeSeries } from "../types.js";
import { COMMA, DOT, plainCell, plainRow } from "./csv-numbers.js";
import { COMMA_NUMBER, DOT_NUMBER, detectDelimiter, firstRecordQuoting, isIsoDate, looksLikeData, numberHint } from "./csv-sniff.js";
import type { SeriesReadOptions } from "./series.js";
import { type Cell, TIME_NAMES, cellProblem, checkNames, checkReadOptions, checkRowsAndColumns, classifyCell } from "./series-check.js";
import { NO_FILE, cellText, describeColumn, isBlank } from "./text.js";

/** Characters handed to the parser at a time by `parseSeriesCsv`. */
const CHUNK = 1 << 20;
/** Characters gathered before the delimiter and the first record are decided. */
const SAMPLE = 1 << 16;

/**
 * A copy of `s` that does not hold on to the chunk it was cut from (V8 keeps a slice of 13+
 * characters as a view of its parent string): time stamps are kept, chunks must not be.
 */
function own(s: string): string {
  return s.length < 13 ? s : (" " + s).slice(1);
}

/** Line breaks inside a cell (quoted newlines; the text is already `\n`-only). */
function newlines(cell: string): number {
  let n = 0;
  for (let i = cell.indexOf("\n"); i !== -1; i = cell.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * Reads a CSV time series from text given in pieces (`write`, then `end`): memory holds the
 * [T, V] values, the time stamps and one chunk of text. `parseSeriesCsv` and the Node
 * `readSeries` use it.
 */
export class CsvSeriesReader {
  private readonly file: string;
  private readonly impute: boolean;
  private readonly masking: boolean;
  private readonly missing: number[] = []; // flat indices of masked cells
  private buffer = ""; // text not yet parsed: the sample, then a record cut by a chunk's end
  private started = false; // first chunk seen (BOM stripped)
  private parser: Parser | undefined;
  private delimiter = ",";
  private firstQuoted: boolean[] = [];
  private line = 1; // physical line where the next record starts
  private header: string[] | undefined; // header cells (time column included)
  private headerLine = 0;
  private decided = false; // header and time axis known
  private names: string[] = [];
  private width = 0; // cells per record, time column included
  private trailing = false; // Excel-style trailing delimiter on the header
  private hasTime = false;
  private timeByContent = false; // first column taken as time because its cells are ISO dates
  private off = 0;
  private blanks = 0; // blank lines waiting (a one-column file reads them as empty cells)
  private dec = 0; // decimal separator: DOT, COMMA, or 0 while undecided (`;`/tab files)
  private decAt = "";
  private readonly seen = { sep: 0 }; // separator `plainCell` met while undecided
  private density = 0; // line breaks per character in the sample
  private data = new Float64Array(0); // [capacity, V]
  private readonly time: string[] = [];
  private r = 0; // data rows read

  /** `size`: the file's length in characters or bytes, when known, to size the [T, V] array once. */
  constructor(
    private readonly opts: SeriesReadOptions = {},
    private readonly size?: number,
  ) {
    this.file = opts.file ?? NO_FILE;
    checkReadOptions(opts, this.file);
    if (opts.delimiter !== undefined && opts.delimiter !== "," && opts.delimiter !== ";" && opts.delimiter !== "\t")
      throw new InputError(`${this.file}: delimiter must be ",", ";" or "\\t", got ${JSON.stringify(opts.delimiter)}`, { file: this.file });
    if (opts.decimal !== undefined && opts.decimal !== "." && opts.decimal !== ",")
      throw new InputError(`${this.file}: decimal must be "." or ",", got ${JSON.stringify(opts.decimal)}`, { file: this.file });
    if (opts.decimal === "," && opts.delimiter === ",") throw new InputError(`${this.file}: decimal commas need a ";" or tab delimiter`, { file: this.file });
    this.impute = opts.impute === "ffill";
    this.masking = opts.missing === "mask";
  }

  /** Adds the next piece of the file. */
  write(chunk: string): void {
    let text = chunk;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.parser === undefined) {
      this.buffer += text;
      if (this.buffer.length < SAMPLE) return;
      this.start(false);
      text = this.buffer;
      this.buffer = "";
    }
    this.feed(text, false);
  }

  /** Reads what is left and returns the checked series. */
  end(): TimeSeries {
    let text = "";
    if (this.parser === undefined) {
      this.start(true);
      text = this.buffer;
      this.buffer = "";
    }
    this.feed(text, true);
    this.flushBlanks(false);
    if (this.header === undefined) throw new InputError(`${this.file}: the file is empty`, { file: this.file });
    if (!this.decided) this.decide(undefined);
    const V = this.names.length;
    // The array was sized from the file length: within 1/16 of the rows read, a view of it
    // (no second [T, V] copy at the peak); further off, a trimmed copy.
    const n = this.r * V;
    const data = this.data.length - n <= this.data.length / 16 ? this.data.subarray(0, n) : this.data.slice(0, n);
    const series: TimeSeries = { variables: this.names, length: this.r, data };
    if (this.hasTime) series.time = this.time;
    if (this.missing.length > 0) {
      const mask = new Uint8Array(this.r * V); // [T, V]
      for (const i of this.missing) mask[i] = 1;
      series.mask = mask;
    }
    checkRowsAndColumns(series, this.file, this.opts.maxLag, this.off);
    return series;
  }

  /** Decides the delimiter, the first record's quoting and the decimal separator from the sample in `buffer`. */
  private start(complete: boolean): void {
    const sample = this.buffer.includes("\r") ? this.buffer.replace(/\r\n?/g, "\n") : this.buffer;
    this.delimiter = this.opts.delimiter ?? detectDelimiter(sample, complete);
    this.firstQuoted = firstRecordQuoting(sample, this.delimiter, complete);
    this.dec = this.opts.decimal === "," ? COMMA : this.opts.decimal === "." || this.delimiter === "," ? DOT : 0;
    if (this.opts.decimal !== undefined) this.decAt = "as the decimal option says";
    this.parser = new Papa.Parser({ delimiter: this.delimiter, newline: "\n" });
    this.density = (sample.split("\n").length - 1) / Math.max(1, sample.length);
  }

  /** Reads the complete records of `buffer + text` (all of it when `final`); keeps the rest in `buffer`. */
  private feed(text: string, final: boolean): void {
    if (text.indexOf('"') === -1 && this.buffer.indexOf('"') === -1 && (text.includes("\n") || !text.includes("\r"))) {
      // No quote in the text: records are lines, as in papaparse's own fast mode; plain rows are
      // read straight from the line without building their cells (CRs are handled per line).
      const lines = text.split("\n");
      lines[0] = this.buffer + lines[0];
      const n = final ? lines.length : lines.length - 1;
      this.buffer = final ? "" : lines[n];
      for (let k = 0; k < n; k++) this.lineRecord(lines[k]);
      return;
    }
    // Quotes (or bare CRs only): papaparse reads the text with its line breaks made LF; a CR at
    // the end waits for the next chunk (it may be half of a CRLF).
    let t = this.buffer + text;
    const held = !final && t.endsWith("\r");
    if (held) t = t.slice(0, -1);
    if (t.includes("\r")) t = t.replace(/\r\n?/g, "\n"); // CRLF and bare CR (old Mac) read as LF
    this.buffer = t;
    const res = (this.parser as Parser).parse(this.buffer, 0, !final);
    this.buffer = final ? "" : this.buffer.slice(res.meta.cursor) + (held ? "\r" : "");
    const rows = res.data;
    const errors = res.errors;
    for (let k = 0; k < rows.length; k++) {
      const err = errors.length === 0 ? undefined : errors.find((e) => e.row === k);
      if (err !== undefined) {
        const what = err.code === "MissingQuotes" ? "unterminated double quote" : err.code === "InvalidQuotes" ? "unexpected text after a quoted cell" : err.message;
        throw new InputError(`${this.file}: line ${this.line}: ${what}`, { file: this.file, row: this.line });
      }
      this.record(rows[k]);
    }
  }

  /** One line of quote-free text: a row of plain decimals on the fast path, else its cells. */
  private lineRecord(raw: string): void {
    const end = raw.charCodeAt(raw.length - 1) === 13 ? raw.length - 1 : raw.length; // CRLF: the CR is not read
    if (this.decided && this.blanks === 0) {
      const base = this.grow();
      const V = this.names.length;
      const delim = this.delimiter.charCodeAt(0);
      if (this.hasTime) {
        const d = raw.indexOf(this.delimiter);
        const stamp = d > 0 ? raw.slice(0, d).trim() : "";
        const row = stamp !== "" && (!this.timeByContent || isIsoDate(stamp));
        if (row && plainRow(raw, d + 1, end, this.data, base, V, delim, this.dec, this.trailing)) {
          this.time.push(own(stamp));
          this.r++;
          this.line++;
          return;
        }
      } else if (plainRow(raw, 0, end, this.data, base, V, delim, this.dec, this.trailing)) {
        this.r++;
        this.line++;
        return;
      }
    }
    const line = end < raw.length ? raw.slice(0, end) : raw;
    if (line.includes("\r")) for (const part of line.split("\r")) this.lineRecord(part); // bare CRs among LFs
    else this.record(line.split(this.delimiter));
  }

  /** Makes room for one more row; returns its first index in `data`. */
  private grow(): number {
    const V = this.names.length;
    if ((this.r + 1) * V > this.data.length) {
      const grown = new Float64Array(this.data.length * 2); // [2 * capacity, V]
      grown.set(this.data);
      this.data = grown;
    }
    return this.r * V;
  }

  /** One record: a blank line, the header or first data row, or a data row. */
  private record(cells: string[]): void {
    if (cells.length === 1 && isBlank(cells[0])) {
      if (this.header !== undefined && this.width === 1) this.blanks++;
      this.line++;
      return;
    }
    if (this.header === undefined) {
      const commas = this.dec !== DOT;
      const isHeader = this.opts.header ?? !looksLikeData(cells, this.firstQuoted, commas);
      if (isHeader) {
        this.header = cells.map((c, i) => (this.firstQuoted[i] ? c : cellText(c)));
        if (this.header.length > 1 && this.header[this.header.length - 1] === "" && !this.firstQuoted[this.header.length - 1]) {
          this.trailing = true; // `a,b,` (Excel exports): the last, empty cell of each line is dropped
          this.header.pop();
        }
        this.width = this.header.length;
        this.headerLine = this.line;
        for (const c of cells) this.line += newlines(c);
        this.line++;
        return;
      }
      this.header = [];
      this.width = cells.length;
    }
    this.flushBlanks(true);
    if (!this.decided) this.decide(cells);
    this.row(cells);
  }

  /** Blank lines inside a one-column file are empty cells; those at the end are not read. */
  private flushBlanks(more: boolean): void {
    const n = this.blanks;
    this.blanks = 0;
    if (!more || n === 0) return;
    const next = this.line;
    for (let k = 0; k < n; k++) {
      this.line = next - n + k;
      this.row([""]);
    }
    this.line = next;
  }

  /** Names, time axis and column layout, from the header and the first data record. */
  private decide(first: string[] | undefined): void {
    this.decided = true;
    const head = this.header ?? [];
    const cell0 = first !== undefined && first.length > 0 ? cellText(first[0]) : "";
    if (head.length > 0) {
      this.hasTime = this.width > 1 && (TIME_NAMES.has(head[0].toLowerCase()) || isIsoDate(cell0));
      this.timeByContent = this.hasTime && !TIME_NAMES.has(head[0].toLowerCase());
      this.off = this.hasTime ? 1 : 0;
      this.names = head.slice(this.off);
      const off = this.off;
      checkNames(this.names, this.file, (i) => `line ${this.headerLine}, ${describeColumn(this.names[i], i + off)}`, { row: this.headerLine });
    } else {
      this.hasTime = this.width > 1 && isIsoDate(cell0);
      this.timeByContent = this.hasTime;
      this.off = this.hasTime ? 1 : 0;
      this.names = Array.from({ length: this.width - this.off }, (_, i) => `x${i}`);
    }
    const rows = this.size === undefined ? 1024 : Math.ceil(this.size * this.density * 1.01) + 16; // grown by doubling when short
    this.data = new Float64Array(rows * this.names.length);
  }

  /** Where cell `c` of the record at `line` is: `file: line L (row r), column "x" (#c)`. */
  private where(line: number, c: number): string {
    const name = c - this.off >= 0 ? this.names[c - this.off] : "time";
    return `${this.file}: line ${line} (row ${this.r + 1}), ${describeColumn(name, c)}`;
  }

  /** One data record into row `r`: plain decimals on the fast path, anything else checked cell by cell. */
  private row(cells: string[]): void {
    const V = this.names.length;
    const base = this.grow();
    const line = this.line;
    const off = this.off;
    let fast = cells.length === this.width || (this.trailing && cells.length === this.width + 1 && cells[this.width] === "");
    for (let v = 0; fast && v < V; v++) {
      const x = this.plain(cells[v + off], line, v + off);
      if (x !== x) fast = false; // NaN: not a plain decimal
      else this.data[base + v] = x;
    }
    let stamp = "";
    if (fast && this.hasTime) {
      stamp = cells[0].trim();
      if (stamp === "" || stamp.includes("\n") || stamp.charCodeAt(0) === 34 || (this.timeByContent && !isIsoDate(stamp))) fast = false;
    }
    if (fast) {
      if (this.hasTime) this.time.push(own(stamp));
      this.line++;
    } else this.careful(cells, line, base);
    this.r++;
  }

  /** `plainCell`, fixing an undecided decimal separator at the first one seen. */
  private plain(s: string, line: number, col: number): number {
    if (this.dec !== 0) return plainCell(s, this.dec, this.seen);
    this.seen.sep = 0;
    const x = plainCell(s, 0, this.seen);
    if (this.seen.sep !== 0) this.decideDecimal(this.seen.sep, line, col);
    return x;
  }

  /** Fixes the decimal separator of a `;`/tab file at its first number with one. */
  private decideDecimal(code: number, line: number, col: number): void {
    this.dec = code;
    const name = col - this.off >= 0 ? this.names[col - this.off] : "time";
    this.decAt = `first at line ${line}, ${describeColumn(name, col)}`;
  }

  /** The checked path: ragged rows, time stamps, missing/infinite/odd cells, decimal commas; names the problem. */
  private careful(cells: string[], line: number, base: number): void {
    const { file, width, off, names } = this;
    const V = names.length;
    let n = cells.length;
    if (this.trailing && n === width + 1) {
      const extra = cellText(cells[width]);
      if (extra !== "")
        throw new InputError(`${file}: line ${line} (row ${this.r + 1}): cell #${width + 1} "${extra}" has no column name (the header ends with an empty name); name the column or remove the trailing delimiter`, {
          file,
          row: line,
          column: width,
        });
      n = width;
    }
    if (n !== width) {
      const detail =
        n < width ? `${describeColumn(n - off >= 0 ? names[n - off] : "time", n)} is missing` : `unexpected extra cell #${width + 1} "${cellText(cells[width])}"`;
      throw new InputError(`${file}: line ${line} (row ${this.r + 1}): ragged row with ${n} cells, expected ${width}: ${detail}`, {
        file,
        row: line,
        column: n < width ? names[n - off] : width,
      });
    }
    let at = line; // physical line of cell c: quoted newlines before it move it down
    if (this.hasTime) {
      const stamp = cellText(cells[0]);
      if (stamp === "") throw new InputError(`${this.where(at, 0)}: the time cell is empty`, { file, row: at, column: "time" });
      if (this.timeByContent && !isIsoDate(stamp))
        throw new InputError(
          `${this.where(at, 0)}: the time cell "${stamp}" is not an ISO-8601 date; the first column was read as the time axis because its first cell is one (2024-01-31 or 2024-01-31T12:00)`,
          { file, row: at, column: "time" },
        );
      this.time.push(own(stamp));
      at += newlines(cells[0]);
    }
    for (let v = 0; v < V; v++) {
      const raw = cells[v + off];
      const cell = this.cell(raw, at, v + off);
      if (cell.kind === "value") this.data[base + v] = cell.value;
      else if (cell.kind === "missing" && this.impute) {
        if (this.r === 0) throw new InputError(`${this.where(at, v + off)}: the first row is missing, so there is nothing to forward-fill from`, { file, row: at, column: names[v] });
        this.data[base + v] = this.data[base - V + v];
      } else if (cell.kind === "missing" && this.masking) {
        this.data[base + v] = NaN;
        this.missing.push(base + v);
      } else {
        const hint = cell.kind === "bad" ? this.hint(cell.text) : "";
        throw new InputError(`${this.where(at, v + off)}: ${cellProblem(cell, this.impute)}${hint}`, { file, row: at, column: names[v] });
      }
      at += newlines(raw);
    }
    for (let c = width; c < cells.length; c++) at += newlines(cells[c]);
    this.line = at + 1;
  }

  /** A cell's value, reading one decimal comma in `;`/tab files (and fixing the file's separator). */
  private cell(raw: string, line: number, col: number): Cell {
    let text = cellText(raw);
    if (this.delimiter !== "," && this.dec !== DOT && COMMA_NUMBER.test(text)) {
      if (this.dec === 0) this.decideDecimal(COMMA, line, col);
      text = text.replace(",", ".");
    } else if (this.delimiter !== "," && this.dec === COMMA && DOT_NUMBER.test(text)) return { kind: "bad", text };
    else if (this.dec === 0 && DOT_NUMBER.test(text)) this.decideDecimal(DOT, line, col);
    return classifyCell(text);
  }

  /** Why a cell that looks numeric is refused. */
  private hint(text: string): string {
    if (this.delimiter !== ",") {
      if (this.dec === COMMA && DOT_NUMBER.test(text)) return ` (this file writes decimal commas, ${this.decAt}; a point here may be a thousands separator: write the number as 1234,5)`;
      if (this.dec === DOT && COMMA_NUMBER.test(text)) return ` (this file writes decimal points, ${this.decAt}; one file holds one decimal separator)`;
    }
    return numberHint(text, this.delimiter);
  }
}

/**
 * Parses a CSV time series (formats.md): a header row of variable names, then one row per time
 * step. The delimiter is detected (`,`, `;` or tab; `delimiter` forces one); files delimited by
 * `;` or tabs may write decimal commas (`1,5`), one separator per file. A first column named
 * `time`, `timestamp`, `t`, `date` or `index`, or any first column whose first cell is an
 * ISO-8601 date (`2024-01-31`, `2024-01-31 12:00`), becomes `series.time` (strings). Without a
 * header (first row numeric) the names are `x0 ... x{V-1}`; a first row reading exactly
 * `0,1,...,V-1` is a header (pandas' default names, as in NetSim). Accepts CR, LF and CRLF, a
 * UTF-8 BOM, blank lines (skipped, except in a one-column file where a blank line is an empty
 * cell), spaces around cells, quoted cells (with delimiters, doubled quotes and line breaks
 * inside) and a trailing delimiter on every line (Excel). Every bad cell is an `InputError`
 * naming the file, the physical line (`location.row`), the data row and the column.
 *
 * @example const s = parseSeriesCsv("time,a,b\n0,1,2\n1,2,0\n2,4,1\n", { file: "x.csv" });
 */
export function parseSeriesCsv(text: string, opts: SeriesReadOptions = {}): TimeSeries {
  const reader = new CsvSeriesReader(opts, text.length);
  for (let i = 0; i < text.length; i += CHUNK) reader.write(text.slice(i, i + CHUNK));
  return reader.end();
}
