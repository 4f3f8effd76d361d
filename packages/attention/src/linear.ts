// The building blocks of the attention layers: seeded initialisation, `dense`/`Linear` with a
// transpose-free gradient, `LayerNorm` and GELU. The attention layers themselves are in layers.ts.
import * as tf from "@tensorflow/tfjs-core";
import { InputError, Rng } from "@causeway/core";

/** A seed or a seeded generator for parameter initialisation. */
export type SeedLike = number | Rng;

/** The generator a `SeedLike` stands for (a number seeds a new one). */
export function toRng(seed: SeedLike | undefined): Rng {
  return seed instanceof Rng ? seed : new Rng(seed ?? 0);
}

/** Throws an `InputError` naming `op` and `name` unless `x` is a whole number >= 1. */
export function checkPositiveInt(op: string, name: string, x: number): void {
  if (!Number.isInteger(x) || x < 1) throw new InputError(`${op}: ${name} must be a positive integer, got ${x}`);
}

/** A trainable variable with Glorot-uniform values (Glorot & Bengio 2010, Eq. 16). */
function glorotVariable(rng: Rng, fanIn: number, fanOut: number, shape: number[]): tf.Variable {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = rng.range(-limit, limit);
  return tf.tidy(() => tf.variable(tf.tensor(values, shape)));
}

/** A trainable variable filled with `value`. */
function constantVariable(value: number, shape: number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.fill(shape, value)));
}

/**
 * `x W + b` for 2-D `x` with a hand-written gradient that only uses plain `matMul`s on explicitly
 * transposed operands: tfjs-wasm runs `matMul` with a transpose flag about 8x slower than without
 * (measured: [4096, 64]^T x [4096, 64] 20-30 ms vs 3-4 ms transposing first), and tfjs's own
 * MatMul gradient uses those flags. The bias gradient is `ones^T dy`, also a plain matMul.
 */
const affine = tf.customGrad((x, w, b, save) => {
  const [x2, w2, b1] = [x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D];
  (save as tf.GradSaveFunc)([x2, w2]);
  return {
    value: tf.add(tf.matMul(x2, w2), b1), // [rows, outputs]
    gradFunc: (dy, saved) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dy2 = dy as tf.Tensor2D;
      const dx = tf.matMul(dy2, tf.transpose(ws)); // [rows, inputs]
      const dw = tf.matMul(tf.transpose(xs), dy2); // [inputs, outputs]
      const db = tf.reshape(tf.matMul(tf.ones([1, dy2.shape[0]]), dy2), [dy2.shape[1]]); // [outputs]
      return [dx, dw, db];
    },
  };
});

/** `x W` for 2-D `x`, gradient as in `affine`. */
const project = tf.customGrad((x, w, save) => {
  const [x2, w2] = [x as tf.Tensor2D, w as tf.Tensor2D];
  (save as tf.GradSaveFunc)([x2, w2]);
  return {
    value: tf.matMul(x2, w2),
    gradFunc: (dy, saved) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy as tf.Tensor2D)];
    },
  };
});

/**
 * `x W + b` on the last axis, differentiable, fast on every backend (see `affine`).
 *
 * @param x `[..., inputs]`
 * @param w `[inputs, outputs]`
 * @param b `[outputs]` or null
 * @returns `[..., outputs]`
 */
export function dense(x: tf.Tensor, w: tf.Tensor2D, b: tf.Tensor1D | null): tf.Tensor {
  const [inputs, outputs] = w.shape;
  if (x.shape[x.rank - 1] !== inputs) throw new InputError(`dense: x has ${x.shape[x.rank - 1]} features, the weights expect ${inputs}`);
  return tf.tidy(() => {
    const x2 = tf.reshape(x, [-1, inputs]); // [rows, inputs]
    const y = b ? affine(x2, w, b) : project(x2, w); // [rows, outputs]
    return tf.reshape(y, [...x.shape.slice(0, -1), outputs]);
  });
}

/** A trainable module: its variables and a way to free them. */
export interface Module {
  /** Every trainable variable, e.g. for `optimizer.minimize(f, true, module.variables)`. */
  readonly variables: tf.Variable[];
  dispose(): void;
}

/** Affine map on the last axis: `y = x W + b`, `W: [inputs, outputs]`. */
export class Linear implements Module {
  readonly w: tf.Variable;
  readonly b: tf.Variable | null;
  constructor(
    readonly inputs: number,
    readonly outputs: number,
    options: { seed?: SeedLike; bias?: boolean } = {},
  ) {
    checkPositiveInt("linear", "inputs", inputs);
    checkPositiveInt("linear", "outputs", outputs);
    this.w = glorotVariable(toRng(options.seed), inputs, outputs, [inputs, outputs]);
    this.b = options.bias === false ? null : constantVariable(0, [outputs]);
  }
  /** @param x `[..., inputs]` @returns `[..., outputs]` */
  apply(x: tf.Tensor): tf.Tensor {
    return dense(x, this.w as tf.Tensor2D, this.b as tf.Tensor1D | null);
  }
  get variables(): tf.Variable[] {
    return this.b ? [this.w, this.b] : [this.w];
  }
  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** Create a `Linear` layer. @example const ff = linear(64, 256, { seed: 1 }); const y = ff.apply(x); */
export function linear(inputs: number, outputs: number, options: { seed?: SeedLike; bias?: boolean } = {}): Linear {
  return new Linear(inputs, outputs, options);
}

/** Layer normalisation over the last axis (Ba et al. 2016, Eq. 4) with learnable gain and bias. */
export class LayerNorm implements Module {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  constructor(
    readonly dModel: number,
    readonly eps = 1e-5,
  ) {
    checkPositiveInt("layerNorm", "dModel", dModel);
    this.gamma = constantVariable(1, [dModel]);
    this.beta = constantVariable(0, [dModel]);
  }
  /** @param x `[..., dModel]` @returns `[..., dModel]` */
  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, -1, true);
      const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.eps)));
      return tf.add(tf.mul(normed, this.gamma), this.beta);
    });
  }
  get variables(): tf.Variable[] {
    return [this.gamma, this.beta];
  }
  dispose(): void {
    this.gamma.dispose();
    this.beta.dispose();
  }
}

/** Create a `LayerNorm`. @example const ln = layerNorm(64); const y = ln.apply(x); // x [batch, time, 64] */
export function layerNorm(dModel: number, eps = 1e-5): LayerNorm {
  return new LayerNorm(dModel, eps);
}

/** GELU, tanh approximation (Hendrycks & Gimpel 2016, Sec. 2): `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`. */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
  });
}
