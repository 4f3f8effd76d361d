import fs from "node:fs";
import * as tf from "@tensorflow/tfjs-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { probeBackend, useBackend } from "@causeway/core";
import "./index.js";
import { WASM_MISSING_KERNELS } from "./wasm-fallbacks.js";

describe("wasm backend", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it("loads the SIMD binary from the installed package, without the network", async () => {
    // This file runs in its own process, so wasm is initialised here for the first time.
    const fetchSpy = vi.fn(() => Promise.reject(new Error("network used")));
    vi.stubGlobal("fetch", fetchSpy);
    const reads: string[] = [];
    const readFileSync = fs.readFileSync;
    vi.spyOn(fs, "readFileSync").mockImplementation(((path: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
      if (String(path).endsWith(".wasm")) reads.push(String(path));
      return (readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
    }) as typeof fs.readFileSync);
    expect(await useBackend("wasm")).toBe("wasm");
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatch(/@tensorflow\/tfjs-backend-wasm\/dist\/tfjs-backend-wasm-simd\.wasm$/);
  });

  it("reports SIMD on and threads off in Node", async () => {
    const probe = await probeBackend("wasm");
    expect(probe.available).toBe(true);
    expect(probe.detail).toMatch(/^simd yes, threads no \(tfjs-backend-wasm runs single-threaded in Node\)$/);
  });

  it("has every kernel the cpu backend has for training convolutions", async () => {
    await useBackend("wasm");
    for (const name of WASM_MISSING_KERNELS) expect(tf.getKernel(name, "wasm"), name).toBeDefined();
  });

  it("computes conv1d filter gradients and einsum on wasm like cpu, without leaking", async () => {
    const run = async () => {
      const t = tf.tidy(() => {
        const x = tf.tensor3d(Array.from({ length: 2 * 12 * 2 }, (_, i) => Math.sin(i)), [2, 12, 2]); // [batch, time, in]
        const k = tf.tensor3d(Array.from({ length: 3 * 2 * 3 }, (_, i) => Math.cos(i)), [3, 2, 3]); // [width, in, out]
        const gk = tf.grad((kk: tf.Tensor) => tf.sum(tf.square(tf.conv1d(x, kk as tf.Tensor3D, 1, "valid"))))(k);
        const e = tf.einsum("btc,co->bto", x, k.slice([0, 0, 0], [1, 2, 3]).reshape([2, 3])); // [batch, time, out]
        return tf.concat([gk.flatten(), e.flatten()]);
      });
      const v = await t.data();
      t.dispose();
      return Array.from(v);
    };
    await useBackend("cpu");
    const want = await run();
    await useBackend("wasm");
    const before = tf.memory().numTensors;
    const got = await run();
    expect(tf.memory().numTensors).toBe(before);
    expect(got).toHaveLength(want.length);
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 4));
  });

  it("switches between cpu and wasm with gradients available", async () => {
    for (const name of ["cpu", "wasm"] as const) {
      expect(await useBackend(name)).toBe(name);
      expect(tf.getBackend()).toBe(name);
      const g = tf.grad((a: tf.Tensor) => tf.mean(tf.square(a)))(tf.tensor1d([1, 2, 3]));
      expect(Array.from(await g.data())).toEqual([expect.closeTo(2 / 3, 6), expect.closeTo(4 / 3, 6), expect.closeTo(2, 6)]);
    }
  });
});
