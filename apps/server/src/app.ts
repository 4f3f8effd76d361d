// The HTTP API: routes, validation, auth, rate limit, SSE. No state of its own: the store holds
// it, the dispatcher runs jobs, the event hub feeds the SSE streams.
import type { ServerResponse } from "node:http";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from "fastify";
import { InputError, LimitError, budgetApplied, checkBudget, checkRepeatedRuns, checkRun, checkSurrogateRun, describeMethod, getMethod, listBackends, listMethods, shutdownBackends, resolveParams, type BackendChoice } from "@causeway/core";
import { bearerChecker } from "./auth.js";
import "./backends.js";
import type { Dispatcher } from "./dispatcher.js";
import { CANCEL_REASON } from "./dispatcher.js";
import type { ServerConfig } from "./env.js";
import type { JobEvent, JobEvents } from "./events.js";
import { checkModelParams, describeForServer, listModels } from "./models.js";
import { RateLimiter } from "./rate-limit.js";
import { AccessPolicy, accessHook } from "./security.js";
import { UploadParser } from "./upload-parser.js";
import { DOCS_CSP, renderDocsPage, type OpenApiDoc } from "./docs-page.js";
import {
  backendSchema,
  datasetQuery,
  datasetSchema,
  errorSchema,
  errors,
  graphSchema,
  healthSchema,
  idParams,
  jobRequestSchema,
  jobSchema,
  methodSchema,
} from "./schemas.js";
import type { Store } from "./store.js";
import { HttpError, jobView, sendError } from "./replies.js";
import { isTerminal, type JobOptions } from "./types.js";
import { trustOptions, type TrustRequest } from "./trust.js";

export { HttpError, jobView } from "./replies.js";

export const API_VERSION = "0.1.0";

/** SSE streams also re-read their job this often, so changes made by another API node reach them. */
const SSE_POLL_MS = 1000;

export interface AppDeps {
  config: ServerConfig;
  store: Store;
  dispatcher: Dispatcher;
  events: JobEvents;
}

const served = new WeakMap<FastifyInstance, { method: string; url: string }[]>();

/** Every (method, url) the app serves, HEAD and OPTIONS left out (tests compare them with the OpenAPI document). */
export function servedRoutes(app: FastifyInstance): { method: string; url: string }[] {
  return [...(served.get(app) ?? [])];
}

/** Build the Fastify app (not listening yet). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, store, dispatcher, events } = deps;
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: 1024 * 1024,
    // Unknown properties are errors, not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: "array", useDefaults: true, allowUnionTypes: true } },
    return503OnClosing: true,
  });
  const sseStreams = new Set<ServerResponse>();
  const limiter = new RateLimiter(config.jobRate, config.jobBurst);
  const checkToken = config.token ? bearerChecker(config.token) : null;
  const access = new AccessPolicy(config);
  const uploads = new UploadParser();
  const routes: { method: string; url: string }[] = [];
  served.set(app, routes);
  app.addHook("onRoute", (r) => {
    for (const m of [r.method].flat()) if (m !== "HEAD" && m !== "OPTIONS") routes.push({ method: m, url: r.url });
  });

  app.addSchema(errorSchema);
  app.addSchema(datasetSchema);
  app.addSchema(jobSchema);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Causeway API",
        version: API_VERSION,
        description: "Temporal causal discovery as a service: upload a multivariate time series, run a method as a job, follow its progress, fetch the causeway.graph/v1 result.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      ...(config.token ? { security: [{ bearer: [] }] } : {}),
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === "string" ? json.$id : `def-${i}`) },
  });

  app.setErrorHandler((err: FastifyError | Error, req, reply) => {
    if (err instanceof HttpError) {
      reply.headers(err.headers);
      return sendError(reply, err.statusCode, err.message);
    }
    if (err instanceof InputError) return sendError(reply, 400, err.message);
    const fe = err as FastifyError;
    if (fe.code === "FST_ERR_CTP_BODY_TOO_LARGE")
      return sendError(reply, 413, `the upload is larger than the limit of ${config.maxUploadBytes} bytes (raise it with CAUSEWAY_MAX_UPLOAD_MB or --max-upload-mb)`);
    if (fe.validation) return sendError(reply, 400, fe.message);
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return sendError(reply, fe.statusCode, fe.message);
    req.log.error(err);
    return sendError(reply, 500, "internal error (see the server log)");
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, `no route ${req.method} ${req.url.split("?")[0]}; see /openapi.json`));

  // The Host header must name this server (DNS rebinding), and a browser page's Origin must be
  // allowed (security.ts); CORS answers only those origins, preflight answered here.
  app.addHook("onRequest", accessHook(access));

  // Bearer token on every /v1 route when CAUSEWAY_TOKEN is set (/healthz, /openapi.json and /docs stay open).
  app.addHook("onRequest", async (req) => {
    if (!checkToken || !req.url.startsWith("/v1/") || req.method === "OPTIONS") return;
    if (!checkToken(req.headers.authorization))
      throw new HttpError(401, req.headers.authorization ? "invalid bearer token" : "missing bearer token: send Authorization: Bearer <token>", {
        "www-authenticate": 'Bearer realm="causeway"',
      });
  });

  app.addHook("preClose", async () => {
    for (const res of sseStreams) res.end();
  });
  let backendsProbed = false;
  // Probing webgpu opens a native GPU instance that would keep the process alive.
  app.addHook("onClose", async () => {
    await uploads.close();
    if (backendsProbed) await shutdownBackends();
  });

  const job404 = (id: string) => new HttpError(404, `no job ${id}`);

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  // A readable page of the same document, self-contained (no CDN): it works offline.
  let docsPage: string | undefined;
  app.get("/docs", { schema: { hide: true } }, async (_req, reply) => {
    docsPage ??= renderDocsPage(app.swagger() as unknown as OpenApiDoc);
    return reply.type("text/html; charset=utf-8").header("content-security-policy", DOCS_CSP).send(docsPage);
  });

  app.get(
    "/healthz",
    { schema: { summary: "liveness and readiness: the store answers", tags: ["meta"], response: { 200: healthSchema, ...errors(503) } } },
    async () => {
      await store.sql.query("SELECT 1");
      return { status: "ok", store: store.sql.kind, queue: dispatcher.kind, dispatcher: dispatcher.stats(), uploads: uploads.stats() };
    },
  );

  app.get(
    "/v1/methods",
    { schema: { summary: "registered discovery methods and their parameters", tags: ["methods"], response: { 200: { type: "array", items: methodSchema }, ...errors(401) } } },
    async () => {
      const models = await listModels(config.modelsDir);
      return listMethods().map((m) => describeForServer(describeMethod(m), models));
    },
  );

  app.get(
    "/v1/backends",
    { schema: { summary: "tensor backends: available, or the exact reason not", tags: ["methods"], response: { 200: { type: "array", items: backendSchema }, ...errors(401) } } },
    async () => {
      backendsProbed = true;
      return listBackends();
    },
  );

  // Uploads: the raw CSV or JSON bytes, read with the size limit applied while they stream in,
  // then parsed off the event loop when large (upload-parser.ts).
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(["text/csv", "text/plain", "application/json"], { parseAs: "buffer", bodyLimit: config.maxUploadBytes }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(
      "/v1/datasets",
      {
        bodyLimit: config.maxUploadBytes,
        schema: {
          summary: "upload a time series (CSV with a header row, or JSON { variables, data })",
          tags: ["datasets"],
          consumes: ["text/csv", "application/json", "text/plain"],
          querystring: datasetQuery,
          body: { description: "the file's text (UTF-8)" },
          response: { 201: { $ref: "Dataset#" }, ...errors(400, 401, 413, 415) },
        },
      },
      async (req: FastifyRequest<{ Querystring: { name: string; impute: "none" | "ffill"; header?: boolean }; Body: Buffer }>, reply) => {
        const { name, impute, header } = req.query;
        const json = (req.headers["content-type"] ?? "").startsWith("application/json");
        const series = await uploads.parse(req.body, json, json ? { file: name, impute } : { file: name, impute, header });
        const info = await store.insertDataset({ name, format: json ? "json" : "csv", bytes: req.body.byteLength, series });
        return reply.code(201).header("location", `/v1/datasets/${info.id}`).send(info);
      },
    );
  });

  app.get(
    "/v1/datasets/:id",
    { schema: { summary: "a dataset's description", tags: ["datasets"], params: idParams, response: { 200: { $ref: "Dataset#" }, ...errors(400, 401, 404) } } },
    async (req: FastifyRequest<{ Params: { id: string } }>) => {
      const info = await store.getDataset(req.params.id);
      if (!info) throw new HttpError(404, `no dataset ${req.params.id}`);
      return info;
    },
  );

  app.post(
    "/v1/jobs",
    {
      schema: {
        summary: "run a method on a dataset; answers at once with the queued job",
        tags: ["jobs"],
        body: jobRequestSchema,
        response: { 202: { $ref: "Job#" }, ...errors(400, 401, 413, 429) },
      },
    },
    async (
      req: FastifyRequest<{
        Body: { dataset: string; method: string; maxLag?: number; seed?: number; backend?: BackendChoice; threshold?: number; budget?: string | number; params?: Record<string, unknown>; distribute?: boolean } & TrustRequest;
      }>,
      reply,
    ) => {
      const wait = limiter.take(req.ip);
      if (wait > 0)
        throw new HttpError(429, `too many job submissions from ${req.ip}: at most ${config.jobBurst} at once and ${config.jobRate} per second; retry in ${wait.toFixed(1)} s`, {
          "retry-after": String(Math.ceil(wait)),
        });
      const body = req.body;
      const method = getMethod(body.method); // 400 listing the valid ones
      const resolved = resolveParams(method.params, body.params ?? {}, method.name); // 400 naming the bad parameter
      const params = await checkModelParams(method, resolved, config.modelsDir); // a model by name only, never a path or URL
      const dataset = await store.getDataset(body.dataset);
      if (!dataset) throw new HttpError(400, `unknown dataset ${body.dataset}: upload one with POST /v1/datasets`);
      const options: JobOptions = { maxLag: body.maxLag ?? 3, seed: body.seed ?? 0, backend: body.backend ?? "auto", params };
      if (body.threshold !== undefined) options.threshold = body.threshold;
      // 400 for an unknown budget, or one for a method without training (naming those that train);
      // the job's params (stored resolved) take the budget's preset where the request left one out
      if (body.budget !== undefined) {
        options.budget = checkBudget(method, body.budget, listMethods());
        const applied = budgetApplied(method.budgets, options.budget, body.params ?? {});
        const withPreset = resolveParams(method.params, { ...applied, ...(body.params ?? {}) }, method.name);
        for (const key of Object.keys(applied)) params[key] = withPreset[key];
      }
      Object.assign(options, trustOptions(body));
      if (body.distribute) {
        if (dispatcher.kind !== "redis") throw new HttpError(400, "distribute needs the Redis queue (CAUSEWAY_REDIS_URL, `causeway worker` processes); without it, submit the job without distribute");
        // queue workers run stages without tensor backends: a tensor method's stages (transformer ensemble members) stay on the job's threads
        const distributable = listMethods().filter((m) => m.stages && !m.usesTensors);
        if (!distributable.some((m) => m.name === method.name)) throw new HttpError(400, `${method.name} ${method.stages ? "has stages that need a tensor backend, which queue workers do not run" : "runs in one piece"}; distribute applies to ${distributable.map((m) => m.name).join(", ")}`);
        options.distribute = true;
      }
      if (dataset.length < options.maxLag + 2)
        throw new HttpError(400, `dataset ${dataset.name} has ${dataset.length} rows; maxLag ${options.maxLag} needs at least maxLag + 2 = ${options.maxLag + 2}`);
      try {
        // before queueing: 400 below the method's minimum rows, 413 over the run limits (CAUSEWAY_MAX_RUN_BYTES / _FLOPS)
        const shape = { T: dataset.length, V: dataset.variables.length, maxLag: options.maxLag };
        checkRun(method, shape, params);
        // surrogates and the bootstrap rerun the method in the job's thread: the whole batch is priced
        if (options.surrogates) checkSurrogateRun(method, shape, params, options.surrogates);
        if (options.bootstrap) checkRepeatedRuns(method, shape, params, options.bootstrap + 1, `bootstrap ${options.bootstrap} (the resamples + the observed run)`);
      } catch (e) {
        throw e instanceof LimitError ? new HttpError(413, e.message) : e;
      }
      const job = await store.insertJob({ datasetId: dataset.id, method: method.name, options, client: req.ip });
      await dispatcher.submit(job);
      return reply.code(202).header("location", `/v1/jobs/${job.id}`).send(jobView(job));
    },
  );

  app.get(
    "/v1/jobs/:id",
    {
      schema: {
        summary: "a job's state, progress, timings and error",
        tags: ["jobs"],
        params: idParams,
        response: { 200: { $ref: "Job#" }, ...errors(400, 401, 404) },
      },
    },
    async (req: FastifyRequest<{ Params: { id: string } }>) => {
      const job = await store.getJob(req.params.id);
      if (!job) throw job404(req.params.id);
      return jobView(job);
    },
  );

  app.delete(
    "/v1/jobs/:id",
    {
      schema: {
        summary: "cancel a queued or running job (a running one through its AbortSignal)",
        tags: ["jobs"],
        params: idParams,
        response: { 200: { $ref: "Job#" }, ...errors(400, 401, 404, 409) },
      },
    },
    async (req: FastifyRequest<{ Params: { id: string } }>) => {
      const { id } = req.params;
      const cancelled = await store.endJob(id, "cancelled", CANCEL_REASON);
      if (cancelled) {
        events.publish(id, { type: "state", job: cancelled });
        await dispatcher.cancel(id);
        return jobView(cancelled);
      }
      const job = await store.getJob(id);
      if (!job) throw job404(id);
      if (job.state === "cancelled") return jobView(job);
      throw new HttpError(409, `job ${id} already ${job.state}; only queued or running jobs can be cancelled`);
    },
  );

  app.get(
    "/v1/jobs/:id/graph",
    {
      schema: {
        summary: "the discovered graph (causeway.graph/v1) of a succeeded job",
        tags: ["jobs"],
        params: idParams,
        response: { 200: graphSchema, ...errors(400, 401, 404, 409) },
      },
    },
    async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const { id } = req.params;
      const graph = await store.getGraph(id);
      if (graph !== null) return reply.type("application/json").send(graph);
      const job = await store.getJob(id);
      if (!job) throw job404(id);
      throw new HttpError(409, `job ${id} is ${job.state}${job.error ? ` (${job.error})` : ""}: no graph${isTerminal(job.state) ? "" : " yet"}`);
    },
  );

  app.get(
    "/v1/jobs/:id/events",
    {
      schema: {
        summary: "Server-Sent Events: `state` (the job) at once and on each change, `progress` while it runs; ends after a final state",
        tags: ["jobs"],
        params: idParams,
        // the stream is text/event-stream; errors before it starts are JSON like every other route's
        response: { 200: { description: "the event stream", content: { "text/event-stream": { schema: { type: "string" } } } }, ...errors(400, 401, 404) },
      },
    },
    async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
      const { id } = req.params;
      const cors = access.origin(req.headers.origin, req.headers.host);
      const queued: JobEvent[] = [];
      let live: ((e: JobEvent) => void) | null = null;
      // Subscribe before reading the job, so that no change between the two is missed.
      const unsubscribe = events.subscribe(id, (e) => (live ? live(e) : queued.push(e)));
      const job = await store.getJob(id).catch((e: unknown) => (unsubscribe(), Promise.reject(e)));
      if (!job) {
        unsubscribe();
        throw job404(id);
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
        ...(cors.kind === "allow" ? { "access-control-allow-origin": cors.origin, vary: "origin" } : {}),
      });
      sseStreams.add(res);
      const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
      let lastState = "";
      let lastFraction = -1;
      // The store is the truth: a job run by another API node (or a missed event) still shows up.
      const poll = setInterval(() => {
        store
          .getJob(id)
          .then((j) => {
            if (!j || res.writableEnded) return;
            if (j.state === "running" && j.progress.fraction > lastFraction) write({ type: "progress", event: { method: j.method, stage: "", ...j.progress } });
            if (j.state !== lastState) write({ type: "state", job: j });
          })
          .catch((err: unknown) => req.log.error(err));
      }, SSE_POLL_MS);
      const close = () => {
        clearInterval(heartbeat);
        clearInterval(poll);
        unsubscribe();
        sseStreams.delete(res);
        if (!res.writableEnded) res.end();
      };
      res.on("close", close);
      const write = (e: JobEvent): void => {
        if (res.writableEnded) return;
        if (e.type === "progress") {
          lastFraction = e.event.fraction;
          res.write(`event: progress\ndata: ${JSON.stringify(e.event)}\n\n`);
        } else {
          lastState = e.job.state;
          res.write(`event: state\ndata: ${JSON.stringify(jobView(e.job))}\n\n`);
          if (isTerminal(e.job.state)) close();
        }
      };
      res.write("retry: 2000\n\n");
      write({ type: "state", job });
      const latest = job.state === "running" ? events.lastProgress(id) : undefined;
      if (latest && !queued.some((e) => e.type === "progress")) write({ type: "progress", event: latest });
      live = write;
      for (const e of queued.splice(0)) write(e);
    },
  );

  return app;
}
