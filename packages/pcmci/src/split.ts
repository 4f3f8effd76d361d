/**
 * PCMCI split over targets (Runge et al. 2019: PC1 and MCI are per target). Phase 0 (ParCorr on
 * complete data): the parts build the correlation matrix's cross-products by variable. Phase 1: each part runs
 * PC1 for its targets; the parents are gathered. Phase 2: each part runs MCI for its targets given
 * every variable's parents (X's parents are conditions too); the columns are gathered and lag 0
 * symmetrised. The parts are `stages` (plain-data payloads) that a `StageExecutor` runs on worker
 * threads or other machines; every test is the one of the serial run, so the result is identical.
 * PCMCI+ splits its PC1 phase only: its skeleton removes lag-0 links across targets level by level.
 */
import { hasMissing, InputError, throwIfAborted, type MethodStage, type StageExecutor, type TimeSeries } from "@causeway/core";
import { cmiknnTest } from "./cmiknn.js";
import { laggedCrossProducts, rowRuns, standardisedColumns, toCorrelation } from "./gram.js";
import { parseLinkAssumptions } from "./links.js";
import { runPc1, type Pc1Result, type Pc1Single } from "./pc1.js";
import { checkRun, nodeOf, pcAlphaList, prepare, runMci, symmetriseLagZero, type PcmciOptions, type PcmciResult } from "./pcmci.js";
import { pcmciPlusAfterPc1, plusAlpha, type PcmciPlusResult } from "./pcmciplus.js";
import { GramTester, type TestName } from "./testers.js";

/** A run's options as plain data, so that a stage rebuilds them in another thread or process. */
export interface StageJob {
  /** The same id for every stage of one run: a thread keeps the last run's tester (its correlation matrix) between stages. */
  run: string;
  tauMax: number;
  tauMin: number;
  pcAlpha: number | number[];
  /** Prior knowledge in its text form (`parseLinkAssumptions`). */
  links: string;
  test: TestName;
  knn: number;
  permutations: number;
  seed: number;
  maxCondsDim?: number;
  maxCombinations: number;
  maxCondsPy?: number;
  maxCondsPx?: number;
}

/** Phase 0's payload (ParCorr on complete data): the correlation matrix's cross-products of the nodes of `vars`. */
export interface GramPayload {
  job: StageJob;
  vars: number[];
}

/** Phase 0's part: raw cross-products `[D, D]` and node sums `[D]`, 0 outside the part's variables (`laggedCrossProducts`). */
export interface GramPart {
  S: Float64Array;
  sums: Float64Array;
}

/** Phase 1's payload: PC1 for `targets`; `R`, the run's correlation matrix when phase 0 built it. */
export interface Pc1Payload {
  job: StageJob;
  targets: number[];
  R?: Float64Array;
}

/** Phase 1's part: per target of the payload, PC1's outcome (maps as entry lists, in order) and its alpha. */
export interface Pc1Part {
  targets: number[];
  results: { parents: number[]; valMin: [number, number][]; pvalMax: [number, number][]; valAtMax: [number, number][] }[];
  alpha: number[];
  aic?: number[][];
}

/** Phase 2's payload: MCI for `targets` given PC1's parents (node ids) of every variable. */
export interface MciPayload {
  job: StageJob;
  targets: number[];
  parents: number[][];
  R?: Float64Array;
}

/** Phase 2's part: the MCI columns of `targets`, `[target k][cause i][lag]` (lag 0 not yet symmetrised). */
export interface MciPart {
  targets: number[];
  value: Float64Array;
  pvalue: Float64Array;
  logP: Float64Array;
  tests: number;
}

/** The run's options from a job (the CMIknn test built here: a function does not travel). */
export function optionsOfJob(job: StageJob, variables: readonly string[]): PcmciOptions {
  return {
    tauMax: job.tauMax,
    tauMin: job.tauMin,
    pcAlpha: job.pcAlpha,
    links: job.links.trim() ? parseLinkAssumptions(job.links, variables, job.tauMax) : undefined,
    test: job.test,
    ci: job.test === "cmiknn" ? cmiknnTest({ knn: job.knn, sigSamples: job.permutations }) : undefined,
    seed: job.seed,
    maxCondsDim: job.maxCondsDim,
    maxCombinations: job.maxCombinations,
    maxCondsPy: job.maxCondsPy,
    maxCondsPx: job.maxCondsPx,
  };
}

/** This thread's last prepared run: phase 2 reuses phase 1's correlation matrix. */
let cached: { key: string; options: PcmciOptions; prep: ReturnType<typeof prepare> } | null = null;

function prepared(series: TimeSeries, job: StageJob, R?: Float64Array) {
  const key = `${job.run}|${series.length}x${series.variables.length}|${JSON.stringify({ ...job, run: "" })}`;
  if (cached?.key !== key) {
    const options = optionsOfJob(job, series.variables);
    cached = null; // the old matrix can go before the new one is built
    cached = { key, options, prep: R ? fromMatrix(series, options, R) : prepare(series, options) };
  }
  return cached;
}

/** `prepare` with the correlation matrix already built (phase 0). */
function fromMatrix(series: TimeSeries, options: PcmciOptions, R: Float64Array): ReturnType<typeof prepare> {
  const checked = checkRun(series, options);
  return { ...checked, tester: new GramTester("parcorr", R, checked.rows.length) };
}

/** Whether phase 0 splits the correlation matrix: ParCorr on complete data (the other tests build theirs per thread). */
const splitsGram = (series: TimeSeries, job: StageJob) => job.test === "parcorr" && !hasMissing(series);

const gramStage: MethodStage = (series, payload) => {
  const { job, vars } = payload as GramPayload;
  const { rows } = checkRun(series, optionsOfJob(job, series.variables));
  const x = standardisedColumns(series.data, series.length, series.variables.length);
  const { S, sums } = laggedCrossProducts(x, 2 * job.tauMax, rowRuns(rows), vars);
  const part: GramPart = { S, sums };
  return part;
};

/** Phase 0 over the executor: the correlation matrix of the lagged nodes, from parts over the variables (null: the test builds its own). */
async function splitGram(method: string, series: TimeSeries, job: StageJob, executor: StageExecutor, n: number): Promise<Float64Array | null> {
  if (!splitsGram(series, job)) return null;
  const V = series.variables.length;
  const D = V * (2 * job.tauMax + 1);
  const parts = (await executor.run(method, "gram", series, dealTargets(V, executor.parallelism).map((vars): GramPayload => ({ job, vars })))) as GramPart[];
  const S = new Float64Array(D * D);
  const sums = new Float64Array(D);
  // each entry is non-zero in one part only: the sum is that part's value exactly
  for (const part of parts) {
    for (let k = 0; k < S.length; k++) S[k] += part.S[k];
    for (let k = 0; k < D; k++) sums[k] += part.sums[k];
  }
  return toCorrelation(S, sums, D, n);
}

const pc1Stage: MethodStage = (series, payload) => {
  const { job, targets, R } = payload as Pc1Payload;
  const { prep } = prepared(series, job, R);
  const r = runPc1(prep.tester, prep.links, { tauMin: prep.tauMin, pcAlpha: job.pcAlpha, maxCondsDim: job.maxCondsDim, maxCombinations: job.maxCombinations }, targets);
  const part: Pc1Part = {
    targets,
    results: r.results.map((x) => ({ parents: x.parents, valMin: [...x.valMin], pvalMax: [...x.pvalMax], valAtMax: [...x.valAtMax] })),
    alpha: r.alpha,
    ...(r.aic ? { aic: r.aic } : {}),
  };
  return part;
};

const mciStage: MethodStage = (series, payload) => {
  const { job, targets, parents, R } = payload as MciPayload;
  const { options, prep } = prepared(series, job, R);
  const V = series.variables.length;
  const K = job.tauMax + 1;
  const r = runMci(prep.tester, prep.links, parents, { tauMin: prep.tauMin, maxCondsPy: options.maxCondsPy, maxCondsPx: options.maxCondsPx, targets });
  const part: MciPart = { targets, value: new Float64Array(targets.length * V * K), pvalue: new Float64Array(targets.length * V * K), logP: new Float64Array(targets.length * V * K), tests: r.tests };
  targets.forEach((j, k) => {
    for (let i = 0; i < V; i++)
      for (let tau = 0; tau < K; tau++) {
        const from = (i * V + j) * K + tau;
        const to = (k * V + i) * K + tau;
        part.value[to] = r.value[from];
        part.pvalue[to] = r.pvalue[from];
        part.logP[to] = r.logP[from];
      }
  });
  return part;
};

/** The stages `pcmci` and `pcmciplus` declare (pcmciplus runs gram and pc1). */
export const PCMCI_STAGES: Record<string, MethodStage> = { gram: gramStage, pc1: pc1Stage, mci: mciStage };

/** Targets 0..V-1 dealt round-robin into `parts` non-empty lists (neighbouring targets of similar cost go to different parts). */
export function dealTargets(V: number, parts: number): number[][] {
  const n = Math.max(1, Math.min(Math.floor(parts), V));
  return Array.from({ length: n }, (_, c) => Array.from({ length: Math.ceil((V - c) / n) }, (_, k) => c + k * n));
}

/** A fresh run id for `StageJob.run`. */
export function newRunId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Phase 1 over the executor: PC1's results of every target, in target order. */
async function splitPc1(method: string, series: TimeSeries, job: StageJob, executor: StageExecutor, R: Float64Array | null): Promise<Pc1Result> {
  const V = series.variables.length;
  const chunks = dealTargets(V, executor.parallelism);
  const parts = (await executor.run(method, "pc1", series, chunks.map((targets): Pc1Payload => ({ job, targets, ...(R ? { R } : {}) })))) as Pc1Part[];
  const results: Pc1Single[] = new Array(V);
  const alpha: number[] = new Array(V);
  const aic: number[][] = new Array(V);
  for (const part of parts)
    part.targets.forEach((j, k) => {
      const x = part.results[k];
      results[j] = { parents: x.parents, valMin: new Map(x.valMin), pvalMax: new Map(x.pvalMax), valAtMax: new Map(x.valAtMax) };
      alpha[j] = part.alpha[k];
      if (part.aic) aic[j] = part.aic[k];
    });
  if (results.some((r) => r === undefined)) throw new Error("pcmci: a PC1 part came back without some of its targets");
  return { results, alpha, ...(parts.some((p) => p.aic) ? { aic } : {}) };
}

/**
 * `runPcmci` with PC1 and MCI split over `executor` (stages of `method`, "pcmci" unless a wrapper
 * registers them under another name). Identical to the serial result, test for test.
 */
export async function runPcmciSplit(series: TimeSeries, job: StageJob, executor: StageExecutor, o: { method?: string; signal?: AbortSignal; onProgress?: (stage: "pc1" | "mci", fraction: number) => void } = {}): Promise<PcmciResult> {
  const method = o.method ?? "pcmci";
  const V = series.variables.length;
  const K = job.tauMax + 1;
  const options = optionsOfJob(job, series.variables);
  const { links, tauMin, rows } = checkRun(series, options);
  const maxCombinations = options.maxCombinations ?? 1;
  if (!Number.isInteger(maxCombinations) || maxCombinations < 1) throw new InputError(`maxCombinations must be an integer >= 1, got ${maxCombinations}`);
  pcAlphaList(options.pcAlpha, 0.2);
  const R = await splitGram(method, series, job, executor, rows.length);
  throwIfAborted(o.signal);
  const pc1 = await splitPc1(method, series, job, executor, R);
  o.onProgress?.("pc1", 1);
  throwIfAborted(o.signal);
  const parents = pc1.results.map((r) => r.parents);
  const chunks = dealTargets(V, executor.parallelism);
  const parts = (await executor.run(method, "mci", series, chunks.map((targets): MciPayload => ({ job, targets, parents, ...(R ? { R } : {}) })))) as MciPart[];
  const value = new Float64Array(V * V * K);
  const pvalue = new Float64Array(V * V * K).fill(1);
  const logP = new Float64Array(V * V * K);
  let tests = 0;
  for (const part of parts) {
    tests += part.tests;
    part.targets.forEach((j, k) => {
      for (let i = 0; i < V; i++)
        for (let tau = 0; tau < K; tau++) {
          const to = (i * V + j) * K + tau;
          const from = (k * V + i) * K + tau;
          value[to] = part.value[from];
          pvalue[to] = part.pvalue[from];
          logP[to] = part.logP[from];
        }
    });
  }
  if (tauMin === 0) symmetriseLagZero(V, K, value, pvalue, logP, links);
  o.onProgress?.("mci", 1);
  return { V, tauMax: job.tauMax, tauMin, value, pvalue, logP, tests, parents: parents.map((ps) => ps.map((p) => nodeOf(p, V))), pcAlpha: pc1.alpha, samples: rows.length };
}

/** `runPcmciPlus` with its PC1 phase split over `executor` (stage `pc1` of `method`, default "pcmciplus"); the skeleton and orientation run here. */
export async function runPcmciPlusSplit(
  series: TimeSeries,
  job: StageJob,
  executor: StageExecutor,
  o: { method?: string; conflictResolution?: boolean; signal?: AbortSignal; onProgress?: (stage: "pc1" | "mci", fraction: number) => void } = {},
): Promise<PcmciPlusResult> {
  const options = { ...optionsOfJob(job, series.variables), pcAlpha: job.pcAlpha as number, conflictResolution: o.conflictResolution, signal: o.signal, onProgress: o.onProgress };
  plusAlpha(options);
  const { rows } = checkRun(series, options);
  const method = o.method ?? "pcmciplus";
  const R = await splitGram(method, series, job, executor, rows.length);
  throwIfAborted(o.signal);
  const pc1 = await splitPc1(method, series, job, executor, R);
  throwIfAborted(o.signal);
  // the skeleton tests need the correlation matrix here too: phase 0's, else built here
  return pcmciPlusAfterPc1(R ? fromMatrix(series, options, R) : prepare(series, options), options, pc1);
}
