import * as tf from "@tensorflow/tfjs-core";
import { InputError, Rng } from "@causeway/core";
import { attentionWeights, scaledDotProductAttention } from "./attention.js";
import { causalAttention, type AttentionKernel } from "./causal-attention.js";

/** A seed or a seeded generator for parameter initialisation. */
export type SeedLike = number | Rng;

function toRng(seed: SeedLike | undefined): Rng {
  return seed instanceof Rng ? seed : new Rng(seed ?? 0);
}

function checkPositiveInt(op: string, name: string, x: number): void {
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

/** Options of `multiHeadAttention`. */
export interface MultiHeadAttentionOptions {
  dModel: number;
  /** Number of heads; must divide dModel. */
  heads: number;
  /** Seed (or generator) of the Glorot-uniform projection weights. */
  seed?: SeedLike;
  /** Projection biases (default true). */
  bias?: boolean;
  /** Causal self-attention implementation (default "auto": the blocked kernel where available). */
  kernel?: AttentionKernel;
}

/** Options of one `MultiHeadAttention.apply` call. */
export interface MultiHeadAttentionCall {
  /** Causal self-attention: each position attends to itself and the past only. */
  causal?: boolean;
  /** Additive mask broadcastable to `[batch, heads, tq, tk]`. */
  mask?: tf.Tensor;
  /** Keys and values come from here (cross-attention), `[batch, tk, dModel]`; default: x itself. */
  context?: tf.Tensor3D;
}

/**
 * Multi-head attention with separate Q/K/V/O projections (Vaswani et al. 2017, Sec. 3.2.2):
 * `MultiHead(X) = Concat(head_1..head_h) W_O`, `head_i = Attention(X W_Q^i, X W_K^i, X W_V^i)`.
 */
export class MultiHeadAttention implements Module {
  readonly q: Linear;
  readonly k: Linear;
  readonly v: Linear;
  readonly o: Linear;
  readonly dHead: number;
  readonly kernel: AttentionKernel;
  constructor(
    readonly dModel: number,
    readonly heads: number,
    options: Omit<MultiHeadAttentionOptions, "dModel" | "heads"> = {},
  ) {
    checkPositiveInt("multiHeadAttention", "dModel", dModel);
    checkPositiveInt("multiHeadAttention", "heads", heads);
    if (dModel % heads !== 0) throw new InputError(`multiHeadAttention: heads (${heads}) must divide dModel (${dModel})`);
    this.dHead = dModel / heads;
    this.kernel = options.kernel ?? "auto";
    const rng = toRng(options.seed);
    const bias = options.bias ?? true;
    this.q = new Linear(dModel, dModel, { seed: rng.fork(), bias });
    this.k = new Linear(dModel, dModel, { seed: rng.fork(), bias });
    this.v = new Linear(dModel, dModel, { seed: rng.fork(), bias });
    this.o = new Linear(dModel, dModel, { seed: rng.fork(), bias });
  }

  /** `[batch, time, dModel]` -> `[batch, heads, time, dHead]` */
  splitHeads(x: tf.Tensor): tf.Tensor4D {
    const [b, t] = x.shape;
    return tf.transpose(tf.reshape(x, [b, t, this.heads, this.dHead]), [0, 2, 1, 3]);
  }

  /** `[batch, heads, time, dHead]` -> `[batch, time, dModel]` */
  mergeHeads(x: tf.Tensor4D): tf.Tensor3D {
    const [b, , t] = x.shape;
    return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, t, this.dModel]);
  }

  /**
   * @param x `[batch, time, dModel]`
   * @returns `[batch, time, dModel]`
   */
  apply(x: tf.Tensor3D, call: MultiHeadAttentionCall = {}): tf.Tensor3D {
    if (x.rank !== 3 || x.shape[2] !== this.dModel) throw new InputError(`multiHeadAttention: x must be [batch, time, ${this.dModel}], got [${x.shape}]`);
    const ctx = call.context ?? x;
    return tf.tidy(() => {
      const q = this.splitHeads(this.q.apply(x)); // [batch, heads, tq, dHead]
      const k = this.splitHeads(this.k.apply(ctx)); // [batch, heads, tk, dHead]
      const v = this.splitHeads(this.v.apply(ctx));
      const selfCausal = call.causal && !call.mask && !call.context;
      const y = selfCausal
        ? causalAttention(q, k, v, { kernel: this.kernel })
        : scaledDotProductAttention(q, k, v, { causal: call.causal, mask: call.mask });
      return this.o.apply(this.mergeHeads(y)) as tf.Tensor3D;
    });
  }

  get variables(): tf.Variable[] {
    return [this.q, this.k, this.v, this.o].flatMap((l) => l.variables);
  }
  dispose(): void {
    for (const l of [this.q, this.k, this.v, this.o]) l.dispose();
  }
}

/**
 * Create a multi-head attention layer.
 *
 * @example
 * const mha = multiHeadAttention({ dModel: 64, heads: 4, seed: 1 });
 * const y = mha.apply(x, { causal: true }); // x, y: [batch, time, 64]
 * optimizer.minimize(() => loss(y), false, mha.variables);
 */
export function multiHeadAttention(options: MultiHeadAttentionOptions): MultiHeadAttention {
  return new MultiHeadAttention(options.dModel, options.heads, options);
}

/** Options of `crossVariableAttention`. */
export interface CrossVariableAttentionOptions {
  /** Number of variables (one learnable query each). */
  vars: number;
  dModel: number;
  heads: number;
  seed?: SeedLike;
  bias?: boolean;
}

/** Result of `CrossVariableAttention.apply`. */
export interface CrossVariableAttentionResult {
  /** `[batch, vars, dModel]`: for each variable, what it gathered from all variables. */
  out: tf.Tensor3D;
  /** `[batch, heads, vars (query), vars (key)]`: row `i` is how much variable `i` attends to each variable. */
  weights: tf.Tensor4D;
}

/**
 * Cross-variable attention: one learnable query per variable attends over per-variable
 * embeddings, so the attention matrix `[vars, vars]` reads as "who looks at whom"
 * (the attention-as-causal-score idea used by attention-based discovery methods).
 */
export class CrossVariableAttention implements Module {
  /** `[vars, dModel]` learnable variable queries. */
  readonly queries: tf.Variable;
  readonly attention: MultiHeadAttention;
  constructor(
    readonly vars: number,
    readonly dModel: number,
    readonly heads: number,
    options: { seed?: SeedLike; bias?: boolean } = {},
  ) {
    checkPositiveInt("crossVariableAttention", "vars", vars);
    const rng = toRng(options.seed);
    this.attention = new MultiHeadAttention(dModel, heads, { seed: rng.fork(), bias: options.bias });
    // N(0, 1/dModel) queries: unit-scale dot products with unit-scale embeddings
    const values = new Float32Array(vars * dModel);
    for (let i = 0; i < values.length; i++) values[i] = rng.normal() / Math.sqrt(dModel);
    this.queries = tf.tidy(() => tf.variable(tf.tensor2d(values, [vars, dModel])));
  }

  /**
   * @param embeddings `[batch, vars, dModel]`, one embedding per variable
   * @param mask optional additive mask broadcastable to `[batch, heads, vars, vars]`
   */
  apply(embeddings: tf.Tensor3D, mask?: tf.Tensor): CrossVariableAttentionResult {
    const [b, nv, dm] = embeddings.shape;
    if (embeddings.rank !== 3 || nv !== this.vars || dm !== this.dModel)
      throw new InputError(`crossVariableAttention: embeddings must be [batch, ${this.vars}, ${this.dModel}], got [${embeddings.shape}]`);
    const mha = this.attention;
    return tf.tidy(() => {
      const queries = tf.tile(tf.expandDims(this.queries, 0), [b, 1, 1]); // [batch, vars, dModel]
      const q = mha.splitHeads(mha.q.apply(queries)); // [batch, heads, vars, dHead]
      const k = mha.splitHeads(mha.k.apply(embeddings));
      const v = mha.splitHeads(mha.v.apply(embeddings));
      const weights = attentionWeights(q, k, { mask }); // [batch, heads, vars, vars]
      const heads = tf.matMul(weights, v) as tf.Tensor4D; // [batch, heads, vars, dHead]
      const out = mha.o.apply(mha.mergeHeads(heads)) as tf.Tensor3D;
      return { out, weights };
    });
  }

  get variables(): tf.Variable[] {
    return [this.queries, ...this.attention.variables];
  }
  dispose(): void {
    this.queries.dispose();
    this.attention.dispose();
  }
}

/**
 * Create a cross-variable attention layer.
 *
 * @example
 * const cva = crossVariableAttention({ vars: 10, dModel: 32, heads: 2, seed: 3 });
 * const { out, weights } = cva.apply(embeddings); // embeddings [batch, 10, 32]
 * const scores = tf.mean(weights, [0, 1]); // [10, 10]: effect x cause
 */
export function crossVariableAttention(options: CrossVariableAttentionOptions): CrossVariableAttention {
  return new CrossVariableAttention(options.vars, options.dModel, options.heads, options);
}

/** Options of `transformerBlock`. */
export interface TransformerBlockOptions {
  dModel: number;
  heads: number;
  /** Hidden width of the feed-forward network; default 4 dModel. */
  dFF?: number;
  /** Causal self-attention (default true). */
  causal?: boolean;
  /** Feed-forward activation (default "gelu"). */
  activation?: "gelu" | "relu";
  seed?: SeedLike;
  kernel?: AttentionKernel;
}

/**
 * Pre-norm transformer block (Xiong et al. 2020, Fig. 1b):
 * `h = x + MHA(LN1(x))`, `y = h + FFN(LN2(h))`, `FFN(z) = act(z W1 + b1) W2 + b2`.
 */
export class TransformerBlock implements Module {
  readonly ln1: LayerNorm;
  readonly attention: MultiHeadAttention;
  readonly ln2: LayerNorm;
  readonly ff1: Linear;
  readonly ff2: Linear;
  readonly causal: boolean;
  readonly activation: "gelu" | "relu";
  constructor(options: TransformerBlockOptions) {
    const { dModel, heads } = options;
    const rng = toRng(options.seed);
    const dFF = options.dFF ?? 4 * dModel;
    this.causal = options.causal ?? true;
    this.activation = options.activation ?? "gelu";
    this.ln1 = new LayerNorm(dModel);
    this.attention = new MultiHeadAttention(dModel, heads, { seed: rng.fork(), kernel: options.kernel });
    this.ln2 = new LayerNorm(dModel);
    this.ff1 = new Linear(dModel, dFF, { seed: rng.fork() });
    this.ff2 = new Linear(dFF, dModel, { seed: rng.fork() });
  }

  /** @param x `[batch, time, dModel]` @returns `[batch, time, dModel]` */
  apply(x: tf.Tensor3D, call: { mask?: tf.Tensor } = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const h = tf.add(x, this.attention.apply(this.ln1.apply(x) as tf.Tensor3D, { causal: this.causal, mask: call.mask }));
      const z = this.ff1.apply(this.ln2.apply(h));
      const act = this.activation === "gelu" ? gelu(z) : tf.relu(z);
      return tf.add(h, this.ff2.apply(act)) as tf.Tensor3D;
    });
  }

  get variables(): tf.Variable[] {
    return [this.ln1, this.attention, this.ln2, this.ff1, this.ff2].flatMap((m) => m.variables);
  }
  dispose(): void {
    for (const m of [this.ln1, this.attention, this.ln2, this.ff1, this.ff2]) m.dispose();
  }
}

/**
 * Create a pre-norm transformer block.
 *
 * @example
 * const block = transformerBlock({ dModel: 64, heads: 4, seed: 7 });
 * const y = block.apply(tf.add(x, sinusoidalPositionalEncoding(256, 64))); // x: [batch, 256, 64]
 */
export function transformerBlock(options: TransformerBlockOptions): TransformerBlock {
  return new TransformerBlock(options);
}
