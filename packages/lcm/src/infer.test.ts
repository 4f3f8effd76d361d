import * as tf from "@tensorflow/tfjs-core";
import { useBackend } from "@causeway/core";
import { generateVar } from "@causeway/synth";
import { maxAbsDiff } from "@causeway/test-utils";
import { beforeAll, describe, expect, it } from "vitest";
import { forwardPasses, predictScores } from "./infer.js";
import { lcmMethod } from "./method.js";
import { LcmModel } from "./model.js";

const ARCH = { vMax: 6, maxLag: 2, lMax: 32, dModel: 16, heads: 2, layers: 2, dFf: 16, headHidden: 16, edgeHidden: 8 };

/** A model whose global head outputs 0: only the (permutation-equivariant) edge MLP speaks. */
function edgeOnlyModel(): LcmModel {
  const model = new LcmModel(ARCH, 4);
  model.downW.w.assign(tf.zerosLike(model.downW.w));
  model.downW.b!.assign(tf.zerosLike(model.downW.b!));
  // A non-trivial edge MLP: larger first-layer weights so entries differ clearly.
  model.edgeMlp[0].w.assign(tf.mul(model.edgeMlp[0].w, 3));
  return model;
}

describe("predictScores", () => {
  beforeAll(async () => {
    await useBackend("wasm");
  });

  it("un-permutes test-time augmentation: an equivariant model gives the same scores with and without it", async () => {
    const model = edgeOnlyModel();
    const { series } = generateVar({ vars: 5, length: 200, maxLag: 2, seed: 3 });
    const plain = await predictScores(model, series);
    const tta = await predictScores(model, series, { tta: 4, seed: 9 });
    expect(plain.info.passes).toBe(1);
    expect(tta.info.passes).toBe(5);
    expect(maxAbsDiff(plain.scores.data, tta.scores.data)).toBeLessThan(1e-5);
    // ... and the scores are not all alike (the check above is not vacuous).
    expect(Math.max(...plain.scores.data) - Math.min(...plain.scores.data)).toBeGreaterThan(0.05);
    model.dispose();
  });

  it("scores every pair of a series wider than vMax through covering subsets, at the stated cost", async () => {
    const model = new LcmModel(ARCH, 5);
    const { series } = generateVar({ vars: 13, length: 150, maxLag: 2, seed: 4 });
    const { scores, info } = await predictScores(model, series, { windows: 2 });
    // G = ceil(13 / 3) = 5 groups -> C(5, 2) = 10 subsets, times 2 windows.
    expect(info.subsets).toBe(10);
    expect(info.passes).toBe(20);
    expect(forwardPasses(13, 6, 2)).toBe(20);
    expect(scores.data.length).toBe(13 * 13 * 2);
    expect(scores.data.every((s) => s > 0 && s < 1)).toBe(true); // every entry was scored (unscored stay 0)
    model.dispose();
  });

  it("rejects a maxLag beyond the model's and bad options", async () => {
    const model = new LcmModel(ARCH, 6);
    const { series } = generateVar({ vars: 3, length: 60, maxLag: 1, seed: 1 });
    await expect(predictScores(model, series, { maxLag: 3 })).rejects.toThrow(/maxLag must be in 1..2/);
    await expect(predictScores(model, series, { tta: -1 })).rejects.toThrow(/tta/);
    model.dispose();
  });
});

describe("lcm method with the shipped v1 model (by name)", () => {
  it("finds the edges of a linear VAR zero-shot (lagged AUROC > 0.9) and reports probabilities", async () => {
    const { series, truth } = generateVar({ vars: 5, length: 500, maxLag: 3, seed: 11 });
    const graph = await lcmMethod.discover(series, { maxLag: 3, seed: 0, backend: "wasm", params: { model: "lcm-v12-l3" } });
    const { auroc } = await import("@causeway/metrics");
    const idx = new Map(truth.variables.map((v, i) => [v, i]));
    const labels = new Array<number>(5 * 5 * 3).fill(0);
    for (const e of truth.edges) labels[(idx.get(e.effect)! * 5 + idx.get(e.cause)!) * 3 + e.lag - 1] = 1;
    const flat = graph.scores.flat(2);
    expect(auroc(flat, labels)).toBeGreaterThan(0.9);
    expect(graph.meta.probabilities).toBe(true);
    expect(flat.every((s) => s >= 0 && s <= 1)).toBe(true);
  });
});

describe("the shipped model across backends", () => {
  it("is loaded once per backend, and every copy gives the same scores", async () => {
    const { loadDefaultModel } = await import("./io.js");
    const { series } = generateVar({ vars: 4, length: 120, maxLag: 2, seed: 5 });
    await useBackend("wasm");
    const onWasm = await loadDefaultModel();
    expect(await loadDefaultModel()).toBe(onWasm);
    const a = await predictScores(onWasm, series);
    await useBackend("cpu");
    const onCpu = await loadDefaultModel();
    expect(onCpu).not.toBe(onWasm);
    const b = await predictScores(onCpu, series);
    await useBackend("wasm");
    const c = await predictScores(await loadDefaultModel(), series);
    expect(maxAbsDiff(a.scores.data, b.scores.data)).toBeLessThan(1e-4);
    expect(maxAbsDiff(a.scores.data, c.scores.data)).toBe(0);
  });
});
