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
  /** 1 <= lag <= maxLag */
  lag: number;
}

export interface ScoredEdge extends LaggedEdge {
  score: number;
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
  [key: string]: unknown;
}

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
}
