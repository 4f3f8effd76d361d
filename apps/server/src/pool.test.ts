import { fileURLToPath } from "node:url";
import { AbortError, parseGraphJson, parseSeriesCsv, type ProgressEvent } from "@causeway/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobError, PoolShutdownError, WorkerPool } from "./pool.js";
import { plantedCsv } from "./test-helpers.js";
import type { JobOptions, TaskInput } from "./types.js";

const slowModule = fileURLToPath(new URL("./test-slow-method.ts", import.meta.url));
const options: JobOptions = { maxLag: 2, seed: 0, backend: "auto", params: {} };

function input(jobId: string, method: string, params: JobOptions["params"] = {}): TaskInput {
  const series = parseSeriesCsv(plantedCsv(80));
  return { jobId, method, options: { ...options, params }, series };
}

describe("WorkerPool", () => {
  let pool: WorkerPool;
  beforeAll(() => {
    pool = new WorkerPool({ size: 2, methodModules: [slowModule], cancelGraceMs: 500, name: "test" });
  });
  afterAll(async () => {
    await pool?.close();
  });

  it("runs corr in a thread and returns the same graph as in-process", async () => {
    const seen: string[] = [];
    const graph = await pool.run("a", async (worker) => (seen.push(worker), input("a", "corr")));
    const g = parseGraphJson(graph!);
    expect(g.method).toBe("corr");
    // The planted link x0 → x1 at lag 1 is the strongest edge.
    expect(g.edges[0]).toMatchObject({ cause: "x0", effect: "x1", lag: 1 });
    expect(g.edges[0].score).toBeGreaterThan(0.9);
    expect(seen[0]).toMatch(/^test\/thread-[01]$/);
  });

  it("streams progress events from the thread", async () => {
    const events: ProgressEvent[] = [];
    await pool.run("p", async () => input("p", "sleep", { ms: 50, steps: 5, busy: false, fail: false }), { onProgress: (e) => events.push(e) });
    expect(events.map((e) => e.step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(events.at(-1)?.fraction).toBe(1);
  });

  it("reports a method's error with its message", async () => {
    await expect(pool.run("f", async () => input("f", "sleep", { ms: 1, steps: 1, busy: false, fail: true }))).rejects.toThrow(JobError);
    await expect(pool.run("g", async () => input("g", "nope"))).rejects.toThrow(/unknown method "nope"; valid methods: .*corr/);
  });

  it("cancels a waiting job and a running one through the AbortSignal", async () => {
    const long = pool.run("long", async () => input("long", "sleep", { ms: 20_000, steps: 100, busy: false, fail: false }));
    const long2 = pool.run("long2", async () => input("long2", "sleep", { ms: 20_000, steps: 100, busy: false, fail: false }));
    const waiting = pool.run("waiting", async () => input("waiting", "corr"));
    expect(pool.stats()).toEqual({ size: 2, busy: 2, waiting: 1 });
    expect(pool.cancel("waiting")).toBe(true);
    await expect(waiting).rejects.toThrow(AbortError);
    await new Promise((r) => setTimeout(r, 300));
    pool.cancel("long", "stop now");
    // Honoured by the method itself (its own AbortError with the reason), not by stopping the thread after the grace period.
    const err = await long.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain("stop now");
    expect((err as Error).message).not.toMatch(/worker thread was stopped/);
    pool.cancel("long2");
    await expect(long2).rejects.toThrow(AbortError);
    expect(pool.cancel("unknown")).toBe(false);
  });

  it("stops a thread whose method ignores the signal, and keeps working", async () => {
    // A busy method with one step never checks the signal: the thread is terminated after the grace period.
    const stuck = pool.run("stuck", async () => input("stuck", "sleep", { ms: 30_000, steps: 1, busy: true, fail: false }));
    await new Promise((r) => setTimeout(r, 300));
    pool.cancel("stuck");
    await expect(stuck).rejects.toThrow(/worker thread was stopped after 500 ms/);
    const graph = await pool.run("after", async () => input("after", "corr"));
    expect(parseGraphJson(graph!).method).toBe("corr");
  });

  it("resolves null when the loader has nothing to run, and rejects after close", async () => {
    expect(await pool.run("none", async () => null)).toBeNull();
    const other = new WorkerPool({ size: 1, methodModules: [], cancelGraceMs: 100, name: "x" });
    const running = expect(other.run("r", async () => input("r", "corr"))).rejects.toThrow(PoolShutdownError);
    await other.close();
    await running;
    await expect(other.run("r2", async () => null)).rejects.toThrow(PoolShutdownError);
  });
});
