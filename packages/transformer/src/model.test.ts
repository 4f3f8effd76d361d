import * as tf from "@tensorflow/tfjs-core";
import { InputError, Rng } from "@causeway/core";
import { CPU_BACKENDS, describeBackends, maxAbsDiff, probeBackends } from "@causeway/test-utils";
import { expect, it } from "vitest";
import { gradientAttribution } from "./gradient.js";
import { CausalTransformer, detach, selectTokens, timeMask, type TransformerConfig } from "./model.js";

await probeBackends();

const TINY: TransformerConfig = { vars: 3, window: 4, dModel: 8, heads: 2, layers: 2, ffHidden: 16 };

function randomInput(seed: number, shape: [number, number, number]): tf.Tensor3D {
  const rng = new Rng(seed);
  return tf.tensor3d(Float32Array.from({ length: shape[0] * shape[1] * shape[2] }, () => rng.normal()), shape);
}

describeBackends("CausalTransformer", CPU_BACKENDS, () => {
  it("selects token subsets like gather, and passes gradients through the selection", () => {
    const rng = new Rng(4);
    const h = tf.tensor3d(Float32Array.from({ length: 2 * 5 * 3 }, () => rng.normal()), [2, 5, 3]);
    const picked = selectTokens(h, [0, 2, 3]);
    const gathered = tf.gather(h, [0, 2, 3], 1);
    expect(picked.shape).toEqual([2, 3, 3]);
    expect(maxAbsDiff(picked.dataSync(), gathered.dataSync())).toBeLessThan(1e-6);
    const g = tf.grad((v: tf.Tensor) => tf.sum(selectTokens(v as tf.Tensor3D, [1, 4])))(h); // 1 on the selected rows, 0 elsewhere
    expect(Array.from(g.dataSync())).toEqual(Array.from({ length: 30 }, (_, i) => ([1, 4].includes(Math.floor(i / 3) % 5) ? 1 : 0)));
    tf.dispose([h, picked, gathered, g]);
  });

  it("has the contract's shapes: embed [b, W*V, d], encode hidden and per-layer attention, readout [b, V]", () => {
    const model = new CausalTransformer(TINY, 1);
    const x = randomInput(2, [5, 4, 3]);
    const h = model.embed(x);
    expect(h.shape).toEqual([5, 12, 8]);
    expect(model.tokens).toBe(12);
    expect(Array.from(model.queryIndex)).toEqual([9, 10, 11]);
    const { hidden, attention } = model.encode(h, model.tokenTimes, { returnAttention: true });
    expect(hidden.shape).toEqual([5, 12, 8]);
    expect(attention).toHaveLength(2);
    expect(attention![0].shape).toEqual([5, 2, 12, 12]);
    const y = model.readout(hidden, model.queryIndex);
    expect(y.shape).toEqual([5, 3]);
    const { prediction } = model.forward(x);
    expect(maxAbsDiff(y.dataSync(), prediction.dataSync())).toBeLessThan(1e-5);
    // attention rows are distributions over the present and the past only
    const a = attention![1].arraySync()[0][0];
    for (let i = 0; i < 12; i++) {
      expect(a[i].reduce((s, w) => s + w, 0)).toBeCloseTo(1, 5);
      for (let j = 0; j < 12; j++) if (Math.floor(j / 3) > Math.floor(i / 3)) expect(a[i][j]).toBe(0);
    }
    // 2 x multiply-adds: 4 d^2 + 2 n d + 2 d f per token and layer, plus embedding and head
    expect(model.flops()).toBe(2 * 12 * 8 + 2 * 2 * (4 * 12 * 64 + 2 * 144 * 8 + 2 * 12 * 8 * 16) + 2 * 3 * 8);
    tf.dispose([x, h, hidden, ...attention!, y, prediction]);
    model.dispose();
  });

  it("is block-causal: changing a later step leaves earlier tokens' states unchanged", () => {
    const model = new CausalTransformer(TINY, 3);
    const x = randomInput(4, [2, 4, 3]);
    const bumped = tf.tidy(() => tf.add<tf.Tensor3D>(x, tf.tensor3d(Float32Array.from({ length: 24 }, (_, i) => (Math.floor((i % 12) / 3) === 2 ? 1 : 0)), [2, 4, 3])));
    const run = (input: tf.Tensor3D): Float32Array => tf.tidy(() => model.encode(model.embed(input), model.tokenTimes).hidden.dataSync() as Float32Array);
    const [a, b] = [run(x), run(bumped)];
    // tokens of steps 0 and 1 (6 of every 12) are unchanged; step 2's are changed
    for (let s = 0; s < 2; s++) {
      const off = s * 12 * 8;
      expect(maxAbsDiff(a.subarray(off, off + 48), b.subarray(off, off + 48))).toBeLessThan(1e-6);
      expect(maxAbsDiff(a.subarray(off + 48, off + 72), b.subarray(off + 48, off + 72))).toBeGreaterThan(1e-3);
    }
    tf.dispose([x, bumped]);
    model.dispose();
  });

  it("encode with a keep mask equals encode on the kept token subset (also with fractional times)", () => {
    const model = new CausalTransformer(TINY, 5);
    const x = randomInput(6, [2, 4, 3]);
    const dropped = [1, 4, 6]; // tokens masked out of attention
    const kept = Array.from({ length: 12 }, (_, i) => i).filter((i) => !dropped.includes(i));
    const keep = tf.tensor2d(Float32Array.from({ length: 24 }, (_, i) => (dropped.includes(i % 12) ? 0 : 1)), [2, 12]);
    const times = Float32Array.from(model.tokenTimes, (t) => t + 0.25);
    const full = tf.tidy(() => {
      const h = model.encode(model.embed(x), times, { keep }).hidden;
      return tf.gather(h, kept, 1);
    });
    const subset = tf.tidy(() => {
      const h = tf.gather(model.embed(x), kept, 1) as tf.Tensor3D;
      return model.encode(h, Float32Array.from(kept, (i) => times[i])).hidden;
    });
    expect(subset.shape).toEqual([2, 9, 8]);
    expect(maxAbsDiff(full.dataSync(), subset.dataSync())).toBeLessThan(1e-5);
    // readout from a non-contiguous query subset equals the contiguous one after moving the tokens
    const perm = [9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8];
    const direct = tf.tidy(() => model.forward(x).prediction);
    const permuted = tf.tidy(() => {
      const h = tf.gather(model.embed(x), perm, 1) as tf.Tensor3D;
      const hidden = model.encode(h, Int32Array.from(perm, (i) => model.tokenTimes[i])).hidden;
      return model.readout(hidden, Int32Array.from([0, 1, 2]));
    });
    expect(maxAbsDiff(direct.dataSync(), permuted.dataSync())).toBeLessThan(1e-5);
    tf.dispose([x, keep, full, subset, direct, permuted]);
    model.dispose();
  });

  it("gradient attribution matches central finite differences of the prediction", () => {
    const model = new CausalTransformer(TINY, 7);
    const x = randomInput(8, [1, 4, 3]);
    const xs = Float32Array.from(x.dataSync());
    const predict = (values: Float32Array): Float32Array => tf.tidy(() => model.forward(tf.tensor3d(values, [1, 4, 3])).prediction.dataSync() as Float32Array);
    const attribution = gradientAttribution(model, x, { maxLag: 3, rule: "gradxinput" });
    const eps = 1e-2;
    let checked = 0;
    for (let e = 0; e < 3; e++)
      for (let c = 0; c < 3; c++)
        for (let l = 1; l <= 3; l++) {
          const i = (4 - l) * 3 + c;
          const up = xs.slice();
          const down = xs.slice();
          up[i] += eps;
          down[i] -= eps;
          const fd = (predict(up)[e] - predict(down)[e]) / (2 * eps);
          expect(Math.abs(attribution[(e * 3 + c) * 3 + l - 1] - Math.abs(fd * xs[i]))).toBeLessThan(3e-3);
          checked++;
        }
    expect(checked).toBe(27);
    x.dispose();
    model.dispose();
  });

  it("energy rule: root mean squared gradient over windows, from central finite differences", () => {
    const model = new CausalTransformer(TINY, 9);
    const x = randomInput(10, [2, 4, 3]);
    const xs = Float32Array.from(x.dataSync());
    const predict = (values: Float32Array, w: number): Float32Array => tf.tidy(() => model.forward(tf.tensor3d(values.subarray(w * 12, (w + 1) * 12), [1, 4, 3])).prediction.dataSync() as Float32Array);
    const energy = gradientAttribution(model, x, { maxLag: 3, rule: "energy" });
    const eps = 1e-2;
    for (let e = 0; e < 3; e++)
      for (let c = 0; c < 3; c++)
        for (let l = 1; l <= 3; l++) {
          let sq = 0;
          for (let w = 0; w < 2; w++) {
            const i = w * 12 + (4 - l) * 3 + c;
            const [up, down] = [xs.slice(), xs.slice()];
            up[i] += eps;
            down[i] -= eps;
            sq += ((predict(up, w)[e] - predict(down, w)[e]) / (2 * eps)) ** 2;
          }
          expect(Math.abs(energy[(e * 3 + c) * 3 + l - 1] - Math.sqrt(sq / 2))).toBeLessThan(3e-3);
        }
    x.dispose();
    model.dispose();
  });

  it("LRP mode: same prediction, and with zero biases the relevances of the input tokens sum to the prediction", () => {
    const model = new CausalTransformer(TINY, 13);
    // zero every additive bias, so that the gate-frozen network is linear in the token embeddings
    const biases = [...model.blocks.flatMap((b) => [b.ln1.beta, b.ln2.beta, b.attention.q.b, b.attention.k.b, b.attention.v.b, b.attention.o.b, b.ff1.b, b.ff2.b]), model.finalNorm.beta, model.headBias];
    for (const b of biases) tf.tidy(() => b!.assign(tf.zerosLike(b!)));
    const x = randomInput(14, [2, 4, 3]);
    const h0 = model.embed(x); // [2, 12, 8]
    const [plain, lrp] = [false, true].map((mode) => tf.tidy(() => model.forward(x, { lrp: mode }).prediction.dataSync()));
    expect(maxAbsDiff(plain, lrp)).toBeLessThan(1e-6);
    for (let e = 0; e < 3; e++) {
      const f = (lrpMode: boolean) => (h: tf.Tensor): tf.Scalar =>
        tf.sum(tf.slice(model.readout(model.encode(h as tf.Tensor3D, model.tokenTimes, { lrp: lrpMode }).hidden, model.queryIndex, { lrp: lrpMode }), [0, e], [-1, 1]));
      // conservation (LRP's defining property): sum over tokens and features of R = grad x input = the output
      const relevance = tf.tidy(() => tf.sum(tf.mul(tf.grad(f(true))(h0), h0), [1, 2]).dataSync());
      const relevancePlain = tf.tidy(() => tf.sum(tf.mul(tf.grad(f(false))(h0), h0), [1, 2]).dataSync());
      for (let b = 0; b < 2; b++) {
        expect(relevance[b]).toBeCloseTo(plain[b * 3 + e], 4);
        expect(Math.abs(relevancePlain[b] - plain[b * 3 + e])).toBeGreaterThan(1e-3); // plain gradient x input does not conserve
      }
    }
    tf.dispose([x, h0]);
    model.dispose();
  });

  it("detach is the identity forward and blocks the gradient", () => {
    const x = tf.tensor1d([1, -2, 3]);
    expect(Array.from(tf.tidy(() => detach(x).dataSync()))).toEqual([1, -2, 3]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.add(tf.mul(detach(tf.square(v)), v), tf.square(v))))(x); // d/dv [c v + v^2] = c + 2v, c = v^2 held constant
    expect(Array.from(g.dataSync())).toEqual([1 + 2, 4 - 4, 9 + 6]);
    tf.dispose([x, g]);
  });

  it("is reproducible from its seed and rejects bad configs", () => {
    const a = new CausalTransformer(TINY, 11);
    const b = new CausalTransformer(TINY, 11);
    const c = new CausalTransformer(TINY, 12);
    const x = randomInput(9, [3, 4, 3]);
    const [ya, yb, yc] = [a, b, c].map((m) => tf.tidy(() => m.forward(x).prediction.dataSync()));
    expect(maxAbsDiff(ya, yb)).toBe(0);
    expect(maxAbsDiff(ya, yc)).toBeGreaterThan(1e-3);
    expect(a.variables.length).toBe(b.variables.length);
    expect(() => new CausalTransformer({ ...TINY, heads: 3 }, 0)).toThrow(InputError);
    expect(() => new CausalTransformer({ ...TINY, window: 0 }, 0)).toThrow(InputError);
    const short = randomInput(1, [1, 3, 3]);
    expect(() => a.embed(short)).toThrow(InputError);
    tf.dispose([x, short]);
    for (const m of [a, b, c]) m.dispose();
  });

  it("timeMask masks future steps and other groups", () => {
    const m = timeMask([0, 0, 1], [0, 1, 0]);
    expect(Array.from(m.dataSync())).toEqual([0, -1e9, -1e9, -1e9, 0, -1e9, 0, -1e9, 0]);
    m.dispose();
  });
});

