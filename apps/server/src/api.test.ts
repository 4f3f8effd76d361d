// Real HTTP against a started server (127.0.0.1, port 0): uploads, jobs, SSE, graphs, cancel,
// validation, auth, rate limit, and results surviving a restart.
import { fileURLToPath } from "node:url";
import { corrMethod, parseGraphJson, parseSeriesCsv } from "@causeway/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig, type ServerConfig } from "./env.js";
import { startServer, type RunningServer } from "./server.js";
import { freshDataDir, http, plantedCsv, readSse, removeDataDirs, waitFor, type SseEvent } from "./test-helpers.js";

const slowModule = fileURLToPath(new URL("./test-slow-method.ts", import.meta.url));

function testConfig(dataDir: string, over: Partial<ServerConfig> = {}): ServerConfig {
  return readConfig(
    { host: "127.0.0.1", port: 0, dataDir, workers: 2, logLevel: "silent", methodModules: [slowModule], jobBurst: 1000, jobRate: 1000, cancelGraceMs: 1000, ...over },
    {},
  );
}

afterAll(removeDataDirs);

describe("server API (embedded store, worker threads)", () => {
  let server: RunningServer;
  let base: string;
  let dataDir: string;
  const csv = plantedCsv(120);
  let datasetId: string;
  let corrJobId: string;

  beforeAll(async () => {
    dataDir = await freshDataDir();
    server = await startServer(testConfig(dataDir, { maxUploadBytes: 64 * 1024 }));
    base = server.url;
  });
  afterAll(async () => {
    await server?.close();
  });

  const submit = (body: Record<string, unknown>) => http(base, "POST", "/v1/jobs", { json: body });
  const sleepJob = (params: Record<string, unknown>) => submit({ dataset: datasetId, method: "sleep", maxLag: 1, params });

  it("answers /healthz and serves an OpenAPI 3.1 document listing every route", async () => {
    const health = await http(base, "GET", "/healthz");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "ok", store: "pglite", queue: "local", dispatcher: { workers: 2 } });
    const doc = (await http(base, "GET", "/openapi.json")).body;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(
      ["/healthz", "/v1/backends", "/v1/datasets", "/v1/datasets/{id}", "/v1/jobs", "/v1/jobs/{id}", "/v1/jobs/{id}/events", "/v1/jobs/{id}/graph", "/v1/methods"].sort(),
    );
    expect(Object.keys(doc.paths["/v1/jobs/{id}"]).sort()).toEqual(["delete", "get"]);
    expect(doc.paths["/v1/jobs"].post.requestBody.content["application/json"].schema.required).toEqual(["dataset", "method"]);
    expect(Object.keys(doc.paths["/v1/datasets"].post.requestBody.content).sort()).toEqual(["application/json", "text/csv", "text/plain"]);
  });

  it("lists methods (with parameters) and backends", async () => {
    const methods = await http(base, "GET", "/v1/methods");
    expect(methods.status).toBe(200);
    const names = methods.body.map((m: { name: string }) => m.name);
    expect(names).toContain("corr");
    expect(names).toContain("sleep");
    expect(methods.body.find((m: { name: string }) => m.name === "corr").supports).toEqual({ segments: true, mask: true });
    expect(methods.body.find((m: { name: string }) => m.name === "sleep").params.map((p: { name: string }) => p.name)).toEqual(["ms", "steps", "busy", "fail"]);
    const backends = await http(base, "GET", "/v1/backends");
    expect(backends.status).toBe(200);
    expect(backends.body.find((b: { name: string }) => b.name === "cpu")).toMatchObject({ available: true });
    // the server imports the backend packages: wasm is registered (not "not installed or not imported")
    expect(backends.body.find((b: { name: string }) => b.name === "wasm")).toMatchObject({ available: true });
  });

  it("uploads CSV and JSON datasets", async () => {
    const up = await http(base, "POST", "/v1/datasets?name=planted.csv", { text: csv });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ name: "planted.csv", format: "csv", variables: ["x0", "x1", "x2"], length: 120, bytes: Buffer.byteLength(csv) });
    expect(up.headers.get("location")).toBe(`/v1/datasets/${up.body.id}`);
    datasetId = up.body.id;
    expect((await http(base, "GET", `/v1/datasets/${datasetId}`)).body).toEqual(up.body);

    const json = JSON.stringify({ variables: ["a", "b"], data: [[1, 2], [2, 1], [3, 5], [4, 4]] });
    const upJson = await http(base, "POST", "/v1/datasets?name=small.json", { text: json, type: "application/json" });
    expect(upJson.status).toBe(201);
    expect(upJson.body).toMatchObject({ format: "json", variables: ["a", "b"], length: 4 });
  });

  it("runs a corr job, streams its progress over SSE and serves the same graph as the method in-process", async () => {
    const sub = await submit({ dataset: datasetId, method: "corr", maxLag: 2 });
    expect(sub.status).toBe(202);
    expect(sub.body).toMatchObject({ method: "corr", dataset: datasetId, options: { maxLag: 2, seed: 0, backend: "auto", params: {} } });
    expect(["queued", "running", "succeeded"]).toContain(sub.body.state);
    corrJobId = sub.body.id;
    const events = await readSse(`${base}/v1/jobs/${corrJobId}/events`);
    const last = events.at(-1)!;
    expect(last.event).toBe("state");
    expect(last.data).toMatchObject({ id: corrJobId, state: "succeeded", progress: { fraction: 1 }, error: null, attempts: 1 });
    expect(last.data.timings.runSeconds).toBeGreaterThanOrEqual(0);
    expect(last.data.worker).toMatch(/\/thread-[01]$/);

    const res = await http(base, "GET", `/v1/jobs/${corrJobId}/graph`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const graph = parseGraphJson(JSON.stringify(res.body));
    expect(graph.format).toBe("causeway.graph/v1");
    const local = await corrMethod.discover(parseSeriesCsv(csv), { maxLag: 2 });
    expect(graph.scores).toEqual(local.scores);
    expect(graph.edges[0]).toMatchObject({ cause: "x0", effect: "x1", lag: 1 });
  });

  it("follows a longer job's progress events in order", async () => {
    const sub = await sleepJob({ ms: 400, steps: 4 });
    const events = await readSse(`${base}/v1/jobs/${sub.body.id}/events`);
    const progress = events.filter((e) => e.event === "progress").map((e) => e.data);
    // The stream may join after step 0; from then on every step arrives, in order.
    const steps = progress.map((p) => p.step);
    expect(steps.length).toBeGreaterThanOrEqual(4);
    expect(steps).toEqual([0, 1, 2, 3, 4].slice(5 - steps.length));
    expect(progress.map((p) => p.fraction)).toEqual([0, 0.25, 0.5, 0.75, 1].slice(5 - steps.length));
    expect(events[0]).toMatchObject({ event: "state" });
    expect(events.at(-1)?.data.state).toBe("succeeded");
  });

  it("cancels a running job through its AbortSignal, and the worker takes the next job", async () => {
    const sub = await sleepJob({ ms: 60_000, steps: 600 });
    const id = sub.body.id;
    const seen: SseEvent[] = [];
    let cancelled: Promise<{ status: number; body: { state: string } }> | undefined;
    const events = await readSse(`${base}/v1/jobs/${id}/events`, {
      onEvent: (e) => {
        seen.push(e);
        if (e.event === "progress" && !cancelled) cancelled = http(base, "DELETE", `/v1/jobs/${id}`);
      },
    });
    const del = await cancelled!;
    expect(del.status).toBe(200);
    expect(del.body.state).toBe("cancelled");
    expect(events.at(-1)?.data).toMatchObject({ state: "cancelled", error: "cancelled by request" });
    expect((await http(base, "GET", `/v1/jobs/${id}/graph`)).status).toBe(409);
    // Cancelling again is harmless; cancelling a finished job is a conflict.
    expect((await http(base, "DELETE", `/v1/jobs/${id}`)).status).toBe(200);
    const done = await http(base, "DELETE", `/v1/jobs/${corrJobId}`);
    expect(done.status).toBe(409);
    expect(done.body.message).toMatch(/already succeeded/);
    // The pool is free again.
    const next = await submit({ dataset: datasetId, method: "corr", maxLag: 1 });
    const after = await waitFor(async () => {
      const j = (await http(base, "GET", `/v1/jobs/${next.body.id}`)).body;
      return j.state === "succeeded" ? j : undefined;
    }, "the next job");
    expect(after.state).toBe("succeeded");
  });

  it("cancels a queued job before it starts, and stops a job that ignores its signal", async () => {
    // Two busy single-step jobs fill both threads and never look at their signal.
    const a = await sleepJob({ ms: 30_000, steps: 1, busy: true });
    const b = await sleepJob({ ms: 30_000, steps: 1, busy: true });
    const queued = await sleepJob({ ms: 10 });
    await waitFor(async () => ((await http(base, "GET", `/v1/jobs/${b.body.id}`)).body.state === "running" ? true : undefined), "b running");
    const q = await http(base, "DELETE", `/v1/jobs/${queued.body.id}`);
    expect(q.body).toMatchObject({ state: "cancelled", attempts: 0, startedAt: null });
    // While both threads spin, the API answers: /healthz comes back while both jobs are still running.
    expect((await http(base, "GET", "/healthz")).status).toBe(200);
    for (const j of [a, b]) expect((await http(base, "GET", `/v1/jobs/${j.body.id}`)).body.state).toBe("running");
    for (const j of [a, b]) expect((await http(base, "DELETE", `/v1/jobs/${j.body.id}`)).body.state).toBe("cancelled");
    // After the grace period the threads are replaced and work again.
    const next = await submit({ dataset: datasetId, method: "corr", maxLag: 1 });
    await waitFor(async () => ((await http(base, "GET", `/v1/jobs/${next.body.id}`)).body.state === "succeeded" ? true : undefined), "a job after the stuck ones");
    expect((await http(base, "GET", `/v1/jobs/${queued.body.id}`)).body.attempts).toBe(0);
  });

  it("records a method's failure with its message", async () => {
    const sub = await sleepJob({ ms: 10, steps: 1, fail: true });
    const events = await readSse(`${base}/v1/jobs/${sub.body.id}/events`);
    expect(events.at(-1)?.data).toMatchObject({ state: "failed", error: "sleep: failing as asked" });
    const graph = await http(base, "GET", `/v1/jobs/${sub.body.id}/graph`);
    expect(graph.status).toBe(409);
    expect(graph.body.message).toMatch(/is failed \(sleep: failing as asked\): no graph/);
  });

  it("rejects bad input with 4xx and a message that says what to fix", async () => {
    const badCsv = await http(base, "POST", "/v1/datasets?name=bad.csv", { text: "a,b\n1,2\n3,oops\n5,6\n" });
    expect(badCsv.status).toBe(400);
    expect(badCsv.body.message).toMatch(/^bad\.csv: .*line 3.*"b".*"oops" is not a number/);
    const ragged = await http(base, "POST", "/v1/datasets?name=r.json", { text: '{"variables":["a","b"],"data":[[1,2],[3]]}', type: "application/json" });
    expect(ragged.status).toBe(400);
    expect(ragged.body.message).toMatch(/^r\.json: data\[1\] \(row 2\).*ragged/);
    const notJson = await http(base, "POST", "/v1/datasets", { text: "{nope", type: "application/json" });
    expect(notJson.status).toBe(400);
    const xml = await http(base, "POST", "/v1/datasets", { text: "<a/>", type: "application/xml" });
    expect(xml.status).toBe(415);
    const big = await http(base, "POST", "/v1/datasets?name=big.csv", { text: plantedCsv(3000) });
    expect(big.status).toBe(413);
    expect(big.body.message).toMatch(/larger than the limit of 65536 bytes/);
    const badQuery = await http(base, "POST", "/v1/datasets?impute=zero", { text: csv });
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.message).toMatch(/impute/);

    const unknownMethod = await submit({ dataset: datasetId, method: "nope" });
    expect(unknownMethod.status).toBe(400);
    expect(unknownMethod.body.message).toMatch(/unknown method "nope"; valid methods: .*corr.*sleep/);
    const badParam = await submit({ dataset: datasetId, method: "sleep", params: { ms: -5 } });
    expect(badParam.status).toBe(400);
    expect(badParam.body.message).toBe('sleep parameter "ms" must be >= 0, got -5');
    const unknownParam = await submit({ dataset: datasetId, method: "corr", params: { alpha: 1 } });
    expect(unknownParam.body.message).toMatch(/corr has no parameter "alpha"/);
    const extra = await submit({ dataset: datasetId, method: "corr", maxlag: 2 });
    expect(extra.status).toBe(400);
    expect(extra.body.message).toMatch(/must NOT have additional properties/);
    const lag = await submit({ dataset: datasetId, method: "corr", maxLag: 0 });
    expect(lag.body.message).toMatch(/maxLag must be >= 1/);
    const tooLong = await submit({ dataset: datasetId, method: "corr", maxLag: 119 });
    expect(tooLong.body.message).toMatch(/has 120 rows; maxLag 119 needs at least maxLag \+ 2 = 121/);
    const noDataset = await submit({ dataset: "00000000-0000-4000-8000-000000000000", method: "corr" });
    expect(noDataset.body.message).toMatch(/unknown dataset/);
    const backend = await submit({ dataset: datasetId, method: "corr", backend: "tpu" });
    expect(backend.status).toBe(400);
    const distribute = await submit({ dataset: datasetId, method: "pcmci", distribute: true });
    expect(distribute.status).toBe(400);
    expect(distribute.body.message).toMatch(/distribute needs the Redis queue/);

    expect((await http(base, "GET", "/v1/jobs/not-a-uuid")).status).toBe(400);
    expect((await http(base, "GET", "/v1/jobs/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await http(base, "GET", "/v1/jobs/00000000-0000-4000-8000-000000000000/events")).status).toBe(404);
    expect((await http(base, "GET", "/v1/datasets/../../etc/passwd")).status).toBe(404);
    expect((await http(base, "GET", "/v2/jobs")).body.message).toMatch(/no route GET \/v2\/jobs/);
  });

  it("keeps datasets, jobs and graphs across a restart on the same data directory", async () => {
    const before = await http(base, "GET", `/v1/jobs/${corrJobId}/graph`);
    const job = (await http(base, "GET", `/v1/jobs/${corrJobId}`)).body;
    await server.close();
    server = await startServer(testConfig(dataDir));
    base = server.url;
    expect((await http(base, "GET", `/v1/jobs/${corrJobId}`)).body).toMatchObject({ id: corrJobId, state: "succeeded", finishedAt: job.finishedAt });
    expect((await http(base, "GET", `/v1/jobs/${corrJobId}/graph`)).body).toEqual(before.body);
    expect((await http(base, "GET", `/v1/datasets/${datasetId}`)).status).toBe(200);
  });
});

describe("server security settings", () => {
  let server: RunningServer;
  let base: string;
  const token = "s3cret-token-for-tests";

  beforeAll(async () => {
    server = await startServer(testConfig(await freshDataDir(), { token, jobBurst: 3, jobRate: 0.01, workers: 1, corsOrigin: "" }));
    base = server.url;
  });
  afterAll(async () => {
    await server?.close();
  });

  it("requires the bearer token on /v1 routes, not on /healthz and /openapi.json", async () => {
    const none = await http(base, "GET", "/v1/methods");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(none.body.message).toMatch(/missing bearer token/);
    expect((await http(base, "GET", "/v1/methods", { token: "s3cret-token-for-test" })).status).toBe(401);
    expect((await http(base, "GET", "/v1/methods", { token: token + "x" })).status).toBe(401);
    expect((await http(base, "GET", "/v1/methods", { token })).status).toBe(200);
    expect((await http(base, "GET", "/healthz")).status).toBe(200);
    const doc = (await http(base, "GET", "/openapi.json")).body;
    expect(doc.components.securitySchemes.bearer).toEqual({ type: "http", scheme: "bearer" });
    expect((await http(base, "GET", "/v1/jobs/00000000-0000-4000-8000-000000000000/events")).status).toBe(401);
  });

  it("bounds job submissions per client with 429 and Retry-After", async () => {
    const ds = await http(base, "POST", "/v1/datasets", { text: plantedCsv(30), token });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r = await http(base, "POST", "/v1/jobs", { json: { dataset: ds.body.id, method: "corr", maxLag: 1 }, token });
      statuses.push(r.status);
      if (r.status === 429) {
        retryAfter = r.headers.get("retry-after");
        expect(r.body.message).toMatch(/too many job submissions/);
      }
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(1);
  });
});
