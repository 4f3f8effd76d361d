// A 20-variable graph as a method with a test would return it (built by core's buildGraph):
// p-values, lag-0 links of each orientation, bootstrap stability and a reach below maxLag.
import { buildGraph, createScores, setScore, type CausalGraph, type ContemporaneousResult, type Orientation, type ScoreTensor } from "@causeway/core";

export const V20 = Array.from({ length: 20 }, (_, i) => `x${i}`);
const MAX_LAG = 3;

/** Deterministic uniform numbers in [0, 1) (a 32-bit LCG). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * x{i} -> x{i+1} at lag 1 + i % 3 (p from 1e-9 to 1e-3: strong to marginal), self-loops x{i} -> x{i}
 * at lag 1 for even i, noise elsewhere (p uniform, a few near .01); lag-0 links x0 -> x5
 * (directed), x2 - x7 (undirected), x4 x 9 (conflict), with lag-0 p-values 1e-5 there and 1
 * elsewhere. Stability 0.9 on planted edges, 0.1 elsewhere; `meta.reach.maxLag` 2.
 */
export function trustGraph(opts: { alpha?: number; correction?: "none" | "bonferroni" | "fdr_bh" } = {}): CausalGraph {
  return trustFixture(opts).graph;
}

/** `trustGraph` and the method's outputs it was built from (what core's selectByPvalue takes). */
export function trustFixture(opts: { alpha?: number; correction?: "none" | "bonferroni" | "fdr_bh" } = {}): {
  graph: CausalGraph;
  scores: ScoreTensor;
  pvalues: ScoreTensor;
  contemporaneous: ContemporaneousResult;
} {
  const V = V20.length;
  const rand = lcg(7);
  const scores = createScores(V, MAX_LAG);
  const pvalues = createScores(V, MAX_LAG, 1);
  const stability = createScores(V, MAX_LAG, 0.1);
  for (let e = 0; e < V; e++)
    for (let c = 0; c < V; c++)
      for (let l = 1; l <= MAX_LAG; l++) {
        const p = 0.005 + 0.995 * rand();
        setScore(pvalues, e, c, l, p);
        setScore(scores, e, c, l, -Math.log10(p));
      }
  const plant = (e: number, c: number, l: number, p: number) => {
    setScore(pvalues, e, c, l, p);
    setScore(scores, e, c, l, -Math.log10(p));
    setScore(stability, e, c, l, 0.9);
  };
  for (let i = 0; i + 1 < V; i++) plant(i + 1, i, 1 + (i % 3), 10 ** (-9 + (6 * i) / (V - 2)));
  for (let i = 0; i < V; i += 2) plant(i, i, 1, 1e-7);
  const links: (Orientation | null)[] = new Array<Orientation | null>(V * V).fill(null);
  const c0 = new Float64Array(V * V);
  const p0 = new Float64Array(V * V).fill(1);
  const link = (e: number, c: number, o: Orientation) => {
    links[e * V + c] = o;
    c0[e * V + c] = 5;
    p0[e * V + c] = 1e-5;
    if (o !== "directed") {
      links[c * V + e] = o;
      c0[c * V + e] = 5;
      p0[c * V + e] = 1e-5;
    }
  };
  link(5, 0, "directed");
  link(7, 2, "undirected");
  link(9, 4, "conflict");
  const contemporaneous: ContemporaneousResult = { scores: c0, pvalues: p0, links };
  const graph = buildGraph({
    method: "ptest",
    variables: V20,
    scores,
    pvalues,
    stability,
    contemporaneous,
    threshold: 0,
    alpha: opts.alpha,
    correction: opts.correction,
    meta: { backend: "none", seconds: 0, seed: 0, params: {}, reach: { maxLag: 2 } },
  });
  return { graph, scores, pvalues, contemporaneous };
}
