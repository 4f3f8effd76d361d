// Messages between a MethodPool (main thread) and its worker threads.
import type { DiscoverOptions, TimeSeries } from "@causeway/core";

/** The options a worker thread can receive: everything but the callbacks and the signal. */
export type PoolDiscoverOptions = Omit<DiscoverOptions, "signal" | "onProgress">;

export interface RunRequest {
  id: number;
  method: string;
  series: TimeSeries;
  options: PoolDiscoverOptions;
}

export type RunReply = { id: number; graph: string } | { id: number; error: { name: string; message: string } };
