// Job requests with the trust options (issue #17): alpha, correction, strict, surrogates and
// bootstrap are schema-validated, documented in the OpenAPI document, and the graph carries
// pvalues / stability with their meta.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "./env.js";
import { startServer, type RunningServer } from "./server.js";
import { freshDataDir, http, plantedCsv, removeDataDirs, waitFor } from "./test-helpers.js";

afterAll(removeDataDirs);

describe("trust options of a job", () => {
  let server: RunningServer;
  let base: string;
  let planted: string;

  beforeAll(async () => {
    const dataDir = await freshDataDir();
    server = await startServer(readConfig({ host: "127.0.0.1", port: 0, dataDir, workers: 1, logLevel: "silent", jobBurst: 1000, jobRate: 1000 }, {}));
    base = server.url;
    const r = await http(base, "POST", "/v1/datasets?name=planted.csv", { text: plantedCsv(120) });
    expect(r.status).toBe(201);
    planted = r.body.id;
  });
  afterAll(async () => {
    await server?.close();
  });

  const graphOf = async (body: Record<string, unknown>) => {
    const r = await http(base, "POST", "/v1/jobs", { json: { dataset: planted, method: "corr", maxLag: 2, ...body } });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.options).toMatchObject(body);
    const done = await waitFor(async () => {
      const j = (await http(base, "GET", `/v1/jobs/${r.body.id}`)).body;
      return j.state === "succeeded" || j.state === "failed" ? j : undefined;
    }, "the trust job");
    expect(done.state, done.error).toBe("succeeded");
    return (await http(base, "GET", `/v1/jobs/${r.body.id}/graph`)).body;
  };

  it("runs surrogates and selects edges at the request's alpha after its correction", async () => {
    const g = await graphOf({ surrogates: 19, surrogateKind: "phase", alpha: 0.1, correction: "none" });
    expect(g.meta).toMatchObject({ surrogates: { count: 19, kind: "phase" }, alpha: 0.1, correction: "none" });
    expect(g.pvalues[1][0][0]).toBe(0.05); // x0 -> x1 at lag 1: p = 1/20
    expect(g.edges[0]).toMatchObject({ cause: "x0", effect: "x1", lag: 1, pvalue: 0.05 });
    for (const e of g.edges) expect(e.qvalue).toBeLessThanOrEqual(0.1);
  });

  it("runs the bootstrap: stability and the score interval", async () => {
    const g = await graphOf({ bootstrap: 8, strict: true });
    expect(g.meta.bootstrap.resamples).toBe(8);
    expect(g.stability[1][0][0]).toBe(1);
    expect(g.scoreInterval.level).toBe(0.9);
    expect(g.edges[0]).toMatchObject({ cause: "x0", effect: "x1", lag: 1, stability: 1 });
  });

  it("refuses bad values and combinations with a 400", async () => {
    const submit = (body: Record<string, unknown>) => http(base, "POST", "/v1/jobs", { json: { dataset: planted, method: "corr", maxLag: 2, ...body } });
    expect((await submit({ alpha: 1 })).status).toBe(400);
    expect((await submit({ correction: "holm" })).status).toBe(400);
    expect((await submit({ surrogates: 0 })).status).toBe(400);
    const both = await submit({ surrogates: 9, bootstrap: 9 });
    expect(both.status).toBe(400);
    expect(both.body.message).toMatch(/submit them as two jobs/);
    expect((await submit({ surrogateKind: "phase" })).body.message).toMatch(/surrogateKind needs surrogates/);
  });

  it("takes a training budget for a method that trains (meta.budget), refuses one for corr or an unknown one", async () => {
    const r = await http(base, "POST", "/v1/jobs", { json: { dataset: planted, method: "cmlp", maxLag: 2, budget: "fast", params: { maxIter: 30 } } });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.options.budget).toBe("fast");
    // the job's params hold the preset where the request left them out; maxIter, given, wins
    expect(r.body.options.params).toMatchObject({ warmupIters: 100, stepIters: 20, lambdaFactor: 2, pathSteps: 12, maxIter: 30 });
    const done = await waitFor(async () => {
      const j = (await http(base, "GET", `/v1/jobs/${r.body.id}`)).body;
      return j.state === "succeeded" || j.state === "failed" ? j : undefined;
    }, "the budget job");
    expect(done.state, done.error).toBe("succeeded");
    const graph = (await http(base, "GET", `/v1/jobs/${r.body.id}/graph`)).body;
    expect(graph.meta.params).toMatchObject({ warmupIters: 100, maxIter: 30 });
    expect(graph.meta.budget).toEqual({ name: "fast", applied: { warmupIters: 100, stepIters: 20, lambdaFactor: 2, pathSteps: 12 } });
    const submit = (body: Record<string, unknown>) => http(base, "POST", "/v1/jobs", { json: { dataset: planted, method: "corr", maxLag: 2, ...body } });
    const corr = await submit({ budget: "fast" });
    expect(corr.status).toBe(400);
    expect(corr.body.message).toMatch(/^corr has no training to budget; --budget applies to .*cmlp.*tcdf/);
    expect((await submit({ method: "tcdf", budget: "quick" })).body.message).toMatch(/budget must be one of fast, default, thorough or a number of seconds/);
    const tcdf = (await http(base, "GET", "/v1/methods")).body.find((m: { name: string }) => m.name === "tcdf");
    expect(tcdf.budgets.fast).toEqual({ epochs: 200 });
  });

  it("documents the options in the OpenAPI document", async () => {
    const doc = (await http(base, "GET", "/openapi.json")).body;
    const body = doc.paths["/v1/jobs"].post.requestBody.content["application/json"].schema;
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(["alpha", "correction", "strict", "surrogates", "surrogateKind", "bootstrap", "budget"]));
    expect(body.properties.correction.enum).toEqual(["none", "bonferroni", "fdr_bh"]);
  });
});
