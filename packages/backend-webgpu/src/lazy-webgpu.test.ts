import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { linuxGpuDevicePresent } from "./webgpu.js";

// Each child imports this package (and wasm's), which register their providers, then core.

/** Run a module script in a fresh Node (TypeScript through tsx); stdout and stderr together. */
function runChild(code: string): Promise<{ code: number | null; out: string }> {
  const cwd = fileURLToPath(new URL("..", import.meta.url));
  return new Promise((resolve, reject) => {
    const args = ["--import", "tsx", "--conditions=@causeway/source", "--input-type=module", "-e", code];
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("exit", (exitCode) => {
      clearTimeout(killer);
      resolve({ code: exitCode, out });
    });
  });
}

const index = JSON.stringify(new URL("./index.ts", import.meta.url).href);
// true once any file of the `webgpu` package (Dawn's Node binding) is in the module cache
const dawnLoaded = `(() => { const cache = createRequire(process.cwd() + "/").cache; return Object.keys(cache).some((k) => /[\\\\/]node_modules[\\\\/]webgpu[\\\\/]/.test(k)); })()`;

describe("the WebGPU stack loads only when webgpu is asked for", () => {
  it("auto, cpu and wasm runs never load Dawn nor print its driver warnings", async () => {
    const r = await runChild(
      `import { createRequire } from "node:module";
       await import(${index}); await import("@causeway/backend-wasm"); const c = await import("@causeway/core");
       const tf = await import("@tensorflow/tfjs-core");
       for (const choice of ["auto", "cpu", "wasm"]) {
         const name = await c.useBackend(choice);
         const v = await tf.matMul(tf.ones([8, 8]), tf.ones([8, 8])).data();
         console.log("RUN", choice, name, v[0], "dawn", ${dawnLoaded});
       }`,
    );
    expect(r.code, r.out).toBe(0);
    const runs = r.out.split("\n").filter((l) => l.startsWith("RUN "));
    expect(runs, r.out).toHaveLength(3);
    for (const line of runs) expect(line).toMatch(/ 8 dawn false$/);
    expect(r.out).not.toMatch(/Vulkan|Dawn|maxDynamic/);
  });

  it("probing webgpu by name does load it (where the optional package is installed)", async () => {
    const r = await runChild(`import { createRequire } from "node:module"; await import(${index}); const c = await import("@causeway/core"); const p = await c.probeBackend("webgpu"); console.log("PROBED", p.reason === "the \`webgpu\` package is not installed" ? "absent" : ${dawnLoaded});`);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/PROBED (true|absent)/);
  });

  it("on Linux, auto considers webgpu only where a GPU device node exists", () => {
    const dev = mkdtempSync(join(tmpdir(), "causeway-dev-"));
    try {
      expect(linuxGpuDevicePresent(dev)).toBe(false); // no dri folder, no nvidia0
      mkdirSync(join(dev, "dri"));
      writeFileSync(join(dev, "dri", "card0"), "");
      expect(linuxGpuDevicePresent(dev)).toBe(false); // a display card without a render node
      writeFileSync(join(dev, "dri", "renderD128"), "");
      expect(linuxGpuDevicePresent(dev)).toBe(true);
      rmSync(join(dev, "dri"), { recursive: true });
      writeFileSync(join(dev, "nvidia0"), "");
      expect(linuxGpuDevicePresent(dev)).toBe(true);
    } finally {
      rmSync(dev, { recursive: true, force: true });
    }
  });
});
