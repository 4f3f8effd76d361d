import * as tf from "@tensorflow/tfjs-core";
import { ALL_BACKENDS, availableBackends, describeBackends, maxAbsDiff, probeBackends } from "@causeway/vitest-config";
import { expect, it } from "vitest";
import { useBackend } from "./registry.js";

await probeBackends();

/** A small matmul + softmax + gradient, computed on cpu as the reference. */
async function workload(): Promise<{ y: Float32Array; g: Float32Array }> {
  return tf.tidy(() => {
    const a = tf.tensor2d(Array.from({ length: 64 }, (_, i) => Math.sin(i)), [8, 8]);
    const b = tf.tensor2d(Array.from({ length: 64 }, (_, i) => Math.cos(i * 0.7)), [8, 8]);
    const f = (x: tf.Tensor) => tf.sum(tf.mul(tf.softmax(tf.matMul(x as tf.Tensor2D, b)), b));
    const y = tf.softmax(tf.matMul(a, b));
    const g = tf.grad(f)(a);
    return { y: y.dataSync() as Float32Array, g: g.dataSync() as Float32Array };
  });
}

let reference: { y: Float32Array; g: Float32Array } | undefined;

describeBackends("backends agree with cpu", ALL_BACKENDS, (backend) => {
  it(`matmul, softmax and gradients match cpu on ${backend}`, async () => {
    if (!reference) {
      await useBackend("cpu");
      reference = await workload();
      await useBackend(backend);
    }
    const got = await workload();
    expect(maxAbsDiff(got.y, reference.y)).toBeLessThan(1e-5);
    expect(maxAbsDiff(got.g, reference.g)).toBeLessThan(1e-5);
  });
});

it("runs on at least cpu and wasm", () => {
  expect(availableBackends()).toEqual(expect.arrayContaining(["cpu", "wasm"]));
});
