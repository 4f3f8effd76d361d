import * as tf from "@tensorflow/tfjs-core";
import { channelRow, type NetInputs } from "./kernel.js";
import { hasActivation, layerDilation, paramLayout, type NetShape } from "./network.js";

/**
 * The batched model written with TensorFlow.js ops, differentiated by tfjs autograd: the
 * engine for GPU backends (webgpu, cuda), where a few large elementwise ops are cheap.
 * On cpu and wasm the typed-array kernel (`kernel.ts`) is several times faster and is used
 * instead. Parameters stay in one Float64Array (shared with the kernel and Adam); each call
 * uploads them, and downloads the gradient.
 */
export class TensorEngine {
  /** `[V (target), V (input), pad + T]` input rows; float32. */
  private readonly rows: tf.Tensor3D;
  /** `[V, T]` targets. */
  private readonly targets: tf.Tensor2D;
  /** `[1, T]` loss weights (`inputs.weight`), null when every step counts. */
  private readonly weight: tf.Tensor2D | null;

  constructor(
    private readonly shape: NetShape,
    private readonly inputs: NetInputs,
  ) {
    const { V } = shape;
    const { T, pad } = inputs;
    const rows = new Float32Array(V * V * (pad + T));
    for (let j = 0; j < V; j++) for (let i = 0; i < V; i++) rows.set(channelRow(inputs, j, i), (j * V + i) * (pad + T));
    const targets = new Float32Array(V * T);
    for (let j = 0; j < V; j++) targets.set(inputs.target[j], j * T);
    this.rows = tf.tensor3d(rows, [V, V, pad + T]);
    this.targets = tf.tensor2d(targets, [V, T]);
    this.weight = inputs.weight ? tf.tensor2d(Float32Array.from(inputs.weight), [1, T]) : null;
  }

  /**
   * Total loss `sum_j mean_t (y_j - x_j)^2` for the given parameter tensors.
   * @param w conv weights `[L+1, V, V, k]`; b, alpha `[L+1, V, V]`; p, a `[V, V]`; beta `[V]`
   */
  private loss(w: tf.Tensor, b: tf.Tensor, alpha: tf.Tensor, p: tf.Tensor, a: tf.Tensor, beta: tf.Tensor): tf.Scalar {
    const { V, kernelSize: k, hiddenLayers: L } = this.shape;
    const { T, pad } = this.inputs;
    const gates = tf.softmax(a, 1); // [V, V]: soft attention during training (§4.2)
    let inp = tf.mul(this.rows, tf.expandDims(gates, 2)); // [V, V, pad + T]
    let inPad = pad;
    let u: tf.Tensor = inp;
    for (let l = 0; l <= L; l++) {
      const d = layerDilation(this.shape, l);
      const wl = tf.squeeze(tf.slice(w, [l, 0, 0, 0], [1, V, V, k]), [0]); // [V, V, k]
      let z: tf.Tensor = tf.expandDims(tf.squeeze(tf.slice(b, [l, 0, 0], [1, V, V]), [0]), 2); // [V, V, 1]
      for (let m = 0; m < k; m++) {
        const tap = tf.slice(wl, [0, 0, m], [V, V, 1]); // [V, V, 1]
        z = tf.add(z, tf.mul(tap, tf.slice(inp, [0, 0, inPad - (k - 1 - m) * d], [V, V, T])));
      }
      if (l > 0) z = tf.add(z, tf.slice(inp, [0, 0, inPad], [V, V, T])); // residual
      if (hasActivation(this.shape, l)) {
        // PReLU as relu(z) + alpha * min(z, 0): tfjs-wasm's Prelu kernel does not broadcast alpha [V, V, 1]
        const al = tf.expandDims(tf.squeeze(tf.slice(alpha, [l, 0, 0], [1, V, V]), [0]), 2);
        u = tf.add(tf.relu(z), tf.mul(al, tf.minimum(z, 0)));
      } else u = z;
      if (l < L) {
        inPad = (k - 1) * layerDilation(this.shape, l + 1);
        inp = tf.pad(u, [
          [0, 0],
          [0, 0],
          [inPad, 0],
        ]);
      }
    }
    const y = tf.add(tf.sum(tf.mul(u, tf.expandDims(p, 2)), 1), tf.expandDims(beta, 1)); // [V, T]
    const sq = tf.squaredDifference(y, this.targets); // [V, T]
    if (!this.weight) return tf.sum(tf.mean(sq, 1));
    return tf.div(tf.sum(tf.mul(sq, this.weight)), this.inputs.count); // counted steps only

  }

  /**
   * Loss and gradient for parameters `theta`; overwrites `grad`. Returns the total loss.
   */
  lossAndGrad(theta: Float64Array, grad: Float64Array): number {
    const { V, kernelSize: k, hiddenLayers: L } = this.shape;
    const C = V * V;
    const lay = paramLayout(this.shape);
    const slice = (from: number, n: number): Float32Array => Float32Array.from(theta.subarray(from, from + n));
    const { value, grads } = tf.tidy(() => {
      const params = [
        tf.tensor4d(slice(lay.weight, (L + 1) * C * k), [L + 1, V, V, k]),
        tf.tensor3d(slice(lay.bias, (L + 1) * C), [L + 1, V, V]),
        tf.tensor3d(slice(lay.slope, (L + 1) * C), [L + 1, V, V]),
        tf.tensor2d(slice(lay.pointwise, C), [V, V]),
        tf.tensor2d(slice(lay.attention, C), [V, V]),
        tf.tensor1d(slice(lay.outBias, V)),
      ];
      const f = (w: tf.Tensor, b: tf.Tensor, alpha: tf.Tensor, p: tf.Tensor, a: tf.Tensor, beta: tf.Tensor): tf.Scalar => this.loss(w, b, alpha, p, a, beta);
      return tf.valueAndGrads(f as (...args: tf.Tensor[]) => tf.Scalar)(params);
    });
    const offsets = [lay.weight, lay.bias, lay.slope, lay.pointwise, lay.attention, lay.outBias];
    const sizes = [(L + 1) * C * k, (L + 1) * C, (L + 1) * C, C, C, V];
    grads.forEach((g, n) => {
      const data = g.dataSync();
      for (let i = 0; i < sizes[n]; i++) grad[offsets[n] + i] = data[i];
    });
    // a last linear layer has no PReLU: its slope gets no gradient
    if (L > 0) grad.fill(0, lay.slope + L * C, lay.slope + (L + 1) * C);
    const loss = value.dataSync()[0];
    tf.dispose([value, ...grads]);
    return loss;
  }

  dispose(): void {
    tf.dispose([this.rows, this.targets, ...(this.weight ? [this.weight] : [])]);
  }
}
