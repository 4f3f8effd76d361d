import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../backends/registry.js";
import { Adam } from "./adam.js";
import { AdamW } from "./adamw.js";

describe("AdamW (tensors)", () => {
  beforeAll(async () => {
    await useBackend("cpu");
  });

  it("without decay takes Adam's steps (float64 Adam, to float32 precision)", () => {
    const start = [0.5, -1.25, 2, 0.125]; // [2, 2]
    const grads = [
      [0.3, -2, 0.01, 4],
      [-0.1, 1.5, 0.02, -3],
      [0.2, 0.5, -0.05, 1],
    ];
    const x = tf.variable(tf.tensor2d(start, [2, 2]));
    const opt = new AdamW([x]);
    const ref = Float64Array.from(start);
    const adam = new Adam(4, 0.01);
    for (const g of grads) {
      const gt = tf.tensor2d(g, [2, 2]);
      opt.apply([gt], 0.01, 0);
      gt.dispose();
      adam.step(ref, Float64Array.from(g));
    }
    expect(opt.t).toBe(3);
    const got = x.dataSync();
    for (let i = 0; i < 4; i++) expect(got[i]).toBeCloseTo(ref[i], 6);
    opt.dispose();
    x.dispose();
  });

  it("decays rank >= 2 variables only, decoupled from the gradient (first step by hand)", () => {
    const w = tf.variable(tf.tensor2d([2, -4], [1, 2]));
    const b = tf.variable(tf.tensor1d([2, -4]));
    const before = tf.memory().numTensors;
    const opt = new AdamW([w, b]);
    const g = tf.tensor1d([0.5, -0.25]);
    opt.apply([g.reshape([1, 2]), g], 0.1, 0.01);
    // step 1: mhat = g, vhat = g², so the Adam part is g / (|g| + 1e-8) ≈ sign(g)
    // w -= 0.1 (sign(g) + 0.01 w): 2 - 0.1 (1 + 0.02) = 1.898, -4 - 0.1 (-1 - 0.04) = -3.896
    const wv = w.dataSync();
    expect(wv[0]).toBeCloseTo(1.898, 6);
    expect(wv[1]).toBeCloseTo(-3.896, 6);
    // b (rank 1): no decay: 2 - 0.1 = 1.9, -4 + 0.1 = -3.9
    const bv = b.dataSync();
    expect(bv[0]).toBeCloseTo(1.9, 6);
    expect(bv[1]).toBeCloseTo(-3.9, 6);
    g.dispose();
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before + 1); // the reshaped gradient left; nothing of the step
    tf.dispose([w, b]);
  });
});
