// Ground-truth readers and writers: causeway JSON, TCDF `cause,effect,delay` files and
// LCM/CDML window-graph targets (formats.md "Ground truth", shared/data/README.md).
import { InputError } from "../errors.js";
import type { GroundTruth, LaggedEdge } from "../types.js";
import { NO_FILE, describeColumn, isBlank, isRecord, parseJsonText, splitLines, stripBom } from "./text.js";

/** Which column of a TCDF truth line is the cause. */
export type TcdfOrder = "cause-effect" | "effect-cause";

export interface TruthJsonOptions {
  file?: string;
  /** Return the truth in this variable order (must be the same set of names). */
  variables?: string[];
}

export interface TcdfTruthOptions {
  /** The data's variable names; line indices are 0-based positions in this list. */
  variables: string[];
  file?: string;
  /**
   * `"cause-effect"` (default): column 0 is the cause, as TCDF's `runTCDF.py` reads it.
   * `"effect-cause"`: column 0 is the effect, as the LCM-paper loader reads NetSim files.
   */
  order?: TcdfOrder;
  /** Default: the largest delay in the file. A larger delay is an error. */
  maxLag?: number;
}

export interface CdmlTargetOptions {
  /** Return the truth in this variable order (the data file's); matched BY NAME. */
  variables?: string[];
  file?: string;
}

export interface ReadTruthOptions {
  /** The data's variables: required for TCDF files, used to order JSON and CDML truths. */
  variables?: string[];
  /** TCDF files only (see `TcdfTruthOptions.order`). */
  order?: TcdfOrder;
  /** TCDF files only (see `TcdfTruthOptions.maxLag`). */
  maxLag?: number;
}

function checkVariableList(variables: unknown, file: string, what: string): string[] {
  if (!Array.isArray(variables) || variables.length === 0) throw new InputError(`${file}: ${what} must be a non-empty array of names`, { file });
  const seen = new Set<string>();
  variables.forEach((v, i) => {
    if (typeof v !== "string" || v === "") throw new InputError(`${file}: ${what}[${i}] must be a non-empty string, got ${JSON.stringify(v)}`, { file, column: i });
    if (seen.has(v)) throw new InputError(`${file}: ${what}[${i}]: duplicate variable name "${v}"`, { file, column: v });
    seen.add(v);
  });
  return variables as string[];
}

/**
 * Checks a ground truth: unique names, integer `maxLag >= 1`, edges naming known variables with
 * integer lags in `1..maxLag` and no repeats; `summaryOnly` truths carry lag 1 (formats.md).
 */
export function validateTruth(truth: GroundTruth, opts: { file?: string } = {}): void {
  const file = opts.file ?? NO_FILE;
  const names = new Set(checkVariableList(truth.variables, file, "variables"));
  if (!Number.isInteger(truth.maxLag) || truth.maxLag < 1) throw new InputError(`${file}: maxLag must be an integer >= 1, got ${JSON.stringify(truth.maxLag)}`, { file });
  if (typeof truth.summaryOnly !== "boolean") throw new InputError(`${file}: summaryOnly must be true or false`, { file });
  if (!Array.isArray(truth.edges)) throw new InputError(`${file}: edges must be an array`, { file });
  const seen = new Map<string, number>();
  truth.edges.forEach((e: unknown, i) => {
    const at = `${file}: edges[${i}]`;
    if (!isRecord(e)) throw new InputError(`${at} must be an object { "cause", "effect", "lag" }`, { file, row: i + 1 });
    for (const key of ["cause", "effect"] as const) {
      if (typeof e[key] !== "string" || !names.has(e[key] as string))
        throw new InputError(`${at}: ${key} ${JSON.stringify(e[key])} is not one of the variables`, { file, row: i + 1, column: key });
    }
    const lag = e.lag;
    if (typeof lag !== "number" || !Number.isInteger(lag) || lag < 1 || lag > truth.maxLag)
      throw new InputError(`${at}: lag ${JSON.stringify(lag)} must be an integer in 1..maxLag (${truth.maxLag})`, { file, row: i + 1, column: "lag" });
    if (truth.summaryOnly && lag !== 1) throw new InputError(`${at}: a summaryOnly truth carries lag 1 on every edge, got ${lag}`, { file, row: i + 1, column: "lag" });
    const key = `${e.cause as string}\u0000${e.effect as string}\u0000${lag}`;
    const first = seen.get(key);
    if (first !== undefined) throw new InputError(`${at} repeats edges[${first}] (${e.cause as string} -> ${e.effect as string} at lag ${lag})`, { file, row: i + 1 });
    seen.set(key, i);
  });
}

/** Puts a truth in the caller's variable order; the name sets must match. */
function alignTruth(truth: GroundTruth, variables: string[] | undefined, file: string): GroundTruth {
  if (variables === undefined) return truth;
  const given = checkVariableList(variables, file, "the variables option");
  const have = new Set(truth.variables);
  const want = new Set(given);
  const missing = given.filter((v) => !have.has(v));
  const extra = truth.variables.filter((v) => !want.has(v));
  if (missing.length > 0 || extra.length > 0)
    throw new InputError(
      `${file}: the truth's variables do not match the data's` +
        (missing.length ? `; not in the truth: ${missing.join(", ")}` : "") +
        (extra.length ? `; not in the data: ${extra.join(", ")}` : ""),
      { file },
    );
  return { ...truth, variables: [...given] };
}

/**
 * Parses a causeway ground-truth JSON file (formats.md). `summaryOnly` defaults to false.
 *
 * @example parseTruthJson('{"variables":["a","b"],"maxLag":1,"edges":[{"cause":"a","effect":"b","lag":1}]}')
 */
export function parseTruthJson(text: string, opts: TruthJsonOptions = {}): GroundTruth {
  const file = opts.file ?? NO_FILE;
  const doc = parseJsonText(text, file);
  if (!isRecord(doc)) throw new InputError(`${file}: expected an object { "variables", "maxLag", "edges", "summaryOnly" }`, { file });
  const truth = {
    variables: doc.variables,
    maxLag: doc.maxLag,
    edges: doc.edges,
    summaryOnly: doc.summaryOnly ?? false,
  } as GroundTruth;
  validateTruth(truth, { file });
  const edges = truth.edges.map((e) => ({ cause: e.cause, effect: e.effect, lag: e.lag }));
  return alignTruth({ variables: [...truth.variables], maxLag: truth.maxLag, edges, summaryOnly: truth.summaryOnly }, opts.variables, file);
}

/** Non-negative integer written in plain decimal digits, else NaN. */
function parseIndex(text: string): number {
  if (text.length === 0 || text.length > 9) return NaN;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return NaN;
  }
  return Number(text);
}

/**
 * Parses a TCDF ground-truth file: one `cause,effect,delay` line per edge, 0-based column
 * indices into `variables`, CR / LF / CRLF line endings, blank lines ignored. Delay 0
 * (contemporaneous) is an error: formats.md lags start at 1.
 *
 * @example parseTcdfTruth("0,1,1\r1,2,2\r", { variables: ["a", "b", "c"] })
 */
export function parseTcdfTruth(text: string, opts: TcdfTruthOptions): GroundTruth {
  const file = opts.file ?? NO_FILE;
  const variables = checkVariableList(opts.variables, file, "the variables option");
  const order = opts.order ?? "cause-effect";
  if (order !== "cause-effect" && order !== "effect-cause") throw new InputError(`${file}: order must be "cause-effect" or "effect-cause", got ${JSON.stringify(order)}`, { file });
  if (opts.maxLag !== undefined && !(Number.isInteger(opts.maxLag) && opts.maxLag >= 1))
    throw new InputError(`${file}: maxLag must be an integer >= 1, got ${opts.maxLag}`, { file });
  const V = variables.length;
  const roles = order === "cause-effect" ? ["cause", "effect", "delay"] : ["effect", "cause", "delay"];
  const edges: LaggedEdge[] = [];
  const seen = new Map<string, number>();
  let maxDelay = 0;
  const lines = splitLines(text);
  lines.forEach((line, i) => {
    if (isBlank(line)) return;
    const at = `${file}: line ${i + 1}`;
    const cells = line.split(",").map((c) => c.trim());
    if (cells.length !== 3) throw new InputError(`${at}: expected 3 cells "${roles.join(",")}", found ${cells.length}: "${line.trim()}"`, { file, row: i + 1 });
    const nums = cells.map(parseIndex);
    nums.forEach((n, c) => {
      const where = `${at}, ${describeColumn(roles[c], c)}`;
      if (Number.isNaN(n)) throw new InputError(`${where}: "${cells[c]}" is not a non-negative whole number`, { file, row: i + 1, column: roles[c] });
      if (c < 2 && n >= V) throw new InputError(`${where}: index ${n} is out of range for ${V} variables (0..${V - 1})`, { file, row: i + 1, column: roles[c] });
    });
    const [c0, c1, delay] = nums;
    const [cause, effect] = order === "cause-effect" ? [c0, c1] : [c1, c0];
    const where = `${at}, ${describeColumn("delay", 2)}`;
    if (delay === 0) throw new InputError(`${where}: delay 0 is a contemporaneous edge; formats.md lags start at 1`, { file, row: i + 1, column: "delay" });
    if (opts.maxLag !== undefined && delay > opts.maxLag) throw new InputError(`${where}: delay ${delay} exceeds maxLag ${opts.maxLag}`, { file, row: i + 1, column: "delay" });
    const key = `${cause},${effect},${delay}`;
    const first = seen.get(key);
    if (first !== undefined) throw new InputError(`${at} repeats line ${first} (${variables[cause]} -> ${variables[effect]} at lag ${delay})`, { file, row: i + 1 });
    seen.set(key, i + 1);
    maxDelay = Math.max(maxDelay, delay);
    edges.push({ cause: variables[cause], effect: variables[effect], lag: delay });
  });
  if (edges.length === 0) throw new InputError(`${file}: no "cause,effect,delay" lines found`, { file });
  return { variables: [...variables], maxLag: opts.maxLag ?? maxDelay, edges, summaryOnly: false };
}

/** `NAME_t` (k = 0) or `NAME_t-K`. */
function parseWindowLabel(label: string): { name: string; k: number } | undefined {
  const m = /^(.+)_t(?:-(\d+))?$/.exec(label);
  return m ? { name: m[1], k: m[2] === undefined ? 0 : Number(m[2]) } : undefined;
}

/** True when a header line looks like a CDML window-graph target (`,Y1_t,Y1_t-1,...`). */
function looksLikeCdml(firstLine: string): boolean {
  const cells = firstLine.split(",").slice(1);
  return cells.length > 0 && cells.every((c) => parseWindowLabel(c.trim()) !== undefined);
}

/**
 * Parses a CDML `_target.csv` window-graph adjacency (LCM paper data; shared/data/README.md).
 * The first column holds row labels; rows and columns are `V_t, V_t-1, ..., V_t-maxLag`. A 1
 * at (row `A_t-k`, column `B_t`) means A at lag k causes B. Cells at (row `A_t-(k+j)`, column
 * `B_t-j`) repeat that edge shifted in time and must agree with it. Variables are matched BY
 * NAME: pass the data file's `variables` to get the truth in the data's column order.
 *
 * @example parseCdmlTarget(targetText, { variables: series.variables, file })
 */
export function parseCdmlTarget(text: string, opts: CdmlTargetOptions = {}): GroundTruth {
  const file = opts.file ?? NO_FILE;
  const lines = splitLines(text);
  let h = 0;
  while (h < lines.length && isBlank(lines[h])) h++;
  if (h === lines.length) throw new InputError(`${file}: the file is empty`, { file });
  const header = lines[h].split(",").map((c) => c.trim());
  const cols = header.slice(1).map((label, j) => {
    const p = parseWindowLabel(label);
    if (!p) throw new InputError(`${file}: line ${h + 1}, ${describeColumn(label, j + 1)}: expected a window label NAME_t or NAME_t-K`, { file, row: h + 1, column: label });
    return p;
  });
  if (cols.length === 0) throw new InputError(`${file}: line ${h + 1}: the header has no window columns`, { file, row: h + 1 });
  const variables: string[] = [];
  for (const c of cols) if (!variables.includes(c.name)) variables.push(c.name);
  const maxLag = Math.max(...cols.map((c) => c.k));
  if (maxLag < 1) throw new InputError(`${file}: line ${h + 1}: the window has no lagged columns (NAME_t-1, ...), so maxLag is 0`, { file, row: h + 1 });
  const colIndex = new Map<string, number>(); // "name\0k" -> column position in `cols`
  cols.forEach((c, j) => {
    const key = `${c.name}\u0000${c.k}`;
    if (colIndex.has(key)) throw new InputError(`${file}: line ${h + 1}, ${describeColumn(header[j + 1], j + 1)}: duplicate window column`, { file, row: h + 1, column: header[j + 1] });
    colIndex.set(key, j);
  });

  // Read every row: ones[rowKey] = set of column positions holding 1.
  const ones = new Map<string, { line: number; cols: Set<number> }>();
  const edges: LaggedEdge[] = [];
  const edgeSet = new Set<string>();
  const shifted: { line: number; row: { name: string; k: number }; col: number }[] = [];
  for (let i = h + 1; i < lines.length; i++) {
    if (isBlank(lines[i])) continue;
    const cells = lines[i].split(",").map((c) => c.trim());
    const at = `${file}: line ${i + 1}`;
    if (cells.length !== header.length) throw new InputError(`${at}: ragged row with ${cells.length} cells, expected ${header.length}`, { file, row: i + 1 });
    const row = parseWindowLabel(cells[0]);
    if (!row || !variables.includes(row.name) || row.k > maxLag)
      throw new InputError(`${at}, ${describeColumn("row label", 0)}: "${cells[0]}" is not one of the window labels in the header`, { file, row: i + 1, column: 0 });
    const rowKey = `${row.name}\u0000${row.k}`;
    if (ones.has(rowKey)) throw new InputError(`${at}: row "${cells[0]}" appears twice (also line ${ones.get(rowKey)!.line})`, { file, row: i + 1 });
    const set = new Set<number>();
    ones.set(rowKey, { line: i + 1, cols: set });
    for (let j = 0; j < cols.length; j++) {
      const x = Number(cells[j + 1]);
      if (cells[j + 1] === "" || (x !== 0 && x !== 1))
        throw new InputError(`${at}, ${describeColumn(header[j + 1], j + 1)}: expected 0 or 1, got "${cells[j + 1]}"`, { file, row: i + 1, column: header[j + 1] });
      if (x !== 1) continue;
      const col = cols[j];
      const lag = row.k - col.k;
      if (lag < 1)
        throw new InputError(`${at}, ${describeColumn(header[j + 1], j + 1)}: ${cells[0]} -> ${header[j + 1]} is not a lagged edge (the cause must be earlier than the effect)`, {
          file,
          row: i + 1,
          column: header[j + 1],
        });
      set.add(j);
      if (col.k === 0) {
        edges.push({ cause: row.name, effect: col.name, lag });
        edgeSet.add(`${row.name}\u0000${col.name}\u0000${lag}`);
      } else shifted.push({ line: i + 1, row, col: j });
    }
  }
  // Shifted copies must agree with the `_t` columns, both ways.
  for (const s of shifted) {
    const col = cols[s.col];
    const lag = s.row.k - col.k;
    if (!edgeSet.has(`${s.row.name}\u0000${col.name}\u0000${lag}`))
      throw new InputError(
        `${file}: line ${s.line}, ${describeColumn(header[s.col + 1], s.col + 1)}: ${s.row.name}_t-${s.row.k} -> ${header[s.col + 1]} has no matching ${s.row.name}_t-${lag} -> ${col.name}_t edge`,
        { file, row: s.line, column: header[s.col + 1] },
      );
  }
  for (const e of edges)
    for (let j = 1; e.lag + j <= maxLag; j++) {
      const row = ones.get(`${e.cause}\u0000${e.lag + j}`);
      const c = colIndex.get(`${e.effect}\u0000${j}`);
      if (row !== undefined && c !== undefined && !row.cols.has(c))
        throw new InputError(`${file}: line ${row.line}, ${describeColumn(header[c + 1], c + 1)}: expected 1 (the shifted copy of ${e.cause}_t-${e.lag} -> ${e.effect}_t)`, {
          file,
          row: row.line,
          column: header[c + 1],
        });
    }
  return alignTruth({ variables, maxLag, edges, summaryOnly: false }, opts.variables, file);
}

/**
 * Reads a ground-truth file, detecting its kind: causeway JSON (starts with `{`), a CDML
 * window-graph target (header `,V_t,V_t-1,...`) or a TCDF `cause,effect,delay` file (needs
 * `variables`). With `variables`, the truth comes back in that order (names must match).
 *
 * Internal: `readTruth` (`@causeway/core/node`) reads the file and parses it with this.
 */
export function parseTruthText(text: string, path: string, opts: ReadTruthOptions = {}): GroundTruth {
  const body = stripBom(text).trimStart();
  if (body.startsWith("{")) return parseTruthJson(text, { file: path, variables: opts.variables });
  const firstLine = splitLines(body)[0];
  if (looksLikeCdml(firstLine)) return parseCdmlTarget(text, { file: path, variables: opts.variables });
  if (opts.variables === undefined)
    throw new InputError(`${path}: a TCDF "cause,effect,delay" file names columns by index; pass the data's variables (readTruth(path, { variables: series.variables }))`, {
      file: path,
    });
  return parseTcdfTruth(text, { file: path, variables: opts.variables, order: opts.order, maxLag: opts.maxLag });
}

/** Pretty, stable JSON of a ground truth (formats.md), one edge per line. */
export function truthToJson(truth: GroundTruth): string {
  validateTruth(truth);
  const edges = truth.edges.map((e) => "    " + JSON.stringify({ cause: e.cause, effect: e.effect, lag: e.lag }));
  return (
    `{\n  "variables": ${JSON.stringify(truth.variables)},\n  "maxLag": ${truth.maxLag},\n` +
    (edges.length ? `  "edges": [\n${edges.join(",\n")}\n  ],\n` : `  "edges": [],\n`) +
    `  "summaryOnly": ${truth.summaryOnly}\n}\n`
  );
}

