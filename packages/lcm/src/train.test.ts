import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useBackend } from "@causeway/core";
import { maxAbsDiff } from "@causeway/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveArchitecture } from "./config.js";
import { DEFAULT_RECIPE, validationSet, type TrainingExample } from "./data.js";
import { loadModel } from "./io.js";
import type { LcmModel } from "./model.js";
import { learningRate, resolveTrainConfig, trainLcm, validationAuroc, type TrainConfig } from "./train.js";

const TINY_CONFIG = (outDir: string): TrainConfig =>
  resolveTrainConfig({
    outDir,
    architecture: { vMax: 4, maxLag: 2, lMax: 32, dModel: 16, heads: 2, layers: 2, dFf: 16, headHidden: 32, edgeHidden: 8 },
    recipe: { minLength: 40, maxLength: 80, poolSize: 16, refreshPerStep: 2 },
    steps: 12,
    batchSize: 4,
    warmup: 2,
    validationSize: 8,
    validateEvery: 4,
    checkpointEvery: 4,
    backend: "wasm",
  });

describe("trainLcm (tiny model, wasm)", () => {
  let dir: string;
  beforeAll(async () => {
    await useBackend("wasm");
    dir = await mkdtemp(join(tmpdir(), "lcm-train-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the best model, its curve and a checkpoint; a resumed run continues the same stream", async () => {
    const straight = join(dir, "straight");
    const split = join(dir, "split");
    const events: number[] = [];
    const a = await trainLcm(TINY_CONFIG(straight), { onProgress: (e) => events.push(e.step ?? -1) });
    expect(a.step).toBe(12);
    expect(a.stopped).toBe("steps");
    expect(events).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const curve = JSON.parse(await readFile(join(straight, "training.json"), "utf8")) as { config: { outDir: string }; history: { step: number; auroc: number; paddedAuroc: number }[] };
    expect(curve.history.map((p) => p.step)).toEqual([4, 8, 12]);
    expect(curve.config.outDir).toBe("straight"); // the folder's name, never a path of the training machine
    const meta = JSON.parse(await readFile(join(straight, "model.json"), "utf8")) as { userDefinedMetadata: { config: { outDir: string } } };
    expect(meta.userDefinedMetadata.config.outDir).toBe("straight");
    const saved = await loadModel(join(straight, "model.json"));
    expect(saved.parameterCount).toBe(a.model.parameterCount);
    // The curve holds the AUROC of the model validated at each point: recomputed on the same
    // validation set (seed + 1), the last point is the returned model's and the best is model.json's.
    const c = TINY_CONFIG(straight);
    const validation = validationSet(c.seed + 1, c.validationSize, resolveArchitecture(c.architecture), { ...DEFAULT_RECIPE, ...c.recipe });
    expect(a.history.map((p) => p.auroc)).toEqual(curve.history.map((p) => p.auroc));
    expect(a.bestAuroc).toBe(Math.max(...curve.history.map((p) => p.auroc)));
    const last = await validationAuroc(a.model, validation);
    expect(last.auroc).toBeCloseTo(curve.history[2].auroc, 6);
    expect(last.paddedAuroc).toBeCloseTo(curve.history[2].paddedAuroc, 6);
    expect((await validationAuroc(saved, validation)).auroc).toBeCloseTo(a.bestAuroc, 6);

    // Two sittings (8 steps, then resume for the rest) end on exactly the same weights.
    const first = await trainLcm(TINY_CONFIG(split), { maxStepsThisRun: 8 });
    expect(first.stopped).toBe("sitting");
    first.model.dispose();
    const second = await trainLcm(TINY_CONFIG(split), { resume: true });
    expect(second.step).toBe(12);
    const wa = a.model.namedWeights();
    const wb = second.model.namedWeights();
    for (let i = 0; i < wa.length; i++) expect(maxAbsDiff(wa[i][1].dataSync(), wb[i][1].dataSync())).toBeLessThan(1e-6);
    for (const m of [a.model, second.model, saved]) m.dispose();
  }, 60_000);

  it("validationAuroc averages per-pair AUROCs, real entries and padded ones apart (hand-computed)", async () => {
    // three pairs of 4 entries; the stub model answers these probabilities in call order
    const probs = [
      [0.9, 0.2, 0.5, 0.95], // real [1, 1, 1, 0], edge 0: real AUROC 1; padded: 0.9 beats 0.2, 0.5, not 0.95 -> 2/3
      [0.6, 0.3, 0.1, 0.1], // real [1, 1, 0, 0], edge 1: real AUROC 0; padded: 0.3 beats the two 0.1 -> 2/3
      [0.5, 0.5, 0.5, 0.5], // no edge: left out of both averages
    ];
    const example = (real: number[], label: number[]): TrainingExample => ({
      x: new Float32Array(2),
      corr: new Float32Array(4),
      stats: new Float32Array(4),
      edge: new Float32Array(0),
      label: Float32Array.from(label),
      corrTarget: new Float32Array(4),
      real: Uint8Array.from(real),
      vars: 2,
    });
    const examples = [example([1, 1, 1, 0], [1, 0, 0, 0]), example([1, 1, 0, 0], [0, 1, 0, 0]), example([1, 1, 1, 1], [0, 0, 0, 0])];
    let next = 0;
    const stub = {
      outputSize: 4,
      predictBatch: async (_buffers: unknown, n: number) => Float32Array.from(probs.slice(next, (next += n)).flat()),
    } as unknown as LcmModel;
    const v = await validationAuroc(stub, examples, 2); // two batches: 2 + 1
    expect(next).toBe(3);
    expect(v.auroc).toBe(0.5);
    expect(v.paddedAuroc).toBeCloseTo(2 / 3, 15);
  });

  it("validates the config and warms the learning rate up, then decays it to minLr", () => {
    expect(() => resolveTrainConfig({ outDir: "x", steps: 0 })).toThrow(/"steps" must be a positive integer/);
    expect(() => resolveTrainConfig({ outDir: "x", architecture: { heads: 3 } })).toThrow(/must divide dModel/);
    const c = resolveTrainConfig({ outDir: "x", lr: 1e-3, minLr: 1e-5, warmup: 10, steps: 110 });
    expect(learningRate(c, 0)).toBeCloseTo(1e-4, 12);
    expect(learningRate(c, 9)).toBeCloseTo(1e-3, 12);
    expect(learningRate(c, 60)).toBeCloseTo(1e-5 + 0.5 * (1e-3 - 1e-5), 12); // half-way: cos(pi/2) = 0
    expect(learningRate(c, 110)).toBeCloseTo(1e-5, 12);
  });
});
