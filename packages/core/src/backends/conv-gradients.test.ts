import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { conv2dBackpropFilterImpl, depthwiseBackpropFilterImpl, depthwiseBackpropInputImpl, restoreCpuConvGradients, useFastCpuConvGradients } from "./conv-gradients.js";
import { useBackend } from "./registry.js";

type Shape4 = [number, number, number, number];
const wave = (n: number, s: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * s + 0.3));
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * The convolution is linear in the filter (and in the input), so dL/dW[k] = Σ conv(x, e_k) · dy for
 * the unit filter e_k: an exact, independent check built from forward convolutions only.
 */
function gradByLinearity(n: number, forward: (unit: tf.Tensor) => tf.Tensor, unitShape: number[], dy: tf.Tensor): Float32Array {
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    out[k] = tf.tidy(() => {
      const unit = tf.oneHot(tf.tensor1d([k], "int32"), n).toFloat().reshape(unitShape);
      return tf.sum(tf.mul(forward(unit), dy)).arraySync() as number;
    });
  }
  return out;
}

const CASES = [
  { name: "conv1d-like, valid", x: [2, 1, 11, 3] as Shape4, f: [1, 3, 3, 4] as Shape4, strides: 1 as const, pad: "valid" as const, dil: 1 },
  { name: "stride 2, same", x: [1, 5, 7, 2] as Shape4, f: [2, 3, 2, 3] as Shape4, strides: 2 as const, pad: "same" as const, dil: 1 },
  { name: "dilation 2, same", x: [2, 1, 12, 2] as Shape4, f: [1, 3, 2, 2] as Shape4, strides: 1 as const, pad: "same" as const, dil: 2 },
];

describe("typed-array convolution gradients", () => {
  beforeAll(async () => {
    await useBackend("cpu");
  });

  for (const c of CASES) {
    it(`conv2d filter gradient: ${c.name}`, () => {
      const info = tf.backend_util.computeConv2DInfo(c.x, c.f, c.strides, c.dil, c.pad);
      const xv = wave(size(c.x), 0.7);
      const dyv = wave(size(info.outShape), 1.3);
      const got = conv2dBackpropFilterImpl(xv, dyv, info);
      const want = tf.tidy(() => {
        const x = tf.tensor4d(xv, c.x);
        const dy = tf.tensor4d(dyv, info.outShape);
        return gradByLinearity(size(c.f), (w) => tf.conv2d(x, w as tf.Tensor4D, c.strides, c.pad, "NHWC", c.dil), c.f, dy);
      });
      got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 4));
    });

    const dwFilter: Shape4 = [c.f[0], c.f[1], c.x[3], 2]; // channel multiplier 2
    it(`depthwise filter and input gradients: ${c.name}`, () => {
      const info = tf.backend_util.computeConv2DInfo(c.x, dwFilter, c.strides, c.dil, c.pad, undefined, true);
      const xv = wave(size(c.x), 0.9);
      const wv = wave(size(dwFilter), 0.4);
      const dyv = wave(size(info.outShape), 1.1);
      const [wantW, wantX] = tf.tidy(() => {
        const x = tf.tensor4d(xv, c.x);
        const w = tf.tensor4d(wv, dwFilter);
        const dy = tf.tensor4d(dyv, info.outShape);
        const conv = (xx: tf.Tensor, ww: tf.Tensor) => tf.depthwiseConv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.strides, c.pad, "NHWC", c.dil);
        return [gradByLinearity(size(dwFilter), (u) => conv(x, u), dwFilter, dy), gradByLinearity(size(c.x), (u) => conv(u, w), c.x, dy)];
      });
      depthwiseBackpropFilterImpl(xv, dyv, info).forEach((g, i) => expect(g).toBeCloseTo(wantW[i], 4));
      depthwiseBackpropInputImpl(dyv, wv, info).forEach((g, i) => expect(g).toBeCloseTo(wantX[i], 4));
    });
  }
});

describe("useFastCpuConvGradients", () => {
  it("replaces the cpu kernels and gives the same conv1d and depthwise gradients", async () => {
    await useBackend("cpu"); // installs the fast kernels; compare them with tfjs's own
    restoreCpuConvGradients();
    const grads = async () => {
      const t = tf.tidy(() => {
        const x = tf.tensor3d(wave(2 * 20 * 3, 0.5), [2, 20, 3]); // [batch, time, in]
        const k = tf.tensor3d(wave(4 * 3 * 5, 0.8), [4, 3, 5]); // [width, in, out]
        const d = tf.tensor4d(wave(4 * 3 * 1, 0.2), [1, 4, 3, 1]); // depthwise [1, width, in, 1]
        const loss = (kk: tf.Tensor, dd: tf.Tensor) =>
          tf.add(tf.sum(tf.square(tf.conv1d(x, kk as tf.Tensor3D, 2, "same"))), tf.sum(tf.tanh(tf.depthwiseConv2d(x.expandDims(1) as tf.Tensor4D, dd as tf.Tensor4D, 1, "same"))));
        const [gk, gd] = tf.grads(loss)([k, d]);
        return tf.concat([gk.flatten(), gd.flatten()]);
      });
      const v = Array.from(await t.data());
      t.dispose();
      return v;
    };
    const before = tf.getKernel("Conv2DBackpropFilter", "cpu")?.kernelFunc;
    const want = await grads();
    useFastCpuConvGradients();
    expect(tf.getKernel("Conv2DBackpropFilter", "cpu")?.kernelFunc).not.toBe(before);
    const got = await grads();
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 4));
  });
});
