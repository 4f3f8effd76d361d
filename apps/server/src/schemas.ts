// JSON schemas of every route: Fastify validates requests and serialises responses with them, and
// the OpenAPI document (/openapi.json) is generated from the same objects.
import { BACKEND_NAMES } from "@causeway/core";
import { JOB_STATES } from "./types.js";

export const errorSchema = {
  $id: "Error",
  type: "object",
  description: "Every 4xx/5xx answer: the HTTP status, its name and a message that says what to fix.",
  properties: {
    statusCode: { type: "integer" },
    error: { type: "string" },
    message: { type: "string" },
  },
  required: ["statusCode", "error", "message"],
} as const;

const error = { $ref: "Error#" } as const;

export const idParams = {
  type: "object",
  properties: { id: { type: "string", format: "uuid", description: "an id the server generated" } },
  required: ["id"],
} as const;

export const datasetSchema = {
  $id: "Dataset",
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    name: { type: "string", description: "label given at upload (never used as a path)" },
    format: { type: "string", enum: ["csv", "json"] },
    variables: { type: "array", items: { type: "string" } },
    length: { type: "integer", description: "rows (time steps), T" },
    bytes: { type: "integer", description: "size of the upload" },
    createdAt: { type: "string", format: "date-time" },
  },
  required: ["id", "name", "format", "variables", "length", "bytes", "createdAt"],
} as const;

export const datasetQuery = {
  type: "object",
  properties: {
    name: { type: "string", minLength: 1, maxLength: 200, default: "upload", description: "label shown in error messages and listings" },
    impute: { type: "string", enum: ["none", "ffill"], default: "none", description: "ffill: forward-fill missing cells instead of rejecting them" },
    header: { type: "boolean", description: "CSV: whether the first row is a header (default: detected)" },
  },
  additionalProperties: false,
} as const;

const backendChoices = ["auto", ...[...BACKEND_NAMES].reverse()];

const optionsProperties = {
  maxLag: { type: "integer", minimum: 1, maximum: 1000, description: "largest lag considered" },
  seed: { type: "integer", minimum: 0, maximum: 2147483647, description: "random seed: same seed, same graph" },
  backend: { type: "string", enum: backendChoices, description: "tensor backend for tensor methods" },
  threshold: { type: "number", description: "edge threshold (default: the method's)" },
  params: {
    type: "object",
    additionalProperties: { type: ["number", "string", "boolean"] },
    description: "method parameters (GET /v1/methods lists them)",
  },
} as const;

export const jobRequestSchema = {
  type: "object",
  properties: {
    dataset: { type: "string", format: "uuid", description: "id from POST /v1/datasets" },
    method: { type: "string", minLength: 1, maxLength: 100, description: "a name from GET /v1/methods" },
    ...optionsProperties,
  },
  required: ["dataset", "method"],
  additionalProperties: false,
} as const;

const progressSchema = {
  type: "object",
  properties: {
    fraction: { type: "number", minimum: 0, maximum: 1 },
    stage: { type: "string" },
    step: { type: "integer" },
    total: { type: "integer" },
    message: { type: "string" },
    metrics: { type: "object", additionalProperties: { type: "number" } },
  },
  required: ["fraction"],
} as const;

export const jobSchema = {
  $id: "Job",
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    dataset: { type: "string", format: "uuid" },
    method: { type: "string" },
    options: {
      type: "object",
      properties: optionsProperties,
      required: ["maxLag", "seed", "backend", "params"],
    },
    state: { type: "string", enum: [...JOB_STATES] },
    progress: progressSchema,
    error: { type: ["string", "null"], description: "why it failed or was cancelled" },
    attempts: { type: "integer", description: "times a worker started it" },
    worker: { type: ["string", "null"], description: "the thread or process that ran it" },
    createdAt: { type: "string", format: "date-time" },
    startedAt: { type: ["string", "null"], format: "date-time" },
    finishedAt: { type: ["string", "null"], format: "date-time" },
    timings: {
      type: "object",
      properties: {
        queuedSeconds: { type: ["number", "null"], description: "from submission to start (so far, while queued)" },
        runSeconds: { type: ["number", "null"], description: "from start to end (so far, while running)" },
      },
      required: ["queuedSeconds", "runSeconds"],
    },
    links: {
      type: "object",
      properties: { self: { type: "string" }, events: { type: "string" }, graph: { type: "string" } },
      required: ["self", "events", "graph"],
    },
  },
  required: ["id", "dataset", "method", "options", "state", "progress", "error", "attempts", "worker", "createdAt", "startedAt", "finishedAt", "timings", "links"],
} as const;

export const graphSchema = {
  type: "object",
  description: "causeway.graph/v1 (docs/formats.md): scores[effect][cause][lag-1], thresholded edges strongest first, meta",
  properties: {
    format: { type: "string", const: "causeway.graph/v1" },
    variables: { type: "array", items: { type: "string" } },
    maxLag: { type: "integer" },
    method: { type: "string" },
    scores: { type: "array", items: { type: "array", items: { type: "array", items: { type: "number" } } } },
    edges: {
      type: "array",
      items: {
        type: "object",
        properties: { cause: { type: "string" }, effect: { type: "string" }, lag: { type: "integer" }, score: { type: "number" } },
      },
    },
    threshold: { type: "number" },
    meta: { type: "object", additionalProperties: true },
  },
} as const;

export const methodSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    description: { type: "string" },
    usesTensors: { type: "boolean" },
    lagResolved: { type: "boolean" },
    defaultThreshold: { type: "number" },
    supports: {
      type: "object",
      description: "whether the method can use several recordings (segments) and missing cells (mask)",
      properties: { segments: { type: "boolean" }, mask: { type: "boolean" } },
    },
    params: {
      type: "array",
      items: {
        type: "object",
        properties: {
          name: { type: "string" },
          type: { type: "string", enum: ["number", "integer", "string", "boolean"] },
          default: { type: ["number", "string", "boolean"] },
          description: { type: "string" },
          choices: { type: "array", items: { type: "string" } },
          min: { type: "number" },
          max: { type: "number" },
        },
      },
    },
  },
} as const;

export const backendSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    description: { type: "string" },
    available: { type: "boolean" },
    reason: { type: "string" },
    fix: { type: "string" },
    detail: { type: "string" },
    fast: { type: "boolean" },
  },
} as const;

export const healthSchema = {
  type: "object",
  properties: {
    status: { type: "string", const: "ok" },
    store: { type: "string", enum: ["pglite", "postgres"] },
    queue: { type: "string", enum: ["local", "redis"] },
    dispatcher: { type: "object", additionalProperties: { type: "number" } },
    uploads: { type: "object", properties: { parsing: { type: "integer", description: "large uploads being parsed on the parser thread" } } },
  },
} as const;

/** Error answers a route may give, for its `response` schema. */
export function errors(...codes: number[]): Record<number, typeof error> {
  return Object.fromEntries(codes.map((c) => [c, error]));
}
