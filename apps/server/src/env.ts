// The one place the server reads `process.env`: every setting is resolved here into a typed config.
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { InputError } from "@causeway/core";

/** Everything the server and `causeway worker` need; built by `readConfig` from the environment and flags. */
export interface ServerConfig {
  /** Address to listen on (CAUSEWAY_HOST, default 127.0.0.1: loopback only unless asked). */
  host: string;
  /** Port to listen on; 0 picks a free one (CAUSEWAY_PORT, default 8080). */
  port: number;
  /** Directory of the embedded store (CAUSEWAY_DATA, default ./causeway-data). */
  dataDir: string;
  /** Postgres connection string; when set, the store is Postgres instead of the embedded one (CAUSEWAY_DATABASE_URL). */
  databaseUrl?: string;
  /** Redis connection string; when set, jobs go through BullMQ and `causeway worker` processes run them (CAUSEWAY_REDIS_URL). */
  redisUrl?: string;
  /** BullMQ queue name (CAUSEWAY_QUEUE, default "causeway-jobs"). */
  queueName: string;
  /** Bearer token every /v1 request must carry; unset = no auth (CAUSEWAY_TOKEN). */
  token?: string;
  /** Worker threads that run jobs (CAUSEWAY_WORKERS, default max(1, cores - 1)). */
  workers: number;
  /** Largest accepted upload in bytes (CAUSEWAY_MAX_UPLOAD_MB, default 64 MB). */
  maxUploadBytes: number;
  /** Job submissions refilled per second per client address (CAUSEWAY_JOB_RATE, default 5). */
  jobRate: number;
  /** Job submissions a client may make at once before the refill rate applies (CAUSEWAY_JOB_BURST, default 50). */
  jobBurst: number;
  /**
   * Origins (scheme://host:port) whose pages may call the API, comma-separated; "*" = any page, "" = none
   * but the server's own (CAUSEWAY_CORS_ORIGIN, default: the viewer's origins, DEFAULT_CORS_ORIGINS).
   */
  corsOrigin: string;
  /** Host header names accepted besides loopback and the listen address, comma-separated; "*" = any (CAUSEWAY_ALLOWED_HOSTS). */
  allowedHosts: string;
  /** Listen on a non-loopback address without a token (CAUSEWAY_ALLOW_NO_TOKEN=1, --insecure-no-token). */
  allowNoToken: boolean;
  /** Directory of extra lcm models offered by name: each subfolder with a model.json (CAUSEWAY_MODELS_DIR). */
  modelsDir?: string;
  /** Wall-clock limit of one job's run in seconds; past it the job fails (CAUSEWAY_JOB_TIMEOUT, default 3600). */
  jobTimeoutSeconds: number;
  /** Extra modules that register methods, loaded by the server and every worker thread (CAUSEWAY_METHOD_MODULES, comma-separated paths). */
  methodModules: string[];
  /** How long a cancelled job may take to honour its AbortSignal before its worker thread is terminated (CAUSEWAY_CANCEL_GRACE_MS, default 2000). */
  cancelGraceMs: number;
  /** pino log level: fatal|error|warn|info|debug|trace|silent (CAUSEWAY_LOG_LEVEL, default "info"). */
  logLevel: string;
}

type Env = Record<string, string | undefined>;

/** Where the web viewer is served by default (`causeway view` and `vite dev`): allowed to call the API. */
export const DEFAULT_CORS_ORIGINS = "http://127.0.0.1:5173,http://localhost:5173";

/** Longest job wall-clock limit: 20 days (timers hold at most 2^31 - 1 ms). */
export const MAX_JOB_TIMEOUT_SECONDS = 1_728_000;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function intSetting(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  return n;
}

function numSetting(env: Env, name: string, fallback: number, min: number, max = Infinity): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new InputError(`${name} must be a number >= ${min}${max < Infinity ? ` and <= ${max}` : ""}, got "${raw}"`);
  return n;
}

function flagSetting(env: Env, name: string): boolean {
  const raw = (env[name] ?? "").trim().toLowerCase();
  if (raw === "" || raw === "0" || raw === "false") return false;
  if (raw === "1" || raw === "true") return true;
  throw new InputError(`${name} must be 1 or 0, got "${env[name]}"`);
}

function optional(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

/** Default number of worker threads: one core stays free for the API. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * Server settings from the environment (`process.env` unless given), then `overrides`
 * (command-line flags, tests). Bad values are InputErrors naming the variable.
 */
export function readConfig(overrides: Partial<ServerConfig> = {}, env: Env = process.env): ServerConfig {
  const logLevel = optional(env, "CAUSEWAY_LOG_LEVEL") ?? "info";
  if (!LOG_LEVELS.includes(logLevel)) throw new InputError(`CAUSEWAY_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`);
  const config: ServerConfig = {
    host: optional(env, "CAUSEWAY_HOST") ?? "127.0.0.1",
    port: intSetting(env, "CAUSEWAY_PORT", 8080, 0, 65535),
    dataDir: resolve(optional(env, "CAUSEWAY_DATA") ?? "causeway-data"),
    databaseUrl: optional(env, "CAUSEWAY_DATABASE_URL"),
    redisUrl: optional(env, "CAUSEWAY_REDIS_URL"),
    queueName: optional(env, "CAUSEWAY_QUEUE") ?? "causeway-jobs",
    token: optional(env, "CAUSEWAY_TOKEN"),
    workers: intSetting(env, "CAUSEWAY_WORKERS", defaultWorkers(), 1, 256),
    maxUploadBytes: Math.round(numSetting(env, "CAUSEWAY_MAX_UPLOAD_MB", 64, 0.001) * 1024 * 1024),
    jobRate: numSetting(env, "CAUSEWAY_JOB_RATE", 5, 0.001),
    jobBurst: intSetting(env, "CAUSEWAY_JOB_BURST", 50, 1, 1_000_000),
    corsOrigin: env.CAUSEWAY_CORS_ORIGIN ?? DEFAULT_CORS_ORIGINS,
    allowedHosts: optional(env, "CAUSEWAY_ALLOWED_HOSTS") ?? "",
    allowNoToken: flagSetting(env, "CAUSEWAY_ALLOW_NO_TOKEN"),
    modelsDir: optional(env, "CAUSEWAY_MODELS_DIR"),
    jobTimeoutSeconds: numSetting(env, "CAUSEWAY_JOB_TIMEOUT", 3600, 0.001, MAX_JOB_TIMEOUT_SECONDS),
    methodModules: (optional(env, "CAUSEWAY_METHOD_MODULES") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "")
      .map((p) => resolve(p)),
    cancelGraceMs: intSetting(env, "CAUSEWAY_CANCEL_GRACE_MS", 2000, 0, 600_000),
    logLevel,
  };
  const merged = { ...config, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) } as ServerConfig;
  merged.dataDir = resolve(merged.dataDir);
  if (merged.modelsDir) merged.modelsDir = resolve(merged.modelsDir);
  return merged;
}

/** Whether debugging output (stack traces) was asked for (CAUSEWAY_DEBUG). */
export function debugEnabled(env: Env = process.env): boolean {
  return Boolean(env.CAUSEWAY_DEBUG);
}

/** Environment for a child process (tests, `serve` re-spawns): this process's, plus `extra`. */
export function childEnv(extra: Env = {}): Env {
  return { ...process.env, ...extra };
}
