/**
 * PCMCI (Runge et al., Sci. Adv. 2019): PC1 condition selection, then the momentary conditional
 * independence (MCI) test of every link X = x_i(t - tau) -> Y = x_j(t) given the parents of Y and
 * the parents of X shifted by tau.
 */
import { InputError, throwIfAborted, validTargetRows, type TimeSeries } from "@causeway/core";
import type { CITest } from "./ci-test.js";
import { LINK_FORBIDDEN, LINK_REQUIRED, linkState, noAssumptions, type LinkAssumptions } from "./links.js";
import { DEFAULT_PC_ALPHAS, runPc1 } from "./pc1.js";
import { makeTester, type TestName, type Tester } from "./testers.js";

/** Options of `runPcmci` (tigramite's run_pcmci arguments, camelCased). */
export interface PcmciOptions {
  tauMax: number;
  /** Smallest lag tested; 0 adds undirected lag-0 links (default 1). */
  tauMin?: number;
  /** PC1's level; a list (or null: tigramite's default list) is searched per target by AIC. Default 0.2. */
  pcAlpha?: number | readonly number[] | null;
  /** Largest PC1 condition size (default: every candidate). */
  maxCondsDim?: number;
  /** Condition subsets tested per size in PC1 (default 1). */
  maxCombinations?: number;
  /** Parents of Y / of X used as MCI conditions (default: all). */
  maxCondsPy?: number;
  maxCondsPx?: number;
  /** Prior knowledge (default: every link tested). */
  links?: LinkAssumptions;
  /** The test (default "parcorr"); "cmiknn" or a custom one needs `ci`. */
  test?: TestName;
  ci?: CITest;
  seed?: number;
  signal?: AbortSignal;
  /** Called with the stage and the fraction of targets done. */
  onProgress?: (stage: "pc1" | "mci", fraction: number) => void;
}

/** PCMCI's matrices, tigramite's layout: index `(cause * V + effect) * (tauMax + 1) + lag`. */
export interface PcmciResult {
  V: number;
  tauMax: number;
  tauMin: number;
  /** MCI statistics; lag 0 symmetrised (the direction with the larger p-value). Untested: 0. */
  value: Float64Array;
  /** MCI p-values (untested: 1). */
  pvalue: Float64Array;
  /** ln p (finite where p underflows; -Infinity for required links). */
  logP: Float64Array;
  /** PC1 parents per target: `[v, lag]` pairs, strongest first. */
  parents: [number, number][][];
  /** PC1's level per target (the AIC choice when a list was searched). */
  pcAlpha: number[];
  /** Samples per test (rows with a complete window; with missing cells, fewer per test). */
  samples: number;
  /** MCI tests run. */
  tests: number;
}

/** Checks the shared options; the link assumptions, tauMin and the target rows (t whose window of 2 tauMax stays in one recording). */
export function checkRun(series: TimeSeries, o: PcmciOptions): { links: LinkAssumptions; tauMin: number; rows: Int32Array } {
  const V = series.variables.length;
  const { tauMax } = o;
  const tauMin = o.tauMin ?? 1;
  if (!Number.isInteger(tauMax) || tauMax < 1) throw new InputError(`tauMax must be an integer >= 1, got ${tauMax}`);
  if (!Number.isInteger(tauMin) || tauMin < 0 || tauMin > tauMax) throw new InputError(`tauMin must be an integer in 0..tauMax = ${tauMax}, got ${tauMin}`);
  const links = o.links ?? noAssumptions(V, tauMax);
  if (links.V !== V || links.tauMax !== tauMax) throw new InputError(`link assumptions are for ${links.V} variables and tauMax ${links.tauMax}, the run has ${V} and ${tauMax}`);
  // tigramite's cut_off '2xtau_max': every test on the same rows, so X's lagged parents fit too
  const layout = { ...series, mask: undefined };
  const rows = validTargetRows(layout, 2 * tauMax);
  const test = o.test ?? "parcorr";
  // a test needs n - 2 - |Z| >= 1 degree of freedom: at least 4 samples for the smallest tests
  if (rows.length < 4)
    throw new InputError(`PCMCI with tauMax ${tauMax} needs at least 4 samples after the first 2·tauMax rows of each recording; the series leaves ${rows.length}: lower maxLag or give a longer series`);
  if (test === "cmiknn" && !o.ci) throw new InputError('test "cmiknn" is not available in this build of @causeway/pcmci: use "parcorr" or "robust_parcorr"');
  return { links, tauMin, rows };
}

/** Checks the shared options and builds the tester over rows t whose window of 2 tauMax stays in one recording. */
export function prepare(series: TimeSeries, o: PcmciOptions): { tester: Tester; links: LinkAssumptions; tauMin: number; rows: Int32Array } {
  const { links, tauMin, rows } = checkRun(series, o);
  const tester = makeTester(series, rows, { test: o.test ?? "parcorr", maxNodeLag: 2 * o.tauMax, seed: o.seed, ci: o.ci });
  return { tester, links, tauMin, rows };
}

/** The pc_alpha option as PC1 takes it. */
export function pcAlphaList(pcAlpha: PcmciOptions["pcAlpha"], fallback: number): number | readonly number[] {
  const a = pcAlpha === undefined ? fallback : pcAlpha === null ? DEFAULT_PC_ALPHAS : pcAlpha;
  for (const x of typeof a === "number" ? [a] : a) if (!(x > 0 && x <= 1)) throw new InputError(`pcAlpha must be in (0, 1], got ${x}`);
  if (typeof a !== "number" && a.length === 0) throw new InputError("pcAlpha list is empty");
  return a;
}

/** Node id `lag * V + v` as `[v, lag]`. */
export const nodeOf = (id: number, V: number): [number, number] => [id % V, Math.floor(id / V)];

/**
 * PCMCI on a series: PC1 with `pcAlpha`, then MCI for lags tauMin..tauMax.
 * Cost: one correlation matrix of the V (2 tauMax + 1) lagged nodes (O(V² tauMax T)), then a
 * small Cholesky per test.
 *
 * @example
 * const r = runPcmci(series, { tauMax: 3, pcAlpha: 0.2 });
 * r.pvalue[(cause * r.V + effect) * (r.tauMax + 1) + lag];
 */
export function runPcmci(series: TimeSeries, o: PcmciOptions): PcmciResult {
  const V = series.variables.length;
  const { tester, links, tauMin, rows } = prepare(series, o);
  const maxCombinations = o.maxCombinations ?? 1;
  if (!Number.isInteger(maxCombinations) || maxCombinations < 1) throw new InputError(`maxCombinations must be an integer >= 1, got ${maxCombinations}`);
  const pc1 = runPc1(tester, links, {
    tauMin,
    pcAlpha: pcAlphaList(o.pcAlpha, 0.2),
    maxCondsDim: o.maxCondsDim,
    maxCombinations,
    signal: o.signal,
    onTarget: (j) => o.onProgress?.("pc1", (j + 1) / V),
  });
  const mci = runMci(tester, links, pc1.results.map((r) => r.parents), { tauMin, maxCondsPy: o.maxCondsPy, maxCondsPx: o.maxCondsPx, signal: o.signal, onTarget: (j) => o.onProgress?.("mci", (j + 1) / V) });
  return {
    V,
    tauMax: o.tauMax,
    tauMin,
    ...mci,
    parents: pc1.results.map((r) => r.parents.map((p) => nodeOf(p, V))),
    pcAlpha: pc1.alpha,
    samples: rows.length,
  };
}

/** Options of `runMci`. */
export interface MciOptions {
  tauMin: number;
  maxCondsPy?: number;
  maxCondsPx?: number;
  signal?: AbortSignal;
  onTarget?: (j: number) => void;
  /** Effects tested (default all, then lag 0 is symmetrised; a subset leaves the other columns untested and lag 0 as tested). */
  targets?: readonly number[];
}

/** The MCI stage given PC1's parents of every variable (node ids): every link's test, lag 0 symmetrised. */
export function runMci(tester: Tester, links: LinkAssumptions, parents: readonly (readonly number[])[], o: MciOptions): { value: Float64Array; pvalue: Float64Array; logP: Float64Array; tests: number } {
  const { V, tauMax } = links;
  const K = tauMax + 1;
  const value = new Float64Array(V * V * K);
  const pvalue = new Float64Array(V * V * K).fill(1);
  const logP = new Float64Array(V * V * K);
  let tests = 0;
  for (const j of o.targets ?? Array.from({ length: V }, (_, v) => v)) {
    throwIfAborted(o.signal);
    const condsY = parents[j].slice(0, o.maxCondsPy ?? Infinity);
    for (let i = 0; i < V; i++)
      for (let tau = o.tauMin; tau <= tauMax; tau++) {
        if (tau === 0 && i === j) continue;
        const state = linkState(links, i, j, tau);
        if (state === LINK_FORBIDDEN) continue;
        const x = tau * V + i;
        const at = (i * V + j) * K + tau;
        if (state === LINK_REQUIRED) {
          value[at] = 1;
          pvalue[at] = 0;
          logP[at] = -Infinity;
          continue;
        }
        // Z: Y's parents without X, then X's parents shifted by tau (Runge 2019, eq. 5)
        const z = condsY.filter((p) => p !== x);
        for (const p of parents[i].slice(0, o.maxCondsPx ?? Infinity)) {
          const shifted = (Math.floor(p / V) + tau) * V + (p % V);
          if (!z.includes(shifted)) z.push(shifted);
        }
        const r = tester.test(x, j, z);
        tests++;
        value[at] = r.value;
        pvalue[at] = r.pvalue;
        logP[at] = r.logP;
      }
    o.onTarget?.(j);
  }
  if (o.tauMin === 0 && !o.targets) symmetriseLagZero(V, K, value, pvalue, logP, links);
  return { value, pvalue, logP, tests };
}

/** Both directions of a lag-0 pair get the statistic and p-value of the direction with the larger p (tigramite). */
export function symmetriseLagZero(V: number, K: number, value: Float64Array, pvalue: Float64Array, logP: Float64Array, links: LinkAssumptions): void {
  for (let i = 0; i < V; i++)
    for (let j = i + 1; j < V; j++) {
      if (linkState(links, i, j, 0) === LINK_FORBIDDEN) continue;
      const a = (i * V + j) * K;
      const b = (j * V + i) * K;
      const [from, to] = pvalue[a] >= pvalue[b] ? [a, b] : [b, a];
      value[to] = value[from];
      pvalue[to] = pvalue[from];
      logP[to] = logP[from];
    }
}
