import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { probeBackend, resolveBackend, shutdownBackends, useBackend, activeBackend, BackendUnavailableError } from "@causeway/core";
import "@causeway/backend-wasm";
import { describeAdapter, isSoftwareAdapter, missingMesaPackages, webgpuProvider } from "./index.js";

// Adapter infos as Dawn reports them (webgpu 0.6.2), copied from real runs.
const LLVMPIPE = { vendor: "", architecture: "", device: "llvmpipe-llvm-15-0-6-256-bits-", description: "OpenGL version OpenGL ES 3.2 Mesa 22.3.6", isFallbackAdapter: false };
const SWIFTSHADER = { vendor: "google", architecture: "swiftshader", device: "swiftshader-device-subzero-", description: "SwiftShader driver 5.0.0", isFallbackAdapter: true };
const NVIDIA = { vendor: "nvidia", architecture: "hopper", device: "", description: "NVIDIA H100 80GB HBM3", isFallbackAdapter: false };

const probe = await probeBackend("webgpu");

describe("webgpu adapter classification", () => {
  it("marks CPU implementations as software and real GPUs as hardware", () => {
    expect(isSoftwareAdapter(LLVMPIPE)).toBe(true);
    expect(isSoftwareAdapter(SWIFTSHADER)).toBe(true);
    expect(isSoftwareAdapter({ ...SWIFTSHADER, vendor: "", architecture: "", description: "", device: "" })).toBe(true); // the fallback flag alone
    expect(isSoftwareAdapter({ description: "some gpu" }, true)).toBe(true);
    expect(isSoftwareAdapter(NVIDIA)).toBe(false);
    expect(isSoftwareAdapter(undefined)).toBe(false);
  });
  it("names an adapter by its description and device", () => {
    expect(describeAdapter(LLVMPIPE)).toBe("OpenGL version OpenGL ES 3.2 Mesa 22.3.6 (llvmpipe-llvm-15-0-6-256-bits-)");
    expect(describeAdapter(SWIFTSHADER)).toBe("SwiftShader driver 5.0.0 (google, swiftshader, swiftshader-device-subzero-)");
    expect(describeAdapter(undefined)).toBe("unnamed adapter");
  });
  it("lists the Debian packages whose files are missing", () => {
    const have = new Set(["/usr/lib/x86_64-linux-gnu/libEGL.so.1", "/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so"]);
    expect(missingMesaPackages(["/opt/none", "/usr/lib/x86_64-linux-gnu"], (p) => have.has(p))).toEqual([
      "libEGL_mesa.so.0 (libegl-mesa0)",
      "libGLESv2.so.2 (libgles2)",
    ]);
    expect(missingMesaPackages(["/nowhere"], () => false)).toHaveLength(4);
  });
});

describe("webgpu probe", () => {
  it("reports an adapter, or the exact reason and the fix", () => {
    if (probe.available) {
      expect(probe.detail).toMatch(/^adapter: \S/);
      expect(typeof probe.fast).toBe("boolean");
      if (probe.fast === false) expect(probe.detail).toMatch(/software adapter/);
    } else {
      expect(probe.reason).toMatch(/^(no WebGPU adapter: |the `webgpu` package)/);
      expect(probe.fix).toBeTruthy();
      if (process.platform === "linux" && probe.reason?.startsWith("no WebGPU adapter")) expect(probe.fix).toMatch(/libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri/);
    }
  });
  it("does not change the active backend", async () => {
    await useBackend("cpu");
    await webgpuProvider.probe();
    expect(tf.getBackend()).toBe("cpu");
    expect(activeBackend()).toBe("cpu");
  });
  it("auto never picks a software GPU adapter", async () => {
    const cuda = await probeBackend("cuda");
    const expected = cuda.available ? "cuda" : probe.available && probe.fast !== false ? "webgpu" : "wasm";
    expect(await resolveBackend("auto")).toBe(expected);
    if (probe.fast === false) expect(await resolveBackend("auto")).not.toBe("webgpu");
  });
});

describe.skipIf(!probe.available)("webgpu backend in this process", () => {
  it("computes, shuts down, and comes back", async () => {
    expect(await useBackend("webgpu")).toBe("webgpu");
    const square = async () => {
      const t = tf.square(tf.range(0, 4));
      const v = Array.from(await t.data());
      t.dispose();
      return v;
    };
    expect(await square()).toEqual([0, 1, 4, 9]);
    await shutdownBackends();
    expect(activeBackend()).toBeNull();
    expect(await useBackend("webgpu")).toBe("webgpu");
    expect(await square()).toEqual([0, 1, 4, 9]);
    await useBackend("cpu");
  });
  it("falls back to the previous backend when the adapter disappears", async () => {
    const dawn = (await import("webgpu" as string)) as { globals: { GPU: { prototype: { requestAdapter: unknown } } } };
    const proto = dawn.globals.GPU.prototype;
    const original = proto.requestAdapter;
    await useBackend("cpu");
    await shutdownBackends(); // forget the initialised webgpu backend so the next use asks for an adapter
    await useBackend("cpu");
    proto.requestAdapter = async () => null;
    try {
      await expect(useBackend("webgpu")).rejects.toThrow(BackendUnavailableError);
      expect(tf.getBackend()).toBe("cpu");
      const t = tf.add(tf.scalar(1), 2);
      expect(await t.data()).toEqual(new Float32Array([3]));
      t.dispose();
    } finally {
      proto.requestAdapter = original;
    }
    expect(await useBackend("webgpu")).toBe("webgpu");
    await useBackend("cpu");
  });
});

/**
 * Run a script in a fresh Node (TypeScript through tsx): Dawn must not keep the process alive. One
 * that has not exited by itself after 45 s (under the 60 s test timeout) is killed (exit code null), so the tests need no clock.
 */
function runChild(code: string, nodeArgs: string[] = []): Promise<{ code: number | null; out: string }> {
  const cwd = fileURLToPath(new URL("..", import.meta.url));
  return new Promise((resolve, reject) => {
    const args = [...nodeArgs, "--import", "tsx", "--conditions=@causeway/source", "--input-type=module", "-e", code];
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const killer = setTimeout(() => child.kill("SIGKILL"), 45_000);
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("exit", (exitCode) => {
      clearTimeout(killer);
      resolve({ code: exitCode, out });
    });
  });
}

describe("processes that touch webgpu exit by themselves (exit code 0, not killed after 45 s)", () => {
  const index = JSON.stringify(new URL("./index.ts", import.meta.url).href);
  it("after probing", async () => {
    const r = await runChild(`await import(${index}); const c = await import("@causeway/core"); const p = await c.probeBackend("webgpu"); await c.listBackends(); console.log("DONE", p.available);`);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`DONE ${probe.available}`);
  });
  it.skipIf(!probe.available)("after computing on webgpu without shutdownBackends", async () => {
    const r = await runChild(
      `await import(${index}); const c = await import("@causeway/core"); const tf = await import("@tensorflow/tfjs-core"); await c.useBackend("webgpu"); const t = tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])); const v = await t.data(); console.log("DONE", v[0]);`,
    );
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("DONE 64");
  });
});

it("without the `webgpu` package, the probe says so and how to install it", async () => {
  // A resolve hook that hides the package, as on a machine that skipped the optional peer.
  const hook = `export async function resolve(s, c, next) { if (s === "webgpu") { const e = new Error("Cannot find package 'webgpu'"); e.code = "ERR_MODULE_NOT_FOUND"; throw e; } return next(s, c); }`;
  const hide = `data:text/javascript,${encodeURIComponent(`import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`)}`;
  const index = JSON.stringify(new URL("./index.ts", import.meta.url).href);
  const r = await runChild(`await import(${index}); const c = await import("@causeway/core"); console.log("DONE", JSON.stringify(await c.probeBackend("webgpu")));`, ["--import", hide]);
  expect(r.code, r.out).toBe(0);
  const probe = JSON.parse(r.out.slice(r.out.indexOf("DONE ") + 5).split("\n")[0]) as { available: boolean; reason: string; fix: string };
  expect(probe).toEqual({ available: false, reason: "the `webgpu` package is not installed", fix: expect.stringMatching(/^npm install webgpu@0\.6\.2/) });
});
