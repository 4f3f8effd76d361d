// A bounded pool of worker threads: jobs run off the API's event loop, one per thread, each
// cancellable through its AbortSignal (and, failing that, by stopping its thread).
import { Worker } from "node:worker_threads";
import { AbortError, type ProgressEvent } from "@causeway/core";
import type { FromWorker, ToWorker, WorkerBoot } from "./protocol.js";
import type { TaskInput } from "./types.js";

/** Raised for the jobs in flight when the pool closes (the job did nothing wrong). */
export class PoolShutdownError extends Error {
  override name = "PoolShutdownError";
  constructor() {
    super("the worker pool stopped before the job finished");
  }
}

/** A method failed inside a worker (its message is the method's). */
export class JobError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export interface PoolOptions {
  /** Number of threads (jobs at once). */
  size: number;
  /** Extra method modules every thread loads. */
  methodModules: readonly string[];
  /** How long a cancelled job may run on before its thread is terminated. */
  cancelGraceMs: number;
  /** Prefix of worker names (`<name>/thread-<i>`), e.g. a host and pid. */
  name: string;
  /** The operator's model directory, where threads find the models that jobs name. */
  modelsDir?: string;
  /** Wall-clock limit of one job's run (from when its thread gets it); past it the thread is stopped and the job fails. */
  jobTimeoutMs?: number;
}

/** The reason a job that ran past the pool's wall-clock limit fails with. */
export function timeoutReason(ms: number): string {
  return `the job ran past the wall-clock limit of ${ms / 1000} s (CAUSEWAY_JOB_TIMEOUT, --job-timeout) and was stopped`;
}

export interface TaskHandlers {
  onProgress?(event: ProgressEvent): void;
  /** Runs the stages a `distribute` job's method hands out (the Redis worker sends them to the queue); absent: such a job fails. */
  onStages?(request: StagesRequest): Promise<{ values: unknown[]; workers: string[] }>;
}

/** What a thread asks for when its method hands stages out. */
export type StagesRequest = Omit<Extract<FromWorker, { type: "stages" }>, "type" | "jobId" | "request">;

/** Loads a job's input once a thread is free; null = nothing to run any more (e.g. cancelled meanwhile). */
export type TaskLoader = (worker: string) => Promise<TaskInput | null>;

interface Task {
  jobId: string;
  load: TaskLoader;
  handlers: TaskHandlers;
  resolve(graph: string | null): void;
  reject(err: Error): void;
}

interface Slot {
  index: number;
  worker: Worker;
  flag: Int32Array;
  task: Task | null;
  /** Set when the pool terminates the thread on purpose. */
  stopping: "cancel" | "timeout" | "shutdown" | null;
  /** The thread finished loading its methods. */
  ready: boolean;
  cancelTimer?: NodeJS.Timeout;
  timeoutTimer?: NodeJS.Timeout;
  cancelReason?: string;
  lastError?: string;
}

const HERE = import.meta.url;
/** Running from TypeScript sources (tsx, vitest): threads need the bootstrap that registers tsx. */
const SOURCE_MODE = HERE.endsWith(".ts");

function spawn(boot: Omit<WorkerBoot, "entry">): Worker {
  if (SOURCE_MODE) {
    const workerData: WorkerBoot = { ...boot, entry: new URL("./worker-thread.ts", HERE).href };
    return new Worker(new URL("./worker-boot.mjs", HERE), { workerData, execArgv: ["--conditions=@causeway/source"] });
  }
  return new Worker(new URL("./worker-thread.js", HERE), { workerData: boot });
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private closed = false;
  /** Threads in a row that died before they were ready (a broken method module): after 3 the pool gives up. */
  private startupFailures = 0;
  private broken: Error | null = null;

  constructor(readonly options: PoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new Error(`pool size must be an integer >= 1, got ${options.size}`);
    for (let i = 0; i < options.size; i++) this.slots.push(this.start(i));
  }

  /** Threads, busy threads and jobs waiting for one. */
  stats(): { size: number; busy: number; waiting: number } {
    return { size: this.slots.length, busy: this.slots.filter((s) => s.task).length, waiting: this.queue.length };
  }

  /** Queue a job; resolves with the graph JSON (or null when `load` found nothing to run), rejects with the method's error. */
  run(jobId: string, load: TaskLoader, handlers: TaskHandlers = {}): Promise<string | null> {
    if (this.closed) return Promise.reject(new PoolShutdownError());
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.queue.push({ jobId, load, handlers, resolve, reject });
      this.pump();
    });
  }

  /** Cancel a waiting or running job. Returns false when the pool does not hold it. */
  cancel(jobId: string, reason = "the job was cancelled"): boolean {
    const i = this.queue.findIndex((t) => t.jobId === jobId);
    if (i >= 0) {
      const [task] = this.queue.splice(i, 1);
      task.reject(new AbortError(reason));
      return true;
    }
    const slot = this.slots.find((s) => s.task?.jobId === jobId);
    if (!slot || slot.cancelTimer) return Boolean(slot);
    // 1) the shared flag, read by progress callbacks even in a busy loop; 2) the message, which aborts
    // the signal as soon as the thread's event loop turns; 3) after the grace period, stop the thread.
    Atomics.store(slot.flag, 0, 1);
    slot.worker.postMessage({ type: "cancel", jobId, reason } satisfies ToWorker);
    slot.cancelReason = reason;
    slot.cancelTimer = setTimeout(() => {
      if (slot.task?.jobId !== jobId) return;
      slot.stopping = "cancel";
      void slot.worker.terminate();
    }, this.options.cancelGraceMs);
    return true;
  }

  /** Stop every thread; waiting and running jobs reject with PoolShutdownError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new PoolShutdownError());
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.stopping = "shutdown";
        clearTimeout(slot.cancelTimer);
        clearTimeout(slot.timeoutTimer);
        const task = slot.task;
        slot.task = null;
        task?.reject(new PoolShutdownError());
        await slot.worker.terminate();
      }),
    );
  }

  private start(index: number): Slot {
    const shared = new SharedArrayBuffer(4);
    const worker = spawn({ methodModules: [...this.options.methodModules], cancelFlag: shared, modelsDir: this.options.modelsDir });
    const slot: Slot = { index, worker, flag: new Int32Array(shared), task: null, stopping: null, ready: false };
    worker.on("message", (msg: FromWorker) => this.onMessage(slot, msg));
    worker.on("error", (err) => {
      slot.lastError = err.message;
      this.finish(slot, null, new Error(`worker thread failed: ${err.message}`));
    });
    worker.on("exit", (code) => this.onExit(slot, code));
    return slot;
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    if (msg.type === "ready") {
      slot.ready = true;
      this.startupFailures = 0;
      this.startClock(slot);
      return;
    }
    if (slot.task?.jobId !== msg.jobId) return; // a late message from a task already settled
    if (msg.type === "progress") slot.task.handlers.onProgress?.(msg.event);
    else if (msg.type === "stages") this.stages(slot, slot.task, msg);
    else if (msg.type === "done") this.finish(slot, msg.graph, null);
    else if (msg.name === "AbortError") this.finish(slot, null, new AbortError(slot.cancelReason ?? msg.message));
    else this.finish(slot, null, new JobError(msg.name, msg.message));
  }

  private onExit(slot: Slot, code: number): void {
    if (slot.stopping === "shutdown" || this.closed) return;
    this.finish(
      slot,
      null,
      slot.stopping === "cancel"
        ? new AbortError(`${slot.cancelReason ?? "the job was cancelled"} (its worker thread was stopped after ${this.options.cancelGraceMs} ms)`)
        : slot.stopping === "timeout"
          ? new Error(timeoutReason(this.options.jobTimeoutMs ?? 0))
          : new Error(`worker thread exited with code ${code} while running the job`),
    );
    if (!slot.ready && ++this.startupFailures >= 3) {
      this.broken = new Error(`worker threads fail to start: ${slot.lastError ?? `exit code ${code}`}`);
      slot.stopping = "shutdown"; // a dead slot takes no task
      for (const t of this.queue.splice(0)) t.reject(this.broken);
      return;
    }
    // Replace the thread in the same slot.
    const fresh = this.start(slot.index);
    this.slots[slot.index] = fresh;
    this.pump();
  }

  private finish(slot: Slot, graph: string | null, err: Error | null): void {
    const task = slot.task;
    clearTimeout(slot.cancelTimer);
    clearTimeout(slot.timeoutTimer);
    slot.cancelTimer = undefined;
    slot.timeoutTimer = undefined;
    slot.cancelReason = undefined;
    slot.task = null;
    if (task) {
      if (err) task.reject(err);
      else task.resolve(graph);
    }
    if (!this.closed) this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.task || slot.stopping) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      void this.dispatch(slot, task);
    }
  }

  private async dispatch(slot: Slot, task: Task): Promise<void> {
    let input: TaskInput | null;
    try {
      input = await task.load(`${this.options.name}/thread-${slot.index}`);
    } catch (e) {
      if (slot.task === task) this.finish(slot, null, e instanceof Error ? e : new Error(String(e)));
      return;
    }
    if (slot.task !== task) return; // cancelled or shut down while loading
    if (!input) return this.finish(slot, null, null);
    if (slot.cancelTimer) return this.finish(slot, null, new AbortError(slot.cancelReason));
    Atomics.store(slot.flag, 0, 0);
    const { series } = input;
    const msg: ToWorker = { type: "run", jobId: task.jobId, method: input.method, options: input.options, series };
    slot.worker.postMessage(msg, [series.data.buffer as ArrayBuffer]);
    if (slot.ready) this.startClock(slot);
  }

  /** Runs a thread's stages through the task's handler and answers the thread (if it still runs that task). */
  private stages(slot: Slot, task: Task, msg: Extract<FromWorker, { type: "stages" }>): void {
    const { jobId, request } = msg;
    const answer = (m: ToWorker) => {
      if (slot.task === task) slot.worker.postMessage(m);
    };
    const run = task.handlers.onStages;
    if (!run) return answer({ type: "stages-failed", jobId, request, message: "distribute needs the Redis queue: this server runs jobs on its own threads" });
    run({ method: msg.method, stage: msg.stage, series: msg.series, payloads: msg.payloads }).then(
      ({ values, workers }) => answer({ type: "stages-done", jobId, request, values, workers }),
      (e: unknown) => answer({ type: "stages-failed", jobId, request, message: e instanceof Error ? e.message : String(e) }),
    );
  }

  /** The wall-clock limit counts from when a ready thread has the job (a fresh thread's start-up is not the job's time). */
  private startClock(slot: Slot): void {
    const limit = this.options.jobTimeoutMs;
    const task = slot.task;
    if (limit === undefined || limit <= 0 || !task || slot.timeoutTimer) return;
    slot.timeoutTimer = setTimeout(() => {
      if (slot.task !== task) return;
      slot.stopping = "timeout";
      void slot.worker.terminate();
    }, limit);
  }
}
