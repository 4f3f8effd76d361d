// The CSV reader's fast path: plain decimals read straight from the text, exactly as `Number`
// reads them, with `.` or `,` as the decimal separator. Anything else returns "no" and goes to
// the checked path (series-csv.ts), which names the problem.

/** Character codes of the decimal separators. */
export const DOT = 46;
export const COMMA = 44;

/** Exact powers of ten 1e0..1e22 (every one is a double without rounding). */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * One cell: a plain decimal (`-?digits[sep digits]`, spaces and tabs around) or NaN (exponents,
 * quotes, empty cells, more than 15 significant digits). `dec` is the separator's code; 0 takes
 * either `.` or `,` and reports the one met in `seen.sep`. Exact: a mantissa below 2^53 divided
 * by an exact power of ten <= 1e22 is one correctly rounded operation, so the value equals
 * `Number(cell)` (Clinger 1990).
 */
export function plainCell(s: string, dec: number, seen: { sep: number }): number {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0); // NaN past the end
  while (c === 32 || c === 9) c = s.charCodeAt(++i);
  let neg = false;
  if (c === 45) {
    neg = true;
    c = s.charCodeAt(++i);
  }
  let m = 0; // mantissa, all digits
  let sig = 0; // significant digits (from the first non-zero one)
  let frac = 0; // digits after the separator
  let any = false;
  while (c >= 48 && c <= 57) {
    m = m * 10 + (c - 48);
    if (m !== 0) sig++;
    any = true;
    c = s.charCodeAt(++i);
  }
  if (c === dec || (dec === 0 && (c === DOT || c === COMMA))) {
    if (dec === 0) seen.sep = c;
    c = s.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      if (m !== 0) sig++;
      frac++;
      any = true;
      c = s.charCodeAt(++i);
    }
  }
  if (!any || sig > 15 || frac > 22) return NaN;
  while (c === 32 || c === 9) c = s.charCodeAt(++i);
  if (i !== n) return NaN;
  const x = frac === 0 ? m : m / POW10[frac];
  return neg ? -x : x;
}

/**
 * A whole line: `V` plain decimals separated by `delim` (a character code) from
 * `line[from..end)` into `data[base..base+V)`, as `plainCell` reads them (`dec` 0: no separator accepted). With
 * `trailing`, one more delimiter and spaces may end the line (Excel). False on anything else,
 * leaving the row to the checked path. No cell strings are built.
 */
export function plainRow(line: string, from: number, end: number, data: Float64Array, base: number, V: number, delim: number, dec: number, trailing: boolean): boolean {
  const n = end;
  let i = from;
  let c = line.charCodeAt(i); // NaN past the end
  for (let v = 0; v < V; v++) {
    while (c === 32 || (c === 9 && delim !== 9)) c = line.charCodeAt(++i);
    let neg = false;
    if (c === 45) {
      neg = true;
      c = line.charCodeAt(++i);
    }
    let m = 0;
    let sig = 0;
    let frac = 0;
    let any = false;
    while (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      if (m !== 0) sig++;
      any = true;
      c = line.charCodeAt(++i);
    }
    if (c === dec) {
      c = line.charCodeAt(++i);
      while (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        if (m !== 0) sig++;
        frac++;
        any = true;
        c = line.charCodeAt(++i);
      }
    }
    if (!any || sig > 15 || frac > 22) return false;
    while (c === 32 || (c === 9 && delim !== 9)) c = line.charCodeAt(++i);
    if (v < V - 1) {
      if (c !== delim) return false;
      c = line.charCodeAt(++i);
    } else if (i !== n) {
      if (!trailing || c !== delim) return false;
      c = line.charCodeAt(++i);
      while (c === 32) c = line.charCodeAt(++i);
      if (i !== n) return false;
    }
    const x = frac === 0 ? m : m / POW10[frac];
    data[base + v] = neg ? -x : x;
  }
  return true;
}
