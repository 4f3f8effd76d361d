import * as tf from "@tensorflow/tfjs-core";
import { InputError } from "@causeway/core";
import { ALL_BACKENDS, CPU_BACKENDS, describeBackends, maxAbsDiff, probeBackends } from "@causeway/test-utils";
import { afterEach, expect, it } from "vitest";
import { scaledDotProductAttention } from "./attention.js";
import { causalAttention } from "./causal-attention.js";
import { setTypedKernelVariant } from "./kernels/CausalAttention.js";
import type { AttentionShape } from "./kernels/causal-attention-impl.js";
import { finiteDifferenceGrads, naiveForward64, randomArray, sizeOf } from "./test-reference.js";

await probeBackends();

type Kernel = "blocked" | "naive";

/** y = attention(q, k, v) and the gradients of sum(w * y), read back as arrays. */
async function run(kernel: Kernel, s: AttentionShape, seed: number, scale?: number) {
  const dims: [number, number, number, number] = [s.batch, s.heads, s.time, s.dHead];
  const n = sizeOf(s);
  const [q, k, v, w] = [0, 1, 2, 3].map((i) => tf.tensor4d(randomArray(seed * 10 + i, n), dims));
  const attend = (a: tf.Tensor4D, b: tf.Tensor4D, c: tf.Tensor4D) =>
    kernel === "blocked" ? causalAttention(a, b, c, { kernel: "blocked", scale }) : scaledDotProductAttention(a, b, c, { causal: true, scale });
  const y = attend(q, k, v);
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(attend(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D), w)))([q, k, v]);
  const out = {
    y: (await y.data()) as Float32Array,
    dq: (await grads[0].data()) as Float32Array,
    dk: (await grads[1].data()) as Float32Array,
    dv: (await grads[2].data()) as Float32Array,
    inputs: await Promise.all([q, k, v, w].map(async (t) => (await t.data()) as Float32Array)),
  };
  tf.dispose([q, k, v, w, y, ...grads]);
  return out;
}

const SHAPES: AttentionShape[] = [
  { batch: 1, heads: 2, time: 9, dHead: 4 },
  { batch: 2, heads: 3, time: 70, dHead: 8 }, // crosses a 64-row tile
  { batch: 1, heads: 1, time: 130, dHead: 19 }, // odd head width: padded lanes
];

afterEach(() => {
  setTypedKernelVariant("simd");
});

describeBackends("causalAttention (blocked kernel)", ALL_BACKENDS, (backend) => {
  const variants = CPU_BACKENDS.includes(backend) ? (["simd", "reference"] as const) : (["simd"] as const);
  for (const variant of variants) {
    const label = CPU_BACKENDS.includes(backend) ? ` (${variant} typed-array kernel)` : "";
    it(`matches the naive composition forward and backward to 1e-4${label}`, async () => {
      setTypedKernelVariant(variant);
      for (const [i, s] of SHAPES.entries()) {
        const blocked = await run("blocked", s, i + 1);
        const naive = await run("naive", s, i + 1);
        expect(maxAbsDiff(blocked.y, naive.y)).toBeLessThan(1e-4);
        expect(maxAbsDiff(blocked.dq, naive.dq)).toBeLessThan(1e-4);
        expect(maxAbsDiff(blocked.dk, naive.dk)).toBeLessThan(1e-4);
        expect(maxAbsDiff(blocked.dv, naive.dv)).toBeLessThan(1e-4);
        // and the float64 definition
        const [q, k, v] = blocked.inputs;
        expect(maxAbsDiff(blocked.y, naiveForward64(q, k, v, s, 1 / Math.sqrt(s.dHead)))).toBeLessThan(1e-5);
      }
    });
  }

  it("has gradients equal to float64 finite differences", async () => {
    const s: AttentionShape = { batch: 1, heads: 2, time: 7, dHead: 5 };
    const scale = 0.7;
    const got = await run("blocked", s, 9, scale);
    const [q, k, v, w] = got.inputs;
    const [fq, fk, fv] = finiteDifferenceGrads(q, k, v, w, s, scale);
    expect(maxAbsDiff(got.dq, fq)).toBeLessThan(1e-4);
    expect(maxAbsDiff(got.dk, fk)).toBeLessThan(1e-4);
    expect(maxAbsDiff(got.dv, fv)).toBeLessThan(1e-4);
    // the check has teeth: gradients are far from zero
    expect(Math.max(...Array.from(fk, Math.abs))).toBeGreaterThan(0.05);
  });

  it("is causal: changing future tokens changes no past output and gets no gradient from the past", async () => {
    const s: AttentionShape = { batch: 1, heads: 2, time: 80, dHead: 8 };
    const dims: [number, number, number, number] = [1, 2, 80, 8];
    const cut = 50; // positions >= cut are "the future"
    const n = sizeOf(s);
    const [q, k, v] = [1, 2, 3].map((i) => tf.tensor4d(randomArray(i, n), dims));
    const futureMask = tf.tensor4d(Array.from({ length: n }, (_, i) => (Math.floor(i / 8) % 80 >= cut ? 1 : 0)), dims);
    const noise = tf.tensor4d(randomArray(4, n, 5), dims);
    const [q2, k2, v2] = tf.tidy(() => [q, k, v].map((t) => tf.add(t, tf.mul(noise, futureMask)) as tf.Tensor4D));
    const t1 = causalAttention(q, k, v, { kernel: "blocked" });
    const t2 = causalAttention(q2, k2, v2, { kernel: "blocked" });
    const [y1, y2] = [await t1.data(), await t2.data()];
    const past = (a: ArrayLike<number>) => Array.from(a).filter((_, i) => Math.floor(i / 8) % 80 < cut);
    const future = (a: ArrayLike<number>) => Array.from(a).filter((_, i) => Math.floor(i / 8) % 80 >= cut);
    expect(maxAbsDiff(past(y1), past(y2))).toBeLessThan(1e-7);
    expect(maxAbsDiff(future(y1), future(y2))).toBeGreaterThan(0.01);
    const pastMask = tf.tidy(() => tf.sub(1, futureMask));
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(causalAttention(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D), pastMask)))([q, k, v]);
    for (const gi of g) expect(Math.max(...future(await gi.data()).map(Math.abs))).toBe(0);
    tf.dispose([q, k, v, q2, k2, v2, t1, t2, futureMask, noise, pastMask, ...g]);
  });

  it("frees every backend buffer it makes, including the kernel's intermediates", async () => {
    const dims: [number, number, number, number] = [1, 2, 70, 8];
    const [q, k, v] = [1, 2, 3].map((i) => tf.tensor4d(randomArray(i, 1120), dims));
    const step = async () => {
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(causalAttention(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D)))([q, k, v]);
      await Promise.all(g.map((t) => t.data()));
      tf.dispose(g);
    };
    await step(); // first use may register kernels and compile shaders
    const before = tf.engine().backend.numDataIds();
    for (let i = 0; i < 3; i++) await step();
    expect(tf.engine().backend.numDataIds()).toBe(before);
    tf.dispose([q, k, v]);
  });

  it("stays finite and exact with large scores", async () => {
    const s: AttentionShape = { batch: 1, heads: 1, time: 66, dHead: 4 };
    const dims: [number, number, number, number] = [1, 1, 66, 4];
    const [qa, ka, va] = [1, 2, 3].map((i) => randomArray(i, sizeOf(s), 30));
    const [q, k, v] = [qa, ka, va].map((a) => tf.tensor4d(a, dims));
    const t = causalAttention(q, k, v, { kernel: "blocked" });
    const y = await t.data();
    expect(y.every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(y, naiveForward64(qa, ka, va, s, 0.5))).toBeLessThan(1e-3); // |v| up to 30
    tf.dispose([q, k, v, t]);
  });
});

it("rejects mismatched shapes with InputError", () => {
  const a = tf.zeros([1, 2, 5, 4]) as tf.Tensor4D;
  const b = tf.zeros([1, 2, 6, 4]) as tf.Tensor4D;
  const c = tf.zeros([1, 2, 5]) as unknown as tf.Tensor4D;
  expect(() => causalAttention(a, b, b)).toThrow(InputError);
  expect(() => causalAttention(a, a, c)).toThrow(InputError);
  expect(() => causalAttention(a, a, a, { scale: NaN })).toThrow(InputError);
  tf.dispose([a, b, c]);
});
