import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import type { TimeSeries } from "../types.js";
import { readSeries, writeSeries } from "./files.js";
import { parseSeriesCsv, parseSeriesJson } from "./series.js";
import { validateSeries } from "./series-check.js";
import { seriesToCsv, seriesToJson } from "./series-write.js";
import { inputError } from "./test-helpers.js";

/** Plain, comparable view of a series. */
function plain(s: TimeSeries) {
  return { variables: s.variables, length: s.length, data: Array.from(s.data), time: s.time };
}

describe("parseSeriesCsv", () => {
  it("reads a header and rows into a row-major [T, V] array", () => {
    const s = parseSeriesCsv("a,b,c\n1,2,3\n4.5,-5,6e-3\n7,8,0.25\n");
    expect(s.variables).toEqual(["a", "b", "c"]);
    expect(s.length).toBe(3);
    expect(Array.from(s.data)).toEqual([1, 2, 3, 4.5, -5, 0.006, 7, 8, 0.25]);
    expect(s.time).toBeUndefined();
  });

  it("gives identical results for LF, CRLF and bare CR line endings", () => {
    const lf = "time,x,y\n0,0.5,1\n1,1.5,-2\n2,2.25,3\n3,4,0\n";
    const crlf = parseSeriesCsv(lf.replace(/\n/g, "\r\n"));
    const cr = parseSeriesCsv(lf.replace(/\n/g, "\r"));
    const ref = plain(parseSeriesCsv(lf));
    expect(ref.data).toEqual([0.5, 1, 1.5, -2, 2.25, 3, 4, 0]);
    expect(plain(crlf)).toEqual(ref);
    expect(plain(cr)).toEqual(ref);
  });

  it("handles a BOM, surrounding spaces, quoted header cells, blank and trailing empty lines", () => {
    const text = '\uFEFF "a" ,"b,c", d \r\n\r\n 1 , 2,3 \r\n  \r\n4,5 ,  6\r\n7,8,9\r\n\r\n\r\n';
    const s = parseSeriesCsv(text);
    expect(s.variables).toEqual(["a", "b,c", "d"]);
    expect(Array.from(s.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("keeps a first column named time/timestamp/t/date/index as the time axis", () => {
    for (const name of ["time", "Timestamp", "t", "DATE", "index"]) {
      const s = parseSeriesCsv(`${name},x,y\n2020-01-01,1,2\n2020-01-02,3,1\n2020-01-03,0,5\n`);
      expect(s.variables).toEqual(["x", "y"]);
      expect(s.time).toEqual(["2020-01-01", "2020-01-02", "2020-01-03"]);
      expect(Array.from(s.data)).toEqual([1, 2, 3, 1, 0, 5]);
    }
    // A quoted time cell may hold a comma.
    const q = parseSeriesCsv('date,x\n"Jan 1, 2020",1\n"Jan 2, 2020",2\n"Jan 3, 2020",4\n');
    expect(q.time).toEqual(["Jan 1, 2020", "Jan 2, 2020", "Jan 3, 2020"]);
    // Not in first position, or the only column: an ordinary variable.
    expect(parseSeriesCsv("x,t\n1,2\n3,1\n2,2\n").variables).toEqual(["x", "t"]);
    expect(parseSeriesCsv("t\n1\n3\n2\n").variables).toEqual(["t"]);
  });

  it("names the columns x0..x{V-1} when the first row is numeric", () => {
    const s = parseSeriesCsv("1,2,3\n4,5,6\n7,8,10\n");
    expect(s.variables).toEqual(["x0", "x1", "x2"]);
    expect(s.length).toBe(3);
    expect(Array.from(s.data.subarray(0, 3))).toEqual([1, 2, 3]);
    // A NaN in the first data row does not turn it into a header: it is reported instead.
    inputError(() => parseSeriesCsv("1.5,NaN\n2,3\n4,1\n", { file: "h.csv" }), ["h.csv", "line 1 (row 1)", 'column "x1" (#2)', '"NaN"']);
  });

  it("reads pandas' default header 0,1,...,V-1 as names, and obeys header: true/false", () => {
    const s = parseSeriesCsv("0,1,2\n0.5,1,2\n1,2,3\n3,1,0\n");
    expect(s.variables).toEqual(["0", "1", "2"]);
    expect(s.length).toBe(3);
    const forced = parseSeriesCsv("0,1,2\n0.5,1,2\n1,2,3\n", { header: false });
    expect(forced.variables).toEqual(["x0", "x1", "x2"]);
    expect(forced.length).toBe(3);
    expect(parseSeriesCsv("10,20\n1,2\n2,1\n0,0\n", { header: true }).variables).toEqual(["10", "20"]);
  });

  describe("reports every bad input with the file, line/row and column", () => {
    const cases: [string, string, string[]][] = [
      ["an empty cell", "a,b\n1,2\n3,\n4,5\n6,1\n", ["line 3 (row 2)", 'column "b" (#2)', "empty", "ffill"]],
      ["a non-numeric cell", "a,b\n1,2\n3,4\nfoo,5\n6,1\n", ["line 4 (row 3)", 'column "a" (#1)', '"foo" is not a number']],
      ["a NaN cell", "a,b\n1,2\n3,NaN\n4,5\n", ["line 3 (row 2)", 'column "b" (#2)', '"NaN"', "missing"]],
      ["an NA cell", "a,b\n1,2\n3,NA\n4,5\n", ["line 3 (row 2)", 'column "b" (#2)', '"NA"']],
      ["inf", "a,b\n1,2\n3,4\n5,inf\n", ["line 4 (row 3)", 'column "b" (#2)', '"inf" is infinite']],
      ["-Infinity", "a,b\n1,2\n-Infinity,4\n5,6\n", ["line 3 (row 2)", 'column "a" (#1)', "infinite"]],
      ["an overflowing number", "a,b\n1,2\n1e999,4\n5,6\n", ["line 3 (row 2)", 'column "a" (#1)', "infinite"]],
      ["a hex number", "a,b\n1,2\n0x10,4\n5,6\n", ["line 3 (row 2)", 'column "a" (#1)', "not a number"]],
      ["a short ragged row", "a,b,c\n1,2,3\n4,5\n7,8,9\n", ["line 3 (row 2)", "ragged row with 2 cells, expected 3", 'column "c" (#3) is missing']],
      ["a long ragged row", "a,b\n1,2\n3,4,5\n6,7\n", ["line 3 (row 2)", "ragged row with 3 cells, expected 2", "extra cell #3"]],
      ["a trailing comma", "a,b\n1,2\n3,4,\n6,7\n", ["line 3 (row 2)", "ragged"]],
      ["duplicate names", "a,b,a\n1,2,3\n4,5,6\n7,8,9\n", ["line 1", 'column "a" (#3)', 'duplicate variable name "a"', 'column "a" (#1)']],
      ["an empty name", "a,,c\n1,2,3\n4,5,6\n7,8,9\n", ["line 1", "(#2)", "name is empty"]],
      ["a constant column", "a,b\n1,2\n3,2\n4,2\n", ['column "b" (#2) is constant', "all 3 rows are 2"]],
      ["a constant column after a time column", "time,a,b\n0,1,2\n1,1,3\n2,1,4\n", ['column "a" (#2) is constant']],
      ["too few rows", "a,b\n1,2\n3,4\n", ["2 rows", "at least 3"]],
      ["an empty file", "\n\n  \n", ["the file is empty"]],
      ["an unterminated quote", 'a,"b\n1,2\n3,4\n5,6\n', ["line 1", "unterminated double quote"]],
      ["an empty time cell", "time,a\n0,1\n,2\n2,3\n", ["line 3 (row 2)", 'column "time" (#1)', "time cell is empty"]],
      ["a blank line in a one-column file", "a\n1\n\n3\n4\n", ["line 3 (row 2)", 'column "a" (#1)', "empty"]],
    ];
    for (const [what, text, fragments] of cases)
      it(what, () => {
        const err = inputError(() => parseSeriesCsv(text, { file: "bad.csv" }), ["bad.csv: ", ...fragments]);
        expect(err.location.file).toBe("bad.csv");
      });

    it("puts the line and column name in InputError.location", () => {
      const err = inputError(() => parseSeriesCsv("a,b\n1,2\n3,x\n", { file: "f.csv" }), []);
      expect(err.location).toEqual({ file: "f.csv", row: 3, column: "b" });
    });

    it("asks for maxLag + 2 rows", () => {
      const text = "a,b\n1,2\n3,4\n5,7\n6,1\n";
      expect(parseSeriesCsv(text, { maxLag: 2 }).length).toBe(4);
      inputError(() => parseSeriesCsv(text, { maxLag: 3, file: "m.csv" }), ["m.csv", "4 rows", "at least 5", "maxLag + 2 = 5"]);
      inputError(() => parseSeriesCsv(text, { maxLag: 0 }), ["maxLag must be an integer >= 1"]);
    });
  });

  it('forward-fills empty, NaN, NA and null cells only with impute: "ffill"', () => {
    const text = "a,b\n1,2\n,3\nNaN,4\n5,NA\n6,null\n";
    const s = parseSeriesCsv(text, { impute: "ffill" });
    expect(Array.from(s.data)).toEqual([1, 2, 1, 3, 1, 4, 5, 4, 6, 4]);
    inputError(() => parseSeriesCsv(text), ["line 3 (row 2)", 'column "a" (#1)', "empty"]);
    inputError(() => parseSeriesCsv("a,b\n,2\n1,3\n2,4\n", { impute: "ffill", file: "f.csv" }), ["f.csv", "line 2 (row 1)", 'column "a" (#1)', "first row is missing"]);
    // Infinite values are never imputed.
    inputError(() => parseSeriesCsv("a,b\n1,2\n3,inf\n2,4\n", { impute: "ffill" }), ["line 3 (row 2)", "infinite"]);
  });
});

describe("parseSeriesJson", () => {
  it("reads variables, data (T x V) and an optional time axis", () => {
    const s = parseSeriesJson('{"variables":["a","b"],"time":["t0","t1",2],"data":[[1,2],[3.5,-1],[0,4]]}');
    expect(plain(s)).toEqual({ variables: ["a", "b"], length: 3, data: [1, 2, 3.5, -1, 0, 4], time: ["t0", "t1", "2"] });
  });

  it("forward-fills null with impute: ffill and errors otherwise", () => {
    const text = '{"variables":["a","b"],"data":[[1,2],[null,3],[4,null],[5,6]]}';
    expect(Array.from(parseSeriesJson(text, { impute: "ffill" }).data)).toEqual([1, 2, 1, 3, 4, 3, 5, 6]);
    inputError(() => parseSeriesJson(text, { file: "n.json" }), ["n.json", "data[1] (row 2)", 'variable "a"', "missing"]);
    inputError(() => parseSeriesJson('{"variables":["a"],"data":[[null],[1],[2]]}', { impute: "ffill" }), ["data[0] (row 1)", "first row is missing"]);
  });

  const cases: [string, string, string[]][] = [
    ["invalid JSON", '{"variables": ["a", "b", "c"],\n "data": [[1, 2, 3],, [2, 3, 4]]}', ["not valid JSON", "(line 2)"]],
    ["truncated JSON", '{"variables": ["a", "b", "c"],\n "data": [[1, 2, 3],\n', ["not valid JSON", "(line 3)"]],
    ["a non-object", "[1,2]", ["expected an object"]],
    ["missing variables", '{"data":[[1],[2],[3]]}', ['"variables" must be an array']],
    ["a non-string name", '{"variables":["a",3],"data":[[1,2],[2,3],[3,1]]}', ["variables[1] is not a string"]],
    ["duplicate names", '{"variables":["a","b","a"],"data":[[1,2,3],[2,3,4],[3,1,2]]}', ['variables[2] ("a")', 'duplicate variable name "a"', 'variables[0] ("a")']],
    ["a short row", '{"variables":["a","b"],"data":[[1,2],[3],[4,5]]}', ["data[1] (row 2)", "ragged row with 1 values, expected 2", 'variable "b" (#2) is missing']],
    ["a long row", '{"variables":["a","b"],"data":[[1,2],[3,4,5],[4,5]]}', ["data[1] (row 2)", "ragged", "extra"]],
    ["a row that is not an array", '{"variables":["a"],"data":[[1],2,[3]]}', ["data[1] (row 2) is not an array"]],
    ["a string cell", '{"variables":["a","b"],"data":[[1,2],[3,"4"],[4,5]]}', ["data[1] (row 2)", 'variable "b" (data[1][1])', "not a number"]],
    ["a NaN string", '{"variables":["a","b"],"data":[[1,2],[3,4],["NaN",5]]}', ["data[2] (row 3)", 'variable "a"', "missing"]],
    ["an overflowing number", '{"variables":["a","b"],"data":[[1,2],[3,4],[1e999,5]]}', ["data[2] (row 3)", 'variable "a"', "infinite"]],
    ["a constant column", '{"variables":["a","b"],"data":[[1,2],[1,3],[1,4]]}', ['column "a" (#1) is constant']],
    ["too few rows", '{"variables":["a","b"],"data":[[1,2],[2,3]]}', ["2 rows", "at least 3"]],
    ["a short time axis", '{"variables":["a"],"time":[1,2],"data":[[1],[2],[3]]}', ['"time" must be an array with one entry per row (3)']],
  ];
  for (const [what, text, fragments] of cases)
    it(`reports ${what}`, () => {
      inputError(() => parseSeriesJson(text, { file: "bad.json" }), ["bad.json: ", ...fragments]);
    });
});

describe("validateSeries", () => {
  it("checks values, shape, names and row count", () => {
    const ok: TimeSeries = { variables: ["a", "b"], length: 3, data: Float64Array.from([1, 2, 3, 4, 5, 7]) };
    expect(() => validateSeries(ok)).not.toThrow();
    inputError(() => validateSeries(ok, { maxLag: 2, file: "s" }), ["s: ", "3 rows", "at least 4"]);
    inputError(() => validateSeries({ ...ok, data: Float64Array.from([1, 2, NaN, 4, 5, 7]) }, { file: "s" }), ["s: ", "row 2", 'column "a" (#1)', "NaN is not finite"]);
    inputError(() => validateSeries({ ...ok, data: new Float64Array(5) }), ["T x V = 3 x 2 = 6"]);
    inputError(() => validateSeries({ ...ok, variables: ["a", "a"] }), ['duplicate variable name "a"']);
    inputError(() => validateSeries({ ...ok, time: ["0"] }), ["time axis has 1 entries"]);
  });
});

describe("writers round-trip through the readers", () => {
  const values = [1 / 3, -2.5e10, 1e-300, Math.PI, 123456789.123, -7, 0.1 + 0.2, 42, 5e-324, 1.7976931348623157e308, -1 / 7, 0, 2, 3, 4, 5, 6, 7];
  const awkward: TimeSeries = { variables: ['a "quoted", name', " spaced ", "1", "NaN", "inf", "plain"], length: 3, data: Float64Array.from(values) };

  it("CSV: exact values and awkward names (commas, quotes, spaces, numeric-looking)", () => {
    expect(plain(parseSeriesCsv(seriesToCsv(awkward)))).toEqual(plain(awkward));
  });

  it("CSV: a time axis with commas", () => {
    const s: TimeSeries = { variables: ["x", "y"], length: 3, data: Float64Array.from([1, 2, 3, 1, 2, 3]), time: ["Jan 1, 2020", "b", "c"] };
    expect(plain(parseSeriesCsv(seriesToCsv(s)))).toEqual(plain(s));
  });

  it("CSV: a first variable named like a time column gets an index column so it stays a variable", () => {
    const s: TimeSeries = { variables: ["t", "y"], length: 3, data: Float64Array.from([1, 2, 3, 1, 2, 3]) };
    const csv = seriesToCsv(s);
    expect(csv.split("\n")[0]).toBe("index,t,y");
    const back = parseSeriesCsv(csv);
    expect(back.variables).toEqual(["t", "y"]);
    expect(Array.from(back.data)).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it("JSON: exact values, names and time", () => {
    expect(plain(parseSeriesJson(seriesToJson(awkward)))).toEqual(plain(awkward));
    const s: TimeSeries = { ...awkward, time: ["a", "b", "c"] };
    expect(plain(parseSeriesJson(seriesToJson(s)))).toEqual(plain(s));
  });

  it("writers refuse non-finite values", () => {
    const s: TimeSeries = { variables: ["a"], length: 2, data: Float64Array.from([1, Infinity]) };
    inputError(() => seriesToCsv(s), ["row 2", 'column "a" (#1)', "Infinity"]);
    inputError(() => seriesToJson(s), ["row 2"]);
  });
});

describe("readSeries / writeSeries", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "causeway-io-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const s: TimeSeries = { variables: ["a", "b"], length: 4, data: Float64Array.from([1, 2, 3, 5, 4, 1, 0.5, 9]) };

  it("picks the format by extension and writes folders as needed", async () => {
    await writeSeries(join(dir, "deep", "s.csv"), s);
    await writeSeries(join(dir, "s.json"), s);
    expect(plain(await readSeries(join(dir, "deep", "s.csv")))).toEqual(plain(s));
    expect(plain(await readSeries(join(dir, "s.json")))).toEqual(plain(s));
  });

  it("sniffs the content when the extension is neither .csv nor .json", async () => {
    await writeFile(join(dir, "j.txt"), seriesToJson(s));
    await writeFile(join(dir, "c.dat"), seriesToCsv(s));
    expect(plain(await readSeries(join(dir, "j.txt")))).toEqual(plain(s));
    expect(plain(await readSeries(join(dir, "c.dat")))).toEqual(plain(s));
  });

  it("names the file in errors, including a missing one", async () => {
    const p = join(dir, "bad.csv");
    await writeFile(p, "a,b\n1,2\n3,oops\n4,5\n");
    await expect(readSeries(p)).rejects.toThrow(`${p}: line 3 (row 2), column "b" (#2): the cell "oops" is not a number`);
    await expect(readSeries(p, { maxLag: 1 })).rejects.toBeInstanceOf(InputError);
    await expect(readSeries(join(dir, "nope.csv"))).rejects.toThrow("no such file");
  });
});

it("the plain-decimal fast path gives exactly Number(cell) for every kind of decimal", () => {
  // Deterministic pseudo-random decimals in many shapes, some taking the careful path (exponents, 16+ digits).
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const cells: string[] = ["-0", "-0.0", "0.000", "5.", ".5", "-.25", "007", "0.1", "123456789012345", "1234567890123456", "0.30000000000000004", "9007199254740993", " 1.5", "2.5 "];
  for (let k = 0; k < 4000; k++) {
    const x = (rand() - 0.5) * 10 ** Math.floor(rand() * 24 - 12);
    const form = k % 4;
    cells.push(form === 0 ? x.toPrecision(1 + (k % 17)) : form === 1 ? x.toFixed(k % 21) : form === 2 ? String(x) : String(Math.round(x)));
  }
  const V = 5;
  while (cells.length % V !== 0) cells.push("1.25");
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += V) rows.push(cells.slice(i, i + V).join(","));
  const s = parseSeriesCsv(rows.join("\n"), { header: false });
  expect(s.length * V).toBe(cells.length);
  const mismatches = cells.filter((c, i) => !Object.is(s.data[i], Number(c)));
  expect(mismatches).toEqual([]);
});

// Parse speed belongs to benchmarks, not to a timed unit test (a loaded machine fails any bound):
// this one checks the 100,000 values of a wide, long CSV come back exactly.
it("parses a 25 x 4000 CSV exactly", () => {
  const V = 25;
  const T = 4000;
  const data = new Float64Array(T * V);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37) * 1.2345 + (i % 7) * 0.01;
  const text = seriesToCsv({ variables: Array.from({ length: V }, (_, v) => `S${v}`), length: T, data });
  const s = parseSeriesCsv(text);
  expect([s.length, s.variables.length]).toEqual([T, V]);
  expect(s.variables[24]).toBe("S24");
  let mismatches = 0;
  for (let i = 0; i < data.length; i++) if (Math.abs(s.data[i] - data[i]) > 1e-15 * Math.max(1, Math.abs(data[i]))) mismatches++;
  expect(mismatches).toBe(0);
});
