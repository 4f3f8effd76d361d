// How jobs get run: the Dispatcher interface, the reasons recorded for interrupted jobs, and
// the shared bookkeeping for results coming back from a worker.
import { AbortError, type ProgressEvent } from "@causeway/core";
import type { JobEvents } from "./events.js";
import { PoolShutdownError } from "./pool.js";
import type { Store } from "./store.js";
import type { JobRecord } from "./types.js";

/** Runs jobs: in this process's worker threads ("local") or through BullMQ on Redis ("redis"). */
export interface Dispatcher {
  readonly kind: "local" | "redis";
  /** Recover after a restart (interrupted jobs), then start taking jobs. */
  start(): Promise<void>;
  /** A job was stored as queued: run it. */
  submit(job: JobRecord): Promise<void>;
  /** Cancel a queued or running job (the store already says "cancelled"). */
  cancel(jobId: string): Promise<void>;
  /** Numbers for /healthz. */
  stats(): Record<string, number>;
  /** Stop taking jobs; jobs in flight here go back to "queued". */
  close(): Promise<void>;
}

/** Recorded on jobs found "running" when the embedded server starts: the last process died under them. */
export const CRASH_REASON =
  "the server stopped while this job was running (crash, kill or power loss); it was not retried, since the job itself may have caused the crash: submit it again";

/** Recorded on cancelled jobs. */
export const CANCEL_REASON = "cancelled by request";

/** Progress is published at once but written to the store at most this often per job. */
const PROGRESS_WRITE_MS = 500;

/** Applies a worker's outcome to the store and tells the SSE streams; shared by both dispatchers. */
export class Outcomes {
  private readonly lastWrite = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly events: JobEvents,
    private readonly onError: (err: unknown) => void,
  ) {}

  started(job: JobRecord): void {
    // The first progress write waits PROGRESS_WRITE_MS too: short jobs never write progress.
    this.lastWrite.set(job.id, Date.now());
    this.events.publish(job.id, { type: "state", job });
  }

  progress(jobId: string, event: ProgressEvent): void {
    this.events.publish(jobId, { type: "progress", event });
    const now = Date.now();
    if (now - (this.lastWrite.get(jobId) ?? 0) < PROGRESS_WRITE_MS) return;
    this.lastWrite.set(jobId, now);
    this.store.setProgress(jobId, event).catch(this.onError);
  }

  async succeeded(jobId: string, graph: string, worker?: string): Promise<void> {
    this.lastWrite.delete(jobId);
    const job = await this.store.succeedJob(jobId, graph, worker);
    if (job) this.events.publish(jobId, { type: "state", job });
  }

  /** A failure, a cancellation, or a shutdown (which puts the job back in the queue). */
  async failed(jobId: string, err: unknown): Promise<void> {
    this.lastWrite.delete(jobId);
    if (err instanceof PoolShutdownError) return this.store.requeueJob(jobId);
    const job =
      err instanceof AbortError
        ? await this.store.endJob(jobId, "cancelled", err.message || CANCEL_REASON)
        : await this.store.endJob(jobId, "failed", err instanceof Error ? `${err.name === "Error" ? "" : `${err.name}: `}${err.message}` : String(err));
    if (job) this.events.publish(jobId, { type: "state", job });
  }
}
