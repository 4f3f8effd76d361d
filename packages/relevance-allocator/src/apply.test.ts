import * as tf from "@tensorflow/tfjs-core";
import { InputError, Rng } from "@causeway/core";
import { CausalTransformer, timeMask, type TransformerConfig } from "@causeway/transformer";
import { CPU_BACKENDS, describeBackends, maxAbsDiff, probeBackends } from "@causeway/test-utils";
import { expect, it } from "vitest";
import { allocate, type AllocationPlan } from "./allocate.js";
import { applyPlan, planTokens } from "./apply.js";
import { blockFlops, type RelevanceModel } from "./model.js";
import { relevanceScores } from "./scores.js";

await probeBackends();

const TINY: TransformerConfig = { vars: 3, window: 4, dModel: 8, heads: 2, layers: 2, ffHidden: 16 };
const N = 12;

function randomInput(seed: number, batch: number): tf.Tensor3D {
  const rng = new Rng(seed);
  return tf.tensor3d(Float32Array.from({ length: batch * N }, () => rng.normal()), [batch, 4, 3]);
}

/** Scores that rank token i by `order.indexOf(i)` (first = best). */
function ranked(order: number[]) {
  return relevanceScores(4, 3, Float64Array.from({ length: N }, (_, i) => (order.includes(i) ? N - order.indexOf(i) : 0)));
}

describeBackends("applyPlan", CPU_BACKENDS, () => {
  it("keep-all equals the plain forward pass at the full FLOPs", () => {
    const model = new CausalTransformer(TINY, 1);
    const x = randomInput(2, 3);
    const run = applyPlan(model, x, allocate(ranked([]), 1));
    const { prediction } = model.forward(x);
    expect(maxAbsDiff(run.prediction.dataSync(), prediction.dataSync())).toBeLessThan(1e-5);
    expect(run.tokens).toBe(12);
    expect(run.flops).toBe(model.flops());
    expect(run.flopsFraction).toBe(1);
    // the per-block count is CausalTransformer.flops's convention
    expect(2 * 12 * 8 + 2 * blockFlops(TINY, 12) + 2 * 3 * 8).toBe(model.flops(12));
    tf.dispose([x, run.prediction, prediction]);
    model.dispose();
  });

  it("top-k equals masking the dropped tokens out of attention, at the hand-counted FLOPs", () => {
    const model = new CausalTransformer(TINY, 3);
    const x = randomInput(4, 2);
    const plan = allocate(ranked([1, 5, 6]), 0.5); // 3 queries (9, 10, 11) + tokens 1, 5, 6
    expect(Array.from(plan.kept)).toEqual([1, 5, 6, 9, 10, 11]);
    const run = applyPlan(model, x, plan);
    const masked = tf.tidy(() => {
      const keep = tf.tensor2d(Float32Array.from({ length: 2 * N }, (_, i) => plan.keep[i % N]), [2, N]);
      return model.forward(x, { keep }).prediction;
    });
    expect(maxAbsDiff(run.prediction.dataSync(), masked.dataSync())).toBeLessThan(1e-5);
    // embed all 12 tokens (2 x 12 x 8), 2 blocks on 6 tokens, head (2 x 3 x 8)
    const block6 = 2 * (4 * 6 * 64 + 2 * 36 * 8 + 2 * 6 * 8 * 16);
    expect(run.flops).toBe(192 + 2 * block6 + 48);
    expect(block6).toBe(7296);
    expect(run.flopsFraction).toBeCloseTo((192 + 14592 + 48) / model.flops(), 12);
    tf.dispose([x, run.prediction, masked]);
    model.dispose();
  });

  it("pooled tokens are the mean of their members' embeddings at the mean time", () => {
    const model = new CausalTransformer(TINY, 5);
    const x = randomInput(6, 2);
    const plan: AllocationPlan = { ...allocate(ranked([3]), 4 / 12), pooled: [Int32Array.from([0, 3])] }; // v 0, t 0..1
    plan.processed = 5;
    const { members, times, queryIndex } = planTokens(plan);
    expect(members.map((m) => Array.from(m))).toEqual([[0, 3], [3], [9], [10], [11]]);
    expect(Array.from(times)).toEqual([0.5, 1, 3, 3, 3]);
    expect(Array.from(queryIndex)).toEqual([2, 3, 4]);
    const run = applyPlan(model, x, plan);
    const manual = tf.tidy(() => {
      const h = model.embed(x); // [2, 12, 8]
      const pooled = tf.mean(tf.gather(h, [0, 3], 1), 1, true); // [2, 1, 8]
      const rest = tf.gather(h, [3, 9, 10, 11], 1);
      const hp = tf.concat([pooled, rest], 1) as tf.Tensor3D;
      return model.readout(model.encode(hp, Float32Array.from([0.5, 1, 3, 3, 3])).hidden, Int32Array.from([2, 3, 4]));
    });
    expect(maxAbsDiff(run.prediction.dataSync(), manual.dataSync())).toBeLessThan(1e-5);
    const block5 = 2 * (4 * 5 * 64 + 2 * 25 * 8 + 2 * 5 * 8 * 16);
    expect(run.flops).toBe(192 + 2 * 8 + 2 * block5 + 48); // + one add per member per channel
    tf.dispose([x, run.prediction, manual]);
    model.dispose();
  });

  it("depth plans: all at full depth = top-k; a token leaving after block 1 = masked out of block 2 only", () => {
    const model = new CausalTransformer(TINY, 7);
    const x = randomInput(8, 2);
    const scores = ranked([2, 4, 7, 1]);
    const deep = allocate(scores, 1, { kind: "depth", layers: 2 });
    expect(deep.depth!.every((d) => d === 2)).toBe(true);
    const all = applyPlan(model, x, deep);
    const { prediction } = model.forward(x);
    expect(maxAbsDiff(all.prediction.dataSync(), prediction.dataSync())).toBeLessThan(1e-5);
    expect(all.flops).toBe(model.flops());
    // a hand-made plan: tokens 2 and 4 run both blocks, 7 only the first
    const depth = new Uint8Array(N);
    for (const [i, d] of [[2, 2], [4, 2], [7, 1], [9, 2], [10, 2], [11, 2]]) depth[i] = d;
    const plan: AllocationPlan = { ...deep, depth, keep: Uint8Array.from(depth, (d) => (d > 0 ? 1 : 0)), kept: Int32Array.from([2, 4, 7, 9, 10, 11]), processed: 6, fraction: 11 / 24 };
    const run = applyPlan(model, x, plan);
    expect(run.tokensPerLayer).toEqual([6, 5]);
    const manual = tf.tidy(() => {
      // block 1 on all 12 tokens with the skipped ones masked as keys, block 2 with token 7 masked too
      const keyMask = (keep: number[]) => tf.add(timeMask(model.tokenTimes), tf.tensor2d(Float32Array.from({ length: N * N }, (_, k) => (keep.includes(k % N) ? 0 : -1e9)), [N, N]));
      let h = model.embed(x);
      h = model.blocks[0].apply(h, keyMask([2, 4, 7, 9, 10, 11])).y;
      h = model.blocks[1].apply(h, keyMask([2, 4, 9, 10, 11])).y;
      return model.readout(h, model.queryIndex);
    });
    expect(maxAbsDiff(run.prediction.dataSync(), manual.dataSync())).toBeLessThan(1e-5);
    expect(run.flops).toBe(192 + blockFlops(TINY, 6) + blockFlops(TINY, 5) + 48);
    tf.dispose([x, all.prediction, prediction, run.prediction, manual]);
    model.dispose();
  });

  it("a dropped query token gives NaN for its variable; the required ones are exact", () => {
    const model = new CausalTransformer(TINY, 9);
    const x = randomInput(10, 2);
    const plan = allocate(ranked([8, 7, 10]), 4 / 12, { kind: "topk", queries: [0] }); // keeps 9 (query of v 0), 10, 8, 7
    expect(Array.from(plan.kept)).toEqual([7, 8, 9, 10]);
    const run = applyPlan(model, x, plan);
    const p = run.prediction.dataSync();
    const masked = tf.tidy(() => model.forward(x, { keep: tf.tensor2d(Float32Array.from({ length: 2 * N }, (_, i) => plan.keep[i % N]), [2, N]) }).prediction.dataSync());
    for (let b = 0; b < 2; b++) {
      expect(p[b * 3]).toBeCloseTo(masked[b * 3], 5);
      expect(p[b * 3 + 1]).toBeCloseTo(masked[b * 3 + 1], 5);
      expect(Number.isNaN(p[b * 3 + 2])).toBe(true);
    }
    tf.dispose([x, run.prediction]);
    model.dispose();
  });

  it("rejects plans that do not fit the model", () => {
    const model = new CausalTransformer(TINY, 1);
    const x = randomInput(1, 1);
    expect(() => applyPlan(model, x, allocate(relevanceScores(5, 3, new Float64Array(15)), 1))).toThrow(InputError);
    expect(() => applyPlan(model, x, allocate(ranked([]), 1, { kind: "depth", layers: 3 }))).toThrow(InputError);
    const noBlocks: RelevanceModel = { config: model.config, tokens: model.tokens, embed: (v) => model.embed(v), encode: (h, t, o) => model.encode(h, t, o), readout: (h, q) => model.readout(h, q), flops: (n) => model.flops(n) };
    expect(() => applyPlan(noBlocks, x, allocate(ranked([]), 1, { kind: "depth", layers: 2 }))).toThrow(InputError);
    const broken: AllocationPlan = { ...allocate(ranked([]), 1), queries: Int32Array.from([0]), kept: Int32Array.from([1, 2]) };
    expect(() => applyPlan(model, x, broken)).toThrow(InputError);
    x.dispose();
    model.dispose();
  });
});
