// Messages between a MethodPool (main thread) and its worker threads.
import type { BackendChoice, DiscoverOptions, ProgressEvent, TimeSeries } from "@causeway/core";

/** The options a worker thread can receive: everything but the callbacks, the signal and the executor. */
export type PoolDiscoverOptions = Omit<DiscoverOptions, "signal" | "onProgress" | "executor">;

/** A whole run of a method, answered with its graph JSON. */
export interface RunRequest {
  id: number;
  kind?: "discover";
  method: string;
  series: TimeSeries;
  options: PoolDiscoverOptions;
  /** Send the run's progress events back while it runs (`RunProgress`). */
  progress?: boolean;
}

/** A progress event of a run, sent while it runs (when its request asked for them). */
export interface RunProgress {
  id: number;
  progress: ProgressEvent;
}

/** One stage of a method's run (`Discoverer.stages`), answered with the stage's plain-data result. */
export interface StageRequest {
  id: number;
  kind: "stage";
  method: string;
  stage: string;
  series: TimeSeries;
  payload: unknown;
  /** The tensor backend a tensor method's stage runs on (default "auto"). */
  backend?: BackendChoice;
}

export type RunReply = { id: number; graph: string } | { id: number; value: unknown } | { id: number; error: { name: string; message: string } };
