// Scoring helpers the bench suites share (beyond @causeway/metrics' scoreGraph, which needs a graph).
import type { GroundTruth } from "@causeway/core";
import { auroc } from "@causeway/metrics";

/**
 * Lagged AUROC over every (effect, cause, lag 1..tauMax), self-loops included, of any score
 * `score(effect, cause, lag)` (ours or a reference's) against a lagged truth.
 */
export function laggedAuroc(score: (e: number, c: number, l: number) => number, truth: GroundTruth, tauMax: number): number {
  const edges = new Set(truth.edges.map((e) => `${e.effect}|${e.cause}|${e.lag}`));
  const V = truth.variables.length;
  const s: number[] = [];
  const y: (0 | 1)[] = [];
  for (let e = 0; e < V; e++)
    for (let c = 0; c < V; c++)
      for (let l = 1; l <= tauMax; l++) {
        s.push(score(e, c, l));
        y.push(edges.has(`${truth.variables[e]}|${truth.variables[c]}|${l}`) ? 1 : 0);
      }
  return auroc(s, y);
}
