/**
 * PCMCI+ (Runge, UAI 2020): PC1 lagged condition selection, the MCI skeleton phase over lagged
 * and contemporaneous links (conditions: subsets of j's contemporaneous adjacencies plus the
 * lagged parents of both ends), then collider and rule orientation of the lag-0 links.
 */
import { InputError, throwIfAborted, type TimeSeries } from "@causeway/core";
import { LINK_FORBIDDEN, LINK_REQUIRED, linkState } from "./links.js";
import { adjacencies, mark, orientByRules, orientColliders, type Mark, type MarkGraph, type Sepsets } from "./orient.js";
import { combinations, runPc1, type Pc1Result } from "./pc1.js";
import { nodeOf, pcAlphaList, prepare, type PcmciOptions } from "./pcmci.js";

/** Options of `runPcmciPlus`: PCMCI's, with tauMin default 0 and pcAlpha default 0.01 (one level). */
export interface PcmciPlusOptions extends Omit<PcmciOptions, "pcAlpha" | "maxCondsPy" | "maxCondsPx"> {
  pcAlpha?: number;
  maxCondsPy?: number;
  maxCondsPx?: number;
  /** Orient edges marked both ways as conflicts "x-x" (default true). */
  conflictResolution?: boolean;
}

/** PCMCI+'s result: matrices in tigramite's layout `(cause * V + effect) * (tauMax + 1) + lag`. */
export interface PcmciPlusResult {
  V: number;
  tauMax: number;
  tauMin: number;
  /** Statistic at each link's largest p-value (lag 0 symmetrised); PC1's for lagged links PC1 removed. */
  value: Float64Array;
  pvalue: Float64Array;
  logP: Float64Array;
  /** tigramite's marks per link: "-->" (lagged or lag-0 directed), "<--" (mirror at lag 0), "o-o", "x-x", "". */
  graph: Mark[];
  parents: [number, number][][];
  /** Triples ((i, -tau), k, j) the majority rule left ambiguous, as [i, tau, k, j]. */
  ambiguousTriples: [number, number, number, number][];
  samples: number;
  tests: number;
}

/**
 * PCMCI+ on a series.
 *
 * @example
 * const r = runPcmciPlus(series, { tauMax: 2, pcAlpha: 0.01 });
 * r.graph[(cause * r.V + effect) * (r.tauMax + 1) + 0]; // "-->", "o-o", "x-x" or ""
 */
export function runPcmciPlus(series: TimeSeries, o: PcmciPlusOptions): PcmciPlusResult {
  const pcAlpha = plusAlpha(o);
  const prep = prepare(series, { ...o, tauMin: o.tauMin ?? 0 });
  const pc1 = runPc1(prep.tester, prep.links, { tauMin: prep.tauMin, pcAlpha, maxCondsDim: o.maxCondsDim, maxCombinations: o.maxCombinations ?? 1, signal: o.signal });
  return pcmciPlusAfterPc1(prep, o, pc1);
}

/** PCMCI+'s one pcAlpha (default 0.01), checked. */
export function plusAlpha(o: PcmciPlusOptions): number {
  const pcAlpha = o.pcAlpha ?? 0.01;
  if (typeof pcAlpha !== "number") throw new InputError("PCMCI+ takes one pcAlpha (a number in (0, 1]); the AIC search over a list is PCMCI's");
  pcAlphaList(pcAlpha, 0.01);
  return pcAlpha;
}

/** PCMCI+ from PC1's lagged parents on: the skeleton over lagged and lag-0 links, then orientation (one piece: lag-0 removals cross targets). */
export function pcmciPlusAfterPc1(prep: ReturnType<typeof prepare>, o: PcmciPlusOptions, pc1: Pc1Result): PcmciPlusResult {
  const { tester, links, tauMin, rows } = prep;
  const { V } = links;
  const tauMax = o.tauMax;
  const K = tauMax + 1;
  const pcAlpha = plusAlpha(o);
  const parents = pc1.results.map((r) => r.parents);
  // PC1's matrices: max p over each candidate's tests (untested: p 1, value 0)
  const value = new Float64Array(V * V * K);
  const pvalue = new Float64Array(V * V * K).fill(1);
  pc1.results.forEach((r, j) => {
    for (const [node, p] of r.pvalMax) {
      const [i, lag] = nodeOf(node, V);
      pvalue[(i * V + j) * K + lag] = p;
      value[(i * V + j) * K + lag] = r.valAtMax.get(node)!;
    }
  });
  o.onProgress?.("pc1", 1);
  // initial graph: PC1's lagged parents "-?>" (required "-->") and every lag-0 pair "o?o" (required "o-o")
  const G: MarkGraph = { V, K, g: new Array<Mark>(V * V * K).fill("") };
  for (let j = 0; j < V; j++) {
    for (const p of parents[j]) {
      const [i, lag] = nodeOf(p, V);
      G.g[(i * V + j) * K + lag] = linkState(links, i, j, lag) === LINK_REQUIRED ? "-->" : "-?>";
    }
    if (tauMin === 0)
      for (let i = 0; i < V; i++) {
        if (i === j || linkState(links, i, j, 0) === LINK_FORBIDDEN) continue;
        G.g[(i * V + j) * K] = linkState(links, i, j, 0) === LINK_REQUIRED ? "o-o" : "o?o";
      }
  }
  let tests = 0;
  const logOf = new Map<number, number>(); // ln p at each entry's max p
  // one MCI-type test: X = i(t - tau), Y = j(t), Z = S + Y's lagged parents + X's shifted by tau
  const mciTest = (i: number, tau: number, j: number, S: readonly number[]) => {
    if (mark(G, i, j, tau)[1] === "-") return { value: 1, pvalue: 0, logP: -Infinity };
    const x = tau * V + i;
    const z = [...S];
    for (const p of parents[j].slice(0, o.maxCondsPy ?? Infinity)) if (p !== x && !z.includes(p)) z.push(p);
    for (const p of parents[i].slice(0, o.maxCondsPx ?? Infinity)) {
      const shifted = (Math.floor(p / V) + tau) * V + (p % V);
      if (!z.includes(shifted)) z.push(shifted);
    }
    tests++;
    return tester.test(x, j, z);
  };
  const sk = skeleton(G, tauMin, pcAlpha, o.maxCondsDim ?? V, mciTest, o.signal);
  o.onProgress?.("mci", 1);
  // lag 0: each ordered pair in turn passes its entry to the mirror when its p is at least as
  // large (tigramite's symmetrize_p_and_val_matrix); lagged PC1 parents: the skeleton's values
  if (tauMin === 0)
    for (let i = 0; i < V; i++)
      for (let j = 0; j < V; j++) {
        if (i === j || linkState(links, i, j, 0) === LINK_FORBIDDEN) continue;
        const a = (i * V + j) * K;
        const b = (j * V + i) * K;
        if (sk.p[a] >= sk.p[b]) {
          sk.p[b] = sk.p[a];
          sk.val[b] = sk.val[a];
          sk.logP[b] = sk.logP[a];
        }
      }
  for (let i = 0; i < V; i++)
    for (let j = 0; j < V; j++)
      for (let tau = 0; tau < K; tau++) {
        const a = (i * V + j) * K + tau;
        const inSkeleton = tau === 0 ? tauMin === 0 && i !== j && linkState(links, i, j, 0) !== LINK_FORBIDDEN : parents[j].includes(tau * V + i);
        if (!inSkeleton) continue;
        pvalue[a] = sk.p[a];
        value[a] = sk.val[a];
        logOf.set(a, sk.logP[a]);
      }
  for (const g of G.g.keys()) if (G.g[g] === "o?o") G.g[g] = "o-o";
  for (const g of G.g.keys()) if (G.g[g] === "-?>") G.g[g] = "-->";
  const isDependent = (i: number, tau: number, j: number, S: number[]) => mciTest(i, tau, j, S).pvalue <= pcAlpha;
  const conflictResolution = o.conflictResolution ?? true;
  const { ambiguous, ambiguousList } = orientColliders(G, sk.sepsets, isDependent, conflictResolution);
  orientByRules(G, ambiguous, conflictResolution);
  const logP = Float64Array.from(pvalue, (p, a) => logOf.get(a) ?? Math.log(p));
  return { V, tauMax, tauMin, value, pvalue, logP, graph: G.g, parents: parents.map((ps) => ps.map((p) => nodeOf(p, V))), ambiguousTriples: ambiguousList, samples: rows.length, tests };
}

type TestFn = (i: number, tau: number, j: number, S: readonly number[]) => { value: number; pvalue: number; logP: number };

/**
 * The skeleton phase (Runge 2020, Alg. 1 steps 2-4): for condition sizes p = 0, 1, ... each
 * remaining link is tested given every p-subset of j's contemporaneous adjacencies (fixed within
 * a level, re-sorted by min |statistic| after it); a link goes at the first p > alpha.
 */
function skeleton(G: MarkGraph, tauMin: number, alpha: number, maxCondsDim: number, test: TestFn, signal?: AbortSignal) {
  const { V, K } = G;
  const p = new Float64Array(V * V * K);
  const val = new Float64Array(V * V * K);
  const logP = new Float64Array(V * V * K);
  for (let a = 0; a < G.g.length; a++) if (G.g[a] === "") p[a] = 1;
  // min |statistic| per link, keyed in tigramite's order (i-major, then lag)
  const valMin = Array.from({ length: V }, () => new Map<number, number>());
  for (let j = 0; j < V; j++) for (let i = 0; i < V; i++) for (let tau = 0; tau < K; tau++) if (mark(G, i, j, tau) !== "") valMin[j].set(tau * V + i, Infinity);
  const sepsets: Sepsets = new Map();
  let adjt = Array.from({ length: V }, (_, j) => adjacencies(G, j, true).map(([i]) => i));
  const remaining = (dim: number): [number, number, number][] => {
    const out: [number, number, number][] = [];
    for (let i = 0; i < V; i++)
      for (let j = 0; j < V; j++)
        for (let tau = tauMin; tau < K; tau++) if (mark(G, i, j, tau) !== "" && adjt[j].filter((a) => !(tau === 0 && a === i)).length >= dim) out.push([i, j, tau]);
    return out;
  };
  for (let dim = 0; dim <= maxCondsDim; dim++) {
    const pairs = remaining(dim);
    if (pairs.length === 0) break;
    for (const [i, j, tau] of pairs) {
      throwIfAborted(signal);
      if (mark(G, i, j, tau) === "") continue;
      for (const S of combinations(adjt[j].filter((a) => !(tau === 0 && a === i)), dim)) {
        const r = test(i, tau, j, S);
        const key = tau * V + i;
        valMin[j].set(key, Math.min(Math.abs(r.value), valMin[j].get(key) ?? Infinity));
        const a = (i * V + j) * K + tau;
        if (r.pvalue >= p[a]) {
          p[a] = r.pvalue;
          val[a] = r.value;
          logP[a] = r.logP;
        }
        if (!(r.pvalue <= alpha)) {
          G.g[a] = "";
          sepsets.set(`${i}|${tau}|${j}`, [...S]);
          if (tau === 0) {
            const b = (j * V + i) * K;
            G.g[b] = "";
            sepsets.set(`${j}|0|${i}`, [...S]);
            p[b] = p[a];
            logP[b] = logP[a];
          }
          break;
        }
      }
    }
    // contemporaneous adjacencies for the next level, strongest (min |statistic|) first
    adjt = Array.from({ length: V }, (_, j) => {
      const adj = new Set(adjacencies(G, j, true).map(([i]) => i));
      return [...valMin[j].entries()].filter(([node]) => node < V && adj.has(node)).sort((x, y) => y[1] - x[1]).map(([node]) => node);
    });
  }
  return { p, val, logP, sepsets };
}
