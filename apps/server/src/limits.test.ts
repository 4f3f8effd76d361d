// Hostile job requests (issue #15): huge params, runs over the memory/work limits and series too
// short for the method are refused with a 4xx before they are queued; the server stays healthy and
// the jobs already queued still finish.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "./env.js";
import { startServer, type RunningServer } from "./server.js";
import { freshDataDir, http, plantedCsv, removeDataDirs, waitFor } from "./test-helpers.js";

/** A CSV of T rows and V columns of deterministic non-constant values. */
function wideCsv(T: number, V: number): string {
  const header = Array.from({ length: V }, (_, v) => `x${v}`).join(",");
  const rows = Array.from({ length: T }, (_, t) => Array.from({ length: V }, (_, v) => Math.sin(0.37 * t * (v + 1) + v).toFixed(4)).join(","));
  return [header, ...rows].join("\n") + "\n";
}

afterAll(removeDataDirs);

describe("server limits on job requests", () => {
  let server: RunningServer;
  let base: string;
  let planted: string;
  let wide: string;
  let tiny: string;

  beforeAll(async () => {
    const dataDir = await freshDataDir();
    server = await startServer(readConfig({ host: "127.0.0.1", port: 0, dataDir, workers: 1, logLevel: "silent", jobBurst: 1000, jobRate: 1000 }, {}));
    base = server.url;
    const upload = async (name: string, text: string) => {
      const r = await http(base, "POST", `/v1/datasets?name=${name}`, { text });
      expect(r.status, name).toBe(201);
      return r.body.id as string;
    };
    planted = await upload("planted.csv", plantedCsv(60));
    wide = await upload("wide.csv", wideCsv(200, 300));
    tiny = await upload("tiny.csv", plantedCsv(5));
  });
  afterAll(async () => {
    await server?.close();
  });

  const submit = (body: Record<string, unknown>) => http(base, "POST", "/v1/jobs", { json: body });

  it("refuses huge params, oversized runs and too short series with a 4xx, and still runs the job queued before them", async () => {
    const good = await submit({ dataset: planted, method: "corr", maxLag: 3 });
    expect(good.status).toBe(202);

    const epochs = await submit({ dataset: planted, method: "tcdf", maxLag: 3, params: { epochs: 1e12 } });
    expect(epochs.status).toBe(400);
    expect(epochs.body.message).toBe('tcdf parameter "epochs" must be <= 100000, got 1000000000000');

    const hidden = await submit({ dataset: planted, method: "cmlp", maxLag: 3, params: { hidden: 1e8 } });
    expect(hidden.status).toBe(400);
    expect(hidden.body.message).toBe('cmlp parameter "hidden" must be <= 1024, got 100000000');

    // 300·300·150 = 1.35e7 scores: the graph alone would need ~5.4 GB
    const lag = await submit({ dataset: wide, method: "corr", maxLag: 150 });
    expect(lag.status).toBe(413);
    expect(lag.body.message).toBe("corr on 200 x 300 with maxLag 150 needs ~5.4 GB, over the 4 GB limit (CAUSEWAY_MAX_RUN_BYTES / --max-memory)");

    // within every param bound, but 1024 hidden units for 300 inputs of 300 targets: ~2.8e8 weights, several copies of each
    const big = await submit({ dataset: wide, method: "cmlp", maxLag: 3, params: { hidden: 1024 } });
    expect(big.status).toBe(413);
    expect(big.body.message).toMatch(/^cmlp on 200 x 300 with maxLag 3 needs ~\d+ GB, over the 4 GB limit \(CAUSEWAY_MAX_RUN_BYTES \/ --max-memory\)$/);

    const short = await submit({ dataset: tiny, method: "corr", maxLag: 3 });
    expect(short.status).toBe(400);
    expect(short.body.message).toBe("corr needs at least 13 rows for 3 variables at maxLag 3 (10 pairs per correlation); the series has T = 5");

    const health = await http(base, "GET", "/healthz");
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("ok");

    const done = await waitFor(async () => {
      const j = (await http(base, "GET", `/v1/jobs/${good.body.id}`)).body;
      return j.state === "succeeded" || j.state === "failed" ? j : undefined;
    }, "the job queued before the refused ones");
    expect(done.state).toBe("succeeded");
    const graph = await http(base, "GET", `/v1/jobs/${good.body.id}/graph`);
    expect(graph.status).toBe(200);
    expect(graph.body.scores).toHaveLength(3);
    // 60 rows for 3 variables at maxLag 3 is below corr's comfortable 77: the graph says so
    expect(graph.body.warnings.map((w: { code: string }) => w.code)).toEqual(["short_series"]);
  });
});
