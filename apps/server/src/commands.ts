// `causeway serve` and `causeway worker`: flags over environment settings, run until a signal.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "@causeway/core";
import { MAX_JOB_TIMEOUT_SECONDS, readConfig } from "./env.js";
import { startServer } from "./server.js";

/** Where a command writes (the CLI's io object fits). */
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
}

export const serveHelp = `Usage: causeway serve [options]

Run the HTTP API (see apps/server/README.md; the OpenAPI document is at /openapi.json).

Options:
      --host <addr>          address to listen on (default: 127.0.0.1; CAUSEWAY_HOST)
  -p, --port <n>             port, 0 = any free one (default: 8080; CAUSEWAY_PORT)
  -d, --data <dir>           embedded store directory (default: ./causeway-data; CAUSEWAY_DATA)
  -w, --workers <n>          worker threads running jobs (default: cores - 1; CAUSEWAY_WORKERS)
      --max-upload-mb <x>    largest dataset upload (default: 64; CAUSEWAY_MAX_UPLOAD_MB)
      --redis <url>          queue jobs on Redis for \`causeway worker\` processes (CAUSEWAY_REDIS_URL)
      --database <url>       store in Postgres instead of the embedded store (CAUSEWAY_DATABASE_URL)
      --models-dir <dir>     extra lcm models, offered by folder name (CAUSEWAY_MODELS_DIR)
      --job-timeout <s>      wall-clock limit of one job's run (default: 3600; CAUSEWAY_JOB_TIMEOUT)
      --insecure-no-token    allow a non-loopback --host without CAUSEWAY_TOKEN (CAUSEWAY_ALLOW_NO_TOKEN=1)
      --log-level <level>    fatal|error|warn|info|debug|trace|silent (default: info)
  -h, --help                 this help

Environment only: CAUSEWAY_TOKEN (bearer token required on /v1 routes), CAUSEWAY_JOB_RATE and
CAUSEWAY_JOB_BURST (job submissions per second and at once, per client), CAUSEWAY_CORS_ORIGIN
(origins whose pages may call the API; default: the viewer's http://127.0.0.1:5173 and
http://localhost:5173), CAUSEWAY_ALLOWED_HOSTS (Host names accepted besides loopback and --host),
CAUSEWAY_METHOD_MODULES (extra method modules), CAUSEWAY_CANCEL_GRACE_MS.

The server stops when the process that started it goes away (e.g. kill -9 on a wrapper).
`;

export const workerHelp = `Usage: causeway worker [options]

Take jobs from the Redis queue that \`causeway serve --redis\` fills, and run them on worker threads.
Start as many as you like, on any machine that reaches Redis.

Options:
      --redis <url>          Redis to take jobs from (CAUSEWAY_REDIS_URL; required)
  -w, --workers <n>          jobs at once, one thread each (default: cores - 1; CAUSEWAY_WORKERS)
      --models-dir <dir>     extra lcm models that jobs name (CAUSEWAY_MODELS_DIR; as on the server)
      --job-timeout <s>      wall-clock limit of one job's run (default: 3600; CAUSEWAY_JOB_TIMEOUT)
      --log-level <level>    error|info|silent (default: info)
  -h, --help                 this help
`;

function parse<O extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: O, command: string) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: false, strict: true });
  } catch (e) {
    throw new InputError(`${command}: ${(e as Error).message.split("\n")[0]} (see \`causeway ${command} --help\`)`);
  }
}

function int(value: unknown, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`--${flag} must be an integer between ${min} and ${max}, got "${String(value)}"`);
  return n;
}

function seconds(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > MAX_JOB_TIMEOUT_SECONDS) throw new InputError(`--${flag} must be a number of seconds > 0 and <= ${MAX_JOB_TIMEOUT_SECONDS}, got "${String(value)}"`);
  return n;
}

/** How often a command checks that the process that started it is still there. */
const PARENT_POLL_MS = 1000;

/**
 * Resolves on the first SIGINT or SIGTERM, or with "parent exited" once this process is
 * re-parented (its launcher, e.g. a pnpm or tsx wrapper, was killed with SIGKILL and could not
 * pass a signal on): a server never outlives the command that started it.
 */
function untilSignal(): Promise<NodeJS.Signals | "parent exited"> {
  return new Promise((resolve) => {
    const parent = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid !== parent) done("parent exited");
    }, PARENT_POLL_MS);
    const on = (sig: NodeJS.Signals) => done(sig);
    const done = (why: NodeJS.Signals | "parent exited") => {
      clearInterval(watch);
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(why);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}

export async function serveCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(
    argv,
    {
      host: { type: "string" },
      port: { type: "string", short: "p" },
      data: { type: "string", short: "d" },
      workers: { type: "string", short: "w" },
      "max-upload-mb": { type: "string" },
      redis: { type: "string" },
      database: { type: "string" },
      "models-dir": { type: "string" },
      "job-timeout": { type: "string" },
      "insecure-no-token": { type: "boolean" },
      "log-level": { type: "string" },
    },
    "serve",
  );
  if (values.help) return void io.out(serveHelp), 0;
  const maxMb = values["max-upload-mb"] === undefined ? undefined : Number(values["max-upload-mb"]);
  if (maxMb !== undefined && !(maxMb > 0)) throw new InputError(`--max-upload-mb must be a positive number, got "${String(values["max-upload-mb"])}"`);
  const config = readConfig({
    host: values.host,
    port: int(values.port, "port", 0, 65535),
    dataDir: values.data,
    workers: int(values.workers, "workers", 1, 256),
    maxUploadBytes: maxMb === undefined ? undefined : Math.round(maxMb * 1024 * 1024),
    redisUrl: values.redis,
    databaseUrl: values.database,
    modelsDir: values["models-dir"],
    jobTimeoutSeconds: seconds(values["job-timeout"], "job-timeout"),
    allowNoToken: values["insecure-no-token"] ? true : undefined,
    logLevel: values["log-level"],
  });
  const server = await startServer(config);
  const store = config.databaseUrl ? "postgres" : `embedded (${config.dataDir})`;
  const jobs = config.redisUrl ? `redis queue "${config.queueName}" (run \`causeway worker\`)` : `${config.workers} worker thread${config.workers === 1 ? "" : "s"}`;
  io.out(`causeway server listening on ${server.url} | store: ${store} | jobs: ${jobs} | auth: ${config.token ? "bearer token" : "off"}\n`);
  const sig = await untilSignal();
  io.err(`causeway serve: ${sig}, stopping (running jobs go back to the queue)\n`);
  await server.close();
  return 0;
}

export async function workerCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values } = parse(
    argv,
    { redis: { type: "string" }, workers: { type: "string", short: "w" }, "models-dir": { type: "string" }, "job-timeout": { type: "string" }, "log-level": { type: "string" } },
    "worker",
  );
  if (values.help) return void io.out(workerHelp), 0;
  const config = readConfig({
    redisUrl: values.redis,
    workers: int(values.workers, "workers", 1, 256),
    modelsDir: values["models-dir"],
    jobTimeoutSeconds: seconds(values["job-timeout"], "job-timeout"),
    logLevel: values["log-level"],
  });
  if (!config.redisUrl) throw new InputError("causeway worker needs a Redis URL: --redis redis://host:6379 or CAUSEWAY_REDIS_URL");
  const { startRedisWorker } = await import("./redis.js");
  const worker = await startRedisWorker(config);
  io.out(`causeway worker ${worker.name} taking jobs from queue "${config.queueName}" (${config.workers} thread${config.workers === 1 ? "" : "s"})\n`);
  const sig = await untilSignal();
  io.err(`causeway worker: ${sig}, finishing the jobs in hand\n`);
  await worker.close();
  return 0;
}
