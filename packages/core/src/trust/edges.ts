/**
 * `edges` from p-values (formats.md "pvalues"): every tested (effect, cause, lag) whose adjusted
 * p-value is at most alpha, strongest score first; and the lag-0 edges of `contemporaneous`.
 */
import type { ScoreTensor } from "../graph.js";
import type { Correction, Orientation, ScoredEdge } from "../types.js";
import { adjustPvalues } from "./multiple-testing.js";

/** Lag-0 results `[effect * V + cause]` of methods that test instantaneous links. */
export interface ContemporaneousResult {
  /** `[V * V]` scores, symmetric for undirected pairs; the diagonal is ignored. */
  scores: Float64Array;
  /** `[V * V]` p-values (NaN or 1 where not tested). */
  pvalues?: Float64Array;
  /**
   * `[V * V]` the method's decision per ordered pair: "directed" at `[e * V + c]` means c -> e;
   * "undirected" / "conflict" are set at both `[e, c]` and `[c, e]`; null: no link.
   */
  links: (Orientation | null)[];
}

export interface EdgeSelection {
  /** Lagged edges (and lag-0 edges when `contemporaneous` is given), strongest first. */
  edges: ScoredEdge[];
  /** The smallest score among the selected lagged edges (the score-space threshold they imply). */
  threshold: number;
  /** Adjusted p-values `[V, V, maxLag]` in score order. */
  adjusted: Float64Array;
}

/**
 * Select lagged edges by adjusted p <= alpha. The correction's family is every lagged entry
 * (untested ones carry p = 1 and still count, as tigramite counts them) plus, with
 * `contemporaneous.pvalues`, each unordered lag-0 pair once.
 */
export function selectByPvalue(
  scores: ScoreTensor,
  pvalues: ScoreTensor,
  variables: string[],
  alpha: number,
  correction: Correction,
  contemporaneous?: ContemporaneousResult,
): EdgeSelection {
  const { V, maxLag } = scores;
  const n = scores.data.length;
  const pairs: [number, number][] = [];
  if (contemporaneous?.pvalues) for (let e = 0; e < V; e++) for (let c = 0; c < e; c++) pairs.push([e, c]);
  const family = new Float64Array(n + pairs.length);
  family.set(pvalues.data);
  pairs.forEach(([e, c], k) => {
    const p = contemporaneous!.pvalues!;
    family[n + k] = Math.min(p[e * V + c], p[c * V + e]);
  });
  const q = adjustPvalues(family, correction);
  const edges: ScoredEdge[] = [];
  let threshold = Infinity;
  for (let e = 0; e < V; e++)
    for (let c = 0; c < V; c++)
      for (let l = 1; l <= maxLag; l++) {
        const i = (e * V + c) * maxLag + (l - 1);
        if (!(q[i] <= alpha)) continue;
        const score = scores.data[i];
        threshold = Math.min(threshold, score);
        edges.push({ cause: variables[c], effect: variables[e], lag: l, score, pvalue: pvalues.data[i], qvalue: q[i] });
      }
  if (contemporaneous) {
    const qOf = new Map(pairs.map(([e, c], k) => [e * V + c, q[n + k]]));
    edges.push(...contemporaneousEdges(contemporaneous, variables, (e, c) => qOf.get(Math.max(e, c) * V + Math.min(e, c))));
  }
  edges.sort((a, b) => b.score - a.score || (a.pvalue ?? 1) - (b.pvalue ?? 1));
  // No edge selected: a threshold above every score says so in score space.
  if (threshold === Infinity) threshold = nextAbove(maxOf(scores.data));
  return { edges, threshold, adjusted: q.subarray(0, n) };
}

/** Lag-0 edges of a contemporaneous result: one per directed link, one per undirected or conflicting pair (cause = the earlier variable). */
export function contemporaneousEdges(r: ContemporaneousResult, variables: string[], qvalue: (e: number, c: number) => number | undefined = () => undefined): ScoredEdge[] {
  const V = variables.length;
  const out: ScoredEdge[] = [];
  for (let e = 0; e < V; e++)
    for (let c = 0; c < V; c++) {
      const link = r.links[e * V + c];
      if (e === c || !link || (link !== "directed" && c > e)) continue;
      const edge: ScoredEdge = { cause: variables[c], effect: variables[e], lag: 0, score: r.scores[e * V + c], orientation: link };
      if (r.pvalues) edge.pvalue = r.pvalues[e * V + c];
      const q = qvalue(e, c);
      if (q !== undefined) edge.qvalue = q;
      out.push(edge);
    }
  return out;
}

function maxOf(a: Float64Array): number {
  let m = -Infinity;
  for (const v of a) m = Math.max(m, v);
  return m === -Infinity ? 0 : m;
}

/** A finite number just above x (x + one part in 1e12, at least 1e-12). */
function nextAbove(x: number): number {
  return x + Math.max(Math.abs(x) * 1e-12, 1e-12);
}
