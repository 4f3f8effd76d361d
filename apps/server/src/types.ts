import type { BackendChoice, Budget, Correction, ProgressEvent, SurrogateKind } from "@causeway/core";

/** A job's life: queued → running → succeeded | failed | cancelled (queued → cancelled too). */
export type JobState = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export const JOB_STATES: readonly JobState[] = ["queued", "running", "succeeded", "failed", "cancelled"];

/** States a job never leaves. */
export const TERMINAL_STATES: readonly JobState[] = ["succeeded", "failed", "cancelled"];

export function isTerminal(state: JobState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** The discovery options of a job, validated and completed at submission. */
export interface JobOptions {
  maxLag: number;
  seed: number;
  backend: BackendChoice;
  /** Edge threshold; absent = the method's default. */
  threshold?: number;
  /** Method parameters after `resolveParams` (defaults filled in). */
  params: Record<string, number | string | boolean>;
  /** Level for edges from p-values (absent: 0.05). */
  alpha?: number;
  /** Multiple-testing correction before alpha (absent: fdr_bh). */
  correction?: Correction;
  /** Fail instead of warning where the method cannot vouch for its scores. */
  strict?: boolean;
  /** Surrogates per cause for a p-value of every lagged score (methods without their own test). */
  surrogates?: number;
  /** Kind of surrogate (absent: shift). */
  surrogateKind?: SurrogateKind;
  /** Stationary block-bootstrap resamples for edge stability. */
  bootstrap?: number;
  /** Training budget of a method that trains: fast, default, thorough, or seconds (`DiscoverOptions.budget`). */
  budget?: Budget;
  /** Redis only, methods with stages (pcmci, pcmciplus): the run's per-target parts go to the queue's workers. */
  distribute?: boolean;
}

/** What the API says about a dataset (its values stay in the store). */
export interface DatasetInfo {
  id: string;
  name: string;
  format: "csv" | "json";
  variables: string[];
  /** Rows (time steps), T. */
  length: number;
  /** Size of the upload in bytes. */
  bytes: number;
  createdAt: string;
}

/** A job as stored. */
export interface JobRecord {
  id: string;
  dataset: string;
  method: string;
  options: JobOptions;
  state: JobState;
  /** Latest progress event (fraction 0..1, stage, counters). */
  progress: { fraction: number; stage?: string; step?: number; total?: number; message?: string; metrics?: Record<string, number> };
  error: string | null;
  attempts: number;
  /** Which worker ran it (thread or process), when it ran. */
  worker: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** A job as the API returns it: the record plus derived timings and links. */
export interface JobView extends JobRecord {
  timings: { queuedSeconds: number | null; runSeconds: number | null };
  links: { self: string; events: string; graph: string };
}

/** What a worker runs: one job's method, options and series. */
export interface TaskInput {
  jobId: string;
  method: string;
  options: JobOptions;
  series: SeriesPayload;
}

/** A time series in transit between threads or processes ([T, V] row-major values). */
export interface SeriesPayload {
  variables: string[];
  length: number;
  data: Float64Array;
  time?: string[];
}

export type { ProgressEvent };
