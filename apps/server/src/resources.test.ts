// Resource bounds against a real server on 127.0.0.1 (issue #15): a tens-of-MB upload is parsed
// on a thread while /healthz keeps answering, and a job past its wall-clock limit fails with the
// limit as its reason while the next job still runs.
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "./env.js";
import { timeoutReason } from "./pool.js";
import { startServer, type RunningServer } from "./server.js";
import { freshDataDir, http, plantedCsv, removeDataDirs, waitFor } from "./test-helpers.js";
import { INLINE_PARSE_BYTES } from "./upload-parser.js";

const slowModule = fileURLToPath(new URL("./test-slow-method.ts", import.meta.url));

/** CSV bytes: `rows` rows of `vars` values with 9 decimals (about 13 bytes a value). */
function bigCsv(rows: number, vars: number, lastCell?: string): Buffer {
  let s = 7;
  const lines: string[] = [Array.from({ length: vars }, (_, i) => `x${i}`).join(",")];
  for (let t = 0; t < rows; t++) {
    const row: string[] = [];
    for (let v = 0; v < vars; v++) {
      s = (s * 1664525 + 1013904223) >>> 0;
      row.push((s / 2 ** 32 - 0.5).toFixed(9));
    }
    lines.push(row.join(","));
  }
  if (lastCell !== undefined) lines[lines.length - 1] = lines[lines.length - 1].replace(/[^,]*$/, lastCell);
  return Buffer.from(lines.join("\n") + "\n");
}

/** POST raw bytes; resolves with the status and parsed JSON once the whole response is in. */
function upload(url: string, body: Buffer): Promise<{ status: number; body: { id: string; length: number; variables: string[]; message: string } }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "text/csv", "content-length": body.byteLength } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

afterAll(removeDataDirs);

describe("resource bounds", () => {
  let server: RunningServer;
  let base: string;

  beforeAll(async () => {
    server = await startServer(readConfig({ host: "127.0.0.1", port: 0, dataDir: await freshDataDir(), workers: 1, logLevel: "silent", methodModules: [slowModule], jobTimeoutSeconds: 1 }, {}));
    base = server.url;
  });
  afterAll(async () => {
    await server?.close();
  });

  it("parses a 50 MB upload on a thread while /healthz answers, and stores every value", async () => {
    const rows = 400_000;
    const body = bigCsv(rows, 10);
    expect(body.byteLength).toBeGreaterThan(45 * 1024 * 1024);
    let done = false;
    const events: string[] = [];
    const sent = upload(`${base}/v1/datasets?name=big.csv`, body).then((r) => {
      done = true;
      events.push("upload answered");
      return r;
    });
    // Poll /healthz until the upload is answered; some answers must come while it is parsed.
    let answeredWhileParsing = 0;
    while (!done) {
      const h = await http(base, "GET", "/healthz");
      expect(h.status).toBe(200);
      if (h.body.uploads.parsing > 0 && !done && answeredWhileParsing++ === 0) events.push("healthz answered while parsing");
      await new Promise((r) => setTimeout(r, 10));
    }
    const res = await sent;
    expect(res.status).toBe(201);
    expect(res.body.length).toBe(rows);
    expect(res.body.variables).toHaveLength(10);
    expect(events).toEqual(["healthz answered while parsing", "upload answered"]);
    expect((await http(base, "GET", "/healthz")).body.uploads).toEqual({ parsing: 0 });
    // The values went into the store and come back bit for bit (base64 on the way in and out).
    const series = await server.store.loadSeries(res.body.id);
    const lastRow = body.toString("utf8", body.byteLength - 200).trim().split("\n").pop()!.split(",").map(Number);
    expect(Array.from(series!.data.subarray((rows - 1) * 10))).toEqual(lastRow);
  }, 120_000);

  it("names the file, line and bad value in a large upload parsed on the thread", async () => {
    const body = bigCsv(30_000, 3, "oops");
    expect(body.byteLength).toBeGreaterThan(INLINE_PARSE_BYTES);
    const res = await upload(`${base}/v1/datasets?name=bad.csv`, body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/bad\.csv/);
    expect(res.body.message).toMatch(/30001|30002/);
    expect(res.body.message).toMatch(/oops/);
    expect((await http(base, "GET", "/healthz")).status).toBe(200);
  });

  it("fails a job past its wall-clock limit with the limit as its reason; the next job runs", async () => {
    const ds = (await http(base, "POST", "/v1/datasets?name=p.csv", { text: plantedCsv(40) })).body.id;
    const submit = (params: Record<string, unknown>) => http(base, "POST", "/v1/jobs", { json: { dataset: ds, method: "sleep", maxLag: 1, params } });
    const ended = (id: string) =>
      waitFor(
        async () => {
          const j = (await http(base, "GET", `/v1/jobs/${id}`)).body;
          return j.state === "queued" || j.state === "running" ? undefined : j;
        },
        `job ${id}`,
        60_000,
      );
    // One that waits on timers and one that blocks its thread's event loop: both are stopped.
    const waiting = (await submit({ ms: 600_000, steps: 100 })).body.id;
    const busy = (await submit({ ms: 600_000, steps: 2, busy: true })).body.id;
    const next = (await submit({ ms: 10, steps: 1 })).body.id;
    for (const id of [waiting, busy]) {
      const job = await ended(id);
      expect(job.state).toBe("failed");
      expect(job.error).toBe(timeoutReason(1000));
      expect(job.error).toMatch(/wall-clock limit of 1 s \(CAUSEWAY_JOB_TIMEOUT/);
    }
    expect((await ended(next)).state).toBe("succeeded");
    expect((await http(base, "GET", "/healthz")).body.dispatcher).toMatchObject({ workers: 1, busy: 0, waiting: 0 });
  }, 120_000);
});
