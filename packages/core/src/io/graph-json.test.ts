import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildGraph, createScores, setScore } from "../graph.js";
import type { CausalGraph } from "../types.js";
import { readGraph, writeGraph } from "./files.js";
import { graphToJson, parseGraphJson } from "./graph-json.js";
import { inputError } from "./test-helpers.js";

function sampleGraph(): CausalGraph {
  const s = createScores(3, 2);
  setScore(s, 1, 0, 1, 0.9); // x0 -> x1 at lag 1
  setScore(s, 2, 1, 2, 0.7); // x1 -> x2 at lag 2
  setScore(s, 0, 0, 1, 0.2);
  setScore(s, 2, 2, 2, 1 / 3);
  return buildGraph({
    method: "corr",
    variables: ["x0", "x1", "x2"],
    scores: s,
    threshold: 0.5,
    meta: { backend: "cpu", seconds: 0.25, seed: 7, params: { zeta: 1, alpha: [1, 2] }, lagResolved: true },
  });
}

describe("graph JSON", () => {
  it("round-trips a graph exactly", () => {
    const g = sampleGraph();
    const back = parseGraphJson(graphToJson(g));
    expect(back).toEqual(g);
    expect(back.edges.map((e) => [e.cause, e.effect, e.lag])).toEqual([
      ["x0", "x1", 1],
      ["x1", "x2", 2],
    ]);
    expect(back.scores[2][2][1]).toBe(1 / 3);
  });

  it("round-trips warnings, an empty list included, and omits them when absent", () => {
    const warned: CausalGraph = { ...sampleGraph(), warnings: [{ code: "short_series", message: "T=40 is short", variables: [] }, { code: "scale", message: "x0 rescaled" }] };
    expect(parseGraphJson(graphToJson(warned))).toEqual(warned);
    expect(graphToJson(warned)).toContain('  "warnings": [\n    {"code":"short_series","message":"T=40 is short","variables":[]},\n');
    expect(parseGraphJson(graphToJson({ ...sampleGraph(), warnings: [] })).warnings).toEqual([]);
    expect(graphToJson(sampleGraph())).not.toContain("warnings");
  });

  it("is stable: the same graph with keys inserted in another order gives the same text", () => {
    const g = sampleGraph();
    const shuffled: CausalGraph = {
      ...g,
      meta: { params: { alpha: [1, 2], zeta: 1 }, lagResolved: true, seed: 7, seconds: 0.25, backend: "cpu" },
    };
    expect(graphToJson(shuffled)).toBe(graphToJson(g));
    const text = graphToJson(g);
    expect(text.split("\n").slice(0, 6)).toEqual([
      "{",
      '  "format": "causeway.graph/v1",',
      '  "variables": ["x0","x1","x2"],',
      '  "maxLag": 2,',
      '  "method": "corr",',
      '  "scores": [',
    ]);
    expect(text).toContain('    {"cause":"x0","effect":"x1","lag":1,"score":0.9},\n');
    expect(text).toContain('"params": {\n      "alpha": [');
  });

  const base = () => JSON.parse(graphToJson(sampleGraph())) as Record<string, unknown>;
  const cases: [string, (d: Record<string, unknown>) => void, string[]][] = [
    ["a wrong format", (d) => (d.format = "causeway.graph/v0"), ['"format" must be "causeway.graph/v1", got "causeway.graph/v0"']],
    ["scores with too few lags", (d) => ((d.scores as number[][][])[1][2] = [0.5]), ["scores[1][2] must have 2 entries", "[3, 3, 2]"]],
    ["scores with too few effects", (d) => (d.scores as unknown[]).pop(), ["scores must have 3 rows"]],
    ["a non-numeric score", (d) => ((d.scores as unknown[][][])[0][1][0] = "high"), ["scores[0][1][0] is not a finite number"]],
    ["a null score", (d) => ((d.scores as unknown[][][])[2][0][1] = null), ["scores[2][0][1] is not a finite number"]],
    ["an edge to an unknown variable", (d) => ((d.edges as Record<string, unknown>[])[1].effect = "x9"), ['edges[1]: effect "x9" is not one of the variables']],
    ["an edge lag out of range", (d) => ((d.edges as Record<string, unknown>[])[0].lag = 3), ["edges[0]: lag 3 must be an integer in 1..maxLag (2)"]],
    ["an edge without a score", (d) => delete (d.edges as Record<string, unknown>[])[0].score, ["edges[0]: score undefined"]],
    ["duplicate variables", (d) => (d.variables = ["x0", "x1", "x0"]), ['variables[2]: duplicate variable name "x0"']],
    ["a missing threshold", (d) => delete d.threshold, ['"threshold" must be a finite number']],
    ["a bad maxLag", (d) => (d.maxLag = 0), ['"maxLag" must be an integer >= 1']],
    ["a missing meta", (d) => delete d.meta, ['"meta" must be an object']],
    ["an unknown warning code", (d) => (d.warnings = [{ code: "odd", message: "?" }]), ['warnings[0]: code "odd" is not one of nonstationary']],
    ["a warning without a message", (d) => (d.warnings = [{ code: "scale" }]), ["warnings[0]: message must be a string"]],
    ["a meta without params", (d) => delete (d.meta as Record<string, unknown>).params, ["meta.params must be an object"]],
  ];
  for (const [what, edit, fragments] of cases)
    it(`reports ${what}`, () => {
      const d = base();
      edit(d);
      inputError(() => parseGraphJson(JSON.stringify(d), { file: "g.json" }), ["g.json: ", ...fragments]);
    });

  it("reports invalid JSON with the file", () => {
    inputError(() => parseGraphJson('{"format": "causeway.graph/v1",\n\n "variables": ["a"],,}', { file: "g.json" }), ["g.json", "not valid JSON", "(line 3)"]);
  });

  it("graphToJson refuses what it could not read back", () => {
    inputError(() => graphToJson({ ...sampleGraph(), threshold: -Infinity }), ['"threshold" must be a finite number']);
  });

  it("writes and reads files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "causeway-graph-"));
    try {
      const p = join(dir, "out", "graph.json");
      await writeGraph(p, sampleGraph());
      expect(await readGraph(p)).toEqual(sampleGraph());
      await expect(readGraph(join(dir, "none.json"))).rejects.toThrow("no such file");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
