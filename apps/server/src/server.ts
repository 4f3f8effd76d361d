// Start and stop a server: store, dispatcher (worker threads, or BullMQ on Redis), HTTP app.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { InputError } from "@causeway/core";
import { registerAllMethods } from "@causeway/methods";
import { buildApp } from "./app.js";
import type { Dispatcher } from "./dispatcher.js";
import type { ServerConfig } from "./env.js";
import { JobEvents } from "./events.js";
import { LocalDispatcher } from "./local-dispatcher.js";
import { loadMethodModules } from "./method-modules.js";
import { checkListenSafety } from "./security.js";
import { WorkerPool } from "./pool.js";
import { Store } from "./store.js";

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  app: FastifyInstance;
  store: Store;
  dispatcher: Dispatcher;
  /** Stop accepting requests, put jobs in flight back in the queue, close the store. */
  close(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The embedded store belongs to one process at a time: a pid file guards the data directory. */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, "server.pid");
  const owner = Number((await readFile(file, "utf8").catch(() => "")).trim());
  if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner))
    throw new InputError(`the data directory ${dataDir} is in use by process ${owner} (another causeway server); stop it or use another --data`);
  await writeFile(file, `${process.pid}\n`);
  return async () => {
    const now = Number((await readFile(file, "utf8").catch(() => "")).trim());
    if (now === process.pid) await rm(file, { force: true });
  };
}

/** Open the store, recover interrupted jobs, start the workers and listen. */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  checkListenSafety(config);
  registerAllMethods();
  await loadMethodModules(config.methodModules);
  const unlock = config.databaseUrl ? async () => {} : await lockDataDir(config.dataDir);
  const cleanup: (() => Promise<void>)[] = [unlock];
  const undo = async () => {
    for (const f of cleanup.reverse()) await f().catch(() => {});
  };
  try {
    const store = await Store.open(config);
    cleanup.push(() => store.close());
    const events = new JobEvents();
    let dispatcher: Dispatcher;
    // The app's logger exists only once the app is built; errors before that go to stderr.
    let logError = (err: unknown) => console.error(err);
    const onError = (err: unknown) => logError(err);
    if (config.redisUrl) {
      const { RedisDispatcher } = await import("./redis.js");
      dispatcher = new RedisDispatcher(config, store, events, onError);
    } else {
      const pool = new WorkerPool({
        size: config.workers,
        methodModules: config.methodModules,
        cancelGraceMs: config.cancelGraceMs,
        name: `${hostname()}:${process.pid}`,
        modelsDir: config.modelsDir,
        jobTimeoutMs: config.jobTimeoutSeconds * 1000,
      });
      dispatcher = new LocalDispatcher(store, events, pool, onError);
    }
    cleanup.push(() => dispatcher.close());
    const app = await buildApp({ config, store, dispatcher, events });
    logError = (err) => app.log.error(err);
    cleanup.push(() => app.close());
    await dispatcher.start();
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    const host = config.host.includes(":") ? `[${config.host}]` : config.host;
    let closing: Promise<void> | null = null;
    return {
      url: `http://${host}:${port}`,
      port,
      app,
      store,
      dispatcher,
      close: () => (closing ??= undo()),
    };
  } catch (e) {
    await undo();
    throw e;
  }
}
