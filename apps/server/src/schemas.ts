// JSON schemas of every route: Fastify validates requests and serialises responses with them, and
// the OpenAPI document (/openapi.json) is generated from the same objects.
import { BACKEND_NAMES, CORRECTIONS, MAX_RESAMPLES, MAX_SURROGATES, SURROGATE_KINDS } from "@causeway/core";
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
  examples: [{ id: "9b1c2f4e-8a7d-4c3b-9e21-5d6f7a8b9c0d", name: "data.csv", format: "csv", variables: ["x0", "x1", "x2"], length: 500, bytes: 20513, createdAt: "2026-01-01T12:00:00.000Z" }],
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
  budget: {
    type: ["string", "number"],
    description:
      'training budget of a method that trains (cmlp, clstm, tcdf, transformer; GET /v1/methods lists its presets under "budgets"): "fast", "default", "thorough" (presets of its epoch and iteration params; params given win), or seconds > 0 (training stops at the deadline, warning budget_exhausted)',
  },
  params: {
    type: "object",
    additionalProperties: { type: ["number", "string", "boolean"] },
    description: "method parameters (GET /v1/methods lists them)",
  },
  alpha: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1, description: "for p-values (the method's test or surrogates): edges are those with adjusted p <= alpha (default 0.05; an explicit threshold selects by score instead)" },
  correction: { type: "string", enum: [...CORRECTIONS], description: "multiple-testing correction before alpha (default fdr_bh)" },
  strict: { type: "boolean", description: "fail instead of warning when the run asks for what the method cannot vouch for (lags beyond its reach, ...)" },
  surrogates: {
    type: "integer",
    minimum: 1,
    maximum: MAX_SURROGATES,
    description: "p-values for a method without its own test: rerun it on this many surrogates of each cause (costs surrogates x variables runs, priced against the run limits)",
  },
  surrogateKind: { type: "string", enum: [...SURROGATE_KINDS], description: "shift (circular time shift of the cause, default) or phase (phase-randomised, keeps its spectrum)" },
  bootstrap: { type: "integer", minimum: 2, maximum: MAX_RESAMPLES, description: "edge stability: rerun on this many stationary block-bootstrap resamples (not with surrogates)" },
  distribute: {
    type: "boolean",
    description:
      "with the Redis queue, for methods with stages that need no tensor backend (pcmci, pcmciplus): split the run's per-target phases (PC1, then MCI) into parts that every `causeway worker` takes from the queue; the graph equals the one-thread run's, and meta.distributed names the workers",
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
  examples: [{ dataset: "9b1c2f4e-8a7d-4c3b-9e21-5d6f7a8b9c0d", method: "corr", maxLag: 2, surrogates: 999, surrogateKind: "shift", alpha: 0.05, correction: "fdr_bh" }],
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

/** A `[V, V, maxLag]` array like `scores`. */
const lagged = { type: "array", items: { type: "array", items: { type: "array", items: { type: "number" } } } } as const;

/** An edge of `edges`: lagged (lag >= 1) or contemporaneous (lag 0, with its orientation). */
const edgeSchema = {
  type: "object",
  properties: {
    cause: { type: "string" },
    effect: { type: "string" },
    lag: { type: "integer", minimum: 0, description: "1..maxLag; 0 = contemporaneous (from the method's lag-0 test), with orientation" },
    score: { type: "number" },
    pvalue: { type: "number", description: "with p-values (the method's test or surrogates)" },
    qvalue: { type: "number", description: "the p-value after meta.correction" },
    stability: { type: "number", description: "with bootstrap: the fraction of resamples that selected this edge" },
    orientation: { type: "string", enum: ["directed", "undirected", "conflict"], description: "lag 0 only: directed cause -> effect, undirected (cannot tell), or conflict (the tests disagree)" },
  },
  required: ["cause", "effect", "lag", "score"],
} as const;

export const graphSchema = {
  type: "object",
  description: "causeway.graph/v1 (docs/formats.md): scores[effect][cause][lag-1], selected edges strongest first, meta; the optional trust fields when the run made them",
  properties: {
    format: { type: "string", const: "causeway.graph/v1" },
    variables: { type: "array", items: { type: "string" } },
    maxLag: { type: "integer" },
    method: { type: "string" },
    scores: { ...lagged, description: "[effect][cause][lag-1], higher = more confidence; complete (not thresholded)" },
    edges: { type: "array", items: edgeSchema, description: "selected edges, strongest first: by adjusted p <= meta.alpha with p-values, else score >= threshold" },
    threshold: { type: "number" },
    meta: {
      type: "object",
      additionalProperties: true,
      description: "how the graph was made; other keys are the method's",
      properties: {
        backend: { type: "string" },
        seconds: { type: "number" },
        seed: { type: "integer" },
        params: { type: "object", additionalProperties: true },
        lagResolved: { type: "boolean", description: "false: summary scores repeated at every lag" },
        alpha: { type: "number", description: "with p-values: the level edges were selected at" },
        correction: { type: "string", enum: [...CORRECTIONS] },
        surrogates: { type: "object", properties: { count: { type: "integer" }, kind: { type: "string", enum: [...SURROGATE_KINDS] } }, description: "surrogate p-values: how many per cause, which kind" },
        bootstrap: { type: "object", properties: { resamples: { type: "integer" }, blockLength: { type: "number" } }, description: "stability: resamples and mean block length" },
        distributed: {
          type: "object",
          properties: { parts: { type: "integer" }, workers: { type: "array", items: { type: "string" } } },
          description: "a distribute job: how many stage parts ran, and the workers (host:pid) that ran them",
        },
      },
      required: ["backend", "seconds", "seed", "params"],
    },
    warnings: {
      type: "array",
      description: "what the run could not vouch for (absent: no checks ran; empty: all passed)",
      items: {
        type: "object",
        properties: {
          code: { type: "string", description: "nonstationary, short_series, lag_beyond_reach, too_many_variables, near_constant, collinear, scale, not_converged, missing_values, gaussian_noise, ..." },
          message: { type: "string" },
          variables: { type: "array", items: { type: "string" } },
        },
        required: ["code", "message"],
      },
    },
    pvalues: { ...lagged, description: "p-value of each score, like scores (the method's test or surrogates; untested: 1)" },
    stability: { ...lagged, description: "fraction of bootstrap resamples whose edges held each (effect, cause, lag)" },
    scoreInterval: {
      type: "object",
      description: "bootstrap percentile interval of each score at level",
      properties: { level: { type: "number" }, lower: lagged, upper: lagged },
      required: ["level", "lower", "upper"],
    },
    contemporaneous: { type: "array", items: { type: "array", items: { type: "number" } }, description: "lag-0 scores [effect][cause] (V x V), for methods that test instantaneous links; their edges have lag 0 and an orientation" },
  },
  required: ["format", "variables", "maxLag", "method", "scores", "edges", "threshold", "meta"],
  examples: [
    {
      format: "causeway.graph/v1",
      variables: ["x0", "x1"],
      maxLag: 1,
      method: "corr",
      scores: [[[0.05], [0.88]], [[0.02], [0.07]]],
      edges: [{ cause: "x1", effect: "x0", lag: 1, score: 0.88, pvalue: 0.01, qvalue: 0.02 }],
      threshold: 0.3,
      pvalues: [[[1], [0.01]], [[0.62], [1]]],
      warnings: [],
      meta: { backend: "none", seconds: 0.41, seed: 0, params: {}, alpha: 0.05, correction: "fdr_bh", surrogates: { count: 99, kind: "shift" } },
    },
  ],
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
    budgets: {
      type: "object",
      description: "only methods that train: the param presets of the training budgets (a job's budget field); absent: the method takes no budget",
      properties: Object.fromEntries(
        ["fast", "default", "thorough"].map((name) => [name, { type: "object", additionalProperties: { type: ["number", "string", "boolean"] }, description: `params the ${name} budget sets (unless given)` }]),
      ),
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
