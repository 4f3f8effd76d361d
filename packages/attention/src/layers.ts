// The attention layers: multi-head and cross-variable attention and the pre-norm transformer block,
// built from linear.ts's Linear, LayerNorm and GELU.
import * as tf from "@tensorflow/tfjs-core";
import { InputError } from "@causeway/core";
import { attentionWeights, scaledDotProductAttention } from "./attention.js";
import { causalAttention, type AttentionKernel } from "./causal-attention.js";
import { LayerNorm, Linear, checkPositiveInt, gelu, toRng, type Module, type SeedLike } from "./linear.js";

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
