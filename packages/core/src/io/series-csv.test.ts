// The chunked CSV reader: any split of the text gives the same series (quoted records, CRLF and
// the decimal separator across chunk boundaries), and the sniffing rules on their own.
import { describe, expect, it } from "vitest";
import { detectDelimiter, isIsoDate, looksLikeData } from "./csv-sniff.js";
import { CsvSeriesReader, parseSeriesCsv } from "./series-csv.js";
import { inputError } from "./test-helpers.js";

/** A text of `rows` rows past the 64 Ki-character sample: quoted stamps with newlines every 7th row, CRLF. */
function bigText(rows: number, sep: string, dec: string): string {
  const out = [`time${sep}a${sep}b`];
  for (let t = 0; t < rows; t++) {
    const stamp = t % 7 === 3 ? `"${t}\r\nnote ""q"""` : String(t);
    out.push(`${stamp}${sep}${(t * 0.25).toFixed(2).replace(".", dec)}${sep}${(Math.sin(t) * 100).toFixed(3).replace(".", dec)}`);
  }
  return out.join("\r\n") + "\r\n";
}

/** Feeds `text` in pieces of pseudo-random sizes up to `max`. */
function chunked(text: string, max: number, seed: number) {
  const reader = new CsvSeriesReader({ file: "c.csv" });
  let s = seed;
  for (let i = 0; i < text.length; ) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const n = 1 + (s % max);
    reader.write(text.slice(i, i + n));
    i += n;
  }
  return reader.end();
}

describe("CsvSeriesReader in chunks", () => {
  for (const [sep, dec] of [[",", "."], [";", ","], ["\t", ","]])
    it(`any split gives the one-shot series (${JSON.stringify(sep)}, decimal ${dec})`, () => {
      const text = bigText(6000, sep, dec);
      expect(text.length).toBeGreaterThan(1 << 17);
      const whole = parseSeriesCsv(text, { file: "c.csv" });
      expect(whole.length).toBe(6000);
      expect(whole.time?.[3]).toBe('3\nnote "q"');
      expect([whole.data[2 * 2], whole.data[2 * 2 + 1]]).toEqual([0.5, Number((Math.sin(2) * 100).toFixed(3))]);
      for (const [max, seed] of [[1, 1], [97, 2], [5000, 3], [70000, 4]]) {
        const s = chunked(text, max, seed);
        expect(Array.from(s.data)).toEqual(Array.from(whole.data));
        expect(s.time).toEqual(whole.time);
      }
    });

  it("line endings do not matter in any split: CRLF, bare CR, LF, and bare CRs among CRLFs", () => {
    const crlf = bigText(3000, ",", ".");
    const want = parseSeriesCsv(crlf.replace(/\r\n/g, "\n"));
    const texts = [crlf, crlf.replace(/\r\n/g, "\r"), crlf.replace(/\r\n(?=1)/g, "\r").replace(/\r\n(?=2)/g, "\n")];
    // The quote-free half of a file takes the line path, the quoted half papaparse's.
    texts.push(crlf.replace(/"(\d+)\r\nnote ""q"""/g, (m, t: string) => (Number(t) < 1500 ? `${t} note q` : m)));
    for (const [i, text] of texts.entries())
      for (const [max, seed] of [[1 << 30, 1], [4999, 2], [70001, 3]]) {
        const s = chunked(text, max, seed);
        expect(Array.from(s.data), `text ${i}, chunks ${max}`).toEqual(Array.from(want.data));
        if (i < 3) expect(s.time).toEqual(want.time);
      }
  });

  it("the physical line of a bad cell counts the quoted newlines before it, in any split", () => {
    const text = bigText(6000, ",", ".").replace("\r\n5000,", "\r\n5000,oops");
    // Rows 0..4999 hold 714 quoted stamps (t = 3, 10, ..., 4994) of two lines each: row 5001's line is 1 + 5000 + 714 + 1.
    for (const max of [1 << 30, 333])
      inputError(() => chunked(text, max, 7), ["c.csv: line 5716 (row 5001), column \"a\" (#2)", '"oops1250.00" is not a number']);
  });
});

describe("CsvSeriesReader edge cases", () => {
  it("mixed line endings, and a CR split from its LF across chunks", () => {
    const text = "a,b\r\n1,2\n3,4\r5,6\r\n7,8\r";
    const want = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(Array.from(parseSeriesCsv(text).data)).toEqual(want);
    for (const max of [1, 2, 3]) expect(Array.from(chunked(text, max, max).data)).toEqual(want);
    // A line break inside a quoted name is read as \n whatever the file wrote.
    expect(parseSeriesCsv('"x\r\ny",b\r\n1,2\r\n3,1\r\n2,2\r\n').variables).toEqual(["x\ny", "b"]);
  });

  it("a one-column file: inner blank lines are empty cells at their own line, trailing ones are not read", () => {
    const s = parseSeriesCsv("a\n1\n\n3\n4\n\n\n", { impute: "ffill" });
    expect(Array.from(s.data)).toEqual([1, 1, 3, 4]);
    inputError(() => parseSeriesCsv("a\n1\n2\n\n\n5\n", { file: "o.csv" }), ['o.csv: line 4 (row 3), column "a" (#1): the cell is empty']);
  });

  it("masks missing cells with missing: mask on either path", () => {
    const s = parseSeriesCsv("t;a;b\n0;1,5;2\n1;NA;3\n2;2,5;\n3;1;4\n", { missing: "mask" });
    expect(s.time).toEqual(["0", "1", "2", "3"]);
    expect(Array.from(s.data)).toEqual([1.5, 2, NaN, 3, 2.5, NaN, 1, 4]);
    expect(Array.from(s.mask ?? [])).toEqual([0, 0, 1, 0, 0, 1, 0, 0]);
  });
});

describe("sniffing", () => {
  it("detects the delimiter", () => {
    expect(detectDelimiter("a,b\n1,2\n", true)).toBe(",");
    expect(detectDelimiter("a;b\n1,5;2\n", true)).toBe(";");
    expect(detectDelimiter("1,5;2,25\n3,0;4,5\n", true)).toBe(";");
    expect(detectDelimiter("a\tb,c\n1,5\t2\n", true)).toBe("\t");
    expect(detectDelimiter('"a;b",c\n1,2\n', true)).toBe(",");
    expect(detectDelimiter("x\n1\n2\n", true)).toBe(",");
    // A ragged row early on: the delimiter giving the first record the most cells.
    expect(detectDelimiter("a;b;c\n1;2\n", true)).toBe(";");
  });

  it("recognises ISO-8601 dates and date-times only", () => {
    for (const ok of ["2024-01-31", "2024-01-31T12:00", "2024-01-31 12:00:59", "2024-01-31T12:00:00.123Z", "2024-01-31T12:00+01:00", "2024-12-01 23:59:60"]) expect(isIsoDate(ok), ok).toBe(true);
    for (const no of ["2024-13-01", "2024-01-32", "2024-1-31", "31.01.2024", "2024-01-31T24:00", "20240131", "2024-01-31x", "1"]) expect(isIsoDate(no), no).toBe(false);
  });

  it("tells a first data row from a header", () => {
    expect(looksLikeData(["1", "2.5"], [false, false], false)).toBe(true);
    expect(looksLikeData(["1", "2.5"], [true, false], false)).toBe(false);
    expect(looksLikeData(["0", "1", "2"], [false, false, false], false)).toBe(false);
    expect(looksLikeData(["2024-01-01", "1"], [false, false], false)).toBe(true);
    expect(looksLikeData(["1,5", "2"], [false, false], true)).toBe(true);
    expect(looksLikeData(["1,5", "2"], [false, false], false)).toBe(false);
    expect(looksLikeData(["a", "2"], [false, false], false)).toBe(false);
  });
});
