import { describe, expect, it } from "vitest";
import { buildGraph, createScores, setScore } from "../graph.js";
import { graphToJson, parseGraphJson } from "../io/graph-json.js";

const meta = { backend: "none", seconds: 0, seed: 0, params: {} };

describe("edges from p-values", () => {
  // V = 2, maxLag = 2: four lagged entries per effect, eight in all.
  const scores = createScores(2, 2);
  const pvalues = createScores(2, 2, 1);
  setScore(scores, 1, 0, 1, 40); // x0 -> x1 at lag 1: p 1e-40
  setScore(pvalues, 1, 0, 1, 1e-40);
  setScore(scores, 0, 0, 1, 2); // x0 self at lag 1: p .01 -> BH q = .01 * 8 / 2 = .04
  setScore(pvalues, 0, 0, 1, 0.01);
  setScore(scores, 0, 1, 2, 1.3); // p .04 -> q = .04 * 8 / 3 > .05
  setScore(pvalues, 0, 1, 2, 0.04);

  it("selects adjusted p <= alpha, strongest first, with p and q on each edge", () => {
    const g = buildGraph({ method: "t", variables: ["x0", "x1"], scores, pvalues, threshold: 0, meta });
    expect(g.edges.map((e) => [e.cause, e.effect, e.lag])).toEqual([["x0", "x1", 1], ["x0", "x0", 1]]);
    expect(g.edges[1].qvalue).toBeCloseTo(0.04, 15);
    expect(g.meta).toMatchObject({ alpha: 0.05, correction: "fdr_bh" });
    expect(g.threshold).toBe(2);
    // Without correction the p = .04 entry passes; Bonferroni keeps only the first.
    expect(buildGraph({ method: "t", variables: ["x0", "x1"], scores, pvalues, threshold: 0, meta, correction: "none" }).edges).toHaveLength(3);
    expect(buildGraph({ method: "t", variables: ["x0", "x1"], scores, pvalues, threshold: 0, meta, correction: "bonferroni" }).edges).toHaveLength(1);
    // An explicit score threshold wins over alpha.
    expect(buildGraph({ method: "t", variables: ["x0", "x1"], scores, pvalues, threshold: 1, meta, selectBy: "score" }).edges).toHaveLength(3);
  });

  it("lists lag-0 links and round-trips every optional field through JSON", () => {
    const contemporaneous = { scores: Float64Array.from([0, 5, 5, 0]), pvalues: Float64Array.from([1, 1e-6, 1e-6, 1]), links: [null, "undirected", "undirected", null] as const };
    const g = buildGraph({ method: "t", variables: ["x0", "x1"], scores, pvalues, threshold: 0, meta, contemporaneous: { ...contemporaneous, links: [...contemporaneous.links] }, stability: createScores(2, 2, 0.5) });
    const lag0 = g.edges.filter((e) => e.lag === 0);
    expect(lag0).toEqual([{ cause: "x0", effect: "x1", lag: 0, score: 5, pvalue: 1e-6, qvalue: expect.any(Number), orientation: "undirected" }]);
    expect(g.edges.find((e) => e.lag === 1)?.stability).toBe(0.5);
    const back = parseGraphJson(graphToJson(g));
    expect(back.pvalues).toEqual(g.pvalues);
    expect(back.contemporaneous).toEqual([[0, 5], [5, 0]]);
    expect(back.stability).toEqual(g.stability);
    expect(back.edges).toEqual(g.edges);
  });

  it("refuses p-values outside [0, 1] and of the wrong shape", () => {
    expect(() => buildGraph({ method: "t", variables: ["x0", "x1"], scores, pvalues: createScores(2, 2, 2), threshold: 0, meta })).toThrow(/outside \[0, 1\]/);
    expect(() => buildGraph({ method: "t", variables: ["x0", "x1"], scores, pvalues: createScores(2, 1, 0), threshold: 0, meta })).toThrow(/shape/);
  });
});
