import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { listBackends, missingPackage, probeBackend, resolveBackend, useBackend } from "./registry.js";

describe("backend registry", () => {
  it("lists every backend with availability or a reason", async () => {
    const list = await listBackends();
    expect(list.map((b) => b.name)).toEqual(["cpu", "wasm", "webgpu", "cuda"]);
    for (const b of list) if (!b.available) expect(b.reason).toBeTruthy();
    expect(list.find((b) => b.name === "cpu")?.available).toBe(true);
  });
  it("rejects unknown names with the valid list", async () => {
    await expect(resolveBackend("tpu")).rejects.toThrow(/valid backends: auto, cpu, wasm, webgpu, cuda/);
  });
  it("explains how to get cuda when it is missing", async () => {
    const probe = await probeBackend("cuda");
    if (probe.available) return; // a machine with tfjs-node-gpu installed
    expect(probe.reason).toMatch(/^@tensorflow\/tfjs-node-gpu is (not installed|installed but failed to load: )/);
    expect(probe.fix).toMatch(/npm install @tensorflow\/tfjs-node-gpu@4\.22\.0/);
    await expect(useBackend("cuda")).rejects.toThrow(/backend "cuda" is not available: .*\. Fix: .*npm install @tensorflow\/tfjs-node-gpu/);
  });
  it("switches between cpu and wasm with gradients available", async () => {
    for (const name of ["cpu", "wasm"] as const) {
      expect(await useBackend(name)).toBe(name);
      expect(tf.getBackend()).toBe(name);
      const g = tf.grad((a: tf.Tensor) => tf.mean(tf.square(a)))(tf.tensor1d([1, 2, 3]));
      expect(Array.from(await g.data())).toEqual([expect.closeTo(2 / 3, 6), expect.closeTo(4 / 3, 6), expect.closeTo(2, 6)]);
    }
  });
  it("names the optional package a failed import lacks", () => {
    // Node's and bundlers' wording for a backend package that is not installed.
    expect(missingPackage("Cannot find package '@tensorflow/tfjs-backend-wasm' imported from /app/node_modules/@causeway/core/dist/backends/wasm.js")).toBe("@tensorflow/tfjs-backend-wasm");
    expect(missingPackage("Cannot find module '@tensorflow/tfjs' imported from /x.js")).toBe("@tensorflow/tfjs");
    expect(missingPackage("Cannot find package 'webgpu' imported from /x.js")).toBe("webgpu");
    expect(missingPackage("Cannot find package 'lodash' imported from /x.js")).toBeUndefined();
    expect(missingPackage("WebAssembly.instantiate(): out of memory")).toBeUndefined();
  });
});
