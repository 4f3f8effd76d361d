// Scale-out mode (CAUSEWAY_REDIS_URL): jobs go through a BullMQ queue on Redis; any number of
// `causeway worker` processes run them on their own worker-thread pools and send back progress
// and results as queue events, which every API node applies to the store and its SSE streams.
// A `distribute` job (pcmci, pcmciplus) runs on one worker's thread, which hands its per-target
// stages to a second queue (`<queue>-stages`) that every worker takes from too, on its own threads.
import { hostname } from "node:os";
import { Queue, QueueEvents, Worker, type ConnectionOptions } from "bullmq";
import { Redis } from "ioredis";
import { AbortError, type ProgressEvent } from "@causeway/core";
import { registerAllMethods } from "@causeway/methods";
import { CANCEL_REASON, Outcomes, type Dispatcher } from "./dispatcher.js";
import type { ServerConfig } from "./env.js";
import type { JobEvents } from "./events.js";
import { loadMethodModules } from "./method-modules.js";
import { PoolShutdownError, WorkerPool } from "./pool.js";
import { decodeSeries, encodeSeries, type EncodedSeries } from "./series-codec.js";
import { startStageQueue } from "./stage-queue.js";
import type { Store } from "./store.js";
import type { JobOptions, JobRecord } from "./types.js";

/** Data of one queue job: everything a worker needs, so workers need no access to the store. */
interface QueueJobData {
  jobId: string;
  method: string;
  options: JobOptions;
  series: EncodedSeries;
}

/** What a worker returns. */
interface QueueJobResult {
  graph: string;
  worker: string;
}

/** First progress message of a job: which worker took it. */
interface StartedMessage {
  worker: string;
}

/** failedReason prefix of a job stopped by a cancel (so API nodes record "cancelled", not "failed"). */
const CANCELLED_PREFIX = "[cancelled] ";
/** Finished queue entries are kept this long (seconds) so a restarted API node can still collect results. */
const KEEP_FINISHED_S = 7 * 24 * 3600;
/** Progress messages per job and second, at most (each is a Redis round trip). */
const PROGRESS_MS = 200;

function connection(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null };
}

function cancelChannel(queueName: string): string {
  return `${queueName}:cancel`;
}

/** API side: puts jobs on the queue and applies queue events to the store. */
export class RedisDispatcher implements Dispatcher {
  readonly kind = "redis";
  private readonly queue: Queue<QueueJobData, QueueJobResult>;
  private readonly queueEvents: QueueEvents;
  private readonly publisher: Redis;
  private readonly outcomes: Outcomes;

  constructor(
    config: ServerConfig,
    private readonly store: Store,
    events: JobEvents,
    private readonly onError: (err: unknown) => void,
  ) {
    const url = config.redisUrl!;
    this.queue = new Queue(config.queueName, {
      connection: connection(url),
      defaultJobOptions: { attempts: 1, removeOnComplete: { age: KEEP_FINISHED_S }, removeOnFail: { age: KEEP_FINISHED_S } },
    });
    this.queueEvents = new QueueEvents(config.queueName, { connection: connection(url) });
    this.publisher = new Redis(url, { maxRetriesPerRequest: 3 });
    this.outcomes = new Outcomes(store, events, onError);
    this.channel = cancelChannel(config.queueName);
  }

  private readonly channel: string;

  async start(): Promise<void> {
    await this.queue.waitUntilReady();
    await this.queueEvents.waitUntilReady();
    const guard = (p: Promise<unknown>) => void p.catch(this.onError);
    this.queueEvents.on("progress", ({ jobId, data }) => {
      const started = data as unknown as StartedMessage;
      if (typeof started === "object" && started !== null && typeof started.worker === "string")
        guard(this.store.claimJob(jobId, started.worker).then((job) => job && this.outcomes.started(job)));
      else if (typeof data === "object" && data !== null) this.outcomes.progress(jobId, data as unknown as ProgressEvent);
    });
    this.queueEvents.on("completed", ({ jobId, returnvalue }) => guard(this.completed(jobId, returnvalue as unknown)));
    this.queueEvents.on("failed", ({ jobId, failedReason }) => guard(this.failed(jobId, failedReason)));
    await this.reconcile();
  }

  async submit(job: JobRecord): Promise<void> {
    const series = await this.store.loadSeries(job.dataset);
    if (!series) throw new Error(`dataset ${job.dataset} is missing from the store`);
    await this.queue.add("discover", { jobId: job.id, method: job.method, options: job.options, series: encodeSeries(series) }, { jobId: job.id });
  }

  async cancel(jobId: string): Promise<void> {
    const entry = await this.queue.getJob(jobId);
    // A waiting entry is removed; a running one is aborted by the worker that holds it.
    if (entry && (await entry.isWaiting())) await entry.remove().catch(() => {});
    await this.publisher.publish(this.channel, jobId);
  }

  stats(): Record<string, number> {
    return {};
  }

  async close(): Promise<void> {
    await this.queueEvents.close();
    await this.queue.close();
    this.publisher.disconnect();
  }

  /**
   * After a restart (or events missed while this node was down): settle store jobs whose queue
   * entry already finished, re-add queued ones the queue never got, fail running ones it lost.
   */
  private async reconcile(): Promise<void> {
    for (const id of await this.store.jobIds(["queued", "running"])) {
      const entry = await this.queue.getJob(id);
      if (!entry) {
        const job = await this.store.getJob(id);
        if (job?.state === "queued") await this.submit(job);
        else await this.outcomes.failed(id, new Error("the job was lost from the Redis queue (flushed or expired); submit it again"));
        continue;
      }
      const state = await entry.getState();
      if (state === "completed") await this.completed(id, entry.returnvalue);
      else if (state === "failed") await this.failed(id, entry.failedReason);
    }
  }

  private async completed(jobId: string, value: unknown): Promise<void> {
    const result = (typeof value === "string" ? JSON.parse(value) : value) as QueueJobResult;
    await this.outcomes.succeeded(jobId, result.graph, result.worker);
  }

  private async failed(jobId: string, reason: string): Promise<void> {
    await this.outcomes.failed(jobId, reason.startsWith(CANCELLED_PREFIX) ? new AbortError(reason.slice(CANCELLED_PREFIX.length)) : new Error(reason));
  }
}

export interface RunningWorker {
  name: string;
  /** Finish the jobs in hand (up to `graceMs`), then disconnect. */
  close(graceMs?: number): Promise<void>;
}

/** `causeway worker`: take jobs from the queue and run them on a local worker-thread pool. */
export async function startRedisWorker(config: ServerConfig): Promise<RunningWorker> {
  if (!config.redisUrl) throw new Error("causeway worker needs CAUSEWAY_REDIS_URL (or --redis URL)");
  registerAllMethods();
  await loadMethodModules(config.methodModules);
  const name = `${hostname()}:${process.pid}`;
  const pool = new WorkerPool({
    size: config.workers,
    methodModules: config.methodModules,
    cancelGraceMs: config.cancelGraceMs,
    name,
    modelsDir: config.modelsDir,
    jobTimeoutMs: config.jobTimeoutSeconds * 1000,
  });
  const stages = await startStageQueue(config.queueName, config.redisUrl, config.workers, name);
  const subscriber = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  await subscriber.subscribe(cancelChannel(config.queueName));
  subscriber.on("message", (_channel: string, jobId: string) => pool.cancel(jobId, CANCEL_REASON));

  const worker = new Worker<QueueJobData, QueueJobResult>(
    config.queueName,
    async (job, _token, signal) => {
      const { jobId } = job.data;
      signal?.addEventListener("abort", () => pool.cancel(jobId, CANCEL_REASON), { once: true });
      let thread = name;
      let last = 0;
      try {
        const graph = await pool.run(
          jobId,
          async (w) => {
            thread = w;
            await job.updateProgress({ worker: w } satisfies StartedMessage);
            return { jobId, method: job.data.method, options: job.data.options, series: decodeSeries(job.data.series) };
          },
          {
            onStages: (req) => stages.run(jobId, req),
            onProgress: (event) => {
              const now = Date.now();
              if (event.fraction < 1 && now - last < PROGRESS_MS) return;
              last = now;
              job.updateProgress(event as unknown as Record<string, unknown>).catch(() => {});
            },
          },
        );
        return { graph: graph!, worker: thread };
      } catch (e) {
        if (e instanceof AbortError) throw new Error(CANCELLED_PREFIX + e.message);
        // This process is stopping with the job unfinished: leave it active, so that when its lock
        // expires BullMQ moves it back to the queue (a stalled job) for another worker.
        if (e instanceof PoolShutdownError) return new Promise<never>(() => {});
        throw e;
      } finally {
        await stages.forget(jobId).catch(() => {});
      }
    },
    { connection: connection(config.redisUrl), concurrency: config.workers, name },
  );
  worker.on("error", (err) => console.error(`causeway worker: ${err.message}`));
  await worker.waitUntilReady();

  return {
    name,
    async close(graceMs = 10_000) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all([worker.close(), stages.stopTaking()]), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
      clearTimeout(timer);
      await pool.close();
      await stages.close();
      subscriber.disconnect();
    },
  };
}
