import * as tf from "@tensorflow/tfjs-core";
import { InputError, Rng, sliceSeries, zscore } from "@causeway/core";
import { CausalTransformer, trainPredictor, windows, type TransformerConfig } from "@causeway/transformer";
import { CPU_BACKENDS, describeBackends, maxAbsDiff, probeBackends } from "@causeway/test-utils";
import { expect, it } from "vitest";
import { causalRelevance } from "./relevance.js";
import { queryTokens } from "./scores.js";
import { confoundedTask } from "./task.js";

await probeBackends();

const TINY: TransformerConfig = { vars: 3, window: 4, dModel: 8, heads: 2, layers: 2, ffHidden: 16 };
const N = TINY.window * TINY.vars;

function randomTensor(seed: number, shape: number[]): tf.Tensor {
  const rng = new Rng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => rng.normal()), shape);
}

/** `[batch, V]` prediction of the model with token `j` removed from the sequence (one window at a time). */
function withoutToken(model: CausalTransformer, x: tf.Tensor3D, j: number): Float32Array {
  return tf.tidy(() => {
    const keep = Array.from({ length: N }, (_, i) => i).filter((i) => i !== j);
    const h = tf.gather(model.embed(x), keep, 1) as tf.Tensor3D;
    const hidden = model.encode(h, Int32Array.from(keep, (i) => model.tokenTimes[i])).hidden;
    return model.readout(hidden, Int32Array.from(queryTokens(TINY.window, TINY.vars), (q) => keep.indexOf(q))).dataSync() as Float32Array;
  });
}

describeBackends("causalRelevance", CPU_BACKENDS, () => {
  it("interventional (mask): batched ablations equal one-at-a-time passes and removing the token from the sequence", async () => {
    const model = new CausalTransformer(TINY, 1);
    const x = randomTensor(2, [3, 4, 3]) as tf.Tensor3D;
    const y = randomTensor(3, [3, 3]) as tf.Tensor2D;
    const outputs = [0, 2];
    const batched = await causalRelevance(model, { x }, { estimators: ["interventional"], outputs });
    const single = await causalRelevance(model, { x }, { estimators: ["interventional"], outputs, chunk: 1 });
    // chunk 256: one reference pass + one pass of 3 windows x 12 ablations; chunk 1: per window 1 + 12
    expect(batched.forwardPasses).toBe(2);
    expect(single.forwardPasses).toBe(39);
    expect(batched.ablations).toBe(36);
    expect(maxAbsDiff(batched.interventional!.tokens, single.interventional!.tokens)).toBeLessThan(1e-5);
    // the definition: squared change of the predicted outputs when token j is removed, mean over windows
    const ref = tf.tidy(() => model.forward(x).prediction.dataSync());
    const yv = y.dataSync();
    const loss = await causalRelevance(model, { x, y }, { estimators: ["interventional"], outputs, objective: "loss" });
    let nonzero = 0;
    for (let j = 0; j < N - TINY.vars; j++) {
      const p = withoutToken(model, x, j);
      let change = 0;
      let dLoss = 0;
      for (let b = 0; b < 3; b++)
        for (const o of outputs) {
          change += (p[b * 3 + o] - ref[b * 3 + o]) ** 2;
          dLoss += (p[b * 3 + o] - yv[b * 3 + o]) ** 2 - (ref[b * 3 + o] - yv[b * 3 + o]) ** 2;
        }
      expect(batched.interventional!.tokens[j]).toBeCloseTo(change / 3, 5);
      expect(loss.interventional!.tokens[j]).toBeCloseTo(dLoss / 3, 5);
      if (change > 1e-4) nonzero++;
    }
    expect(nonzero).toBe(N - TINY.vars); // every past token matters a little in a random model
    tf.dispose([x, y]);
    model.dispose();
  });

  it("interventional (zero, mean): the embedding replaced by the baseline, as computed by hand", async () => {
    const model = new CausalTransformer(TINY, 4);
    const x = randomTensor(5, [2, 4, 3]) as tf.Tensor3D;
    const h = model.embed(x); // [2, 12, 8]
    const ref = tf.tidy(() => model.readout(model.encode(h, model.tokenTimes).hidden, model.queryIndex).dataSync());
    for (const ablation of ["zero", "mean"] as const) {
      const r = await causalRelevance(model, { x }, { estimators: ["interventional"], outputs: [1], ablation });
      for (const j of [0, 5, 10]) {
        const p = tf.tidy(() => {
          const onehot = tf.tensor3d(Float32Array.from({ length: N }, (_, i) => (i === j ? 1 : 0)), [1, N, 1]);
          const base = ablation === "zero" ? tf.zerosLike(h) : tf.mul(tf.onesLike(h), tf.mean(h, 0, true));
          const hj = tf.add(tf.mul(h, tf.sub(1, onehot)), tf.mul(base, onehot)) as tf.Tensor3D;
          return model.readout(model.encode(hj, model.tokenTimes).hidden, model.queryIndex).dataSync();
        });
        const expected = ((p[1] - ref[1]) ** 2 + (p[4] - ref[4]) ** 2) / 2;
        expect(r.interventional!.tokens[j]).toBeCloseTo(expected, 5);
      }
    }
    tf.dispose([x, h]);
    model.dispose();
  });

  it("gradient x input matches central finite differences along (h_j - 0)", async () => {
    const model = new CausalTransformer(TINY, 6);
    const x = randomTensor(7, [1, 4, 3]) as tf.Tensor3D;
    const r = await causalRelevance(model, { x }, { estimators: ["gradient"], outputs: [2], ablation: "zero" });
    const h = model.embed(x);
    const eps = 1e-2;
    for (let j = 0; j < N; j++) {
      const f = (scale: number): number =>
        tf.tidy(() => {
          const s = tf.tensor3d(Float32Array.from({ length: N }, (_, i) => (i === j ? scale : 1)), [1, N, 1]);
          return model.readout(model.encode(tf.mul(h, s) as tf.Tensor3D, model.tokenTimes).hidden, model.queryIndex).dataSync()[2];
        });
      const fd = (f(1 + eps) - f(1 - eps)) / (2 * eps); // d/da f(h with h_j -> a h_j) = grad_{h_j} f . h_j
      expect(Math.abs(Math.sqrt(r.gradient!.tokens[j]) - Math.abs(fd))).toBeLessThan(2e-3);
    }
    tf.dispose([x, h]);
    model.dispose();
  });

  it("attention rollout: each output's row is a distribution; one layer gives 0.5 mean-head attention + 0.5 identity", async () => {
    const model = new CausalTransformer(TINY, 8);
    const x = randomTensor(9, [2, 4, 3]) as tf.Tensor3D;
    const r = await causalRelevance(model, { x }, { estimators: ["attention"], outputs: [0, 1] });
    expect(r.attention!.tokens.reduce((a, b) => a + b, 0)).toBeCloseTo(2, 4); // 2 outputs, rows of stochastic matrices
    expect(r.agreement).toEqual({}); // no interventional run, nothing to agree with
    const one = new CausalTransformer({ ...TINY, layers: 1 }, 8);
    const r1 = await causalRelevance(one, { x }, { estimators: ["attention"], outputs: [2] });
    const { prediction, attention } = one.forward(x, { returnAttention: true });
    const a = tf.tidy(() => tf.mean(tf.mean(attention![0], 1), 0).arraySync() as number[][]); // [N, N] heads and windows averaged
    const q = queryTokens(4, 3)[2];
    const expected = a[q].map((w, j) => 0.5 * w + (j === q ? 0.5 : 0));
    expect(maxAbsDiff(r1.attention!.tokens, expected)).toBeLessThan(1e-5);
    tf.dispose([x, prediction, ...attention!]);
    model.dispose();
    one.dispose();
  });

  it("a hand-built model whose blocks are the identity: only the query token matters, and gradient x input misses it", async () => {
    const model = new CausalTransformer(TINY, 10);
    // zero the attention output and the second feed-forward layer: every block returns its input
    for (const b of model.blocks) for (const v of [b.attention.o.w, b.attention.o.b, b.ff2.w, b.ff2.b]) if (v) tf.tidy(() => v.assign(tf.zerosLike(v)));
    const x = randomTensor(11, [4, 4, 3]) as tf.Tensor3D;
    const r = await causalRelevance(model, { x }, { estimators: ["interventional", "gradient"], outputs: [0], ablation: "zero" });
    // prediction = head . LN(h_q) + bias; with h_q zeroed, LN(0) = beta (= 0) so the prediction is the bias
    const { prediction } = model.forward(x);
    const bias = model.headBias.dataSync()[0];
    const p = prediction.dataSync();
    const expected = [0, 1, 2, 3].reduce((s, b) => s + (p[b * 3] - bias) ** 2, 0) / 4;
    const q = queryTokens(4, 3)[0];
    expect(expected).toBeGreaterThan(0.01);
    expect(r.interventional!.tokens[q]).toBeCloseTo(expected, 5);
    for (let j = 0; j < N; j++) if (j !== q) expect(r.interventional!.tokens[j]).toBe(0);
    // layer norm is scale invariant, so the gradient along h_q itself is ~0: first order sees nothing
    expect(r.gradient!.tokens[q]).toBeLessThan(1e-6 * expected);
    tf.dispose([x, prediction]);
    model.dispose();
  });

  it("rejects bad input with InputError", async () => {
    const model = new CausalTransformer(TINY, 1);
    const x = randomTensor(1, [2, 4, 3]) as tf.Tensor3D;
    const wrong = randomTensor(1, [2, 3, 3]) as tf.Tensor3D;
    await expect(causalRelevance(model, { x: wrong })).rejects.toThrow(InputError);
    await expect(causalRelevance(model, { x }, { estimators: ["nope" as never] })).rejects.toThrow(InputError);
    await expect(causalRelevance(model, { x }, { outputs: [3] })).rejects.toThrow(InputError);
    await expect(causalRelevance(model, { x }, { objective: "loss" })).rejects.toThrow(InputError);
    await expect(causalRelevance(model, { x }, { chunk: 0 })).rejects.toThrow(InputError);
    await expect(causalRelevance(model, { x }, { ablation: "noise" as never })).rejects.toThrow(InputError);
    tf.dispose([x, wrong]);
    model.dispose();
  });
});

describeBackends("causalRelevance on a trained model", ["wasm"], () => {
  it("finds the causal token of a confounded task; rank agreement of the cheap estimators is reported", async () => {
    const W = 3;
    const task = confoundedTask({ length: 400, causeLags: [2], distractorLeads: [0, 1], noise: 1, causeNoise: 1, targetNoise: 0.2, seed: 3 });
    const V = task.series.variables.length; // y, c1, d1, d2, n1
    const series = zscore(task.series).series;
    const model = new CausalTransformer({ vars: V, window: W, dModel: 16, heads: 2, layers: 1, ffHidden: 32 }, 2);
    await trainPredictor(model, W, sliceSeries(series, 0, 300), { epochs: 30, seed: 1, learningRate: 1e-2, validationFraction: 0 });
    const win = windows(sliceSeries(series, 300).data, 100, V, W); // held-out windows
    const x = tf.tensor3d(win.x, [win.n, W, V]);
    const r = await causalRelevance(model, { x }, { outputs: [0] });
    const cause = (W - 2) * V + 1; // c1 at lag 2
    const q = (W - 1) * V; // y's own query token: always kept, not ranked
    const order = Array.from({ length: W * V }, (_, i) => i)
      .filter((i) => i !== q)
      .sort((a, b) => r.interventional!.tokens[b] - r.interventional!.tokens[a]);
    expect(order[0]).toBe(cause);
    for (const e of ["attention", "gradient"] as const) {
      expect(r.agreement[e]).toBeGreaterThanOrEqual(-1);
      expect(r.agreement[e]).toBeLessThanOrEqual(1);
    }
    expect(r.interventional!.perVariable[1]).toBeGreaterThan(r.interventional!.perVariable[2] + r.interventional!.perVariable[3]);
    x.dispose();
    model.dispose();
  });
});
