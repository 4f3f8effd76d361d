// `pnpm causeway serve` must not outlive its launcher (issue #15): the root script runs one node
// process (no tsx CLI in between), and `serve` stops once its parent is gone, even after a
// `kill -9` that could pass no signal on. A stand-in for pnpm starts the script as pnpm does
// (`sh -c "<script> <args>"`) and is killed with SIGKILL; the server's port must close.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { childEnv } from "./env.js";
import { freshDataDir, removeDataDirs, spawnMain } from "./test-helpers.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const script: string = JSON.parse(readFileSync(`${root}package.json`, "utf8")).scripts.causeway;

afterAll(removeDataDirs);

describe("the causeway entry", () => {
  it("is a single node process: sh execs node with tsx loaded in it", () => {
    expect(script).toMatch(/^exec node --conditions=@causeway\/source --import tsx apps\/cli\/src\/main\.ts$/);
  });

  it("refuses, in one line, to listen beyond loopback without a token", async () => {
    const started = spawnMain(["serve", "--host", "0.0.0.0", "--port", "0", "--data", await freshDataDir()]);
    const err = await started.then(
      () => "",
      (e: Error) => e.message,
    );
    expect(err).toMatch(/exited \(2\) before it was ready; stderr: causeway serve: refusing to listen on 0\.0\.0\.0 without a token: set CAUSEWAY_TOKEN, listen on 127\.0\.0\.1, or pass --insecure-no-token \(CAUSEWAY_ALLOW_NO_TOKEN=1\) to allow it\n$/);
  }, 60_000);

  it("stops serving when the process that started it is killed with SIGKILL", async () => {
    const dataDir = await freshDataDir();
    const launcher = `const { spawn } = require("node:child_process"); spawn("sh", ["-c", process.argv[1]], { stdio: "inherit" });`;
    const command = `${script} serve --port 0 --workers 1 --data '${dataDir}'`;
    const parent = spawn(process.execPath, ["-e", launcher, command], { cwd: root, env: childEnv({ CAUSEWAY_LOG_LEVEL: "silent" }), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    parent.stderr.on("data", (d: Buffer) => (err += d.toString()));
    // The pipes stay open while anyone holds them: after the launcher dies, only the server does.
    const pipesClosed = new Promise<void>((resolve) => parent.stdout.on("close", resolve));
    const url = await new Promise<string>((resolve, reject) => {
      parent.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      parent.stdout.on("close", () => reject(new Error(`the server did not start: ${err}`)));
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    parent.kill("SIGKILL");
    // Bounded: the server checks its parent every second and then stops.
    let closed = false;
    for (let i = 0; i < 300 && !closed; i++) {
      closed = await fetch(`${url}/healthz`).then(
        () => false,
        () => true,
      );
      if (!closed) await new Promise((r) => setTimeout(r, 100));
    }
    expect(closed).toBe(true);
    await pipesClosed;
    expect(err).toMatch(/causeway serve: parent exited, stopping/);
  }, 90_000);
});
