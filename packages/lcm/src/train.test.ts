import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useBackend } from "@causeway/core";
import { maxAbsDiff } from "@causeway/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "./io.js";
import { learningRate, resolveTrainConfig, trainLcm, type TrainConfig } from "./train.js";

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
    const curve = JSON.parse(await readFile(join(straight, "training.json"), "utf8")) as { config: { outDir: string }; history: { step: number; auroc: number }[] };
    expect(curve.history.map((p) => p.step)).toEqual([4, 8, 12]);
    expect(curve.config.outDir).toBe("straight"); // the folder's name, never a path of the training machine
    const meta = JSON.parse(await readFile(join(straight, "model.json"), "utf8")) as { userDefinedMetadata: { config: { outDir: string } } };
    expect(meta.userDefinedMetadata.config.outDir).toBe("straight");
    for (const p of curve.history) expect(p.auroc).toBeGreaterThan(0);
    const saved = await loadModel(join(straight, "model.json"));
    expect(saved.parameterCount).toBe(a.model.parameterCount);

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
