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
  /** Value of Access-Control-Allow-Origin; "" turns CORS off (CAUSEWAY_CORS_ORIGIN, default "*"). */
  corsOrigin: string;
  /** Extra modules that register methods, loaded by the server and every worker thread (CAUSEWAY_METHOD_MODULES, comma-separated paths). */
  methodModules: string[];
  /** How long a cancelled job may take to honour its AbortSignal before its worker thread is terminated (CAUSEWAY_CANCEL_GRACE_MS, default 2000). */
  cancelGraceMs: number;
  /** pino log level: fatal|error|warn|info|debug|trace|silent (CAUSEWAY_LOG_LEVEL, default "info"). */
  logLevel: string;
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function intSetting(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  return n;
}

function numSetting(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new InputError(`${name} must be a number >= ${min}, got "${raw}"`);
  return n;
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
    corsOrigin: env.CAUSEWAY_CORS_ORIGIN ?? "*",
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
