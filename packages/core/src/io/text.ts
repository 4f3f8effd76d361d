// Low-level text helpers shared by the readers: line splitting, cell text, JSON, locations.
import { InputError } from "../errors.js";

/** Name used in messages when a reader gets no `file`. */
export const NO_FILE = "<input>";

/** Strips a UTF-8 byte-order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Splits on CRLF, bare CR (old Mac) or LF; element `i` is file line `i + 1`. */
export function splitLines(text: string): string[] {
  return stripBom(text).split(/\r\n|\r|\n/);
}

/** True when a line holds nothing but spaces and tabs. */
export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/**
 * The text of a cell: trimmed; a cell quoted after leading spaces (` "a" `, which the parser
 * leaves as text) loses its quotes and its doubled inner quotes.
 */
export function cellText(raw: string): string {
  const t = raw.trim();
  if (t.length >= 2 && t.charCodeAt(0) === 34 && t.charCodeAt(t.length - 1) === 34) return t.slice(1, -1).replace(/""/g, '"');
  return t;
}

/** `column "name" (#3)` — 1-based column number. */
export function describeColumn(name: string, index: number): string {
  return `column "${name}" (#${index + 1})`;
}

/**
 * Where `JSON.parse` failed, from its message: "at position N", or V8's context excerpt
 * (10 characters either side of the error: `..."excerpt"...`, `"excerpt"...`, `..."excerpt"`).
 */
function jsonErrorPosition(msg: string, body: string): number | undefined {
  const m = /position (\d+)/.exec(msg);
  if (m) return Number(m[1]);
  if (/Unexpected end of JSON input/.test(msg)) return body.length;
  const x = /(\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(msg);
  if (!x || (!x[1] && !x[3])) return undefined;
  const at = body.indexOf(x[2]);
  if (at === -1) return undefined;
  return x[1] ? at + 10 : at + x[2].length - 10;
}

/** Parses JSON; a syntax error becomes an InputError naming the file and, when known, the line. */
export function parseJsonText(text: string, file: string): unknown {
  const body = stripBom(text);
  try {
    return JSON.parse(body) as unknown;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = jsonErrorPosition(msg, body);
    const where = pos === undefined ? "" : ` (line ${body.slice(0, pos).split(/\r\n|\r|\n/).length})`;
    throw new InputError(`${file}: not valid JSON${where}: ${msg}`, { file });
  }
}

/** True for a plain JSON object (not an array, not null). */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Lower-case file extension with the dot (`.csv`), or "" when there is none. */
export function extensionOf(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot).toLowerCase() : "";
}

/** Quotes a CSV cell when needed (commas, quotes, surrounding spaces, or when `force`). */
export function csvCell(text: string, force = false): string {
  if (/[\r\n]/.test(text)) throw new InputError(`a CSV name cannot contain a line break: ${JSON.stringify(text)}`);
  if (force || text.includes(",") || text.includes('"') || text !== text.trim()) return '"' + text.replace(/"/g, '""') + '"';
  return text;
}
