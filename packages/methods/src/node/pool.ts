/**
 * A small pool of worker threads that run any registered method by name: the runner behind
 * `--bootstrap` and `--surrogates` in Node (each thread has its own tfjs engine and backend).
 * `pool.runner(method, options)` is the `runOne` that core's `bootstrapStability` and
 * `surrogatePvalues` take; pass `concurrency: pool.size` to keep every thread busy.
 * `pool.executor()` runs the stages of one run (`Discoverer.stages`: PCMCI's per-target phases) on
 * the threads, for `discover(series, { executor })` in this thread.
 */
import { Worker } from "node:worker_threads";
import { AbortError, InputError, parseGraphJson, type BackendChoice, type CausalGraph, type ProgressCallback, type RunOne, type StageExecutor, type TimeSeries } from "@causeway/core";
import type { PoolDiscoverOptions, RunProgress, RunReply, RunRequest, StageRequest } from "./protocol.js";

const HERE = import.meta.url;
/** Running from TypeScript sources (tsx, vitest): threads need the bootstrap that registers tsx. */
const SOURCE_MODE = HERE.endsWith(".ts");

function spawn(modules: readonly string[]): Worker {
  if (SOURCE_MODE) return new Worker(new URL("./worker-boot.mjs", HERE), { workerData: { entry: new URL("./worker.ts", HERE).href, modules }, execArgv: ["--conditions=@causeway/source"] });
  return new Worker(new URL("./worker.js", HERE), { workerData: { modules } });
}

export interface MethodPoolOptions {
  /** Module URLs every thread imports first, e.g. the app's module that imports the backend packages (each registers its provider). */
  modules?: readonly string[];
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: ProgressCallback;
}

type Request = Omit<RunRequest, "id"> | Omit<StageRequest, "id">;

/** `new MethodPool(2)`: two threads; `await pool.run("corr", series, { maxLag: 3 })`; `await pool.close()`. */
export class MethodPool {
  private readonly threads: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: { req: Request; pending: Pending }[] = [];
  private readonly inFlight = new Map<number, { worker: Worker; pending: Pending }>();
  private nextId = 0;
  private closed = false;

  constructor(
    readonly size: number,
    options: MethodPoolOptions = {},
  ) {
    if (!Number.isInteger(size) || size < 1) throw new InputError(`threads must be an integer >= 1, got ${size}`);
    for (let i = 0; i < size; i++) {
      const worker = spawn(options.modules ?? []);
      worker.on("message", (reply: RunReply | RunProgress) => ("progress" in reply ? this.inFlight.get(reply.id)?.pending.onProgress?.(reply.progress) : this.settle(worker, reply)));
      worker.on("error", (err) => this.fail(worker, new Error(`method worker thread failed: ${err.message}`)));
      worker.on("exit", (code) => this.fail(worker, new Error(`method worker thread exited with code ${code}`)));
      this.threads.push(worker);
      this.idle.push(worker);
    }
  }

  /** Runs `method` on `series` in a free thread; an InputError there is an InputError here. `onProgress` gets the thread's progress events. */
  run(method: string, series: TimeSeries, options: PoolDiscoverOptions, onProgress?: ProgressCallback): Promise<CausalGraph> {
    return this.send({ method, series, options, ...(onProgress ? { progress: true } : {}) }, onProgress) as Promise<CausalGraph>;
  }

  /** Runs one stage of `method` (`Discoverer.stages[stage]`) on `series` with `payload` in a free thread (a tensor method's on `backend`, default "auto"). */
  stage(method: string, stage: string, series: TimeSeries, payload: unknown, backend?: BackendChoice): Promise<unknown> {
    return this.send({ kind: "stage", method, stage, series, payload, ...(backend ? { backend } : {}) });
  }

  /** A `StageExecutor` on these threads: `method.discover(series, { ...options, executor: pool.executor(options.backend) })`. */
  executor(backend?: BackendChoice): StageExecutor {
    return { parallelism: this.size, run: (method, stage, series, payloads) => Promise.all(payloads.map((p) => this.stage(method, stage, series, p, backend))) };
  }

  private send(req: Request, onProgress?: ProgressCallback): Promise<unknown> {
    if (this.closed) return Promise.reject(new AbortError("the method pool is closed"));
    return new Promise((resolve, reject) => {
      this.waiting.push({ req, pending: { resolve, reject, onProgress } });
      this.pump();
    });
  }

  /** A `runOne` for core's bootstrap and surrogate test: `method` with `options` on each series. */
  runner(method: string, options: PoolDiscoverOptions): RunOne {
    return (series) => this.run(method, series, options);
  }

  /** Stops every thread; runs not finished reject with AbortError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const stopped = new AbortError("the method pool was closed");
    for (const w of this.waiting.splice(0)) w.pending.reject(stopped);
    for (const { pending } of this.inFlight.values()) pending.reject(stopped);
    this.inFlight.clear();
    await Promise.all(this.threads.map((t) => t.terminate()));
  }

  private pump(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const worker = this.idle.pop()!;
      const { req, pending } = this.waiting.shift()!;
      const id = this.nextId++;
      this.inFlight.set(id, { worker, pending });
      worker.postMessage({ id, ...req } satisfies RunRequest | StageRequest);
    }
  }

  private settle(worker: Worker, reply: RunReply): void {
    const entry = this.inFlight.get(reply.id);
    if (!entry) return;
    this.inFlight.delete(reply.id);
    this.idle.push(worker);
    if ("graph" in reply) entry.pending.resolve(parseGraphJson(reply.graph));
    else if ("value" in reply) entry.pending.resolve(reply.value);
    else entry.pending.reject(rehydrate(reply.error));
    this.pump();
  }

  private fail(worker: Worker, err: Error): void {
    if (this.closed) return;
    // a dead thread takes no more runs; with none left, nothing waiting can run
    for (const list of [this.idle, this.threads]) if (list.includes(worker)) list.splice(list.indexOf(worker), 1);
    if (this.threads.length === 0) for (const w of this.waiting.splice(0)) w.pending.reject(err);
    for (const [id, entry] of this.inFlight)
      if (entry.worker === worker) {
        this.inFlight.delete(id);
        entry.pending.reject(err);
      }
  }
}

/** An error from a thread as the caller would have seen it in-process (InputError stays one). */
function rehydrate(e: { name: string; message: string }): Error {
  const err = e.name === "InputError" || e.name === "LimitError" ? new InputError(e.message) : e.name === "AbortError" ? new AbortError(e.message) : new Error(e.message);
  if (e.name !== err.name) err.name = e.name;
  return err;
}
