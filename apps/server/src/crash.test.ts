// Crash test: a server process killed (SIGKILL) mid-job, then restarted on the same data directory,
// leaves no job "running": the interrupted one is failed with the reason, the queued one runs.
// A clean stop (SIGTERM) puts the running job back in the queue instead.
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CRASH_REASON } from "./dispatcher.js";
import { readConfig } from "./env.js";
import { startServer } from "./server.js";
import { freshDataDir, http, plantedCsv, removeDataDirs, spawnMain, waitFor, type ChildProcessServer } from "./test-helpers.js";

const slowModule = fileURLToPath(new URL("./test-slow-method.ts", import.meta.url));
const env = { CAUSEWAY_METHOD_MODULES: slowModule, CAUSEWAY_LOG_LEVEL: "silent" };

describe("crash and restart (server as a child process)", () => {
  const children: ChildProcessServer[] = [];
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGKILL");
    await removeDataDirs();
  });

  it("fails the job that was running at a kill, re-runs the queued one, and re-queues on a clean stop", async () => {
    const dataDir = await freshDataDir();
    const args = ["serve", "--host", "127.0.0.1", "--port", "0", "--data", dataDir, "--workers", "1"];
    const first = await spawnMain(args, env);
    children.push(first);
    const base = first.url;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const ds = (await http(base, "POST", "/v1/datasets", { text: plantedCsv(40) })).body;
    const sleep = (ms: number) => http(base, "POST", "/v1/jobs", { json: { dataset: ds.id, method: "sleep", maxLag: 1, params: { ms, steps: 100 } } });
    const long = (await sleep(60_000)).body;
    const queued = (await sleep(200)).body; // one thread: waits behind the long job
    await waitFor(async () => ((await http(base, "GET", `/v1/jobs/${long.id}`)).body.state === "running" ? true : undefined), "the long job to run");
    expect((await http(base, "GET", `/v1/jobs/${queued.id}`)).body.state).toBe("queued");

    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");

    // Restart on the same directory (the dead process's pid file does not block it).
    const second = await spawnMain(args, env);
    children.push(second);
    const b2 = second.url;
    // While it runs, no other process opens the same embedded store.
    await expect(startServer(readConfig({ port: 0, dataDir, logLevel: "silent" }, {}))).rejects.toThrow(
      new RegExp(`data directory .* is in use by process ${second.child.pid}`),
    );
    const crashed = (await http(b2, "GET", `/v1/jobs/${long.id}`)).body;
    expect(crashed).toMatchObject({ state: "failed", error: CRASH_REASON, attempts: 1 });
    expect(crashed.finishedAt).not.toBeNull();
    const rerun = await waitFor(async () => {
      const j = (await http(b2, "GET", `/v1/jobs/${queued.id}`)).body;
      return j.state === "succeeded" ? j : undefined;
    }, "the queued job to run after the restart");
    expect(rerun.attempts).toBe(1);
    expect((await http(b2, "GET", `/v1/jobs/${queued.id}/graph`)).body.format).toBe("causeway.graph/v1");

    // A clean stop: the running job goes back to "queued" and runs again on the next start.
    const third = (await http(b2, "POST", "/v1/jobs", { json: { dataset: ds.id, method: "sleep", maxLag: 1, params: { ms: 60_000, steps: 100 } } })).body;
    await waitFor(async () => ((await http(b2, "GET", `/v1/jobs/${third.id}`)).body.state === "running" ? true : undefined), "the third job to run");
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    // (In this process this time: quicker than a third child.)
    const again = await startServer(readConfig({ host: "127.0.0.1", port: 0, dataDir, workers: 1, logLevel: "silent", methodModules: [slowModule] }, {}));
    try {
      const rerunning = await waitFor(async () => {
        const j = (await http(again.url, "GET", `/v1/jobs/${third.id}`)).body;
        return j.state === "running" ? j : undefined;
      }, "the re-queued job to run again");
      expect(rerunning.attempts).toBe(2);
      expect((await http(again.url, "DELETE", `/v1/jobs/${third.id}`)).body.state).toBe("cancelled");
    } finally {
      await again.close();
    }
  });
});
