// Hostile input against a real server on 127.0.0.1 (issue #15): model names that are URLs or
// paths (a canary listener proves nothing is contacted), huge parameters, foreign Host and
// Origin headers. Each gets a 4xx naming the limit; the server stays healthy and loses no job.
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getMethod } from "@causeway/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig, type ServerConfig } from "./env.js";
import { SHIPPED_MODEL, SHIPPED_MODELS, resolveModelParams } from "./models.js";
import { AccessPolicy, checkListenSafety } from "./security.js";
import { startServer, type RunningServer } from "./server.js";
import { freshDataDir, http, plantedCsv, removeDataDirs, waitFor } from "./test-helpers.js";

const slowModule = fileURLToPath(new URL("./test-slow-method.ts", import.meta.url));
const shippedDir = fileURLToPath(new URL(`../../../packages/lcm/models/${SHIPPED_MODEL}/`, import.meta.url));

function testConfig(dataDir: string, over: Partial<ServerConfig> = {}): ServerConfig {
  return readConfig({ host: "127.0.0.1", port: 0, dataDir, workers: 1, logLevel: "silent", methodModules: [slowModule], jobBurst: 1000, jobRate: 1000, ...over }, {});
}

/** A raw HTTP request with any Host and Origin (fetch cannot set Host). */
function raw(url: string, method: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** A listener that only counts who reaches it: the server must never contact it. */
async function canary(): Promise<{ server: Server; port: number; hits: () => number }> {
  let hits = 0;
  const server = createServer((_req, res) => res.end("{}"));
  server.on("connection", () => hits++);
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, port: (server.address() as AddressInfo).port, hits: () => hits };
}

afterAll(removeDataDirs);

describe("hostile input (embedded store, worker threads)", () => {
  let server: RunningServer;
  let base: string;
  let modelsDir: string;
  let datasetId: string;
  let bird: Awaited<ReturnType<typeof canary>>;
  const jobs: string[] = [];

  beforeAll(async () => {
    bird = await canary();
    // The operator's model directory: a copy of the shipped model as "mine", a folder without a
    // model.json and a stray file (neither is offered).
    modelsDir = await mkdtemp(join(tmpdir(), "causeway-models-"));
    await cp(shippedDir, join(modelsDir, "mine"), { recursive: true });
    await mkdir(join(modelsDir, "empty"));
    await writeFile(join(modelsDir, "stray.json"), "{}");
    server = await startServer(testConfig(await freshDataDir(), { modelsDir, jobTimeoutSeconds: 600 }));
    base = server.url;
    datasetId = (await http(base, "POST", "/v1/datasets?name=p.csv", { text: plantedCsv(80) })).body.id;
  });
  afterAll(async () => {
    await server?.close();
    await new Promise((ok) => bird.server.close(ok));
    await rm(modelsDir, { recursive: true, force: true });
  });

  const submit = (body: Record<string, unknown>) => http(base, "POST", "/v1/jobs", { json: { dataset: datasetId, maxLag: 2, ...body } });

  it("lists the offered model names as the choices of lcm's model parameter", async () => {
    const methods = (await http(base, "GET", "/v1/methods")).body as { name: string; params: { name: string; choices?: string[]; default: unknown }[] }[];
    const model = methods.find((m) => m.name === "lcm")!.params.find((p) => p.name === "model")!;
    expect(model.choices).toEqual([...SHIPPED_MODELS, "mine"]);
    expect(model.choices).toEqual(["lcm-v2", "lcm-v12-l3", "mine"]); // v2 the default, v1 still offered by name
    expect(model.default).toBe(SHIPPED_MODEL);
  });

  it("refuses model URLs and paths with 400, without contacting or opening them", async () => {
    const hostile = [
      `http://127.0.0.1:${bird.port}/model.json`,
      `https://127.0.0.1:${bird.port}/model.json`,
      `//127.0.0.1:${bird.port}/model.json`,
      `file:///etc/passwd`,
      `file:${modelsDir}/mine/model.json`,
      `${modelsDir}/mine/model.json`,
      "/etc/passwd",
      "../mine",
      "..",
      "mine/../../etc",
      "..\\windows",
      "C:\\models\\x",
      "data:application/json,{}",
      "mine\u0000",
      "a".repeat(5000),
    ];
    for (const model of hostile) {
      const res = await submit({ method: "lcm", params: { model } });
      expect(res.status, model).toBe(400);
      expect(res.body.message, model).toMatch(/is not a model name: this server loads models by name only \(no paths or URLs\)/);
      expect(res.body.message.length).toBeLessThan(400);
    }
    const unknown = await submit({ method: "lcm", params: { model: "empty" } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe(`lcm parameter "model": unknown model "empty"; this server offers: ${SHIPPED_MODELS.join(", ")}, mine`);
    expect(bird.hits()).toBe(0);
  });

  it("a worker thread refuses a stored job that names a URL or path (from an older server)", async () => {
    const lcm = getMethod("lcm");
    await expect(resolveModelParams(lcm, { model: `http://127.0.0.1:${bird.port}/model.json` }, modelsDir)).rejects.toThrow(/not a model name/);
    await expect(resolveModelParams(lcm, { model: "/etc/passwd" }, modelsDir)).rejects.toThrow(/not a model name/);
    await expect(resolveModelParams(lcm, { model: "elsewhere" }, modelsDir)).rejects.toThrow(/unknown model "elsewhere"/);
    expect(await resolveModelParams(lcm, { model: "mine", tta: 0 }, modelsDir)).toEqual({ model: join(modelsDir, "mine", "model.json"), tta: 0 });
    expect(await resolveModelParams(lcm, { model: SHIPPED_MODEL }, modelsDir)).toEqual({ model: "" });
    expect(await resolveModelParams(lcm, { model: "lcm-v12-l3" }, modelsDir)).toEqual({ model: "lcm-v12-l3" }); // shipped v1: loaded by name
    expect(bird.hits()).toBe(0);
  });

  it("runs lcm with a model from the operator's directory and with the shipped one, by name", async () => {
    const mine = await submit({ method: "lcm", backend: "cpu", params: { model: "mine" } });
    const shipped = await submit({ method: "lcm", backend: "cpu" });
    expect([mine.status, shipped.status]).toEqual([202, 202]);
    expect(shipped.body.options.params.model).toBe(SHIPPED_MODEL);
    jobs.push(mine.body.id, shipped.body.id);
    const graphs = [];
    for (const id of [mine.body.id, shipped.body.id]) {
      const job = await waitFor(async () => {
        const j = (await http(base, "GET", `/v1/jobs/${id}`)).body;
        return j.state === "queued" || j.state === "running" ? undefined : j;
      }, `lcm job ${id}`, 120_000);
      expect(job.state, job.error).toBe("succeeded");
      graphs.push((await http(base, "GET", `/v1/jobs/${id}/graph`)).body);
    }
    // The graph names the model; the path it was loaded from stays inside the server.
    expect(graphs.map((g) => g.meta.params.model)).toEqual(["mine", SHIPPED_MODEL]);
    // The same weights: the same scores.
    expect(graphs[0].scores).toEqual(graphs[1].scores);
  }, 180_000);

  it("answers huge parameters with a 400 naming the limit", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ method: "sleep", params: { ms: 1e12 } }, /"ms" must be <= 600000/],
      [{ method: "sleep", params: { steps: 1e9 } }, /"steps" must be <= 10000/],
      [{ method: "lcm", params: { tta: 1e9 } }, /"tta" must be <= 64/],
      [{ method: "sleep", maxLag: 1e9 }, /maxLag/],
      [{ method: "x".repeat(10_000) }, /method/],
    ];
    for (const [body, message] of cases) {
      const res = await submit(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    const huge = await http(base, "POST", "/v1/jobs", { json: { dataset: datasetId, method: "sleep", params: { pad: "x".repeat(2 * 1024 * 1024) } } });
    expect(huge.status).toBe(413);
  });

  it("refuses a Host header that does not name this server (DNS rebinding), accepts loopback names", async () => {
    const port = server.port;
    for (const host of ["evil.example", `evil.example:${port}`, `rebind.attacker.test:${port}`, `127.0.0.1.evil.example:${port}`]) {
      const res = await raw(`${base}/v1/methods`, "GET", { host });
      expect(res.status, host).toBe(403);
      expect(JSON.parse(res.body).message).toMatch(/is not this server's name; add it to CAUSEWAY_ALLOWED_HOSTS/);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, "localhost"]) expect((await raw(`${base}/healthz`, "GET", { host })).status, host).toBe(200);
  });

  it("answers CORS only for the viewer's and same-origin pages; a foreign origin gets 403", async () => {
    const evil = await raw(`${base}/v1/methods`, "GET", { origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(evil.headers["access-control-allow-origin"]).toBeUndefined();
    expect(JSON.parse(evil.body).message).toMatch(/origin "https:\/\/evil.example" is not allowed to call this server; add it to CAUSEWAY_CORS_ORIGIN/);
    const preflight = await raw(`${base}/v1/jobs`, "OPTIONS", { origin: "http://evil.example", "access-control-request-method": "POST" });
    expect(preflight.status).toBe(403);
    // A simple (no preflight) upload from a foreign page is refused too, so nothing is stored.
    const upload = await raw(`${base}/v1/datasets`, "POST", { origin: "null", "content-type": "text/plain" });
    expect(upload.status).toBe(403);
    for (const origin of ["http://127.0.0.1:5173", "http://localhost:5173", `http://127.0.0.1:${server.port}`]) {
      const ok = await raw(`${base}/v1/methods`, "GET", { origin });
      expect(ok.status, origin).toBe(200);
      expect(ok.headers["access-control-allow-origin"]).toBe(origin);
      expect(ok.headers.vary).toMatch(/origin/i);
    }
    const pre = await raw(`${base}/v1/jobs`, "OPTIONS", { origin: "http://127.0.0.1:5173", "access-control-request-method": "POST" });
    expect(pre.status).toBe(204);
    expect(pre.headers["access-control-allow-headers"]).toMatch(/authorization/);
    // Non-browser clients send no Origin: no CORS headers, no refusal.
    const curl = await raw(`${base}/healthz`, "GET", {});
    expect(curl.status).toBe(200);
    expect(curl.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("is still healthy and lost no job", async () => {
    expect((await http(base, "GET", "/healthz")).body.status).toBe("ok");
    for (const id of jobs) expect((await http(base, "GET", `/v1/jobs/${id}`)).body.state).toBe("succeeded");
    expect(bird.hits()).toBe(0);
  });
});

describe("access settings", () => {
  it("accepts the Host names the operator allows, and any with *", () => {
    const policy = new AccessPolicy({ host: "127.0.0.1", allowedHosts: "causeway.internal, api.example.org", corsOrigin: "" });
    expect(policy.hostAllowed("causeway.internal:8080")).toBe(true);
    expect(policy.hostAllowed("API.example.org")).toBe(true);
    expect(policy.hostAllowed("causeway.internal.evil:8080")).toBe(false);
    expect(policy.hostAllowed(undefined)).toBe(false);
    expect(new AccessPolicy({ host: "127.0.0.1", allowedHosts: "*", corsOrigin: "" }).hostAllowed("anything.example")).toBe(true);
    expect(new AccessPolicy({ host: "10.1.2.3", allowedHosts: "", corsOrigin: "" }).hostAllowed("10.1.2.3:8080")).toBe(true);
    // Listening everywhere: the machine's own addresses and the printed 0.0.0.0 URL, never a foreign name.
    const everywhere = new AccessPolicy({ host: "0.0.0.0", allowedHosts: "", corsOrigin: "" });
    expect(everywhere.hostAllowed("0.0.0.0:8080")).toBe(true);
    expect(everywhere.hostAllowed("127.0.0.1:8080")).toBe(true);
    expect(everywhere.hostAllowed("evil.example:8080")).toBe(false);
  });

  it("allows any origin only when told to, and no foreign one by default", () => {
    expect(new AccessPolicy({ host: "127.0.0.1", allowedHosts: "", corsOrigin: "*" }).origin("https://a.example", "127.0.0.1:1")).toEqual({ kind: "allow", origin: "*" });
    const d = readConfig({}, {});
    const policy = new AccessPolicy(d);
    expect(policy.origin("https://a.example", "127.0.0.1:8080").kind).toBe("refuse");
    expect(policy.origin("http://127.0.0.1:5173", "127.0.0.1:8080")).toEqual({ kind: "allow", origin: "http://127.0.0.1:5173" });
    expect(policy.origin(undefined, "127.0.0.1:8080")).toEqual({ kind: "none" });
  });

  it("refuses to listen beyond loopback without a token unless told to", async () => {
    expect(() => checkListenSafety({ host: "0.0.0.0", token: undefined, allowNoToken: false })).toThrow(
      "refusing to listen on 0.0.0.0 without a token: set CAUSEWAY_TOKEN, listen on 127.0.0.1, or pass --insecure-no-token (CAUSEWAY_ALLOW_NO_TOKEN=1) to allow it",
    );
    expect(() => checkListenSafety({ host: "::", token: undefined, allowNoToken: false })).toThrow(/refusing to listen on ::/);
    expect(() => checkListenSafety({ host: "0.0.0.0", token: "t", allowNoToken: false })).not.toThrow();
    expect(() => checkListenSafety({ host: "0.0.0.0", token: undefined, allowNoToken: true })).not.toThrow();
    for (const host of ["127.0.0.1", "localhost", "::1", "127.0.0.2"]) expect(() => checkListenSafety({ host, token: undefined, allowNoToken: false })).not.toThrow();
    expect(readConfig({}, { CAUSEWAY_ALLOW_NO_TOKEN: "1" }).allowNoToken).toBe(true);
    expect(() => readConfig({}, { CAUSEWAY_ALLOW_NO_TOKEN: "yes please" })).toThrow(/CAUSEWAY_ALLOW_NO_TOKEN must be 1 or 0/);
    await expect(startServer(readConfig({ host: "0.0.0.0", port: 0, dataDir: join(tmpdir(), "causeway-never-made") }, {}))).rejects.toThrow(/refusing to listen on 0.0.0.0 without a token/);
  });
});
