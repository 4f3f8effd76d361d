import type { BackendChoice, BackendStatus, Budget, CausalGraph, MethodInfo, ProgressEvent } from "@causeway/core";

/** A method as the UI lists it (the Discoverer without its functions). */
export type { MethodInfo };

/** The series as it crosses to the worker: `data` is `[T, V]` row-major. */
export interface SeriesPayload {
  variables: string[];
  length: number;
  data: Float64Array;
}

export interface RunRequest {
  series: SeriesPayload;
  method: string;
  backend: BackendChoice;
  maxLag: number;
  seed: number;
  threshold?: number;
  params: Record<string, unknown>;
  /** Training budget of a method that trains (`DiscoverOptions.budget`). */
  budget?: Budget;
}

/** Messages the page sends to the discovery worker. */
export type ToWorker = { type: "describe" } | ({ type: "run"; id: number } & RunRequest) | { type: "cancel"; id: number };

/** Messages the worker sends back. */
export type FromWorker =
  | { type: "described"; methods: MethodInfo[]; backends: BackendStatus[] }
  | { type: "progress"; id: number; event: ProgressEvent }
  | { type: "result"; id: number; graph: CausalGraph }
  | { type: "error"; id: number; message: string; aborted: boolean };
