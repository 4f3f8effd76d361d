// Scale-out integration: a real redis-server on a random loopback port, the API in this process
// with CAUSEWAY_REDIS_URL, and two `causeway worker` processes taking the jobs.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { connect, createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { getMethod, parseSeriesCsv, Rng } from "@causeway/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig, type ServerConfig } from "./env.js";
import { stageQueueName } from "./stage-queue.js";
import { startServer, type RunningServer } from "./server.js";
import { freshDataDir, http, plantedCsv, readSse, removeDataDirs, spawnMain, waitFor, type ChildProcessServer } from "./test-helpers.js";

const slowModule = fileURLToPath(new URL("./test-slow-method.ts", import.meta.url));
const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
const missing = probe.error ? "redis-server is not installed (Debian: apt-get install redis-server; CI: .ci/setup-redis.sh)" : "";
if (missing) console.warn(`redis integration test skipped: ${missing}`);

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** True once a Redis server answers PING on the port; undefined until then. */
function ping(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const done = (v: true | undefined) => (socket.destroy(), resolve(v));
    socket.on("error", () => done(undefined));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (d) => done(d.toString().startsWith("+PONG") ? true : undefined));
  });
}

describe.skipIf(Boolean(missing))("BullMQ on Redis with two worker processes", () => {
  let redis: ChildProcess;
  let redisUrl: string;
  let server: RunningServer;
  let config: ServerConfig;
  const workers: ChildProcessServer[] = [];
  let datasetId: string;

  beforeAll(async () => {
    const port = await freePort();
    redisUrl = `redis://127.0.0.1:${port}`;
    redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    await waitFor(() => ping(port), "redis-server to answer PING", 10_000, 100);

    const env = { CAUSEWAY_METHOD_MODULES: slowModule, CAUSEWAY_LOG_LEVEL: "silent" };
    // Two worker processes (one thread each) and the API node start side by side.
    const started = Promise.all([spawnMain(["worker", "--redis", redisUrl, "--workers", "1"], env), spawnMain(["worker", "--redis", redisUrl, "--workers", "1"], env)]);
    config = readConfig({ host: "127.0.0.1", port: 0, dataDir: await freshDataDir(), redisUrl, logLevel: "silent", methodModules: [slowModule], jobBurst: 1000, jobRate: 1000 }, {});
    server = await startServer(config);
    workers.push(...(await started));
    datasetId = (await http(server.url, "POST", "/v1/datasets", { text: plantedCsv(60) })).body.id;
  });

  afterAll(async () => {
    await server?.close();
    for (const w of workers) w.child.kill("SIGTERM");
    const codes = await Promise.all(workers.map((w) => w.exited));
    redis?.kill("SIGTERM");
    await removeDataDirs();
    expect(codes).toEqual([0, 0]);
  });

  const submit = (method: string, params: Record<string, unknown> = {}) =>
    http(server.url, "POST", "/v1/jobs", { json: { dataset: datasetId, method, maxLag: 2, params } }).then((r) => r.body);

  it("spreads jobs over both workers, streams progress and stores every result", async () => {
    expect((await http(server.url, "GET", "/healthz")).body).toMatchObject({ queue: "redis" });
    const jobs = [];
    for (let i = 0; i < 6; i++) jobs.push(await submit("sleep", { ms: 300, steps: 3 }));
    for (let i = 0; i < 6; i++) jobs.push(await submit("corr"));
    const finals = await Promise.all(jobs.map(async (j) => (await readSse(`${server.url}/v1/jobs/${j.id}/events`, { timeoutMs: 60_000 })).at(-1)!.data));
    expect(finals.map((f) => f.state)).toEqual(jobs.map(() => "succeeded"));
    // Each worker process ran some: their names are host:pid/thread-0.
    const names = new Set(finals.map((f) => f.worker.split("/")[0]));
    expect([...names].map((n) => Number(n.split(":").at(-1))).sort()).toEqual(workers.map((w) => w.child.pid).sort());
    for (const j of jobs) {
      const g = (await http(server.url, "GET", `/v1/jobs/${j.id}/graph`)).body;
      expect(g.format).toBe("causeway.graph/v1");
      expect(g.method).toBe(j.method);
    }
    // The progress reached the API node through the queue's events.
    const followed = await submit("sleep", { ms: 600, steps: 3 });
    const events = await readSse(`${server.url}/v1/jobs/${followed.id}/events`, { timeoutMs: 30_000 });
    expect(events.filter((e) => e.event === "progress").length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)?.data).toMatchObject({ state: "succeeded", progress: { fraction: 1 } });
  });

  it("cancels a running job inside its worker process and a waiting one in the queue", async () => {
    const a = await submit("sleep", { ms: 60_000, steps: 600 });
    const b = await submit("sleep", { ms: 60_000, steps: 600 });
    const waiting = await submit("sleep", { ms: 10, steps: 1 });
    for (const j of [a, b])
      await waitFor(async () => ((await http(server.url, "GET", `/v1/jobs/${j.id}`)).body.state === "running" ? true : undefined), "both workers busy");
    expect((await http(server.url, "DELETE", `/v1/jobs/${waiting.id}`)).body.state).toBe("cancelled");
    for (const j of [a, b]) expect((await http(server.url, "DELETE", `/v1/jobs/${j.id}`)).body).toMatchObject({ state: "cancelled", error: "cancelled by request" });

    // The queue agrees: the running ones were aborted by their workers, the waiting one removed.
    const queue = new Queue(config.queueName, { connection: { url: redisUrl } });
    try {
      for (const j of [a, b]) {
        const entry = await waitFor(async () => {
          const e = await queue.getJob(j.id);
          // Read the entry again once it is failed: the first read may predate the move to failed
          // (then its failedReason is still undefined), which made this test flaky under load.
          return e && (await e.getState()) === "failed" ? await queue.getJob(j.id) : undefined;
        }, "the worker to abort the job");
        expect(entry.failedReason).toBe("[cancelled] cancelled by request");
      }
      expect(await queue.getJob(waiting.id)).toBeUndefined();
    } finally {
      await queue.close();
    }
    // Both workers are free again.
    const next = await Promise.all([submit("corr"), submit("corr")]);
    for (const j of next) expect((await readSse(`${server.url}/v1/jobs/${j.id}/events`, { timeoutMs: 30_000 })).at(-1)?.data.state).toBe("succeeded");
    expect((await http(server.url, "GET", `/v1/jobs/${waiting.id}`)).body.attempts).toBe(0);
  });

  it("splits a distribute: true pcmci job over both worker processes: the graph equals the local one", async () => {
    // 12 variables, a chain x_{i-1} -> x_i at lag 1 or 2 plus AR(1) terms
    const rng = new Rng(9);
    const V = 12;
    const rows: number[][] = [];
    for (let t = 0; t < 1500; t++)
      rows.push(Array.from({ length: V }, (_, i) => (t > 1 ? 0.4 * rows[t - 1][i] + (i > 0 ? 0.5 * rows[t - 1 - (i % 2)][i - 1] : 0) : 0) + rng.normal()));
    const text = [Array.from({ length: V }, (_, i) => `v${i}`).join(","), ...rows.map((r) => r.join(","))].join("\n") + "\n";
    const dataset = (await http(server.url, "POST", "/v1/datasets", { text })).body.id;
    const request = { dataset, method: "pcmci", maxLag: 2, params: { tauMin: 0 } };
    const job = (await http(server.url, "POST", "/v1/jobs", { json: { ...request, distribute: true } })).body;
    const final = (await readSse(`${server.url}/v1/jobs/${job.id}/events`, { timeoutMs: 120_000 })).at(-1)!.data;
    expect(final.state, final.error).toBe("succeeded");
    const graph = (await http(server.url, "GET", `/v1/jobs/${job.id}/graph`)).body;
    // both worker processes ran stage parts (8 per phase: the correlation matrix, PC1, MCI)
    expect(graph.meta.distributed.parts).toBe(24);
    expect(graph.meta.distributed.workers.map((w: string) => Number(w.split(":").at(-1))).sort()).toEqual(workers.map((w) => w.child.pid).sort());
    const local = await getMethod("pcmci").discover(parseSeriesCsv(text), { maxLag: 2, params: { tauMin: 0 } });
    expect(graph.pvalues).toEqual(local.pvalues);
    expect(graph.edges).toEqual(JSON.parse(JSON.stringify(local.edges)));
    expect(graph.meta.parents).toEqual(local.meta.parents);
    expect(local.edges.length).toBeGreaterThan(V); // a real result: the chain and the AR terms
    // the series went to Redis once for all 24 parts (they carry its key), and is gone with the job
    const stageQueue = new Queue(stageQueueName(config.queueName), { connection: { url: redisUrl } });
    const kv = new Redis(redisUrl);
    try {
      const parts = (await stageQueue.getCompleted()).filter((j) => j.name.startsWith(`${job.id}:`));
      expect(parts.length).toBe(24);
      expect(new Set(parts.map((j) => j.data.seriesKey))).toEqual(new Set([`${stageQueueName(config.queueName)}:series:${job.id}:0`]));
      expect(await kv.exists(parts[0].data.seriesKey)).toBe(0);
    } finally {
      await stageQueue.close();
      kv.disconnect();
    }

    // no stages, no distribution: a 400 that names the methods that have them
    const refused = await http(server.url, "POST", "/v1/jobs", { json: { dataset, method: "corr", maxLag: 2, distribute: true } });
    expect(refused.status).toBe(400);
    expect(refused.body.message ?? refused.body.error).toMatch(/pcmci, pcmciplus/);
    // the transformer's stages (ensemble members) need a tensor backend: they stay on the job's threads
    const tensor = await http(server.url, "POST", "/v1/jobs", { json: { dataset, method: "transformer", maxLag: 2, params: { ensemble: 2 }, distribute: true } });
    expect(tensor.status).toBe(400);
    expect(tensor.body.message ?? tensor.body.error).toMatch(/need a tensor backend.*distribute applies to pcmci, pcmciplus$/);
  });
});
