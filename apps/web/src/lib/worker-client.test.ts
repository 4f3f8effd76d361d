// @vitest-environment happy-dom
import { AbortError, buildGraph, createScores, registerMethod, throwIfAborted, validateDiscoverInput, type Discoverer, type ProgressEvent } from "@causeway/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { InProcessWorker } from "../test/fake-worker.js";
import type { FromWorker, ToWorker } from "../worker/protocol.js";
import { CancelledError, LocalRunner } from "./worker-client.js";

/** A test method: `steps` steps of 5 ms, progress each step; honours its signal unless `deaf`. */
const stepsMethod: Discoverer = {
  name: "test-steps",
  description: "test-only",
  usesTensors: false,
  lagResolved: true,
  defaultThreshold: 0.5,
  params: [
    { name: "steps", type: "integer", default: 4, description: "steps" },
    { name: "deaf", type: "boolean", default: false, description: "ignore the signal" },
  ],
  async discover(series, options) {
    validateDiscoverInput(series, options);
    const steps = Number(options.params?.steps ?? 4);
    for (let i = 0; i < steps; i++) {
      options.onProgress?.({ method: "test-steps", stage: "step", fraction: i / steps, step: i, total: steps });
      if (!options.params?.deaf) throwIfAborted(options.signal);
      await new Promise((r) => setTimeout(r, 5));
    }
    if (options.signal?.aborted && !options.params?.deaf) throw new AbortError("late");
    const scores = createScores(series.variables.length, options.maxLag);
    scores.data[1] = 0.75;
    return buildGraph({ method: "test-steps", variables: series.variables, scores, threshold: 0.5, meta: { backend: "none", seconds: 0, seed: options.seed ?? 0, params: {} } });
  },
};
registerMethod(stepsMethod);

const series = { variables: ["u", "v"], length: 6, data: Float64Array.from([1, 2, 3, 1, 2, 5, 4, 4, 6, 2, 3, 9]) };
const request = (params: Record<string, unknown> = {}) => ({ series, method: "test-steps", backend: "cpu" as const, maxLag: 1, seed: 0, params });

afterEach(() => vi.useRealTimers());

describe("LocalRunner", () => {
  it("describes the worker's methods and backends", async () => {
    const runner = new LocalRunner(() => new InProcessWorker().asWorker());
    const { methods, backends } = await runner.describe();
    expect(methods.map((m) => m.name)).toContain("test-steps");
    expect(backends.find((b) => b.name === "cpu")?.available).toBe(true);
    runner.dispose();
  });

  it("runs a method in the worker with progress and returns its graph", async () => {
    const runner = new LocalRunner(() => new InProcessWorker().asWorker());
    const events: ProgressEvent[] = [];
    const graph = await runner.run(request({ steps: 3 }), (e) => events.push(e)).result;
    expect(events.map((e) => e.step)).toEqual([0, 1, 2]);
    expect(graph.scores[0][1]).toEqual([0.75]);
    expect(graph.edges).toEqual([{ cause: "v", effect: "u", lag: 1, score: 0.75 }]);
    runner.dispose();
  });

  it("rejects with the method's error message", async () => {
    const runner = new LocalRunner(() => new InProcessWorker().asWorker());
    await expect(runner.run({ ...request(), maxLag: 9 }, () => undefined).result).rejects.toThrow(/at least maxLag \+ 2 = 11/);
    await expect(runner.run({ ...request(), method: "nope" }, () => undefined).result).rejects.toThrow(/unknown method "nope"/);
    runner.dispose();
  });

  it("a failed WebGPU run gets the next run a fresh worker (its GPU device may be lost); other failures keep it", async () => {
    const workers: InProcessWorker[] = [];
    const runner = new LocalRunner(() => (workers.push(new InProcessWorker()), workers.at(-1)!.asWorker()));
    const webgpu = { ...request(), backend: "webgpu" as const };
    await runner.run(webgpu, () => undefined).result;
    await expect(runner.run({ ...webgpu, maxLag: 9 }, () => undefined).result).rejects.toThrow(/maxLag/);
    expect(workers[0].terminated).toBe(true);
    await runner.run(webgpu, () => undefined).result;
    expect(workers).toHaveLength(2);
    await expect(runner.run({ ...request(), maxLag: 9 }, () => undefined).result).rejects.toThrow(/maxLag/);
    await runner.run(request(), () => undefined).result;
    expect(workers).toHaveLength(3); // one more for the switch to cpu, none for the cpu failure
    runner.dispose();
  });

  it("a run on another backend than the last gets a fresh worker (no tensors cross backends)", async () => {
    const workers: InProcessWorker[] = [];
    const runner = new LocalRunner(() => (workers.push(new InProcessWorker()), workers.at(-1)!.asWorker()));
    await runner.run(request(), () => undefined).result;
    await runner.run(request(), () => undefined).result;
    expect(workers).toHaveLength(1);
    await runner.run({ ...request(), backend: "wasm" }, () => undefined).result;
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    await runner.run({ ...request(), backend: "wasm" }, () => undefined).result;
    expect(workers).toHaveLength(2);
    runner.dispose();
  });

  it("cancel: the method stops at its next check and the run rejects as cancelled", async () => {
    const workers: InProcessWorker[] = [];
    const runner = new LocalRunner(() => (workers.push(new InProcessWorker()), workers.at(-1)!.asWorker()));
    const handle = runner.run(request({ steps: 1000 }), (e) => {
      if (e.step === 2) handle.cancel();
    });
    await expect(handle.result).rejects.toBeInstanceOf(CancelledError);
    expect(workers).toHaveLength(1);
    expect(workers[0].terminated).toBe(false);
    expect(workers[0].received.map((m) => m.type)).toEqual(["run", "cancel"]);
    runner.dispose();
  });

  it("a method that ignores its signal has its worker stopped after the grace period, and the next run gets a fresh one", async () => {
    vi.useFakeTimers();
    // A worker that never answers a run (a method stuck in a long computation).
    class Stuck {
      onmessage: ((e: MessageEvent<FromWorker>) => void) | null = null;
      onerror = null;
      terminated = false;
      posted: ToWorker[] = [];
      postMessage(m: ToWorker) {
        this.posted.push(m);
      }
      terminate() {
        this.terminated = true;
      }
    }
    const made: Stuck[] = [];
    const runner = new LocalRunner(() => (made.push(new Stuck()), made.at(-1) as unknown as Worker));
    const handle = runner.run(request(), () => undefined);
    const settled = handle.result.catch((e: Error) => e);
    handle.cancel();
    await vi.advanceTimersByTimeAsync(1999);
    expect(made[0].terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    const error = await settled;
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toMatch(/ignored its signal for 2 s/);
    expect(made[0].terminated).toBe(true);
    const next = runner.run(request(), () => undefined).result.catch((e: Error) => e);
    expect(made).toHaveLength(2);
    expect(made[1].posted.map((m) => m.type)).toEqual(["run"]);
    runner.dispose();
    expect(await next).toBeInstanceOf(CancelledError);
  });
});
