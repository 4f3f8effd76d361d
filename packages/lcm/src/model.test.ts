import * as tf from "@tensorflow/tfjs-core";
import { auroc } from "@causeway/metrics";
import { CPU_BACKENDS, describeBackends, maxAbsDiff, probeBackends } from "@causeway/test-utils";
import { expect, it } from "vitest";
import { DEFAULT_RECIPE, labelTensor, samplePair, prepareExample } from "./data.js";
import { EDGE_FEATURES } from "./features.js";
import { deserializeModel, serializeModel } from "./io.js";
import { LcmModel, type BatchMoments } from "./model.js";
import { batchBuffers, lcmLoss, stack } from "./train.js";

await probeBackends(CPU_BACKENDS);

const TINY = { vMax: 4, maxLag: 2, lMax: 32, dModel: 16, heads: 2, layers: 2, dFf: 16, headHidden: 32 };

describeBackends("LcmModel", CPU_BACKENDS, (backend) => {
  it("maps [B, lMax, vMax] windows to [B, vMax * vMax * maxLag] logits, with and without distillation and the additions", () => {
    for (const extra of [{ distil: true }, { distil: false }, { partialCorrInjection: false, edgeHidden: 0 }]) {
      const model = new LcmModel({ ...TINY, ...extra }, 1);
      expect(model.statsSize).toBe(32 * (model.arch.partialCorrInjection ? 2 : 1));
      const y = tf.tidy(() =>
        model.forward({
          x: tf.randomNormal([3, 32, 4]) as tf.Tensor3D,
          stats: tf.zeros([3, model.statsSize]) as tf.Tensor2D,
          edge: model.edgeFeatureSize ? (tf.zeros([3, 32, model.edgeFeatureSize]) as tf.Tensor3D) : undefined,
        }),
      );
      expect(y.shape).toEqual([3, 4 * 4 * 2]);
      expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
      y.dispose();
      model.dispose();
    }
  });

  it("rejects inputs of the wrong shape with a message naming the expected one", () => {
    const model = new LcmModel(TINY, 1);
    const x = tf.zeros([1, 32, 4]) as tf.Tensor3D;
    const stats = tf.zeros([1, 32]) as tf.Tensor2D;
    expect(() => model.forward({ x, stats })).toThrow(/stats must be \[B, 64\]/);
    tf.dispose([x, stats]);
    model.dispose();
  });

  it("round-trips through the TensorFlow.js weights format exactly", async () => {
    const model = new LcmModel(TINY, 2);
    // Move the BatchNorm running statistics away from their initial values.
    model.updateRunningStats([{ mean: tf.fill([16], 0.3) as tf.Tensor1D, variance: tf.fill([16], 2) as tf.Tensor1D }]);
    const { modelJson, weights } = await serializeModel(model, { note: "test" });
    expect(modelJson.weightsManifest[0].paths).toEqual(["weights.bin"]);
    expect(weights.byteLength).toBe(4 * model.namedWeights().reduce((s, [, v]) => s + v.size, 0));
    const copy = deserializeModel(JSON.parse(JSON.stringify(modelJson)), weights);
    for (const [[na, a], [nb, b]] of model.namedWeights().map((w, i) => [w, copy.namedWeights()[i]] as const)) {
      expect(nb).toBe(na);
      expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
    }
    const input = {
      x: new Float32Array(32 * 4).map((_, i) => Math.sin(i)),
      stats: new Float32Array(model.statsSize).map((_, i) => Math.cos(i) / 2),
      edge: new Float32Array(32 * model.edgeFeatureSize).map((_, i) => Math.sin(3 * i)),
    };
    expect(maxAbsDiff(await model.predictBatch(input, 1), await copy.predictBatch(input, 1))).toBe(0);
    expect(() => deserializeModel({ ...modelJson, format: "other" } as never, weights)).toThrow(/not an LCM/);
    model.dispose();
    copy.dispose();
  });

  // The pure-JS cpu backend takes ~30 s for this; wasm runs it in a few seconds.
  it.skipIf(backend === "cpu")("overfits a handful of pairs: the loss drops and their AUROC reaches ~1", () => {
    const shape = { vMax: 4, maxLag: 2, lMax: 32 };
    const recipe = { ...DEFAULT_RECIPE, minVars: 3, minLength: 32, maxLength: 32 };
    const examples = [1, 2, 3, 4].map((s) => prepareExample(samplePair(s, shape, recipe), shape, recipe, s, false));
    const model = new LcmModel(TINY, 3);
    const opt = tf.train.adam(5e-3);
    const B = examples.length;
    const input = model.batchTensors(batchBuffers(examples), B);
    const [y, t] = [tf.tensor2d(stack(examples, "label"), [B, 32]), tf.tensor2d(stack(examples, "corrTarget"), [B, 32])];
    const losses: number[] = [];
    for (let step = 0; step < 200; step++) {
      const moments: BatchMoments = [];
      const loss = opt.minimize(() => lcmLoss(model.forward(input, true, moments), y, t, 0, 2), true, model.variables) as tf.Scalar;
      losses.push(loss.dataSync()[0]);
      loss.dispose();
      model.updateRunningStats(moments);
    }
    expect(losses.at(-1)!).toBeLessThan(losses[0] * 0.2);
    const probs = tf.tidy(() => tf.sigmoid(model.forward(input)).dataSync());
    examples.forEach((e, i) => {
      const s: number[] = [];
      const l: number[] = [];
      for (let k = 0; k < 32; k++) {
        if (!e.real[k]) continue;
        s.push(probs[i * 32 + k]);
        l.push(e.label[k]);
      }
      expect(auroc(s, l)).toBeGreaterThan(0.97);
    });
    tf.dispose([input.x, input.stats, input.edge!, y, t]);
    opt.dispose();
    model.dispose();
  });
});

it("labels follow the variable order of the example", () => {
  const shape = { vMax: 5, maxLag: 3, lMax: 64 };
  const pair = samplePair(7, shape);
  const plain = prepareExample(pair, shape, DEFAULT_RECIPE, 1, false);
  const V = pair.series.variables.length;
  const idx = (e: number, c: number, l: number) => (e * 5 + c) * 3 + l - 1;
  for (const edge of pair.truth.edges) {
    if (edge.lag > 3) continue;
    expect(plain.label[idx(Number(edge.effect.slice(1)), Number(edge.cause.slice(1)), edge.lag)]).toBe(1);
  }
  expect(plain.label.reduce((s, v) => s + v, 0)).toBe(pair.truth.edges.filter((e) => e.lag <= 3).length);
  expect(plain.real.reduce((s, v) => s + v, 0)).toBe(V * V * 3);
});

it("labels every lag of a true pair of a summary-only truth", () => {
  const truth = { variables: ["a", "b", "c"], maxLag: 1, edges: [{ cause: "a", effect: "b", lag: 1 }], summaryOnly: true };
  const label = labelTensor(truth, 4, 3, [2, 0, 1]); // slots: c, a, b
  const on = Array.from(label.keys()).filter((k) => label[k] === 1);
  expect(on).toEqual([0, 1, 2].map((l) => (2 * 4 + 1) * 3 + l)); // effect slot 2 (b), cause slot 1 (a)
  expect(labelTensor({ ...truth, summaryOnly: false }, 4, 3, [2, 0, 1]).reduce((s, v) => s + v, 0)).toBe(1);
});

it("examples carry the statistics and edge features their architecture asks for", () => {
  const shape = { vMax: 5, maxLag: 2, lMax: 64 };
  const pair = samplePair(11, shape);
  const full = prepareExample(pair, { ...shape, partialCorrInjection: true, edgeHidden: 8 }, DEFAULT_RECIPE, 1, false);
  const paper = prepareExample(pair, { ...shape, partialCorrInjection: false, edgeHidden: 0 }, DEFAULT_RECIPE, 1, false);
  expect(full.stats.length).toBe(2 * 50);
  expect(Array.from(full.stats.subarray(0, 50))).toEqual(Array.from(full.corr));
  expect(full.edge.length).toBe(50 * (EDGE_FEATURES + 2));
  expect(paper.stats).toEqual(paper.corr);
  expect(paper.edge.length).toBe(0);
});
