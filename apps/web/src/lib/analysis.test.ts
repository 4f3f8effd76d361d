// @vitest-environment happy-dom
import { scoreGraph } from "@causeway/metrics";
import { describe, expect, it } from "vitest";
import { handGraph, handTruth } from "../test/render.js";
import { edgesAt, graphAt, rocCurve, rocItems, scoreRange, summaryEdges } from "./analysis.js";

describe("edgesAt", () => {
  const graph = handGraph();

  it("keeps the method's own list at the method's threshold", () => {
    const own = { ...graph, edges: [graph.edges[0]] };
    expect(edgesAt(own, 0.5)).toEqual([graph.edges[0]]);
  });

  it("re-thresholds the scores elsewhere, strongest first", () => {
    expect(edgesAt(graph, 0.25).map((e) => `${e.cause}>${e.effect}@${e.lag}=${e.score}`)).toEqual(["a>b@1=0.9", "b>c@2=0.8", "a>c@1=0.4", "b>b@1=0.3"]);
    expect(edgesAt(graph, 0.1)).toHaveLength(8);
    expect(edgesAt(graph, 0.95)).toEqual([]);
  });

  it("graphAt carries the chosen threshold and its edges", () => {
    const g = graphAt(graph, 0.25);
    expect(g.threshold).toBe(0.25);
    expect(g.edges).toHaveLength(4);
    expect(g.scores).toBe(graph.scores);
  });
});

describe("scoreRange and summaryEdges", () => {
  it("finds the smallest and largest score", () => {
    expect(scoreRange(handGraph())).toEqual({ min: 0, max: 0.9 });
  });

  it("collapses lags into one arrow per pair, lags ascending, best score", () => {
    const s = summaryEdges([
      { cause: "a", effect: "b", lag: 3, score: 0.5 },
      { cause: "a", effect: "b", lag: 1, score: 0.7 },
      { cause: "b", effect: "a", lag: 2, score: 0.9 },
    ]);
    expect(s).toEqual([
      { cause: "b", effect: "a", lags: [2], score: 0.9 },
      { cause: "a", effect: "b", lags: [1, 3], score: 0.7 },
    ]);
  });
});

describe("rocCurve", () => {
  it("matches a hand-computed curve and AUROC", () => {
    // Ranked: 0.9 (+), 0.8 (-), 0.7 (+), 0.6 (-): pairs won 3 of 4 → AUROC 0.75.
    const { points, auc } = rocCurve([0.7, 0.9, 0.6, 0.8], [1, 1, 0, 0])!;
    expect(auc).toBeCloseTo(0.75, 12);
    expect(points.map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
    expect(points.map((p) => p.threshold)).toEqual([Infinity, 0.9, 0.8, 0.7, 0.6]);
  });

  it("counts ties half (Mann-Whitney)", () => {
    // One positive tied with one of two negatives, above the other: (0.5 + 1) / 2.
    expect(rocCurve([0.5, 0.5, 0.1], [1, 0, 0])!.auc).toBeCloseTo(0.75, 12);
  });

  it("has no curve when every label is one class", () => {
    expect(rocCurve([0.1, 0.2], [1, 1])).toBeNull();
    expect(rocCurve([0.1, 0.2], [0, 0])).toBeNull();
  });
});

describe("rocItems", () => {
  it("lagged: one item per (effect, cause, lag), labelled from the truth", () => {
    const { scores, labels } = rocItems(handGraph(), handTruth(), "lagged");
    expect(scores).toHaveLength(18);
    const positives = [...scores].filter((_, i) => labels[i]).sort();
    expect(positives).toEqual([0.1, 0.8, 0.9]); // c → a at lag 1 scores 0.1
    // 15 negatives; the positives beat 15, 15 and 10 of them: 40 / 45.
    expect(rocCurve(scores, labels)!.auc).toBeCloseTo(40 / 45, 12);
  });

  it("summary: max over lags per (effect, cause)", () => {
    const { scores, labels } = rocItems(handGraph(), handTruth(), "summary");
    expect(scores).toHaveLength(9);
    expect([...scores].filter((_, i) => labels[i]).sort()).toEqual([0.1, 0.8, 0.9]);
    expect(rocCurve(scores, labels)!.auc).toBeCloseTo(16 / 18, 12);
  });

  it("matches variables by name, whatever their order in the graph", () => {
    const g = handGraph();
    // The same graph with variables listed c, a, b.
    const order = [2, 0, 1];
    const reordered = { ...g, variables: order.map((i) => g.variables[i]), scores: order.map((e) => order.map((c) => g.scores[e][c])) };
    expect(rocCurve(...Object.values(rocItems(reordered, handTruth(), "lagged")) as [Float64Array, Uint8Array])!.auc).toBeCloseTo(40 / 45, 12);
  });

  it("ranks the truth's lags beyond the graph's last, as @causeway/metrics does", () => {
    // The graph stops at lag 1; the truth's b → c at lag 2 is then a positive scored -Infinity.
    const g = handGraph();
    const short = { ...g, maxLag: 1, scores: g.scores.map((row) => row.map((cell) => cell.slice(0, 1))), edges: [g.edges[0]] };
    const { scores, labels } = rocItems(short, handTruth(), "lagged");
    expect(scores).toHaveLength(18);
    const auc = rocCurve(scores, labels)!.auc;
    expect(auc).toBeCloseTo(scoreGraph(handTruth(), short).aurocLagged!, 12);
    // Negatives: 7 lag-1 scores and 8 lag-2 -Infinity. Positive 0.9 beats all 15; 0.1 beats
    // 0.05, 0.02, 0.04, 0.08 and the 8 -Infinity (12); -Infinity ties 8 (4): 31 / 45.
    expect(auc).toBeCloseTo(31 / 45, 12);
  });

  it("names a truth variable the graph lacks", () => {
    const truth = { ...handTruth(), variables: ["a", "b", "z"], edges: [] };
    expect(() => rocItems(handGraph(), truth, "lagged")).toThrow(/no variable "z"/);
  });
});
