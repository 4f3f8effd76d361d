import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GroundTruth } from "../types.js";
import { readTruth, writeTruth } from "./files.js";
import { parseCdmlTarget, parseTcdfTruth, parseTruthJson, truthToJson } from "./truth.js";
import { inputError } from "./test-helpers.js";

const truthDoc = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    variables: ["x0", "x1", "x2"],
    maxLag: 3,
    edges: [
      { cause: "x0", effect: "x1", lag: 1 },
      { cause: "x2", effect: "x2", lag: 3 },
    ],
    ...over,
  });

describe("parseTruthJson", () => {
  it("reads the formats.md document; summaryOnly defaults to false", () => {
    const t = parseTruthJson(truthDoc());
    expect(t).toEqual({
      variables: ["x0", "x1", "x2"],
      maxLag: 3,
      edges: [
        { cause: "x0", effect: "x1", lag: 1 },
        { cause: "x2", effect: "x2", lag: 3 },
      ],
      summaryOnly: false,
    });
    expect(parseTruthJson(truthDoc({ summaryOnly: true, edges: [{ cause: "x1", effect: "x0", lag: 1 }] })).summaryOnly).toBe(true);
  });

  it("reorders to the data's variables by name, and rejects a different set", () => {
    const t = parseTruthJson(truthDoc(), { variables: ["x2", "x0", "x1"] });
    expect(t.variables).toEqual(["x2", "x0", "x1"]);
    expect(t.edges).toHaveLength(2);
    inputError(() => parseTruthJson(truthDoc(), { variables: ["x0", "x1", "y"], file: "t.json" }), ["t.json", "not in the truth: y", "not in the data: x2"]);
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ["an unknown cause", { edges: [{ cause: "x0", effect: "x1", lag: 1 }, { cause: "q", effect: "x1", lag: 1 }] }, ["edges[1]", 'cause "q" is not one of the variables']],
    ["an unknown effect", { edges: [{ cause: "x0", effect: 1, lag: 1 }] }, ["edges[0]", "effect 1 is not one of the variables"]],
    ["lag 0", { edges: [{ cause: "x0", effect: "x1", lag: 0 }] }, ["edges[0]", "lag 0 must be an integer in 1..maxLag (3)"]],
    ["a lag above maxLag", { edges: [{ cause: "x0", effect: "x1", lag: 4 }] }, ["edges[0]", "lag 4"]],
    ["a fractional lag", { edges: [{ cause: "x0", effect: "x1", lag: 1.5 }] }, ["lag 1.5"]],
    ["a repeated edge", { edges: [{ cause: "x0", effect: "x1", lag: 2 }, { cause: "x0", effect: "x1", lag: 2 }] }, ["edges[1] repeats edges[0]", "x0 -> x1 at lag 2"]],
    ["a bad maxLag", { maxLag: 0 }, ["maxLag must be an integer >= 1, got 0"]],
    ["duplicate variables", { variables: ["x0", "x1", "x1"] }, ["variables[2]", 'duplicate variable name "x1"']],
    ["a summaryOnly edge with lag 2", { summaryOnly: true, edges: [{ cause: "x0", effect: "x1", lag: 2 }] }, ["summaryOnly truth carries lag 1"]],
    ["a non-boolean summaryOnly", { summaryOnly: "yes" }, ["summaryOnly must be true or false"]],
    ["edges that are not an array", { edges: {} }, ["edges must be an array"]],
  ];
  for (const [what, over, fragments] of cases)
    it(`reports ${what}`, () => {
      inputError(() => parseTruthJson(truthDoc(over), { file: "truth.json" }), ["truth.json: ", ...fragments]);
    });

  it("reports invalid JSON with the file", () => {
    inputError(() => parseTruthJson("{ nope", { file: "t.json" }), ["t.json", "not valid JSON"]);
  });
});

describe("parseTcdfTruth", () => {
  const vars = ["a", "b", "c", "d"];

  it("reads cause,effect,delay lines with CR, LF and CRLF endings alike, ignoring blank lines", () => {
    const lf = "0,1,1\n1,2,2\n\n3,3,1\n";
    const expected: GroundTruth = {
      variables: vars,
      maxLag: 2,
      edges: [
        { cause: "a", effect: "b", lag: 1 },
        { cause: "b", effect: "c", lag: 2 },
        { cause: "d", effect: "d", lag: 1 },
      ],
      summaryOnly: false,
    };
    expect(parseTcdfTruth(lf, { variables: vars })).toEqual(expected);
    expect(parseTcdfTruth(lf.replace(/\n/g, "\r\n"), { variables: vars })).toEqual(expected);
    expect(parseTcdfTruth(lf.replace(/\n/g, "\r"), { variables: vars })).toEqual(expected);
    // No final line break (as in the TCDF finance files), spaces around cells.
    expect(parseTcdfTruth("0, 1 ,1\r1,2,2\r3,3,1", { variables: vars })).toEqual(expected);
  });

  it('reads column 0 as the effect with order: "effect-cause"', () => {
    const t = parseTcdfTruth("0,1,1\n1,2,3\n", { variables: vars, order: "effect-cause" });
    expect(t.edges).toEqual([
      { cause: "b", effect: "a", lag: 1 },
      { cause: "c", effect: "b", lag: 3 },
    ]);
    expect(t.maxLag).toBe(3);
  });

  it("uses maxLag when given and rejects larger delays", () => {
    expect(parseTcdfTruth("0,1,1\n", { variables: vars, maxLag: 4 }).maxLag).toBe(4);
    inputError(() => parseTcdfTruth("0,1,1\n1,2,3\n", { variables: vars, maxLag: 2, file: "g.csv" }), ["g.csv: line 2", 'column "delay" (#3)', "delay 3 exceeds maxLag 2"]);
  });

  const cases: [string, string, string[]][] = [
    ["an out-of-range cause", "0,1,1\r4,1,1\r", ["line 2", 'column "cause" (#1)', "index 4 is out of range for 4 variables (0..3)"]],
    ["an out-of-range effect", "0,9,1\n", ["line 1", 'column "effect" (#2)', "index 9"]],
    ["delay 0", "0,1,1\r\n1,2,0\r\n", ["line 2", 'column "delay" (#3)', "delay 0 is a contemporaneous edge"]],
    ["a fractional delay", "0,1,1.5\n", ["line 1", 'column "delay" (#3)', '"1.5" is not a non-negative whole number']],
    ["a negative index", "-1,1,1\n", ["line 1", 'column "cause" (#1)', '"-1"']],
    ["a missing delay", "0,1,1\n0,2\n", ["line 2", 'expected 3 cells "cause,effect,delay", found 2']],
    ["a repeated line", "0,1,1\n2,3,1\n0,1,1\n", ["line 3 repeats line 1", "a -> b at lag 1"]],
    ["an empty file", "\r\n\r\n", ["no \"cause,effect,delay\" lines"]],
  ];
  for (const [what, text, fragments] of cases)
    it(`reports ${what}`, () => {
      inputError(() => parseTcdfTruth(text, { variables: vars, file: "gt.csv" }), ["gt.csv: ", ...fragments]);
    });
});

// A hand-made window graph: V = (Y1, X1, X2), maxLag 2.
// Edges: X1 -> Y1 at lag 1, X2 -> X1 at lag 2, Y1 -> Y1 at lag 1.
// Shifted copies: X1_t-2 -> Y1_t-1, Y1_t-2 -> Y1_t-1 (X2 -> X1 at lag 2 has no shifted copy in the window).
const labels = ["Y1_t", "Y1_t-1", "Y1_t-2", "X1_t", "X1_t-1", "X1_t-2", "X2_t", "X2_t-1", "X2_t-2"];
function cdmlText(ones: [string, string][]): string {
  const rows = labels.map((r) => [r, ...labels.map((c) => (ones.some(([a, b]) => a === r && b === c) ? "1.0" : "0.0"))].join(","));
  return ["," + labels.join(","), ...rows].join("\n") + "\n";
}
const cdmlOnes: [string, string][] = [
  ["X1_t-1", "Y1_t"],
  ["X1_t-2", "Y1_t-1"],
  ["X2_t-2", "X1_t"],
  ["Y1_t-1", "Y1_t"],
  ["Y1_t-2", "Y1_t-1"],
];

describe("parseCdmlTarget", () => {
  it("reads lagged edges from the B_t columns, in header order, maxLag from the header", () => {
    const t = parseCdmlTarget(cdmlText(cdmlOnes));
    expect(t.variables).toEqual(["Y1", "X1", "X2"]);
    expect(t.maxLag).toBe(2);
    expect(t.edges).toEqual([
      { cause: "Y1", effect: "Y1", lag: 1 },
      { cause: "X1", effect: "Y1", lag: 1 },
      { cause: "X2", effect: "X1", lag: 2 },
    ]);
  });

  it("maps variables by name onto the data's (alphabetical) order", () => {
    const t = parseCdmlTarget(cdmlText(cdmlOnes), { variables: ["X1", "X2", "Y1"] });
    expect(t.variables).toEqual(["X1", "X2", "Y1"]);
    expect(t.edges).toContainEqual({ cause: "X2", effect: "X1", lag: 2 });
    inputError(() => parseCdmlTarget(cdmlText(cdmlOnes), { variables: ["X1", "X2", "X3"], file: "tg.csv" }), ["tg.csv", "not in the truth: X3", "not in the data: Y1"]);
  });

  it("rejects a shifted copy without its edge, a missing shifted copy, and non-lagged ones", () => {
    inputError(() => parseCdmlTarget(cdmlText([...cdmlOnes, ["X2_t-2", "Y1_t-1"]]), { file: "tg.csv" }), [
      "tg.csv: line 10",
      'column "Y1_t-1" (#3)',
      "no matching X2_t-1 -> Y1_t edge",
    ]);
    inputError(() => parseCdmlTarget(cdmlText(cdmlOnes.filter(([r]) => r !== "X1_t-2")), { file: "tg.csv" }), ["tg.csv: line 7", 'column "Y1_t-1" (#3)', "expected 1"]);
    inputError(() => parseCdmlTarget(cdmlText([...cdmlOnes, ["X1_t", "Y1_t"]]), { file: "tg.csv" }), ["line 5", 'column "Y1_t" (#2)', "not a lagged edge"]);
    inputError(() => parseCdmlTarget(cdmlText([...cdmlOnes, ["X1_t-1", "Y1_t-2"]]), { file: "tg.csv" }), ["line 6", 'column "Y1_t-2" (#4)', "not a lagged edge"]);
  });

  it("rejects cells other than 0/1, bad labels and ragged rows", () => {
    const good = cdmlText(cdmlOnes);
    inputError(() => parseCdmlTarget(good.replace("X2_t-1,0.0", "X2_t-1,0.5"), { file: "tg.csv" }), ["line 9", 'column "Y1_t" (#2)', 'expected 0 or 1, got "0.5"']);
    inputError(() => parseCdmlTarget(good.replace(",Y1_t,", ",Y1_now,"), { file: "tg.csv" }), ["line 1", 'column "Y1_now" (#2)', "NAME_t-K"]);
    inputError(() => parseCdmlTarget(good.replace("\nX2_t,0.0,", "\nX2_t,"), { file: "tg.csv" }), ["line 8", "ragged row"]);
    inputError(() => parseCdmlTarget(",Y1_t,X1_t\nY1_t,0,0\nX1_t,0,0\n", { file: "tg.csv" }), ["no lagged columns"]);
  });
});

describe("readTruth / truthToJson / writeTruth", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "causeway-truth-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("detects JSON, TCDF and CDML files", async () => {
    await writeFile(join(dir, "t.json"), truthDoc());
    await writeFile(join(dir, "gt.csv"), "0,1,1\r1,2,2\r");
    await writeFile(join(dir, "x_target.csv"), cdmlText(cdmlOnes));
    expect((await readTruth(join(dir, "t.json"))).edges).toHaveLength(2);
    const tcdf = await readTruth(join(dir, "gt.csv"), { variables: ["p", "q", "r"] });
    expect(tcdf.edges).toEqual([
      { cause: "p", effect: "q", lag: 1 },
      { cause: "q", effect: "r", lag: 2 },
    ]);
    const rev = await readTruth(join(dir, "gt.csv"), { variables: ["p", "q", "r"], order: "effect-cause" });
    expect(rev.edges[0]).toEqual({ cause: "q", effect: "p", lag: 1 });
    expect((await readTruth(join(dir, "x_target.csv"), { variables: ["X1", "X2", "Y1"] })).variables).toEqual(["X1", "X2", "Y1"]);
    await expect(readTruth(join(dir, "gt.csv"))).rejects.toThrow("pass the data's variables");
    await expect(readTruth(join(dir, "gt.csv"), { variables: ["p", "q"] })).rejects.toThrow(`${join(dir, "gt.csv")}: line 2`);
  });

  it("round-trips through truthToJson, stable and pretty", async () => {
    const t = parseTcdfTruth("0,1,1\n1,2,2\n2,2,1\n", { variables: ["a", "b", "c"] });
    const text = truthToJson(t);
    expect(text).toBe(
      '{\n  "variables": ["a","b","c"],\n  "maxLag": 2,\n  "edges": [\n' +
        '    {"cause":"a","effect":"b","lag":1},\n    {"cause":"b","effect":"c","lag":2},\n    {"cause":"c","effect":"c","lag":1}\n' +
        '  ],\n  "summaryOnly": false\n}\n',
    );
    expect(parseTruthJson(text)).toEqual(t);
    await writeTruth(join(dir, "sub", "truth.json"), t);
    expect(await readTruth(join(dir, "sub", "truth.json"))).toEqual(t);
    const empty: GroundTruth = { variables: ["a"], maxLag: 1, edges: [], summaryOnly: true };
    expect(parseTruthJson(truthToJson(empty))).toEqual(empty);
    inputError(() => truthToJson({ ...t, edges: [{ cause: "a", effect: "zz", lag: 1 }] }), ['effect "zz" is not one of the variables']);
  });
});
