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
}
