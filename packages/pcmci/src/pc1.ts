/**
 * PC1 condition selection (Runge et al., Sci. Adv. 2019, Methods "PC1"): a PC-stable variant
 * that keeps, per target, the lagged nodes still dependent on it given the strongest other
 * candidates; optionally with pc_alpha chosen per target by AIC over a list, as tigramite does.
 */
import { InputError } from "@causeway/core";
import { LINK_FORBIDDEN, LINK_REQUIRED, linkState, type LinkAssumptions } from "./links.js";
import type { Tester } from "./testers.js";

/** tigramite's default pc_alpha list, searched when pc_alpha is not fixed. */
export const DEFAULT_PC_ALPHAS: readonly number[] = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5];

/** PC1's outcome for one target. */
export interface Pc1Single {
  /** Selected parents (node ids `lag * V + v`), strongest first (decreasing min |statistic|). */
  parents: number[];
  /** Min |statistic| over each surviving parent's tests. */
  valMin: Map<number, number>;
  /** Max p-value over each tested candidate's tests, and the statistic at it. */
  pvalMax: Map<number, number>;
  valAtMax: Map<number, number>;
}

/** Lexicographic k-subsets of `items` (itertools.combinations order). */
export function* combinations<T>(items: readonly T[], k: number): Generator<T[]> {
  const n = items.length;
  if (k > n) return;
  const idx = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    yield idx.map((i) => items[i]);
    let i = k - 1;
    while (i >= 0 && idx[i] === i + n - k) i--;
    if (i < 0) return;
    idx[i]++;
    for (let m = i + 1; m < k; m++) idx[m] = idx[m - 1] + 1;
  }
}

/** Lagged candidates of target j for lags max(1, tauMin)..tauMax, variable-major, forbidden links left out. */
export function laggedCandidates(j: number, links: LinkAssumptions, tauMin: number): number[] {
  const { V, tauMax } = links;
  const out: number[] = [];
  for (let i = 0; i < V; i++) for (let lag = Math.max(1, tauMin); lag <= tauMax; lag++) if (linkState(links, i, j, lag) !== LINK_FORBIDDEN) out.push(lag * V + i);
  return out;
}

/**
 * PC1 for target j at one alpha: for condition sizes 0, 1, ..., each current parent is tested
 * given the first `maxCombinations` subsets of the other parents (in their current order); links
 * with p > alpha go after the sweep; the rest are re-sorted by min |statistic|.
 */
export function pc1Single(tester: Tester, j: number, links: LinkAssumptions, tauMin: number, alpha: number, maxCondsDim: number, maxCombinations: number): Pc1Single {
  const V = links.V;
  let parents = laggedCandidates(j, links, tauMin);
  const required = (p: number) => linkState(links, p % V, j, Math.floor(p / V)) === LINK_REQUIRED;
  const valMin = new Map<number, number>();
  const pvalMax = new Map<number, number>();
  const valAtMax = new Map<number, number>();
  for (let dim = 0; dim <= maxCondsDim; dim++) {
    if (parents.length - 1 < dim) break;
    const nonsig: number[] = [];
    for (const parent of parents) {
      const others = parents.filter((p) => p !== parent);
      let c = 0;
      for (const Z of combinations(others, dim)) {
        if (c++ >= maxCombinations) break;
        const r = required(parent) ? { value: 1, pvalue: 0 } : tester.test(parent, j, Z);
        valMin.set(parent, Math.min(Math.abs(r.value), valMin.get(parent) ?? Infinity));
        const prev = pvalMax.get(parent);
        if (prev === undefined || r.pvalue > prev) {
          pvalMax.set(parent, r.pvalue);
          valAtMax.set(parent, r.value);
        }
        if (!(r.pvalue <= alpha)) {
          nonsig.push(parent);
          break;
        }
      }
    }
    for (const p of nonsig) valMin.delete(p);
    // stable sort: ties keep the candidates' original order (the Map's insertion order)
    parents = [...valMin.keys()].sort((a, b) => valMin.get(b)! - valMin.get(a)!);
  }
  return { parents, valMin, pvalMax, valAtMax };
}

/** PC1 of every target, with the alpha chosen per target (argmin AIC, ties to the smaller alpha). */
export interface Pc1Result {
  results: Pc1Single[];
  /** The alpha used per target. */
  alpha: number[];
  /** Per target, the AIC of each alpha of the list (when one was searched). */
  aic?: number[][];
}

/** Options of `runPc1`. */
export interface Pc1Options {
  tauMin: number;
  /** One alpha, or a list searched by AIC. */
  pcAlpha: number | readonly number[];
  /** Largest condition size; default V · (tauMax - max(1, tauMin) + 1). */
  maxCondsDim?: number;
  maxCombinations: number;
  signal?: AbortSignal;
  onTarget?: (j: number) => void;
}

/** PC1 over targets `targets` (default all). */
export function runPc1(tester: Tester, links: LinkAssumptions, o: Pc1Options, targets?: readonly number[]): Pc1Result {
  const { V, tauMax } = links;
  const maxCondsDim = o.maxCondsDim ?? V * (tauMax - Math.max(1, o.tauMin) + 1);
  const alphas = typeof o.pcAlpha === "number" ? [o.pcAlpha] : [...o.pcAlpha];
  if (alphas.length > 1 && !tester.aic) throw new InputError(`pcAlpha by AIC needs a test with a model-selection criterion; ${tester.name} has none: give one pcAlpha level`);
  const results: Pc1Single[] = [];
  const chosen: number[] = [];
  const aicAll: number[][] = [];
  for (const j of targets ?? Array.from({ length: V }, (_, v) => v)) {
    if (o.signal?.aborted) throw o.signal.reason ?? new Error("aborted");
    const runs = alphas.map((a) => pc1Single(tester, j, links, o.tauMin, a, maxCondsDim, o.maxCombinations));
    let best = 0;
    if (alphas.length > 1) {
      const aic = runs.map((r) => tester.aic!(j, r.parents));
      aicAll.push(aic);
      // ties (the same parent set at several alphas) go to the first alpha; a tolerance keeps
      // last-bit differences between orders of the same set from changing the winner
      for (let k = 1; k < aic.length; k++) if (aic[k] < aic[best] - 1e-9 * Math.max(1, Math.abs(aic[best]))) best = k;
    }
    results.push(runs[best]);
    chosen.push(alphas[best]);
    o.onTarget?.(j);
  }
  return { results, alpha: chosen, ...(alphas.length > 1 ? { aic: aicAll } : {}) };
}
