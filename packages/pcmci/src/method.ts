/**
 * The `pcmci` and `pcmciplus` methods: tigramite's PCMCI / PCMCI+ declared with defineMethod.
 * Scores are -log10 p of the MCI tests (computed from ln p, so they never saturate); p-values go to
 * the trust layer, which selects the lagged edges at alpha with the chosen correction.
 */
import {
  comfortableRows,
  createScores,
  defineMethod,
  graphBytes,
  InputError,
  param,
  powerOfTwoRescale,
  progressReporter,
  scaleWarnings,
  seriesBytes,
  setScore,
  type ContemporaneousResult,
  type Discoverer,
  type GraphWarning,
  type Orientation,
  type RunShape,
  type ScoreTensor,
  type StageExecutor,
  type TimeSeries,
} from "@causeway/core";
import { DEFAULT_PC_ALPHAS } from "./pc1.js";
import { runPcmci } from "./pcmci.js";
import { runPcmciPlus } from "./pcmciplus.js";
import { newRunId, optionsOfJob, PCMCI_STAGES, runPcmciPlusSplit, runPcmciSplit, type StageJob } from "./split.js";
import type { TestName } from "./testers.js";

const TESTS = ["parcorr", "robust_parcorr", "cmiknn"] as const;
/** -log10 p of a test; required links (p = 0 by assumption) get a score above any test's. */
const REQUIRED_SCORE = 1e300;
const score = (logP: number): number => (Number.isFinite(logP) ? Math.max(0, -logP / Math.LN10) : logP < 0 ? REQUIRED_SCORE : 0);

/** Most levels a pcAlpha list may hold (PC1 runs once per level; the "auto" list has 6). */
export const MAX_PC_ALPHAS = 20;

/** pcAlpha text: one level ("0.2"), a list ("0.05,0.1,0.2") or "auto" (tigramite's list, chosen by AIC). */
export function readPcAlpha(text: string): number | number[] {
  const t = text.trim().toLowerCase();
  if (t === "auto" || t === "aic" || t === "none") return [...DEFAULT_PC_ALPHAS];
  const parts = t.split(/[,\s]+/).filter((s) => s.length > 0);
  const values = parts.map(Number);
  if (parts.length === 0 || values.some((a) => !(a > 0 && a <= 1)))
    throw new InputError(`pcAlpha must be a level in (0, 1], a comma-separated list of levels, or "auto"; got "${text}"`);
  if (values.length > MAX_PC_ALPHAS) throw new InputError(`pcAlpha lists at most ${MAX_PC_ALPHAS} levels (PC1 runs once per level), got ${values.length}`);
  return values.length === 1 ? values[0] : values;
}

/** -1 (no limit) or a count, as the runs take it. */
const limit = (n: number): number | undefined => (n < 0 ? undefined : n);

const sharedParams = {
  maxConds: param.integer({ default: -1, min: -1, max: 10_000, description: "largest condition set in PC1 (tigramite's max_conds_dim); -1: no limit" }),
  maxCombinations: param.integer({ default: 1, min: 1, max: 10_000, description: "condition subsets tested per size in PC1 (max_combinations)" }),
  maxCondsPy: param.integer({ default: -1, min: -1, max: 10_000, description: "parents of the effect used as MCI conditions (max_conds_py); -1: all" }),
  maxCondsPx: param.integer({ default: -1, min: -1, max: 10_000, description: "parents of the cause used as MCI conditions (max_conds_px); -1: all" }),
  links: param.string({
    default: "",
    description: 'prior knowledge, comma separated: "a->b:1-3" requires a link, "!a->b" forbids one (lags optional, * = every variable)',
  }),
  test: param.choice(TESTS, { default: "parcorr", description: "conditional-independence test: parcorr (linear), robust_parcorr (ranks to normal scores), cmiknn (nonlinear, permutation p-values; slow)" }),
  knn: param.number({ default: 0.2, min: 1e-6, max: 1e6, description: "cmiknn: neighbours, a fraction of the samples when < 1, else a count" }),
  permutations: param.integer({ default: 500, min: 1, max: 1e6, description: "cmiknn: local permutations per p-value" }),
};

type Shared = { test: TestName; knn: number; permutations: number; links: string; maxConds: number; maxCombinations: number; maxCondsPy: number; maxCondsPx: number };

/** The run's options as plain data (what the stages of a split run receive too). */
function jobOf(p: Shared & { tauMin: number; pcAlpha: number | readonly number[] }, tauMax: number, seed: number): StageJob {
  return {
    run: newRunId(),
    tauMax,
    tauMin: p.tauMin,
    pcAlpha: typeof p.pcAlpha === "number" ? p.pcAlpha : [...p.pcAlpha],
    links: p.links,
    test: p.test,
    knn: p.knn,
    permutations: p.permutations,
    seed,
    maxCondsDim: limit(p.maxConds),
    maxCombinations: p.maxCombinations,
    maxCondsPy: limit(p.maxCondsPy),
    maxCondsPx: limit(p.maxCondsPx),
  };
}

/** Whether a run splits over its executor: one given with room for two parts or more. */
const splits = (executor: StageExecutor | undefined, V: number): executor is StageExecutor => executor !== undefined && executor.parallelism > 1 && V > 1;

/**
 * The series the tests run on: each variable divided by an exact power of two (ParCorr, robust ParCorr
 * and CMIknn's ranks are scale-invariant, but the Gram's squares overflow at 1e300 and underflow at
 * 1e-300); moderate data is unchanged bit for bit. Pushes scaleWarnings' findings.
 */
function scaleFree(series: TimeSeries, warnings: GraphWarning[]): TimeSeries {
  warnings.push(...scaleWarnings(series));
  return powerOfTwoRescale(series).series;
}

/** Work of one run: the lagged correlation matrix (or CMIknn's permutations), then the tests. */
function estimateRun({ T, V, maxLag }: RunShape, p: Shared, tauMin: number) {
  const L = 2 * maxLag;
  const D = V * (L + 1);
  const links = V * V * (maxLag - tauMin + 1);
  // PC1 sweeps plus MCI, a few tests per link in sparse graphs; PC1 tries up to maxCombinations condition subsets per size
  const tests = (1 + 5 * p.maxCombinations) * links;
  const gram = p.test === "robust_parcorr" ? D * D * T + D * T * Math.log2(T + 2) * 20 : 2 * V * V * (L + 1) * T;
  const perTest = p.test === "cmiknn" ? (p.permutations + 1) * T * Math.log2(T + 2) * 40 : 1000;
  return { bytes: seriesBytes(T, V) + V * T * 8 + D * D * 8 + (p.test === "robust_parcorr" ? D * T * 8 : 0) + 4 * graphBytes(V, maxLag + 1), flops: gram + tests * perTest };
}

function samplesNeeded({ V, maxLag }: { V: number; maxLag: number }) {
  return { min: 2 * maxLag + 4, comfortable: comfortableRows(V, maxLag, 2 * maxLag), why: "tests run on T - 2·maxLag samples and need a residual degree of freedom" };
}

/** PCMCI (Runge et al. 2019): PC1 + MCI, lagged links (lag 0 undirected with tauMin 0). */
export const pcmciMethod: Discoverer = defineMethod({
  name: "pcmci",
  description: "PCMCI (Runge et al. 2019): PC1 condition selection + MCI tests (ParCorr, robust ParCorr or CMIknn), score -log10 p, edges by the trust layer's alpha and correction",
  usesTensors: false,
  lagResolved: true,
  defaultThreshold: -Math.log10(0.05),
  params: {
    tauMin: param.integer({ default: 1, min: 0, max: 1000, description: "smallest lag tested; 0 adds undirected lag-0 links" }),
    pcAlpha: param.string({ default: "0.2", numberAsString: true, read: readPcAlpha, description: 'PC1 level: one value in (0, 1], a comma-separated list of at most 20, or "auto" (tigramite\'s list 0.05..0.5, chosen per variable by AIC)' }),
    ...sharedParams,
  },
  supports: { segments: true, mask: true },
  estimate: (shape, p) => {
    // PC1 runs once per pcAlpha level (MCI once): the list's length bounds the work
    const e = estimateRun(shape, p, p.tauMin);
    return { bytes: e.bytes, flops: (typeof p.pcAlpha === "number" ? 1 : p.pcAlpha.length) * e.flops };
  },
  samplesNeeded,
  stages: PCMCI_STAGES,
  async run({ series: raw, maxLag, params, seed, signal, onProgress, alpha, warnings, executor }) {
    if (params.tauMin > maxLag) throw new InputError(`tauMin (${params.tauMin}) must not exceed maxLag (${maxLag})`);
    const series = scaleFree(raw, warnings);
    const report = progressReporter("pcmci", onProgress);
    const onStage = (stage: "pc1" | "mci", f: number) => report(stage, f);
    const job = jobOf(params, maxLag, seed);
    // with an executor (worker threads, Redis workers): PC1 and MCI split over targets, the same tests
    const r = splits(executor, series.variables.length)
      ? await runPcmciSplit(series, job, executor, { signal, onProgress: onStage })
      : runPcmci(series, { ...optionsOfJob(job, series.variables), signal, onProgress: onStage });
    const { V } = r;
    const K = maxLag + 1;
    const { scores, pvalues } = laggedTensors(V, maxLag, r.logP, r.pvalue);
    const contemporaneous = r.tauMin === 0 ? lagZero(V, K, r.logP, r.pvalue, (c, e) => (r.pvalue[(c * V + e) * K] <= alpha ? "undirected" : null)) : undefined;
    return {
      scores,
      pvalues,
      ...(contemporaneous ? { contemporaneous } : {}),
      meta: { test: params.test, pcAlpha: r.pcAlpha, parents: namedParents(r.parents, series.variables), samples: r.samples, tests: r.tests },
    };
  },
});

/** PCMCI+ (Runge 2020): lagged and contemporaneous links, lag 0 oriented. */
export const pcmciplusMethod: Discoverer = defineMethod({
  name: "pcmciplus",
  description: "PCMCI+ (Runge 2020): lagged and contemporaneous (lag 0) links with orientation (directed, undirected, conflict); score -log10 p",
  usesTensors: false,
  lagResolved: true,
  defaultThreshold: -Math.log10(0.05),
  params: {
    tauMin: param.integer({ default: 0, min: 0, max: 1000, description: "smallest lag tested (0: contemporaneous links too)" }),
    pcAlpha: param.number({ default: 0.01, min: 1e-12, max: 1, description: "level of the skeleton and orientation tests (PCMCI+ default 0.01)" }),
    conflictResolution: param.boolean({ default: true, description: "mark lag-0 links oriented both ways as conflicts (x-x)" }),
    ...sharedParams,
  },
  supports: { segments: true, mask: true },
  estimate: (shape, p) => {
    const e = estimateRun(shape, p, p.tauMin);
    return { bytes: e.bytes, flops: 3 * e.flops };
  },
  samplesNeeded,
  stages: { gram: PCMCI_STAGES.gram, pc1: PCMCI_STAGES.pc1 },
  async run({ series: raw, maxLag, params, seed, signal, onProgress, warnings, executor }) {
    if (params.tauMin > maxLag) throw new InputError(`tauMin (${params.tauMin}) must not exceed maxLag (${maxLag})`);
    const series = scaleFree(raw, warnings);
    const report = progressReporter("pcmciplus", onProgress);
    const onStage = (stage: "pc1" | "mci", f: number) => report(stage, f);
    const job = jobOf(params, maxLag, seed);
    const { conflictResolution } = params;
    // with an executor: PC1 split over targets; the skeleton and orientation here (lag-0 removals cross targets)
    const r = splits(executor, series.variables.length)
      ? await runPcmciPlusSplit(series, job, executor, { conflictResolution, signal, onProgress: onStage })
      : runPcmciPlus(series, { ...optionsOfJob(job, series.variables), pcAlpha: params.pcAlpha, conflictResolution, signal, onProgress: onStage });
    const { V } = r;
    const K = maxLag + 1;
    const { scores, pvalues } = laggedTensors(V, maxLag, r.logP, r.pvalue);
    const orientation = (c: number, e: number): Orientation | null => {
      const m = r.graph[(c * V + e) * K];
      return m === "-->" ? "directed" : m === "o-o" ? "undirected" : m === "x-x" ? "conflict" : null;
    };
    const contemporaneous = r.tauMin === 0 ? lagZero(V, K, r.logP, r.pvalue, orientation) : undefined;
    return {
      scores,
      pvalues,
      ...(contemporaneous ? { contemporaneous } : {}),
      meta: { test: params.test, pcAlpha: params.pcAlpha, parents: namedParents(r.parents, series.variables), samples: r.samples, tests: r.tests, ambiguousTriples: r.ambiguousTriples },
    };
  },
});

/** Lagged scores (-log10 p) and p-values `[V, V, maxLag]` from tigramite-layout `[cause, effect, lag 0..maxLag]` matrices. */
function laggedTensors(V: number, maxLag: number, logP: Float64Array, pvalue: Float64Array): { scores: ScoreTensor; pvalues: ScoreTensor } {
  const K = maxLag + 1;
  const scores = createScores(V, maxLag);
  const pvalues = createScores(V, maxLag, 1);
  for (let c = 0; c < V; c++)
    for (let e = 0; e < V; e++)
      for (let lag = 1; lag <= maxLag; lag++) {
        const at = (c * V + e) * K + lag;
        setScore(scores, e, c, lag, score(logP[at]));
        setScore(pvalues, e, c, lag, pvalue[at]);
      }
  return { scores, pvalues };
}

/** Lag-0 scores, p-values and links `[effect * V + cause]` from tigramite-layout matrices. */
function lagZero(V: number, K: number, logP: Float64Array, pvalue: Float64Array, link: (cause: number, effect: number) => Orientation | null): ContemporaneousResult {
  const scores = new Float64Array(V * V);
  const pv = new Float64Array(V * V).fill(1);
  const links: (Orientation | null)[] = new Array(V * V).fill(null);
  for (let c = 0; c < V; c++)
    for (let e = 0; e < V; e++) {
      if (c === e) continue;
      const at = (c * V + e) * K;
      scores[e * V + c] = score(logP[at]);
      pv[e * V + c] = pvalue[at];
      links[e * V + c] = link(c, e);
    }
  return { scores, pvalues: pv, links };
}

/** PC1 parents by name: `{ effect: ["cause@lag", ...] }`. */
function namedParents(parents: [number, number][][], variables: readonly string[]): Record<string, string[]> {
  return Object.fromEntries(parents.map((ps, j) => [variables[j], ps.map(([v, lag]) => `${variables[v]}@${lag}`)]));
}
