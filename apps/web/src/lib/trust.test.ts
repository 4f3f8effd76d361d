import { CORRECTIONS, selectByPvalue } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { handGraph } from "../test/render.js";
import { trustFixture } from "../test/trust-graph.js";
import { contemporaneousOf, edgesFor, graphFor, isOwnSelection, ownSelection, reachLag, selectAtAlpha, trustColumns } from "./trust.js";

const key = (e: { cause: string; effect: string; lag: number }) => `${e.cause}>${e.effect}@${e.lag}`;

describe("selection by alpha", () => {
  const { graph, scores, pvalues, contemporaneous } = trustFixture();

  it("at the graph's own alpha and correction gives the method's own edges", () => {
    expect(ownSelection(graph)).toEqual({ by: "alpha", alpha: 0.05, correction: "fdr_bh" });
    expect(selectAtAlpha(graph, 0.05, "fdr_bh")).toEqual(graph.edges);
    expect(edgesFor(graph, ownSelection(graph))).toBe(graph.edges);
  });

  for (const correction of CORRECTIONS)
    for (const alpha of [1e-6, 0.001, 0.01, 0.05, 0.2])
      it(`alpha ${alpha}, ${correction}: the edges of core's selectByPvalue, with their p, q and stability`, () => {
        const want = selectByPvalue(scores, pvalues, graph.variables, alpha, correction, contemporaneous).edges;
        const got = edgesFor(graph, { by: "alpha", alpha, correction });
        expect(got.map(key)).toEqual(want.map(key));
        got.forEach((e, i) => {
          expect(e.score).toBe(want[i].score);
          expect(e.pvalue).toBe(want[i].pvalue);
          expect(e.qvalue).toBe(want[i].qvalue);
          if (e.lag > 0) expect(e.stability).toBe(graph.stability![graph.variables.indexOf(e.effect)][graph.variables.indexOf(e.cause)][e.lag - 1]);
        });
      });

  it("the alphas select different edge sets (the control is not inert on this graph)", () => {
    const counts = [1e-5, 0.001, 0.01, 0.05].map((alpha) => selectAtAlpha(graph, alpha, "fdr_bh").length);
    expect(new Set(counts).size).toBe(4);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  });

  it("rebuilds the lag-0 links from the graph: orientation and p-values of the linked pairs", () => {
    const c = contemporaneousOf(graph)!;
    const V = graph.variables.length;
    expect(c.links[5 * V + 0]).toBe("directed");
    expect(c.links[0 * V + 5]).toBeNull();
    expect([c.links[7 * V + 2], c.links[2 * V + 7]]).toEqual(["undirected", "undirected"]);
    expect([c.links[9 * V + 4], c.links[4 * V + 9]]).toEqual(["conflict", "conflict"]);
    expect(c.pvalues![7 * V + 2]).toBe(1e-5);
    expect(c.pvalues![3 * V + 1]).toBe(1);
    expect(contemporaneousOf(handGraph())).toBeUndefined();
  });

  it("graphFor carries the selection into the exported JSON", () => {
    const g = graphFor(graph, { by: "alpha", alpha: 0.001, correction: "bonferroni" });
    expect(g.meta).toMatchObject({ alpha: 0.001, correction: "bonferroni" });
    const lagged = g.edges.filter((e) => e.lag > 0);
    expect(g.threshold).toBe(Math.min(...lagged.map((e) => e.score)));
    expect(isOwnSelection(graph, { by: "alpha", alpha: 0.001, correction: "bonferroni" })).toBe(false);
    const byScore = graphFor(graph, { by: "score", threshold: 2.5 });
    expect(byScore.edges.filter((e) => e.lag > 0).every((e) => e.score >= 2.5)).toBe(true);
    expect(byScore.threshold).toBe(2.5);
  });

  it("a graph without p-values is selected by its score threshold", () => {
    expect(ownSelection(handGraph())).toEqual({ by: "score", threshold: 0.5 });
    expect(() => selectAtAlpha(handGraph(), 0.05, "none")).toThrow(/no p-values/);
  });
});

describe("reach and columns", () => {
  it("reachLag is meta.reach.maxLag when below maxLag", () => {
    expect(reachLag(trustFixture().graph)).toBe(2);
    expect(reachLag(handGraph())).toBeNull();
    expect(reachLag({ ...handGraph(), meta: { ...handGraph().meta, reach: { maxLag: 5 } } })).toBeNull();
  });

  it("trustColumns names the columns that have values", () => {
    expect(trustColumns(trustFixture().graph.edges)).toEqual({ pvalue: true, qvalue: true, stability: true, orientation: true });
    expect(trustColumns(handGraph().edges)).toEqual({ pvalue: false, qvalue: false, stability: false, orientation: false });
  });
});
