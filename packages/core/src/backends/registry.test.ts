import * as tf from "@tensorflow/tfjs-core";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import {
  BackendUnavailableError,
  listBackends,
  missingPackage,
  probeBackend,
  registerBackendProvider,
  resolveBackend,
  useBackend,
  type BackendProvider,
} from "./registry.js";

// This file imports no backend package: only cpu is registered until a test registers a provider.

describe("backend registry", () => {
  it("lists every backend, those whose package is not imported with the package to install", async () => {
    const list = await listBackends();
    expect(list.map((b) => b.name)).toEqual(["cpu", "wasm", "webgpu", "cuda"]);
    expect(list.find((b) => b.name === "cpu")?.available).toBe(true);
    for (const name of ["webgpu", "cuda"]) {
      const b = list.find((x) => x.name === name);
      expect(b?.available).toBe(false);
      expect(b?.reason).toBe(`@causeway/backend-${name} is not installed or not imported`);
      expect(b?.fix).toBe(`install @causeway/backend-${name} and import it once (import "@causeway/backend-${name}")`);
    }
  });
  it("rejects unknown names with the valid list", async () => {
    await expect(resolveBackend("tpu")).rejects.toThrow(/valid backends: auto, cpu, wasm, webgpu, cuda/);
  });
  it("refuses a backend whose package is not imported, naming the package", async () => {
    await expect(useBackend("cuda")).rejects.toThrow(BackendUnavailableError);
    await expect(useBackend("cuda")).rejects.toThrow(
      'backend "cuda" is not available: @causeway/backend-cuda is not installed or not imported. Fix: install @causeway/backend-cuda and import it once (import "@causeway/backend-cuda")',
    );
  });
  it("auto resolves among the registered backends only", async () => {
    expect(await resolveBackend("auto")).toBe("cpu");
  });
  it("registers a provider, which auto and useBackend then use", async () => {
    let registered = 0;
    // a stand-in for @causeway/backend-wasm: the cpu kernels under another tfjs name
    const fake: BackendProvider = {
      name: "wasm",
      description: "test provider",
      tfName: "fake-wasm",
      probe: async () => ({ available: true, fast: true, detail: "fake" }),
      register: async () => {
        registered++;
        if (tf.findBackendFactory("fake-wasm")) return;
        tf.registerBackend("fake-wasm", () => new MathBackendCPU(), 0);
        for (const k of tf.getKernelsForBackend("cpu")) tf.registerKernel({ ...k, backendName: "fake-wasm" });
      },
    };
    expect((await probeBackend("wasm")).available).toBe(false);
    registerBackendProvider(fake);
    registerBackendProvider(fake); // again: nothing changes
    expect(await probeBackend("wasm")).toEqual({ available: true, fast: true, detail: "fake" });
    expect((await listBackends()).find((b) => b.name === "wasm")?.description).toBe("test provider");
    expect(await resolveBackend("auto")).toBe("wasm");
    expect(await useBackend("wasm")).toBe("wasm");
    expect(tf.getBackend()).toBe("fake-wasm");
    expect(registered).toBe(1);
    // gradients are loaded with the backend
    const g = tf.grad((a: tf.Tensor) => tf.mean(tf.square(a)))(tf.tensor1d([1, 2, 3]));
    expect(Array.from(await g.data())).toEqual([expect.closeTo(2 / 3, 6), expect.closeTo(4 / 3, 6), expect.closeTo(2, 6)]);
    expect(await useBackend("cpu")).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
  });
  it("rejects a provider with an unknown name, and a replacement for cpu", () => {
    const bad = { name: "tpu", description: "", probe: async () => ({ available: true }), register: async () => undefined } as unknown as BackendProvider;
    expect(() => registerBackendProvider(bad)).toThrow(InputError);
    expect(() => registerBackendProvider({ ...bad, name: "cpu" })).toThrow(/cpu backend is built into @causeway\/core/);
  });
  it("names the optional package a failed import lacks", () => {
    // Node's and bundlers' wording for a backend package that is not installed.
    expect(missingPackage("Cannot find package '@tensorflow/tfjs-backend-wasm' imported from /app/node_modules/@causeway/backend-wasm/dist/wasm.js")).toBe("@tensorflow/tfjs-backend-wasm");
    expect(missingPackage("Cannot find module '@tensorflow/tfjs' imported from /x.js")).toBe("@tensorflow/tfjs");
    expect(missingPackage("Cannot find package 'webgpu' imported from /x.js")).toBe("webgpu");
    expect(missingPackage("Cannot find package 'lodash' imported from /x.js")).toBeUndefined();
    expect(missingPackage("WebAssembly.instantiate(): out of memory")).toBeUndefined();
  });
});
