import type { CausalGraph, ProgressEvent } from "@causeway/core";
import type { FromWorker, MethodInfo, RunRequest, ToWorker } from "../worker/protocol.js";
import type { BackendStatus } from "@causeway/core";

/** How long a cancelled run may ignore its AbortSignal before the worker is terminated. */
const CANCEL_GRACE_MS = 2000;

/** Raised when a run was cancelled. */
export class CancelledError extends Error {
  override name = "CancelledError";
}

export interface RunHandle {
  result: Promise<CausalGraph>;
  cancel(): void;
}

interface Pending {
  /** The backend the run asked for. */
  backend: string;
  resolve(graph: CausalGraph): void;
  reject(error: Error): void;
  onProgress(event: ProgressEvent): void;
}

/**
 * Runs discovery in a Web Worker (`discover.worker.ts`). One worker serves every run; a run that
 * ignores its cancel for `CANCEL_GRACE_MS` gets the worker terminated and a fresh one started.
 */
export class LocalRunner {
  private worker: Worker | null = null;
  /** The backend of the current worker's last run. */
  private lastBackend: string | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private describeWaiters: ((d: { methods: MethodInfo[]; backends: BackendStatus[] }) => void)[] = [];

  constructor(private readonly create: () => Worker) {}

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = this.create();
    w.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    w.onerror = (e) => this.failAll(new Error(`discovery worker failed: ${e.message || "script error"}`));
    this.worker = w;
    return w;
  }

  private post(msg: ToWorker): void {
    this.ensure().postMessage(msg);
  }

  private receive(msg: FromWorker): void {
    if (msg.type === "described") {
      for (const w of this.describeWaiters.splice(0)) w(msg);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === "progress") p.onProgress(msg.event);
    else {
      this.pending.delete(msg.id);
      if (msg.type === "result") p.resolve(msg.graph);
      else {
        p.reject(msg.aborted ? new CancelledError(msg.message) : new Error(msg.message));
        // A failed WebGPU run can leave the worker's GPU device unusable (seen on SwiftShader):
        // the next run gets a fresh worker, and with it a fresh device.
        if (!msg.aborted && p.backend === "webgpu" && this.pending.size === 0) this.restart();
      }
    }
  }

  /** Stop the worker; the next request starts a new one. */
  private restart(): void {
    this.worker?.terminate();
    this.worker = null;
    this.lastBackend = null;
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    this.worker?.terminate();
    this.worker = null;
  }

  /** Methods registered in the worker and the backends it can use, with reasons. */
  describe(): Promise<{ methods: MethodInfo[]; backends: BackendStatus[] }> {
    return new Promise((resolve) => {
      this.describeWaiters.push(resolve);
      this.post({ type: "describe" });
    });
  }

  run(request: RunRequest, onProgress: (event: ProgressEvent) => void): RunHandle {
    // A new backend gets a new worker: tensors a method keeps between runs (lcm caches its model)
    // must not cross backends (weights moved from webgpu to wasm were read back as zeros).
    if (this.lastBackend !== null && this.lastBackend !== request.backend && this.pending.size === 0) this.restart();
    this.lastBackend = request.backend;
    const id = this.nextId++;
    const result = new Promise<CausalGraph>((resolve, reject) => this.pending.set(id, { backend: request.backend, resolve, reject, onProgress }));
    this.post({ type: "run", id, ...request });
    const cancel = () => {
      if (!this.pending.has(id)) return;
      this.post({ type: "cancel", id });
      setTimeout(() => {
        const p = this.pending.get(id);
        if (!p) return;
        // The method ignored its signal: stop the thread.
        this.pending.delete(id);
        p.reject(new CancelledError(`cancelled (the method ignored its signal for ${CANCEL_GRACE_MS / 1000} s, so its worker was stopped)`));
        this.failAll(new CancelledError("worker restarted"));
      }, CANCEL_GRACE_MS);
    };
    return { result, cancel };
  }

  dispose(): void {
    this.failAll(new CancelledError("viewer closed"));
  }
}
