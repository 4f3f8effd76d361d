// Embedded mode: jobs run on this process's worker-thread pool; the store is the durable queue.
import { hostname } from "node:os";
import type { Dispatcher } from "./dispatcher.js";
import { CANCEL_REASON, CRASH_REASON, Outcomes } from "./dispatcher.js";
import type { JobEvents } from "./events.js";
import type { WorkerPool } from "./pool.js";
import type { Store } from "./store.js";
import type { JobRecord } from "./types.js";

/** Whether a worker name (`host:pid/thread-i`) belongs to a process of this host that no longer exists. */
export function isOrphanedHere(worker: string | null): boolean {
  const m = /^(.*):(\d+)\/thread-\d+$/.exec(worker ?? "");
  if (!m || m[1] !== hostname()) return false;
  const pid = Number(m[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

export class LocalDispatcher implements Dispatcher {
  readonly kind = "local";
  private readonly outcomes: Outcomes;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    events: JobEvents,
    private readonly pool: WorkerPool,
    private readonly onError: (err: unknown) => void,
  ) {
    this.outcomes = new Outcomes(store, events, onError);
  }

  /**
   * Crash recovery: a job still "running" in the store whose process is gone was running when
   * that process died; it is marked failed with CRASH_REASON (never re-run blindly: it may be
   * what crashed the server). Jobs still "queued" never started and are queued again, oldest
   * first (with a shared Postgres, every node may take them: claiming is atomic).
   */
  async start(): Promise<void> {
    const running = await this.store.runningJobs();
    // The embedded store has one process at a time, so every running job is orphaned; with a
    // shared Postgres, only jobs of dead processes on this host are (others may still be running).
    const orphans = this.store.sql.kind === "pglite" ? running : running.filter((j) => isOrphanedHere(j.worker));
    await this.store.failRunningJobs(
      orphans.map((j) => j.id),
      CRASH_REASON,
    );
    for (const id of await this.store.jobIds(["queued"])) this.schedule(id);
  }

  async submit(job: JobRecord): Promise<void> {
    this.schedule(job.id);
  }

  async cancel(jobId: string): Promise<void> {
    this.pool.cancel(jobId, CANCEL_REASON);
  }

  stats(): Record<string, number> {
    const { size, busy, waiting } = this.pool.stats();
    return { workers: size, busy, waiting };
  }

  async close(): Promise<void> {
    await this.pool.close();
    // Outcomes of the jobs the pool just dropped (back to "queued") are written before the store closes.
    await Promise.all(this.inFlight);
  }

  private schedule(id: string): void {
    const run = this.pool
      .run(
        id,
        async (worker) => {
          const job = await this.store.claimJob(id, worker);
          if (!job) return null; // cancelled while it waited
          this.outcomes.started(job);
          const series = await this.store.loadSeries(job.dataset);
          if (!series) throw new Error(`dataset ${job.dataset} is missing from the store`);
          return { jobId: id, method: job.method, options: job.options, series };
        },
        { onProgress: (event) => this.outcomes.progress(id, event) },
      )
      .then(
        (graph) => (graph === null ? undefined : this.outcomes.succeeded(id, graph)),
        (err: unknown) => this.outcomes.failed(id, err),
      )
      .catch(this.onError)
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }
}
