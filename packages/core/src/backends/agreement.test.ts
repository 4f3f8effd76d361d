import * as tf from "@tensorflow/tfjs-core";
import { ALL_BACKENDS, availableBackends, describeBackends, maxAbsDiff, probeBackends } from "@causeway/test-utils";
import { expect, it } from "vitest";
import { useBackend } from "./registry.js";

await probeBackends();

const wave = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));

/**
 * Ops the methods rely on, forward and backward. Each returns tensors; read with `await data()`
 * (webgpu in Node cannot `dataSync`: tfjs reads synchronously through an OffscreenCanvas).
 */
const WORKLOADS: Record<string, () => tf.Tensor> = {
  // [64, 48] x [48, 32]
  matmul: () => tf.matMul(tf.tensor2d(wave(64 * 48, (i) => Math.sin(i * 0.37)), [64, 48]), tf.tensor2d(wave(48 * 32, (i) => Math.cos(i * 0.71)), [48, 32])),
  softmax: () => tf.softmax(tf.tensor2d(wave(16 * 40, (i) => 6 * Math.sin(i * 0.11)), [16, 40])),
  logSoftmax: () => tf.logSoftmax(tf.tensor2d(wave(16 * 40, (i) => 20 * Math.sin(i * 0.11)), [16, 40])),
  sigmoidTanh: () => tf.sigmoid(tf.tanh(tf.tensor1d(wave(200, (i) => (i - 100) / 10))).mul(4)),
  meanVar: () => {
    const { mean, variance } = tf.moments(tf.tensor2d(wave(50 * 7, (i) => Math.sin(i * 0.3) + i / 100), [50, 7]), 0);
    return tf.concat([mean, variance]);
  },
  // [batch 2, time 40, channels 3] * [width 5, in 3, out 4], causal padding as TCN-style models use
  conv1dCausal: () => {
    const x = tf.tensor3d(wave(2 * 40 * 3, (i) => Math.sin(i * 0.13) + 0.1 * Math.cos(i)), [2, 40, 3]);
    const k = tf.tensor3d(wave(5 * 3 * 4, (i) => Math.cos(i * 0.29)), [5, 3, 4]);
    return tf.conv1d(tf.pad(x, [[0, 0], [8, 0], [0, 0]]), k, 1, "valid", "NWC", 2);
  },
  // d/dA sum(softmax(A B) * w)
  matmulSoftmaxGrad: () => {
    const a = tf.tensor2d(wave(8 * 8, (i) => Math.sin(i)), [8, 8]);
    const b = tf.tensor2d(wave(8 * 8, (i) => Math.cos(i * 0.7)), [8, 8]);
    return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.softmax(tf.matMul(x as tf.Tensor2D, b)), b)))(a);
  },
  // gradients of sum(tanh(conv1d(x, k))^2) with respect to input and kernel
  conv1dGrads: () => {
    const x = tf.tensor3d(wave(2 * 30 * 3, (i) => Math.sin(i * 0.17)), [2, 30, 3]);
    const k = tf.tensor3d(wave(3 * 3 * 5, (i) => 0.5 * Math.cos(i * 0.41)), [3, 3, 5]);
    const loss = (xx: tf.Tensor, kk: tf.Tensor) => tf.sum(tf.square(tf.tanh(tf.conv1d(xx as tf.Tensor3D, kk as tf.Tensor3D, 1, "same"))));
    const [gx, gk] = tf.grads(loss)([x, k]);
    return tf.concat([gx.flatten(), gk.flatten()]);
  },
  // depthwise (per-variable) convolution as in TCDF, input and filter gradients
  depthwiseGrads: () => {
    const x = tf.tensor4d(wave(1 * 1 * 24 * 4, (i) => Math.cos(i * 0.23)), [1, 1, 24, 4]);
    const k = tf.tensor4d(wave(1 * 3 * 4 * 1, (i) => Math.sin(i + 1)), [1, 3, 4, 1]);
    const loss = (xx: tf.Tensor, kk: tf.Tensor) => tf.sum(tf.relu(tf.depthwiseConv2d(xx as tf.Tensor4D, kk as tf.Tensor4D, 1, "valid")));
    const [gx, gk] = tf.grads(loss)([x, k]);
    return tf.concat([gx.flatten(), gk.flatten()]);
  },
};

async function runAll(): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [name, fn] of Object.entries(WORKLOADS)) {
    const t = tf.tidy(fn);
    out[name] = (await t.data()) as Float32Array;
    t.dispose();
  }
  return out;
}

let reference: Record<string, Float32Array> | undefined;

describeBackends("backends agree with cpu", ALL_BACKENDS, (backend) => {
  it(`matmul, softmax, conv1d and their gradients match cpu on ${backend}`, async () => {
    if (!reference) {
      await useBackend("cpu");
      reference = await runAll();
      await useBackend(backend);
    }
    const got = await runAll();
    for (const [name, want] of Object.entries(reference)) {
      const scale = Math.max(1, ...Array.from(want, Math.abs));
      // Measured at most 4e-7 of the largest value (float32 rounding) on wasm and Mesa llvmpipe webgpu;
      // 1e-5 leaves room for a GPU's approximate exp/tanh yet catches any wrong kernel.
      expect(maxAbsDiff(got[name], want) / scale, `${name} on ${backend}`).toBeLessThan(1e-5);
    }
  });
});

it("runs on at least cpu and wasm", () => {
  expect(availableBackends()).toEqual(expect.arrayContaining(["cpu", "wasm"]));
});
