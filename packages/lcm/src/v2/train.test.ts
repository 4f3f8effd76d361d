import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIXTURE_FAMILIES } from "@causeway/synth";
import { V2_FAMILIES, labelsV2, sampleMixtureV2, sampleV2 } from "./data.js";
import { trainLcmV2, type TrainV2Config } from "./train.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lcm-v2-train-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tiny = (outDir: string): Partial<TrainV2Config> => ({
  seed: 3,
  trainSeries: 8,
  valSeriesPerFamily: 1,
  families: { var: 1, nonlinear: 1 },
  ranges: { minVars: 3, maxVars: 5, minLength: 100, maxLength: 300, maxLag: 3 },
  rowsPerSeries: 60,
  hidden: [8],
  epochs: 3,
  batchSize: 32,
  cacheDir: join(dir, "cache"),
  outDir,
});

describe("LCM v2 training data", () => {
  it("draws every family deterministically, with labels within the table's lags", () => {
    for (const family of V2_FAMILIES) {
      const a = sampleV2(42, { [family]: 1 });
      const b = sampleV2(42, { [family]: 1 });
      expect(a.family).toBe(family);
      expect(Array.from(a.series.data.slice(0, 20))).toEqual(Array.from(b.series.data.slice(0, 20)));
      const V = a.series.variables.length;
      expect(V).toBeGreaterThanOrEqual(3);
      expect(a.maxLag).toBeGreaterThanOrEqual(1);
      expect(a.maxLag).toBeLessThanOrEqual(10);
      for (const e of a.truth.edges) if (!a.truth.summaryOnly) expect(e.lag).toBeLessThanOrEqual(a.maxLag);
      const labels = labelsV2(a.truth, a.maxLag);
      expect(labels.reduce((s, v) => s + v, 0)).toBeGreaterThan(0);
    }
  });
});

describe("LCM v2 training data from synth's mixture", () => {
  it("draws each of synth's families on the training side of its seed split (a hashed seed above 1e9 is reduced), deterministically", () => {
    for (const family of MIXTURE_FAMILIES) {
      const a = sampleMixtureV2(4_123_456_789, [family], { minVars: 3, maxVars: 5, minLength: 100, maxLength: 200, maxLag: 10 });
      const b = sampleMixtureV2(4_123_456_789, [family], { minVars: 3, maxVars: 5, minLength: 100, maxLength: 200, maxLag: 10 });
      expect(a.family).toBe(family);
      expect(Array.from(a.series.data.slice(0, 10))).toEqual(Array.from(b.series.data.slice(0, 10)));
      expect(a.series.variables.length).toBeLessThanOrEqual(5);
      for (const e of a.truth.edges) expect(e.lag).toBeGreaterThanOrEqual(1);
      if (!a.truth.summaryOnly) for (const e of a.truth.edges) expect(e.lag).toBeLessThanOrEqual(a.maxLag);
    }
  });
});

describe("LCM v2 training", () => {
  it("is deterministic for a seed, and a run resumed from its checkpoint ends on the uninterrupted run's weights", async () => {
    const straight = await trainLcmV2(tiny(join(dir, "a")));
    const again = await trainLcmV2(tiny(join(dir, "b")));
    expect(Array.from(again.model.params)).toEqual(Array.from(straight.model.params));
    expect(again.log.map((l) => l.loss)).toEqual(straight.log.map((l) => l.loss));
    // interrupted after one epoch, then resumed
    const first = await trainLcmV2(tiny(join(dir, "c")), { maxEpochsThisRun: 1 });
    expect(first.stopped).toBe("max-epochs");
    const resumed = await trainLcmV2(tiny(join(dir, "c")), { resume: true });
    expect(resumed.stopped).toBe("epochs");
    expect(Array.from(resumed.model.params)).toEqual(Array.from(straight.model.params));
    expect(resumed.log.map((l) => l.valAuroc)).toEqual(straight.log.map((l) => l.valAuroc));
    // the loss falls and validation AUROC is logged per family
    expect(straight.log[2].loss).toBeLessThan(straight.log[0].loss);
    expect(Object.keys(straight.log[0].perFamily).sort()).toEqual(["nonlinear", "var"]);
    const written = JSON.parse(await readFile(join(dir, "a", "model.json"), "utf8"));
    expect(written.format).toBe("causeway.lcm-v2/v1");
    expect(written.userDefinedMetadata.bestEpoch).toBe(straight.bestEpoch);
  });
});
