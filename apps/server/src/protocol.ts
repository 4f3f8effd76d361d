// Messages between the pool (main thread) and its worker threads.
import type { ProgressEvent } from "@causeway/core";
import type { JobOptions, SeriesPayload } from "./types.js";

/** Data every worker thread starts with. */
export interface WorkerBoot {
  /** Module to run after the TypeScript loader is registered (source mode only). */
  entry?: string;
  methodModules: string[];
  /** Int32Array(1) over shared memory: 1 = cancel the current task (read inside progress callbacks, without waiting for the event loop). */
  cancelFlag: SharedArrayBuffer;
  /** The operator's model directory: job model names resolve to paths under it, in the thread only. */
  modelsDir?: string;
}

export type ToWorker =
  | { type: "run"; jobId: string; method: string; options: JobOptions; series: SeriesPayload }
  | { type: "cancel"; jobId: string; reason: string }
  | { type: "stages-done"; jobId: string; request: number; values: unknown[]; workers: string[] }
  | { type: "stages-failed"; jobId: string; request: number; message: string };

export type FromWorker =
  | { type: "ready"; methods: string[] }
  | { type: "progress"; jobId: string; event: ProgressEvent }
  /** A `distribute` job's method hands stages of its run out (Redis workers run them; `stages-done` answers). */
  | { type: "stages"; jobId: string; request: number; method: string; stage: string; series: SeriesPayload; payloads: unknown[] }
  | { type: "done"; jobId: string; graph: string }
  | { type: "error"; jobId: string; name: string; message: string };
