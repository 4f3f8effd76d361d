import { scoresFromNested, thresholdEdges, truthTensor, type CausalGraph, type GroundTruth, type ScoredEdge } from "@causeway/core";

/**
 * The edge list at `threshold`: the graph's own `edges` at its own threshold (a method may have
 * validated them itself, e.g. TCDF), otherwise every (effect, cause, lag) scoring >= threshold and
 * the method's lag-0 links scoring >= threshold, strongest first.
 */
export function edgesAt(graph: CausalGraph, threshold: number): ScoredEdge[] {
  if (threshold === graph.threshold) return graph.edges;
  const lagged = thresholdEdges(scoresFromNested(graph.scores, graph.variables.length, graph.maxLag), graph.variables, threshold);
  // Lag-0 links: the method's own (their orientation is its decision), those scoring >= threshold.
  const lag0 = graph.edges.filter((e) => e.lag === 0 && e.score >= threshold);
  return lag0.length ? [...lagged, ...lag0].sort((a, b) => b.score - a.score) : lagged;
}

/** The graph as `causeway.graph/v1` with the edge list and threshold chosen in the viewer. */
export function graphAt(graph: CausalGraph, threshold: number): CausalGraph {
  return { ...graph, threshold, edges: edgesAt(graph, threshold) };
}

/** Smallest and largest score of the tensor (for the slider and colour scale). */
export function scoreRange(graph: CausalGraph): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const row of graph.scores) for (const cell of row) for (const s of cell) {
    if (s < min) min = s;
    if (s > max) max = s;
  }
  if (!Number.isFinite(min)) return { min: 0, max: 1 };
  return { min, max };
}

/** Summary edges (max score over lags) keyed `cause->effect`, with the lags that pass. */
export interface SummaryEdge {
  cause: string;
  effect: string;
  /** Lags whose score passes the threshold, ascending. */
  lags: number[];
  score: number;
}

/** Collapse lagged edges into one arrow per (cause, effect), labelled with its lags. */
export function summaryEdges(edges: ScoredEdge[]): SummaryEdge[] {
  const byPair = new Map<string, SummaryEdge>();
  for (const e of edges) {
    const key = `${e.cause}\u0000${e.effect}`;
    const s = byPair.get(key) ?? { cause: e.cause, effect: e.effect, lags: [], score: -Infinity };
    s.lags.push(e.lag);
    s.score = Math.max(s.score, e.score);
    byPair.set(key, s);
  }
  for (const s of byPair.values()) s.lags.sort((a, b) => a - b);
  return [...byPair.values()].sort((a, b) => b.score - a.score);
}

/** One point of a ROC curve. */
export interface RocPoint {
  fpr: number;
  tpr: number;
  /** Smallest score predicted positive at this point. */
  threshold: number;
}

/**
 * ROC curve of `scores` against 0/1 `labels`: one point per distinct score, from (0, 0) to (1, 1).
 * Tied scores move both rates at once, so the trapezoid area equals the Mann-Whitney AUROC with
 * ties counted half.
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): { points: RocPoint[]; auc: number } | null {
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] ? 1 : 0;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  let tp = 0;
  let fp = 0;
  let auc = 0;
  for (let k = 0; k < n; ) {
    const s = scores[order[k]];
    for (; k < n && scores[order[k]] === s; k++) {
      if (labels[order[k]]) tp++;
      else fp++;
    }
    const prev = points[points.length - 1];
    const next = { fpr: fp / negatives, tpr: tp / positives, threshold: s };
    auc += ((next.fpr - prev.fpr) * (next.tpr + prev.tpr)) / 2;
    points.push(next);
  }
  return { points, auc };
}

/**
 * Scores and labels for a ROC curve, matched by variable name, over the items `scoreGraph` of
 * @causeway/metrics ranks: every (effect, cause, lag) with lag 1..max(graph.maxLag, truth.maxLag),
 * -Infinity where the graph has no such lag (lagged), or every (effect, cause) with the max over
 * lags (summary; used when the truth is summary-only).
 */
export function rocItems(graph: CausalGraph, truth: GroundTruth, level: "lagged" | "summary"): { scores: Float64Array; labels: Uint8Array } {
  const V = truth.variables.length;
  const Lg = graph.maxLag;
  const T = truthTensor(truth);
  const L = Math.max(Lg, T.maxLag);
  const gi = truth.variables.map((v) => {
    const i = graph.variables.indexOf(v);
    if (i < 0) throw new Error(`the graph has no variable "${v}" from the ground truth`);
    return i;
  });
  const lagged = level === "lagged" && !truth.summaryOnly;
  const n = lagged ? V * V * L : V * V;
  const scores = new Float64Array(n);
  const labels = new Uint8Array(n);
  let k = 0;
  for (let e = 0; e < V; e++) {
    for (let c = 0; c < V; c++) {
      const cell = graph.scores[gi[e]][gi[c]];
      const label = (l: number) => (l < T.maxLag ? T.data[(e * V + c) * T.maxLag + l] : 0);
      if (lagged) {
        for (let l = 0; l < L; l++, k++) {
          scores[k] = l < Lg ? cell[l] : -Infinity;
          labels[k] = label(l);
        }
      } else {
        let truthAny = 0;
        for (let l = 0; l < T.maxLag; l++) truthAny |= label(l);
        scores[k] = Math.max(...cell);
        labels[k++] = truthAny;
      }
    }
  }
  return { scores, labels };
}
