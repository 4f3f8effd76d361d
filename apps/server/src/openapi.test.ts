// The OpenAPI document at /openapi.json: structurally valid OpenAPI 3.x (required fields, every $ref
// resolves, path templates match path parameters), every route the app serves documented and every
// documented route served, the trust fields present; and the offline /docs page rendered from it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servedRoutes } from "./app.js";
import { documentedOperations, escapeHtml, renderDocsPage, type OpenApiDoc } from "./docs-page.js";
import { readConfig } from "./env.js";
import { startServer, type RunningServer } from "./server.js";
import { freshDataDir, http, removeDataDirs } from "./test-helpers.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Structural problems of an OpenAPI 3.0/3.1 document (empty = none). Checks what the spec requires, not style. */
function openApiProblems(doc: Json): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, what: string) => ok || problems.push(what);
  need(typeof doc.openapi === "string" && /^3\.[01]\.\d+$/.test(doc.openapi), `openapi must be 3.0.x or 3.1.x, got ${doc.openapi}`);
  need(typeof doc.info?.title === "string" && doc.info.title !== "", "info.title is required");
  need(typeof doc.info?.version === "string" && doc.info.version !== "", "info.version is required");
  need(typeof doc.paths === "object" && doc.paths !== null, "paths is required");
  const opIds = new Set<string>();
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    need(path.startsWith("/"), `path ${path} must start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries<Json>(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      need(["get", "put", "post", "delete", "options", "head", "patch", "trace"].includes(method), `${where}: unknown method`);
      need(typeof op.responses === "object" && Object.keys(op.responses).length > 0, `${where}: responses are required`);
      for (const [code, r] of Object.entries<Json>(op.responses ?? {})) {
        need(/^([1-5]\d\d|[1-5]XX|default)$/.test(code), `${where}: bad status ${code}`);
        need(typeof (r.$ref ? resolveRef(doc, r.$ref) : r)?.description === "string", `${where} ${code}: a response needs a description`);
      }
      const params: Json[] = op.parameters ?? [];
      for (const p of params) {
        need(typeof p.name === "string" && ["query", "header", "path", "cookie"].includes(p.in), `${where}: parameter needs a name and a valid "in"`);
        need(p.schema !== undefined || p.content !== undefined, `${where}: parameter ${p.name} needs a schema`);
        if (p.in === "path") need(p.required === true && templated.includes(p.name), `${where}: path parameter ${p.name} must be required and in the path`);
      }
      for (const t of templated) need(params.some((p) => p.in === "path" && p.name === t), `${where}: {${t}} has no path parameter`);
      if (op.requestBody) need(Object.keys(op.requestBody.content ?? {}).length > 0, `${where}: requestBody.content is required`);
      if (op.operationId) need(!opIds.has(op.operationId) && Boolean(opIds.add(op.operationId)), `${where}: duplicate operationId`);
      for (const s of op.security ?? doc.security ?? [])
        for (const name of Object.keys(s)) need(doc.components?.securitySchemes?.[name] !== undefined, `${where}: security scheme ${name} undefined`);
    }
  }
  const walk = (node: Json, at: string): void => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${at}/${i}`));
    else if (node && typeof node === "object")
      for (const [k, v] of Object.entries<Json>(node)) {
        if (k === "$ref") need(typeof v === "string" && resolveRef(doc, v) !== undefined, `${at}: $ref ${v} does not resolve`);
        else walk(v, `${at}/${k}`);
      }
  };
  walk(doc, "#");
  return problems;
}

/** A local JSON pointer `#/a/b` in the document, or undefined. */
function resolveRef(doc: Json, ref: string): Json {
  if (!ref.startsWith("#/")) return undefined;
  let node = doc;
  for (const part of ref.slice(2).split("/")) node = node?.[decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~")];
  return node;
}

const schemaAt = (doc: Json, s: Json): Json => (s?.$ref ? resolveRef(doc, s.$ref) : s);

afterAll(removeDataDirs);

describe("OpenAPI document and docs page", () => {
  let server: RunningServer;
  let doc: Json;

  beforeAll(async () => {
    const dataDir = await freshDataDir();
    server = await startServer(readConfig({ host: "127.0.0.1", port: 0, dataDir, workers: 1, logLevel: "silent", token: "t0ken" }, {}));
    doc = (await http(server.url, "GET", "/openapi.json")).body;
  });
  afterAll(async () => {
    await server?.close();
  });

  it("is structurally valid OpenAPI 3.1 with every $ref resolving", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(openApiProblems(doc)).toEqual([]);
    // the checker does catch what it checks
    const broken = structuredClone(doc);
    broken.paths["/v1/jobs/{id}"].get.responses["200"].content["application/json"].schema = { $ref: "#/components/schemas/Nope" };
    delete broken.info.version;
    broken.paths["/v1/jobs/{id}"].get.parameters = [];
    expect(openApiProblems(broken)).toEqual([
      "info.version is required",
      "GET /v1/jobs/{id}: {id} has no path parameter",
      "#/paths//v1/jobs/{id}/get/responses/200/content/application/json/schema: $ref #/components/schemas/Nope does not resolve",
    ]);
    expect(doc.security).toEqual([{ bearer: [] }]);
  });

  it("documents every route the app serves, and serves every documented one", () => {
    const toOpenApi = (url: string) => url.replace(/:([A-Za-z_]+)/g, "{$1}");
    const undocumented = new Set(["GET /openapi.json", "GET /docs"]); // the document itself and its page
    const served = servedRoutes(server.app)
      .map((r) => `${r.method} ${toOpenApi(r.url)}`)
      .filter((r) => !undocumented.has(r))
      .sort();
    const documented = documentedOperations(doc)
      .map((o) => `${o.method.toUpperCase()} ${o.path}`)
      .sort();
    expect(served.length).toBe(10);
    expect(documented).toEqual(served);
    expect(servedRoutes(server.app).map((r) => `${r.method} ${r.url}`)).toEqual(expect.arrayContaining([...undocumented]));
  });

  it("gives request and response schemas with the trust fields, the graph's trust tensors and lag-0 edges", () => {
    for (const { path, method, op } of documentedOperations(doc)) {
      const responses: Json = op.responses ?? {};
      const ok = Object.entries<Json>(responses).find(([c]) => c.startsWith("2"));
      expect(ok, `${method} ${path} has a 2xx response`).toBeDefined();
      expect(Object.values<Json>(ok![1].content ?? {})[0]?.schema, `${method} ${path} has a 2xx schema`).toBeDefined();
      for (const code of Object.keys(responses).filter((c) => /^[45]/.test(c)))
        expect(responses[code].content["application/json"].schema.$ref, `${method} ${path} ${code}`).toBe("#/components/schemas/Error");
    }
    expect(Object.keys(doc.paths["/v1/jobs/{id}/events"].get.responses["200"].content)).toEqual(["text/event-stream"]);
    const media = doc.paths["/v1/jobs"].post.requestBody.content["application/json"];
    const body = schemaAt(doc, media.schema);
    const trust = ["alpha", "correction", "strict", "surrogates", "surrogateKind", "bootstrap"];
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(["dataset", "method", "maxLag", "seed", "backend", "threshold", "params", ...trust]));
    expect(body.properties.surrogateKind.enum).toEqual(["shift", "phase"]);
    expect(body.properties.alpha).toMatchObject({ exclusiveMinimum: 0, exclusiveMaximum: 1 });
    expect(media.example).toMatchObject({ method: "corr", surrogates: 999 });
    const job = doc.components.schemas.Job;
    expect(Object.keys(job.properties.options.properties)).toEqual(expect.arrayContaining(trust));
    const graphMedia = doc.paths["/v1/jobs/{id}/graph"].get.responses["200"].content["application/json"];
    const graph = schemaAt(doc, graphMedia.schema);
    expect(graphMedia.example.meta.surrogates).toEqual({ count: 99, kind: "shift" });
    expect(Object.keys(graph.properties)).toEqual(expect.arrayContaining(["pvalues", "contemporaneous", "stability", "scoreInterval", "warnings", "edges", "meta"]));
    expect(graph.properties.scoreInterval.required).toEqual(["level", "lower", "upper"]);
    const edge = graph.properties.edges.items;
    expect(edge.properties.lag.minimum).toBe(0);
    expect(edge.properties.orientation.enum).toEqual(["directed", "undirected", "conflict"]);
    expect(Object.keys(edge.properties)).toEqual(expect.arrayContaining(["pvalue", "qvalue", "stability"]));
    expect(Object.keys(graph.properties.meta.properties)).toEqual(expect.arrayContaining(["alpha", "correction", "surrogates", "bootstrap"]));
  });

  it("serves /docs: every route, its parameters and schemas, no script and no external URL", async () => {
    const res = await fetch(`${server.url}/docs`); // no token: like /openapi.json
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    const html = await res.text();
    expect(html === renderDocsPage(doc)).toBe(true);
    for (const { path, method } of documentedOperations(doc)) expect(html).toContain(`${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code>`);
    for (const name of Object.keys(doc.components.schemas)) expect(html).toContain(`id="schema-${name}"`);
    for (const field of ["usesTensors", "lagResolved", "choices", "available", "fix", "surrogateKind", "bootstrap", "scoreInterval", "contemporaneous", "orientation", "impute"]) expect(html).toContain(`<code>${field}</code>`);
    expect(html).toContain(escapeHtml(`-H "authorization: Bearer $CAUSEWAY_TOKEN"`));
    expect(html).toContain(escapeHtml(`"surrogates":999,"surrogateKind":"shift"`));
    // offline: nothing to fetch
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|\bsrc=/i);
    expect(html).not.toMatch(/https?:\/\/|\/\/[a-z0-9-]+\.[a-z]/i);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(20);
    for (const h of hrefs) expect(h).toMatch(/^(#[A-Za-z0-9-]+|\/openapi\.json)$/);
  });

  it("escapes what it renders", () => {
    const hostile: OpenApiDoc = {
      openapi: "3.1.0",
      info: { title: "<script>alert(1)</script>", version: "1" },
      paths: { "/x": { get: { summary: '"><img src=x>', responses: { 200: { description: "ok" } } } } },
    };
    const html = renderDocsPage(hostile);
    expect(html).not.toMatch(/<script|<img/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });
});
