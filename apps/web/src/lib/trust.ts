// What the trust layer says about a graph (formats.md "pvalues", "contemporaneous", "stability",
// meta.reach), read for the viewer. Selection by p-value is core's: selectByPvalue, adjustPvalues.
import { scoresFromNested, selectByPvalue, type CausalGraph, type ContemporaneousResult, type Correction, type Orientation, type ScoredEdge } from "@causeway/core";
import { edgesAt } from "./analysis.js";

/** How the edge list is chosen: by the score threshold, or by adjusted p <= alpha (graphs with p-values). */
export type Selection = { by: "score"; threshold: number } | { by: "alpha"; alpha: number; correction: Correction };

/** The graph's own selection: by alpha when it was selected from p-values (meta.alpha), else by its threshold. */
export function ownSelection(graph: CausalGraph): Selection {
  if (graph.pvalues && graph.meta.alpha !== undefined && graph.meta.correction) return { by: "alpha", alpha: graph.meta.alpha, correction: graph.meta.correction };
  return { by: "score", threshold: graph.threshold };
}

/** Whether `s` is the graph's own selection (then its own `edges` are shown, as the method chose them). */
export function isOwnSelection(graph: CausalGraph, s: Selection): boolean {
  if (s.by === "score") return s.threshold === graph.threshold;
  const own = ownSelection(graph);
  return own.by === "alpha" && s.alpha === own.alpha && s.correction === own.correction;
}

/**
 * The lag-0 results of a graph as core's selectByPvalue takes them: scores from `contemporaneous`,
 * links (and p-values) from the lag-0 edges the method kept. The graph JSON carries lag-0 p-values
 * only on those edges, so the other pairs count as p = 1 in the correction's family; without any
 * lag-0 p-value the family is the lagged entries alone.
 */
export function contemporaneousOf(graph: CausalGraph): ContemporaneousResult | undefined {
  if (!graph.contemporaneous) return undefined;
  const V = graph.variables.length;
  const index = new Map(graph.variables.map((v, i) => [v, i]));
  const scores = new Float64Array(V * V);
  graph.contemporaneous.forEach((row, e) => row.forEach((s, c) => (scores[e * V + c] = s)));
  const links: (Orientation | null)[] = new Array<Orientation | null>(V * V).fill(null);
  const lag0 = graph.edges.filter((x) => x.lag === 0);
  const withP = lag0.some((x) => x.pvalue !== undefined);
  const pvalues = withP ? new Float64Array(V * V).fill(1) : undefined;
  for (const x of lag0) {
    const e = index.get(x.effect);
    const c = index.get(x.cause);
    if (e === undefined || c === undefined) continue;
    const o = x.orientation ?? "directed";
    links[e * V + c] = o;
    if (o !== "directed") links[c * V + e] = o;
    if (pvalues && x.pvalue !== undefined) pvalues[e * V + c] = pvalues[c * V + e] = x.pvalue;
  }
  return { scores, links, ...(pvalues ? { pvalues } : {}) };
}

/** The edges with adjusted p <= alpha under `correction` (core's selectByPvalue), stability attached. */
export function selectAtAlpha(graph: CausalGraph, alpha: number, correction: Correction): ScoredEdge[] {
  if (!graph.pvalues) throw new Error(`the ${graph.method} graph has no p-values to select by`);
  const V = graph.variables.length;
  const picked = selectByPvalue(
    scoresFromNested(graph.scores, V, graph.maxLag),
    scoresFromNested(graph.pvalues, V, graph.maxLag),
    graph.variables,
    alpha,
    correction,
    contemporaneousOf(graph),
  );
  return withStability(graph, picked.edges);
}

/** Lagged edges with the graph's p-value and bootstrap stability filled in where it has them. */
export function withStability(graph: CausalGraph, edges: ScoredEdge[]): ScoredEdge[] {
  if (!graph.stability && !graph.pvalues) return edges;
  const index = new Map(graph.variables.map((v, i) => [v, i]));
  return edges.map((x) => {
    if (x.lag === 0) return x;
    const e = index.get(x.effect)!;
    const c = index.get(x.cause)!;
    const out = { ...x };
    if (graph.stability && out.stability === undefined) out.stability = graph.stability[e][c][x.lag - 1];
    if (graph.pvalues && out.pvalue === undefined) out.pvalue = graph.pvalues[e][c][x.lag - 1];
    return out;
  });
}

/** The largest lag the method can score, when it cannot score all of 1..maxLag (meta.reach). */
export function reachLag(graph: CausalGraph): number | null {
  const r = graph.meta.reach?.maxLag;
  return r !== undefined && r < graph.maxLag ? r : null;
}

/** Which columns of the edge table have values. */
export function trustColumns(edges: ScoredEdge[]): { pvalue: boolean; qvalue: boolean; stability: boolean; orientation: boolean } {
  return {
    pvalue: edges.some((e) => e.pvalue !== undefined),
    qvalue: edges.some((e) => e.qvalue !== undefined),
    stability: edges.some((e) => e.stability !== undefined),
    orientation: edges.some((e) => e.lag === 0),
  };
}

/** The edges `s` selects: the graph's own list for its own selection, else re-selected (score threshold or alpha). */
export function edgesFor(graph: CausalGraph, s: Selection): ScoredEdge[] {
  if (s.by === "alpha") return isOwnSelection(graph, s) ? graph.edges : selectAtAlpha(graph, s.alpha, s.correction);
  return s.threshold === graph.threshold ? graph.edges : withStability(graph, edgesAt(graph, s.threshold));
}

/** The graph as `causeway.graph/v1` with the viewer's selection: its edges, threshold and (by alpha) meta.alpha and meta.correction. */
export function graphFor(graph: CausalGraph, s: Selection): CausalGraph {
  const edges = edgesFor(graph, s);
  if (s.by === "score") return { ...graph, threshold: s.threshold, edges };
  const lagged = edges.filter((e) => e.lag > 0).map((e) => e.score);
  // The score-space threshold the selection implies (core's convention: just above every score when nothing passes).
  const threshold = isOwnSelection(graph, s) ? graph.threshold : lagged.length ? Math.min(...lagged) : nextAbove(Math.max(...graph.scores.flat(2)));
  return { ...graph, threshold, edges, meta: { ...graph.meta, alpha: s.alpha, correction: s.correction } };
}

function nextAbove(x: number): number {
  return x + Math.max(Math.abs(x) * 1e-12, 1e-12);
}
