// Postgres integration: a throwaway Debian Postgres cluster on a random loopback port; two API
// nodes share it (CAUSEWAY_DATABASE_URL), so a job submitted to one is served by the other.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSeriesCsv } from "@causeway/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "./env.js";
import { startServer, type RunningServer } from "./server.js";
import { Store } from "./store.js";
import { http, plantedCsv, readSse } from "./test-helpers.js";

/** Debian's server binaries: /usr/lib/postgresql/<version>/bin (package postgresql). */
function findBin(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb")));
  return versions.length ? join(root, versions.sort((a, b) => Number(b) - Number(a))[0], "bin") : null;
}

const bin = findBin();
const isRoot = process.getuid?.() === 0;
// initdb refuses to run as root: as root, run the cluster as Debian's "postgres" user.
const hasPostgresUser = isRoot && spawnSync("id", ["-u", "postgres"]).status === 0;
const missing = !bin
  ? "Postgres is not installed (Debian: apt-get install postgresql; CI: .ci/setup-postgres.sh)"
  : isRoot && !hasPostgresUser
    ? 'running as root without a "postgres" user to own the cluster'
    : "";
if (missing) console.warn(`postgres integration test skipped: ${missing}`);

function asOwner(cmd: string, args: string[]): void {
  if (isRoot) execFileSync("runuser", ["-u", "postgres", "--", cmd, ...args], { stdio: "pipe" });
  else execFileSync(cmd, args, { stdio: "pipe" });
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

describe.skipIf(Boolean(missing))("Postgres store shared by two API nodes", () => {
  let dir: string;
  let url: string;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "causeway-pg-"));
    if (isRoot) await chown(dir, Number(execFileSync("id", ["-u", "postgres"]).toString()), Number(execFileSync("id", ["-g", "postgres"]).toString()));
    const port = await freePort();
    asOwner(join(bin!, "initdb"), ["-D", join(dir, "data"), "-A", "trust", "-U", "causeway", "--no-sync"]);
    asOwner(join(bin!, "pg_ctl"), ["-D", join(dir, "data"), "-l", join(dir, "log"), "-w", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"]);
    url = `postgres://causeway@127.0.0.1:${port}/postgres`;
    for (let i = 0; i < 2; i++)
      servers.push(await startServer(readConfig({ host: "127.0.0.1", port: 0, dataDir: join(dir, `unused-${i}`), databaseUrl: url, workers: 1, logLevel: "silent" }, {})));
  });

  afterAll(async () => {
    for (const s of servers) await s.close();
    if (bin && dir) {
      try {
        asOwner(join(bin, "pg_ctl"), ["-D", join(dir, "data"), "-m", "immediate", "stop"]);
      } catch {
        // not started
      }
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("stores datasets bit for bit and runs a job on either node", async () => {
    const [a, b] = servers;
    expect((await http(a.url, "GET", "/healthz")).body).toMatchObject({ store: "postgres", queue: "local" });
    const csv = plantedCsv(50);
    const ds = (await http(a.url, "POST", "/v1/datasets?name=pg.csv", { text: csv })).body;
    expect((await http(b.url, "GET", `/v1/datasets/${ds.id}`)).body).toEqual(ds);
    const store = await Store.open({ dataDir: dir, databaseUrl: url });
    try {
      expect(Array.from((await store.loadSeries(ds.id))!.data)).toEqual(Array.from(parseSeriesCsv(csv).data));
    } finally {
      await store.close();
    }
    // Submitted to node b (which runs it), followed and fetched on node a through the shared store.
    const job = (await http(b.url, "POST", "/v1/jobs", { json: { dataset: ds.id, method: "corr", maxLag: 2 } })).body;
    const events = await readSse(`${a.url}/v1/jobs/${job.id}/events`, { timeoutMs: 20_000 });
    const done = events.at(-1)!.data;
    expect(done.state).toBe("succeeded");
    expect(done.worker).toMatch(new RegExp(`:${process.pid}/thread-0$`));
    const graph = (await http(a.url, "GET", `/v1/jobs/${job.id}/graph`)).body;
    expect(graph.edges[0]).toMatchObject({ cause: "x0", effect: "x1", lag: 1 });
  });
});
