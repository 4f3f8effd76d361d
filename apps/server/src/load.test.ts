// Load test (loopback only, bounded): 200 small jobs from 20 concurrent clients; none lost, all finish,
// every graph intact.
import { corrMethod, graphToJson, parseSeriesCsv } from "@causeway/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "./env.js";
import { startServer, type RunningServer } from "./server.js";
import { freshDataDir, http, plantedCsv, readSse, removeDataDirs } from "./test-helpers.js";

const CLIENTS = 20;
const JOBS_PER_CLIENT = 10;

describe("load", () => {
  let server: RunningServer;
  beforeAll(async () => {
    const dataDir = await freshDataDir();
    server = await startServer(readConfig({ host: "127.0.0.1", port: 0, dataDir, workers: 2, logLevel: "silent", jobBurst: 1000, jobRate: 1000 }, {}));
  });
  afterAll(async () => {
    await server?.close();
    await removeDataDirs();
  });

  it(`runs ${CLIENTS * JOBS_PER_CLIENT} jobs from ${CLIENTS} concurrent clients, none lost`, async () => {
    const base = server.url;
    const csv = plantedCsv(200);
    const ds = (await http(base, "POST", "/v1/datasets?name=load.csv", { text: csv })).body;
    const reference = JSON.parse(graphToJson(await corrMethod.discover(parseSeriesCsv(csv), { maxLag: 3 })));
    const t0 = performance.now();

    // Each client submits its jobs one after another, then follows each over SSE to its end.
    const client = async (c: number) => {
      const ids: string[] = [];
      for (let j = 0; j < JOBS_PER_CLIENT; j++) {
        const r = await http(base, "POST", "/v1/jobs", { json: { dataset: ds.id, method: "corr", maxLag: 3, seed: c * 100 + j } });
        expect(r.status).toBe(202);
        ids.push(r.body.id);
      }
      const finals: string[] = [];
      for (const id of ids) {
        const events = await readSse(`${base}/v1/jobs/${id}/events`, { timeoutMs: 60_000 });
        finals.push(events.at(-1)!.data.state);
      }
      return { ids, finals };
    };
    // Prints the queue when the run is slow (a shared CI machine), to tell slow from stuck.
    const watchdog = setInterval(() => {
      void server.store.counts().then((c) => console.log("watchdog", JSON.stringify(c), JSON.stringify(server.dispatcher.stats())));
    }, 5000);
    const results = await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(watchdog);

    const ids = results.flatMap((r) => r.ids);
    expect(new Set(ids).size).toBe(CLIENTS * JOBS_PER_CLIENT);
    expect(results.flatMap((r) => r.finals).every((s) => s === "succeeded")).toBe(true);
    const health = (await http(base, "GET", "/healthz")).body;
    expect(health.dispatcher).toMatchObject({ busy: 0, waiting: 0 });
    // Every result is stored whole: the graph of each job equals the in-process one (seed aside).
    for (const id of ids) {
      const g = (await http(base, "GET", `/v1/jobs/${id}/graph`)).body;
      expect(g.scores).toEqual(reference.scores);
      expect(g.edges).toEqual(reference.edges);
    }
    const counts = await server.store.counts();
    expect(counts).toMatchObject({ queued: 0, running: 0, succeeded: CLIENTS * JOBS_PER_CLIENT });
    console.log(`load: ${ids.length} jobs from ${CLIENTS} clients in ${seconds.toFixed(1)} s (${(ids.length / seconds).toFixed(0)} jobs/s, submit to last result)`);
  }, 120_000);
});
