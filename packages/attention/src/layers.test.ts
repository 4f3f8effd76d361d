import * as tf from "@tensorflow/tfjs-core";
import { InputError } from "@causeway/core";
import { ALL_BACKENDS, CPU_BACKENDS, describeBackends, maxAbsDiff, probeBackends } from "@causeway/test-utils";
import { expect, it } from "vitest";
import { crossVariableAttention, multiHeadAttention, transformerBlock } from "./layers.js";
import { gelu, layerNorm } from "./linear.js";
import { MASK_VALUE } from "./mask.js";
import { randomArray } from "./test-reference.js";

await probeBackends();

async function values(t: tf.Tensor): Promise<Float32Array> {
  return (await t.data()) as Float32Array;
}

describeBackends("attention layers", ALL_BACKENDS, () => {
  it("multi-head attention with identity projections computes softmax(x x^T / sqrt(d)) x by hand", async () => {
    const mha = multiHeadAttention({ dModel: 2, heads: 1, seed: 1 });
    const eye = tf.eye(2);
    for (const l of [mha.q, mha.k, mha.v, mha.o]) l.w.assign(eye);
    eye.dispose();
    const x = tf.tensor3d([[[1, 0], [1, 2]]]); // [1, 2, 2]
    const y = mha.apply(x, { causal: true });
    // row 0 sees only itself; row 1: scores (x1.x0, x1.x1)/sqrt(2) = (1, 5)/sqrt(2)
    const w0 = Math.exp(1 / Math.SQRT2) / (Math.exp(1 / Math.SQRT2) + Math.exp(5 / Math.SQRT2));
    const want = [1, 0, w0 * 1 + (1 - w0) * 1, w0 * 0 + (1 - w0) * 2];
    expect(maxAbsDiff(await values(y), want)).toBeLessThan(1e-6);
    tf.dispose([x, y]);
    mha.dispose();
  });

  it("multi-head attention: blocked and naive kernels agree, forward and on every variable's gradient", async () => {
    const x = tf.tensor3d(randomArray(3, 2 * 20 * 16), [2, 20, 16]);
    const results: Float32Array[][] = [];
    for (const kernel of ["blocked", "naive"] as const) {
      const mha = multiHeadAttention({ dModel: 16, heads: 4, seed: 42, kernel });
      const y = mha.apply(x, { causal: true });
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(mha.apply(x, { causal: true }))), mha.variables);
      results.push([await values(y), ...(await Promise.all(mha.variables.map((v) => values(grads[v.name]))))]);
      expect(mha.variables).toHaveLength(8);
      tf.dispose([y, value, ...Object.values(grads)]);
      mha.dispose();
    }
    const [blocked, naive] = results;
    for (let i = 0; i < blocked.length; i++) expect(maxAbsDiff(blocked[i], naive[i])).toBeLessThan(1e-4);
    // every gradient is substantial except the key bias's: it shifts a whole score row, which softmax ignores
    const [, dWq, dBq, dWk, dBk, dWv, dBv, dWo, dBo] = blocked;
    for (const g of [dWq, dBq, dWk, dWv, dBv, dWo, dBo]) expect(Math.max(...Array.from(g, Math.abs))).toBeGreaterThan(1e-3);
    expect(Math.max(...Array.from(dBk, Math.abs))).toBeLessThan(1e-5);
    x.dispose();
  });

  it("is reproducible from its seed", async () => {
    const a = multiHeadAttention({ dModel: 8, heads: 2, seed: 5 });
    const b = multiHeadAttention({ dModel: 8, heads: 2, seed: 5 });
    const c = multiHeadAttention({ dModel: 8, heads: 2, seed: 6 });
    expect(maxAbsDiff(await values(a.q.w), await values(b.q.w))).toBe(0);
    expect(maxAbsDiff(await values(a.o.w), await values(b.o.w))).toBe(0);
    expect(maxAbsDiff(await values(a.q.w), await values(c.q.w))).toBeGreaterThan(0.01);
    // Glorot uniform: |w| <= sqrt(6 / (8 + 8))
    expect(Math.max(...Array.from(await values(a.k.w), Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 16));
    for (const m of [a, b, c]) m.dispose();
  });

  it("cross-variable attention: rows of the weights sum to 1, masks apply, queries get gradients", async () => {
    const cva = crossVariableAttention({ vars: 5, dModel: 8, heads: 2, seed: 2 });
    const emb = tf.tensor3d(randomArray(7, 3 * 5 * 8), [3, 5, 8]);
    const { out, weights } = cva.apply(emb);
    expect(out.shape).toEqual([3, 5, 8]);
    expect(weights.shape).toEqual([3, 2, 5, 5]);
    const rowSums = tf.sum(weights, -1);
    expect(maxAbsDiff(await values(rowSums), new Float32Array(30).fill(1))).toBeLessThan(1e-5);
    const noSelf = tf.tidy(() => tf.mul(tf.eye(5), MASK_VALUE));
    const masked = cva.apply(emb, noSelf);
    const diag = tf.tidy(() => tf.sum(tf.mul(masked.weights, tf.eye(5))));
    expect((await values(diag))[0]).toBe(0);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(cva.apply(emb).out)), [cva.queries]);
    expect(Math.max(...Array.from(await values(grads[cva.queries.name]), Math.abs))).toBeGreaterThan(1e-4);
    tf.dispose([emb, out, weights, rowSums, noSelf, masked.out, masked.weights, diag, value, ...Object.values(grads)]);
    cva.dispose();
  });

  it("layer norm gives zero mean and unit variance rows; gelu matches its tanh formula", async () => {
    const ln = layerNorm(6);
    const x = tf.tensor2d(randomArray(1, 4 * 6, 3), [4, 6]);
    const y = ln.apply(x);
    const { mean, variance } = tf.moments(y, -1);
    expect(maxAbsDiff(await values(mean), [0, 0, 0, 0])).toBeLessThan(1e-5);
    expect(maxAbsDiff(await values(variance), [1, 1, 1, 1])).toBeLessThan(1e-3); // eps 1e-5
    const g = tf.tidy(() => gelu(tf.tensor1d([1, -1, 2])));
    expect(maxAbsDiff(await values(g), [0.8411919906, -0.1588080094, 1.9545976941])).toBeLessThan(1e-6);
    tf.dispose([x, y, mean, variance, g]);
    ln.dispose();
  });
});

describeBackends("transformer block", CPU_BACKENDS, () => {
  it("is causal, shapes match, and a few Adam steps learn a shift-by-one copy task", async () => {
    const block = transformerBlock({ dModel: 8, heads: 2, dFF: 16, seed: 3 });
    const x = tf.tensor3d(randomArray(11, 4 * 12 * 8), [4, 12, 8]);
    // target: the previous position's input (needs attention to the past)
    const target = tf.tidy(() => tf.concat([tf.zeros([4, 1, 8]), tf.slice(x, [0, 0, 0], [4, 11, 8])], 1));
    const y = block.apply(x);
    expect(y.shape).toEqual([4, 12, 8]);
    // causality: perturb positions >= 6, outputs before 6 unchanged
    const x2 = tf.tidy(() => tf.concat([tf.slice(x, [0, 0, 0], [4, 6, 8]), tf.add(tf.slice(x, [0, 6, 0], [4, 6, 8]), 3)], 1)) as tf.Tensor3D;
    const y2 = block.apply(x2);
    const early = (t: tf.Tensor) => tf.tidy(() => tf.slice(t, [0, 0, 0], [4, 6, 8]));
    const [e1, e2] = [early(y), early(y2)];
    expect(maxAbsDiff(await values(e1), await values(e2))).toBeLessThan(1e-5);
    const loss = () => tf.mean(tf.square(tf.sub(block.apply(x), target))) as tf.Scalar;
    const opt = tf.train.adam(0.01);
    const first = tf.tidy(() => loss().dataSync()[0]);
    for (let step = 0; step < 60; step++) tf.dispose(opt.minimize(loss, true, block.variables) ?? []);
    const last = tf.tidy(() => loss().dataSync()[0]);
    expect(last).toBeLessThan(0.5 * first);
    expect(block.variables).toHaveLength(16);
    opt.dispose();
    tf.dispose([x, target, y, x2, y2, e1, e2]);
    block.dispose();
  });
});

it("rejects bad configurations with InputError", () => {
  expect(() => multiHeadAttention({ dModel: 10, heads: 3 })).toThrow(InputError);
  expect(() => crossVariableAttention({ vars: 0, dModel: 4, heads: 1 })).toThrow(InputError);
});
