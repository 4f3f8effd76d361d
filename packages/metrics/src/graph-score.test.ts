import type { CausalGraph, GroundTruth, ScoredEdge } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { scoreGraph } from "./graph-score.js";

/** A graph over `variables` whose score for (effect, cause, lag) is looked up by NAME in `s`. */
function graphOf(
  variables: string[],
  maxLag: number,
  s: Record<string, number[]>, // "effect<-cause" -> [lag 1, lag 2, ...]; missing = 0
  edges: ScoredEdge[] = [],
): CausalGraph {
  const scores = variables.map((e) => variables.map((c) => s[`${e}<-${c}`] ?? new Array<number>(maxLag).fill(0)));
  return { format: "causeway.graph/v1", variables, maxLag, method: "test", scores, edges, threshold: 0.5, meta: { backend: "none", seconds: 0, seed: 0, params: {} } };
}

const edge = (cause: string, effect: string, lag: number, score = 1): ScoredEdge => ({ cause, effect, lag, score });

describe("scoreGraph on a 2-variable lagged graph listed in another order than the truth", () => {
  // Truth (a, b), maxLag 2: a -> a at lag 1, a -> b at lag 1.
  const truth: GroundTruth = { variables: ["a", "b"], maxLag: 2, edges: [edge("a", "a", 1), edge("a", "b", 1)], summaryOnly: false };
  // Scores by name (effect <- cause):   lag 1  lag 2
  //   a <- a  (true at lag 1)            0.9    0.2
  //   a <- b                             0.3    0.1
  //   b <- a  (true at lag 1)            0.5    0.5
  //   b <- b                             0.7    0.0
  const scores = { "a<-a": [0.9, 0.2], "a<-b": [0.3, 0.1], "b<-a": [0.5, 0.5], "b<-b": [0.7, 0.0] };
  // Predicted: a -> a lag 1 (right), b -> b lag 1 (wrong), a -> b lag 2 (wrong lag).
  const edges = [edge("a", "a", 1, 0.9), edge("b", "b", 1, 0.7), edge("a", "b", 2, 0.5)];
  const graph = graphOf(["b", "a"], 2, scores, edges);

  it("matches variables by name and computes every figure", () => {
    const r = scoreGraph(truth, graph);
    // Lagged: positives 0.9, 0.5(b<-a,1); negatives 0.2, 0.3, 0.1, 0.5, 0.7, 0.0.
    // 0.9 beats all 6; 0.5 beats 4, ties 1 (1/2) -> (6 + 4.5) / 12.
    expect(r.aurocLagged).toBeCloseTo(10.5 / 12, 15);
    // Descending 0.9(+) 0.7 {0.5(+), 0.5} ...: 1/2 * 1 + 1/2 * 2/4.
    expect(r.auprcLagged).toBeCloseTo(0.75, 15);
    // Summary (max over lags): a<-a 0.9(+), a<-b 0.3, b<-a 0.5(+), b<-b 0.7.
    // 0.9 beats 0.3, 0.7; 0.5 beats 0.3 -> 3/4. AP: 0.9(+) 0.7 0.5(+) -> 1/2 + 1/2 * 2/3.
    expect(r.aurocSummary).toBeCloseTo(0.75, 15);
    expect(r.auprcSummary).toBeCloseTo(0.5 + 1 / 3, 15);
    // Without self pairs: b<-a 0.5(+) vs a<-b 0.3.
    expect(r.aurocSummaryNoSelf).toBe(1);
    // Skeleton has a single pair {a, b}, positive: undefined, reported as null with a note.
    expect(r.aurocSkeleton).toBeNull();
    expect(r.notes).toContain("skeleton AUROC is undefined: all 1 labels are positive");
    // Lagged P/R/F1 on edges: tp 1 (a->a 1), fp 2, fn 1 (a->b 1).
    expect(r.counts.lagged).toEqual({ tp: 1, fp: 2, fn: 1, tn: 4, truth: 2, predicted: 3 });
    expect(r.precision).toBeCloseTo(1 / 3, 15);
    expect(r.recall).toBe(0.5);
    expect(r.f1).toBeCloseTo(0.4, 15);
    expect(r.shd).toBe(3);
    // Summary: predicted a<-a, b<-b, b<-a; truth a<-a, b<-a -> tp 2, fp 1.
    expect(r.counts.summary).toEqual({ tp: 2, fp: 1, fn: 0, tn: 1, truth: 2, predicted: 3 });
    expect(r.precisionSummary).toBeCloseTo(2 / 3, 15);
    expect(r.recallSummary).toBe(1);
    expect(r.f1Summary).toBeCloseTo(0.8, 15);
    // Summary SHD: the extra self-loop b->b only.
    expect(r.shdSummary).toBe(1);
    expect(r.counts).toMatchObject({ variables: 2, maxLag: 2, truthMaxLag: 2, graphMaxLag: 2, truthEdgesBeyondGraphMaxLag: 0, threshold: null });
  });

  it("gives the same figures when the graph lists variables in the truth's order", () => {
    const same = scoreGraph(truth, graphOf(["a", "b"], 2, scores, edges));
    expect(same).toEqual(scoreGraph(truth, graph));
  });

  it("predicts from scores >= options.threshold instead of the edges list", () => {
    // >= 0.5: a<-a 1 (+), b<-a 1 (+), b<-a 2, b<-b 1 -> tp 2, fp 2, fn 0.
    const r = scoreGraph(truth, graph, { threshold: 0.5 });
    expect(r.counts.lagged).toMatchObject({ tp: 2, fp: 2, fn: 0 });
    expect([r.precision, r.recall]).toEqual([0.5, 1]);
    expect(r.f1).toBeCloseTo(2 / 3, 15);
    expect(r.shd).toBe(2);
    expect(r.counts.threshold).toBe(0.5);
    expect(r.aurocLagged).toBeCloseTo(10.5 / 12, 15); // ranking metrics do not depend on it
  });

  it("ignores contemporaneous (lag 0) edges, as formats.md says (varlingam's graphs were refused)", () => {
    const lag0 = { ...edge("b", "a", 0, 0.8), orientation: "directed" as const };
    const withLag0 = scoreGraph(truth, graphOf(["b", "a"], 2, scores, [...edges, lag0]));
    expect(withLag0).toEqual(scoreGraph(truth, graph));
    expect(withLag0.counts.lagged).toMatchObject({ tp: 1, fp: 2, fn: 1 });
  });

  it("names missing and extra variables", () => {
    expect(() => scoreGraph(truth, graphOf(["a"], 2, scores))).toThrow('the graph has no variable "b" from the ground truth');
    expect(() => scoreGraph(truth, graphOf(["a", "b", "c"], 2, scores))).toThrow('the graph has variable "c" that the ground truth does not');
    expect(() => scoreGraph(truth, graphOf(["a", "a"], 2, scores))).toThrow('the graph names variable "a" twice');
  });

  it("rejects bad edges, non-finite scores and an edgeless truth", () => {
    expect(() => scoreGraph(truth, graphOf(["a", "b"], 2, scores, [edge("a", "z", 1)]))).toThrow("names a variable that is not in the graph");
    expect(() => scoreGraph(truth, graphOf(["a", "b"], 2, scores, [edge("a", "b", 3)]))).toThrow("lag 3 outside 1..2");
    expect(() => scoreGraph(truth, graphOf(["a", "b"], 2, scores, [edge("a", "b", -1)]))).toThrow("lag -1 outside 1..2");
    expect(() => scoreGraph(truth, graphOf(["a", "b"], 2, { ...scores, "a<-b": [NaN, 0] }))).toThrow("not a finite number");
    expect(() => scoreGraph({ ...truth, edges: [] }, graph)).toThrow("the ground truth has no edges");
  });
});

describe("scoreGraph when truth and graph maxLag differ", () => {
  const truth: GroundTruth = { variables: ["x", "y"], maxLag: 2, edges: [edge("x", "y", 1), edge("x", "y", 2)], summaryOnly: false };

  it("scores true edges beyond the graph's maxLag lowest (tied with each other)", () => {
    // Graph maxLag 1. Items over lags 1..2: positives y<-x@1 = 0.8, y<-x@2 = (none: lowest);
    // negatives x<-x@1 0.1, x<-y@1 0.2, y<-y@1 0.3 and three lag-2 items (lowest).
    // 0.8 beats all 6; the lowest positive ties the 3 lowest negatives -> (6 + 1.5) / 12.
    const g = graphOf(["y", "x"], 1, { "y<-x": [0.8], "x<-x": [0.1], "x<-y": [0.2], "y<-y": [0.3] }, [edge("x", "y", 1, 0.8)]);
    const r = scoreGraph(truth, g);
    expect(r.aurocLagged).toBeCloseTo(7.5 / 12, 15);
    expect(r.counts).toMatchObject({ maxLag: 2, truthMaxLag: 2, graphMaxLag: 1, truthEdgesBeyondGraphMaxLag: 1 });
    expect(r.counts.lagged).toMatchObject({ tp: 1, fp: 0, fn: 1 });
    expect(r.recall).toBe(0.5);
    // The summary is unaffected: y<-x is found.
    expect(r.aurocSummary).toBe(1);
    expect(r.f1Summary).toBe(1);
  });

  it("treats graph lags beyond the truth's maxLag as negatives", () => {
    // Graph maxLag 3: y<-x scores 0.9, 0.4, 0.6 (lag 3 is a negative); all else 0.5.
    // Positives 0.9, 0.4; negatives: 0.6 and nine 0.5s (10). 0.9 beats 10; 0.4 beats 0 -> 10 / 20.
    const rest = [0.5, 0.5, 0.5];
    const g = graphOf(["x", "y"], 3, { "y<-x": [0.9, 0.4, 0.6], "x<-x": rest, "x<-y": rest, "y<-y": rest }, [edge("x", "y", 3, 0.6)]);
    const r = scoreGraph(truth, g);
    expect(r.aurocLagged).toBe(0.5);
    expect(r.counts).toMatchObject({ maxLag: 3, truthEdgesBeyondGraphMaxLag: 0 });
    expect(r.counts.lagged).toMatchObject({ tp: 0, fp: 1, fn: 2, tn: 9 });
    expect(r.shd).toBe(3);
    expect(r.f1).toBe(0);
    // Summary pair y<-x is predicted (at lag 3) and true.
    expect(r.counts.summary).toMatchObject({ tp: 1, fp: 0, fn: 0 });
  });
});

describe("scoreGraph with a summary-only truth (3 variables)", () => {
  // Truth x -> y, y -> z (summary only). Graph lists (z, x, y), maxLag 2; the summary score
  // is the max over lags:           summary   (lag 1, lag 2)
  //   x<-x 0.9, x<-y 0.4, x<-z 0.55   (x<-y from lag 2)
  //   y<-x 0.6 (+), y<-y 0.9, y<-z 0.2
  //   z<-x 0.3, z<-y 0.5 (+), z<-z 0.9
  const truth: GroundTruth = { variables: ["x", "y", "z"], maxLag: 1, edges: [edge("x", "y", 1), edge("y", "z", 1)], summaryOnly: true };
  const g = graphOf(
    ["z", "x", "y"],
    2,
    {
      "x<-x": [0.9, 0.1], "x<-y": [0.0, 0.4], "x<-z": [0.55, 0.5],
      "y<-x": [0.2, 0.6], "y<-y": [0.9, 0.9], "y<-z": [0.2, 0.1],
      "z<-x": [0.3, 0.3], "z<-y": [0.5, 0.0], "z<-z": [0.9, 0.9],
    },
    // Predicted: x -> y (right, lag 2), y -> x (the reverse of it), x -> x (extra self-loop).
    [edge("x", "y", 2, 0.6), edge("y", "x", 2, 0.4), edge("x", "x", 1, 0.9)],
  );
  const r = scoreGraph(truth, g);

  it("leaves lagged metrics null", () => {
    expect([r.aurocLagged, r.auprcLagged, r.precision, r.recall, r.f1, r.shd, r.counts.lagged]).toEqual([null, null, null, null, null, null, null]);
    expect(r.notes).toContain("lagged metrics are null: the ground truth is summary-only");
  });

  it("computes summary, no-self and skeleton AUROC", () => {
    // Summary: positives 0.6, 0.5; negatives 0.9 x3, 0.4, 0.55, 0.2, 0.3.
    // 0.6 beats 0.4, 0.55, 0.2, 0.3 (4); 0.5 beats 0.4, 0.2, 0.3 (3) -> 7 / 14 (sklearn agrees).
    expect(r.aurocSummary).toBe(0.5);
    // AP: 0.9 x3 (-), then 0.6 (+): R 1/2, P 1/4; 0.55 (-); 0.5 (+): R 1, P 2/6 -> 1/8 + 1/6.
    expect(r.auprcSummary).toBeCloseTo(1 / 8 + 1 / 6, 15);
    // No self pairs: negatives 0.4, 0.55, 0.2, 0.3 -> (4 + 3) / 8.
    expect(r.aurocSummaryNoSelf).toBe(0.875);
    // Skeleton: {x,y} max(0.4, 0.6) = 0.6 (+), {x,z} max(0.55, 0.3) = 0.55 (-), {y,z} max(0.2, 0.5) = 0.5 (+)
    // -> 0.6 beats 0.55, 0.5 does not -> 1/2.
    expect(r.aurocSkeleton).toBe(0.5);
  });

  it("scores predicted summary edges and SHD with a reversed edge as one error", () => {
    // Predicted pairs y<-x, x<-y, x<-x; truth y<-x, z<-y -> tp 1, fp 2, fn 1.
    expect(r.counts.summary).toEqual({ tp: 1, fp: 2, fn: 1, tn: 5, truth: 2, predicted: 3 });
    expect(r.f1Summary).toBeCloseTo(0.4, 15);
    // SHD: self x (1) + pair {x,y} has both directions vs one (1) + pair {y,z} missing (1) = 3.
    expect(r.shdSummary).toBe(3);
  });

  it("counts a purely reversed summary edge once, but twice in the lagged SHD", () => {
    const t2: GroundTruth = { variables: ["p", "q"], maxLag: 1, edges: [edge("p", "q", 1)], summaryOnly: false };
    const g2 = graphOf(["p", "q"], 1, { "p<-q": [1] }, [edge("q", "p", 1)]);
    const r2 = scoreGraph(t2, g2);
    expect(r2.shdSummary).toBe(1);
    expect(r2.shd).toBe(2);
    expect(r2.aurocSummary).toBeCloseTo(1 / 3, 15); // positive q<-p (0) beats the two 0 self pairs half each: 1 / 3
  });
});
