// The real-world CSV corpus in ./fixtures: each file read the same way from a string
// (parseSeriesCsv) and streamed from disk (readSeries), or refused with its file, line, row and column.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import type { TimeSeries } from "../types.js";
import { readSeries } from "./files.js";
import { parseSeriesCsv } from "./series.js";
import type { SeriesReadOptions } from "./series.js";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

/** The series read both ways (they must agree), as plain arrays. */
async function read(name: string, opts: SeriesReadOptions = {}) {
  const path = join(DIR, name);
  const plain = (s: TimeSeries) => ({ variables: s.variables, length: s.length, data: Array.from(s.data), time: s.time });
  const fromText = plain(parseSeriesCsv(readFileSync(path, "utf8"), { ...opts, file: path }));
  expect(plain(await readSeries(path, opts))).toEqual(fromText);
  return fromText;
}

/** The InputError both ways (same message); checks the fragments and the location. */
async function refused(name: string, fragments: string[], location: { row?: number; column?: string | number }) {
  const path = join(DIR, name);
  let fromText: unknown;
  try {
    parseSeriesCsv(readFileSync(path, "utf8"), { file: path });
  } catch (e) {
    fromText = e;
  }
  expect(fromText).toBeInstanceOf(InputError);
  const err = fromText as InputError;
  await expect(readSeries(path)).rejects.toThrow(err.message);
  for (const f of [`${path}: `, ...fragments]) expect(err.message).toContain(f);
  expect(err.location).toEqual({ file: path, ...location });
}

describe("CSV fixtures read correctly", () => {
  it("quoted newlines in a header name and in time stamps; quoted delimiters and numbers", async () => {
    const s = await read("quoted-newlines.csv");
    expect(s.variables).toEqual(["temperature\n(deg C)", "pressure, hPa"]);
    expect(s.time).toEqual(["2024-01-01 00:00\n(sensor restarted)", "2024-01-01 01:00", "2024-01-01 02:00", "2024-01-01 03:00"]);
    expect(s.data).toEqual([1.5, 1013.25, 2.25, 1012.5, -0.5, 1011, 3, 1010.75]);
  });

  it("semicolons with decimal commas, a date column named Datum, CRLF", async () => {
    const s = await read("semicolon-decimal-comma.csv");
    expect(s.variables).toEqual(["Temperatur", "Druck"]);
    expect(s.time).toEqual(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]);
    expect(s.data).toEqual([1.5, 1013.25, -2.75, 1012, 0.125, 1009.5, 4, 1010]);
  });

  it("headerless semicolons with decimal commas (commas split evenly too: ';' wins)", async () => {
    const s = await read("semicolon-headerless.csv");
    expect(s.variables).toEqual(["x0", "x1"]);
    expect(s.data).toEqual([1.5, 2.25, 3, 4.5, 5.5, 0.75]);
  });

  it("tabs (a quoted name holding a tab), index column as time", async () => {
    const s = await read("tabs.tsv");
    expect(s.variables).toEqual(["flow rate", "x\ty"]);
    expect(s.time).toEqual(["0", "1", "2", "3"]);
    expect(s.data).toEqual([0.5, 1, 1.5, -2, 2.25, 3, 4, 0]);
  });

  it("BOM, CRLF, blank and trailing blank lines; bare CR", async () => {
    const s = await read("bom-crlf.csv");
    expect(s.variables).toEqual(["a", "b"]);
    expect(s.data).toEqual([1, 2, 3, 1, 4, 0]);
    expect((await read("cr-only.csv")).data).toEqual([1, 2, 3, 1, 2, 2]);
  });

  it("an Excel export: BOM, quoted header, ';', decimal commas, trailing delimiter, date-times", async () => {
    const s = await read("excel-trailing-delimiter.csv");
    expect(s.variables).toEqual(["Wert A", "Wert B"]);
    expect(s.time).toEqual(["2024-01-31 12:00", "2024-01-31 13:00", "2024-01-31 14:00"]);
    expect(s.data).toEqual([1.5, 10, 2.5, 20, 3, 15.5]);
  });

  it("every cell quoted", async () => {
    const s = await read("quoted-numbers.csv");
    expect(s.variables).toEqual(["a", "b"]);
    expect(s.time).toEqual(["2024-01-01", "2024-01-02", "2024-01-03"]);
    expect(s.data).toEqual([1.5, 2, 2, -3.25, 0.001, 4]);
  });

  it("ISO date-times in a first column with any name, pandas' unnamed index, no header", async () => {
    const s = await read("iso-datetime.csv");
    expect(s.variables).toEqual(["x", "y"]);
    expect(s.time).toEqual(["2024-01-31T12:00:00Z", "2024-01-31T12:30:00Z", "2024-01-31T13:00:00.5+01:00"]);
    const p = await read("pandas-datetime-index.csv");
    expect([p.variables, p.time?.[2], p.data]).toEqual([["a", "b"], "2024-01-31 14:00", [0.1, 5, 0.2, 4, 0.4, 6]]);
    const h = await read("headerless-dates.csv");
    expect([h.variables, h.time, h.data]).toEqual([["x0", "x1"], ["2024-01-01", "2024-01-02", "2024-01-03"], [1, 2, 3, 1, 0, 5]]);
  });

  it("the delimiter and decimal options force a reading", async () => {
    // Forced to ',', "1,5;2,25" is a header of three names ("1", "5;2", "25") over cells that are not numbers.
    await expect(read("semicolon-headerless.csv", { delimiter: "," })).rejects.toThrow('line 2 (row 1), column "5;2" (#2): the cell "0;4" is not a number');
    const s = await read("semicolon-headerless.csv", { delimiter: ";", decimal: "," });
    expect(s.data).toEqual([1.5, 2.25, 3, 4.5, 5.5, 0.75]);
    expect(() => parseSeriesCsv("a;b\n1;2\n", { delimiter: "|" as ";" })).toThrow('delimiter must be ",", ";" or "\\t"');
  });
});

describe("CSV fixtures refused with file, physical line, row and column", () => {
  it("a bad cell after quoted newlines: line 6 is data row 3", async () => {
    await refused("quoted-newlines-bad.csv", ['line 6 (row 3), column "temperature\n(deg C)" (#2): the cell "n/a" is not a number'], { row: 6, column: "temperature\n(deg C)" });
  });

  it("a ragged row after a two-line record: line 5 is data row 3", async () => {
    await refused("ragged-after-quoted.csv", ["line 5 (row 3): ragged row with 2 cells, expected 3", 'column "b" (#3) is missing'], { row: 5, column: "b" });
  });

  it("a decimal point in a decimal-comma file, naming where the commas began", async () => {
    await refused(
      "semicolon-mixed-decimal.csv",
      ['line 4 (row 3), column "a" (#1): the cell "5.500" is not a number', 'decimal commas, first at line 2, column "a" (#1)', "thousands separator"],
      { row: 4, column: "a" },
    );
  });

  it("thousands separators", async () => {
    await refused("thousands.csv", ['line 3 (row 2), column "a" (#1): the cell "1,234.5" is not a number (thousands separators are not read'], { row: 3, column: "a" });
  });

  it("a value under the empty name of a trailing delimiter", async () => {
    await refused("trailing-delimiter-bad.csv", ['line 3 (row 2): cell #3 "9" has no column name', "trailing delimiter"], { row: 3, column: 2 });
  });

  it("a non-date in a first column read as time because it starts with dates", async () => {
    await refused("time-not-date.csv", ['line 4 (row 3), column "time" (#1): the time cell "yesterday" is not an ISO-8601 date'], { row: 4, column: "time" });
  });

  it("an unterminated quote and text after a closing quote", async () => {
    await refused("unterminated-quote.csv", ["line 3: unterminated double quote"], { row: 3 });
    await refused("text-after-quote.csv", ["line 3: unexpected text after a quoted cell"], { row: 3 });
  });
});
