import { parseSeriesCsv } from "@causeway/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHUNK_BYTES, Store } from "./store.js";
import { freshDataDir, plantedCsv, removeDataDirs } from "./test-helpers.js";
import type { JobOptions } from "./types.js";

const options: JobOptions = { maxLag: 2, seed: 0, backend: "auto", params: {} };

describe("Store (embedded PGlite)", () => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    dir = await freshDataDir();
    store = await Store.open({ dataDir: dir });
  });
  afterAll(async () => {
    await store?.close();
    await removeDataDirs();
  });

  it("round-trips a dataset's values bit for bit", async () => {
    const series = parseSeriesCsv(plantedCsv(20));
    const info = await store.insertDataset({ name: "a.csv", format: "csv", bytes: 123, series });
    expect(info).toMatchObject({ name: "a.csv", format: "csv", variables: ["x0", "x1", "x2"], length: 20, bytes: 123 });
    const back = await store.loadSeries(info.id);
    expect(back?.variables).toEqual(series.variables);
    expect(Array.from(back!.data)).toEqual(Array.from(series.data));
    expect(await store.getDataset("00000000-0000-4000-8000-000000000000")).toBeNull();
  });

  it("stores a large dataset in chunks and reads it back bit for bit", async () => {
    // 3 variables x 100 001 rows = 2.4 MB of float64: two full chunks and a partial one; odd values
    // (NaN, -0, subnormals, extremes) must survive too.
    const length = 100_001;
    const data = new Float64Array(length * 3);
    for (let i = 0; i < data.length; i++) data[i] = Math.sin(i) * 10 ** ((i % 600) - 300);
    data.set([Number.NaN, -0, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE], 7);
    expect(data.byteLength).toBeGreaterThan(2 * CHUNK_BYTES);
    const info = await store.insertDataset({ name: "big.csv", format: "csv", bytes: 1, series: { variables: ["a", "b", "c"], length, data } });
    const chunks = await store.sql.query<{ n: number }>("SELECT count(*)::int AS n FROM dataset_chunks WHERE dataset_id = $1", [info.id]);
    expect(chunks[0].n).toBe(3);
    const back = await store.loadSeries(info.id);
    expect(back!.length).toBe(length);
    expect(Buffer.from(back!.data.buffer).equals(Buffer.from(data.buffer))).toBe(true);
  });

  it("moves a job through guarded state changes", async () => {
    const ds = await store.insertDataset({ name: "b", format: "csv", bytes: 1, series: parseSeriesCsv(plantedCsv(10)) });
    const job = await store.insertJob({ datasetId: ds.id, method: "corr", options, client: "test" });
    expect(job).toMatchObject({ state: "queued", attempts: 0, options, progress: { fraction: 0 } });
    expect(await store.jobIds(["queued"])).toContain(job.id);

    const running = await store.claimJob(job.id, "thread-1");
    expect(running).toMatchObject({ state: "running", attempts: 1, worker: "thread-1" });
    expect(await store.claimJob(job.id, "thread-2")).toBeNull(); // only queued jobs can be claimed

    await store.setProgress(job.id, { method: "corr", stage: "fit", fraction: 0.5, step: 1, total: 2 });
    expect((await store.getJob(job.id))?.progress).toMatchObject({ fraction: 0.5, stage: "fit", step: 1, total: 2 });

    const done = await store.succeedJob(job.id, '{"format":"causeway.graph/v1"}');
    expect(done).toMatchObject({ state: "succeeded", progress: { fraction: 1 } });
    expect(await store.getGraph(job.id)).toBe('{"format":"causeway.graph/v1"}');
    // A late cancel or failure does not change an ended job, nor does a second result.
    expect(await store.endJob(job.id, "cancelled", "late")).toBeNull();
    expect(await store.succeedJob(job.id, "other")).toBeNull();
    expect(await store.getGraph(job.id)).toBe('{"format":"causeway.graph/v1"}');
  });

  it("fails running jobs on crash recovery and leaves queued ones", async () => {
    const ds = await store.insertDataset({ name: "c", format: "csv", bytes: 1, series: parseSeriesCsv(plantedCsv(10)) });
    const a = await store.insertJob({ datasetId: ds.id, method: "corr", options, client: "test" });
    const b = await store.insertJob({ datasetId: ds.id, method: "corr", options, client: "test" });
    await store.claimJob(a.id, "thread-1");
    expect(await store.runningJobs()).toEqual([{ id: a.id, worker: "thread-1" }]);
    const failed = await store.failRunningJobs([a.id, b.id], "crashed");
    expect(failed).toEqual([a.id]);
    expect(await store.getJob(a.id)).toMatchObject({ state: "failed", error: "crashed" });
    expect((await store.getJob(b.id))?.state).toBe("queued");
    const counts = await store.counts();
    expect(counts.failed).toBeGreaterThanOrEqual(1);
    expect(counts.queued).toBeGreaterThanOrEqual(1);
  });
});
