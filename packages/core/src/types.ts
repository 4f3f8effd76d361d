import type { BudgetMeta } from "./budget.js";

/** A multivariate time series: `length` time steps (rows) of `variables.length` variables. */
export interface TimeSeries {
  /** Variable names, one per column (V). */
  variables: string[];
  /** Number of time steps (T). */
  length: number;
  /** Values, row-major `[T, V]`: `data[t * V + v]`. */
  data: Float64Array;
  /** Optional time axis kept from a `time`/`timestamp`/`t`/`date`/`index` column. */
  time?: string[];
  /**
   * Several recordings of one system (subjects, trials, regimes) concatenated in `data`: the
   * ascending row offsets where each starts, the first 0. No lagged window crosses a start.
   * Absent: one recording.
   */
  segments?: number[];
  /** Names of the recordings, one per entry of `segments` (e.g. file names), when known. */
  segmentNames?: string[];
  /** Missing cells, `[T, V]` row-major, 1 = missing (the value in `data` there is NaN). Absent: none. */
  mask?: Uint8Array;
}

/** `cause` at time `t - lag` directly causes `effect` at time `t` (formats.md). */
export interface LaggedEdge {
  cause: string;
  effect: string;
  /** 1 <= lag <= maxLag; 0 for a contemporaneous edge (only in a graph's `edges`, with `orientation`). */
  lag: number;
}

/** How a contemporaneous (lag 0) edge is oriented (formats.md "contemporaneous"). */
export type Orientation = "directed" | "undirected" | "conflict";

export interface ScoredEdge extends LaggedEdge {
  score: number;
  /** The edge's p-value, for methods with a test. */
  pvalue?: number;
  /** Its p-value after the graph's multiple-testing correction (`meta.correction`). */
  qvalue?: number;
  /** Fraction of bootstrap resamples that selected it (`--bootstrap`). */
  stability?: number;
  /** Lag 0 edges only: whether the method could orient it. */
  orientation?: Orientation;
}

/** Known causal structure of a series (formats.md "Ground truth"). */
export interface GroundTruth {
  variables: string[];
  maxLag: number;
  edges: LaggedEdge[];
  /** True when only the summary graph is known (Lorenz-96, Kuramoto, ...). */
  summaryOnly: boolean;
}

export interface GraphMeta {
  backend: string;
  seconds: number;
  seed: number;
  params: Record<string, unknown>;
  /** False when the method only finds summary edges (scores repeated at every lag). */
  lagResolved?: boolean;
  /** True when scores are probabilities. */
  probabilities?: boolean;
  /** With `pvalues`: the level `edges` was selected at (adjusted p <= alpha). */
  alpha?: number;
  /** With `pvalues`: the multiple-testing correction applied before comparing with `alpha`. */
  correction?: Correction;
  /** What the method can score: lags beyond `maxLag` here (or variables beyond `variables`) are not evidence (`lag_beyond_reach`). */
  reach?: { maxLag?: number; variables?: number };
  /** With `stability`: bootstrap resamples and their block length. */
  bootstrap?: { resamples: number; blockLength: number };
  /** With surrogate `pvalues`: how many surrogates of each cause and of which kind. */
  surrogates?: { count: number; kind: SurrogateKind };
  /** With a training budget (`--budget`): its name or seconds, the preset values applied, and whether the deadline cut training. */
  budget?: BudgetMeta;
  [key: string]: unknown;
}

/** Multiple-testing corrections (formats.md "pvalues"). */
export const CORRECTIONS = ["none", "bonferroni", "fdr_bh"] as const;
export type Correction = (typeof CORRECTIONS)[number];

/** Surrogates of a cause for a method without its own test: circular time shift or phase randomisation. */
export const SURROGATE_KINDS = ["shift", "phase"] as const;
export type SurrogateKind = (typeof SURROGATE_KINDS)[number];

/** Warning codes of formats.md ("warnings"): what a run could not vouch for. */
export const WARNING_CODES = [
  "nonstationary",
  "short_series",
  "lag_beyond_reach",
  "too_many_variables",
  "near_constant",
  "collinear",
  "scale",
  "not_converged",
  "missing_values",
  "gaussian_noise",
  "budget_exhausted",
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/** One thing a run could not vouch for, e.g. `{ code: "short_series", message: "...", variables: [] }`. */
export interface GraphWarning {
  code: WarningCode;
  /** What was found, the statistic, and what to do, in words a scientist understands. */
  message: string;
  /** The variables concerned, when the warning is about some of them. */
  variables?: string[];
}

/** Discovered graph, `causeway.graph/v1` (formats.md "Discovered graph output"). */
export interface CausalGraph {
  format: "causeway.graph/v1";
  variables: string[];
  maxLag: number;
  method: string;
  /** `scores[effect][cause][lag - 1]`, shape `[V, V, maxLag]`. */
  scores: number[][][];
  /** Thresholded edges, strongest first. */
  edges: ScoredEdge[];
  threshold: number;
  meta: GraphMeta;
  /** What the run could not vouch for; absent when no checks ran, `[]` when every check passed. */
  warnings?: GraphWarning[];
  /** `[V, V, maxLag]` p-values like `scores`, for methods with a test (untested entries: 1). */
  pvalues?: number[][][];
  /** `[V, V]` lag-0 scores `[effect][cause]`, for methods that test instantaneous links. */
  contemporaneous?: number[][];
  /** `[V, V, maxLag]`: fraction of bootstrap resamples in which each edge was selected. */
  stability?: number[][][];
  /** Bootstrap percentile interval of each score, `[V, V, maxLag]` bounds at `level` (e.g. 0.9). */
  scoreInterval?: { level: number; lower: number[][][]; upper: number[][][] };
}
