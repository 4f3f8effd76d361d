// In-process fan-out of job events to Server-Sent Events streams.
import { EventEmitter } from "node:events";
import type { ProgressEvent } from "@causeway/core";
import type { JobRecord } from "./types.js";

export type JobEvent = { type: "progress"; event: ProgressEvent } | { type: "state"; job: JobRecord };

/** Publish/subscribe by job id. Dispatchers publish; each SSE connection subscribes to one job. */
export class JobEvents {
  private readonly emitter = new EventEmitter();
  /** Latest progress of each running job, for streams that connect mid-run. */
  private readonly latest = new Map<string, ProgressEvent>();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(jobId: string, event: JobEvent): void {
    if (event.type === "progress") this.latest.set(jobId, event.event);
    else if (event.job.state !== "running") this.latest.delete(jobId);
    this.emitter.emit(jobId, event);
  }

  /** The last progress event of a running job, if any was published here. */
  lastProgress(jobId: string): ProgressEvent | undefined {
    return this.latest.get(jobId);
  }

  /** Returns the unsubscribe function. */
  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void {
    this.emitter.on(jobId, listener);
    return () => this.emitter.off(jobId, listener);
  }

  listeners(jobId: string): number {
    return this.emitter.listenerCount(jobId);
  }
}
