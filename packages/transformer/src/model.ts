import * as tf from "@tensorflow/tfjs-core";
import { dense, LayerNorm, Linear, MASK_VALUE, MultiHeadAttention, sinusoidalPositionalEncoding } from "@causeway/attention";
import { InputError, Rng } from "@causeway/core";

/** Shape of a `CausalTransformer`. */
export interface TransformerConfig {
  /** V: number of variables (one token per variable per time step). */
  vars: number;
  /** W: input time steps (>= maxLag); the window predicts the step right after it. */
  window: number;
  /** Width of every token's hidden state. */
  dModel: number;
  /** Attention heads per layer; must divide dModel. */
  heads: number;
  /** Number of pre-norm transformer blocks. */
  layers: number;
  /** Hidden width of each block's feed-forward network. */
  ffHidden: number;
  /**
   * A linear autoregressive "highway" added to the prediction, `ŷ += flatten(x) A` with `A [W * V, V]`
   * (the AR component of LSTNet, Lai et al. 2018, Sec. 3.6), so the transformer models what a linear
   * autoregression misses. "none": no highway; "learnt": A is trained with the rest
   * (zero-initialised) on the same, noisy, inputs as the transformer, so training with input noise
   * penalises `σ² ‖A‖²` as a ridge would (Bishop 1995); "fixed": A is set with `setHighway` (e.g.
   * least squares or GCV ridge), not trained, and reads the noise-free input (`ForwardOptions.clean`).
   */
  highway?: "none" | "learnt" | "fixed";
}

/** Options of `CausalTransformer.encode`. */
export interface EncodeOptions {
  /** `[batch, n]` 1/0 key mask: a 0 token is masked out of every query's attention. */
  keep?: tf.Tensor2D;
  /** Also return every layer's attention probabilities `[batch, heads, n, n]`. */
  returnAttention?: boolean;
  /** `[n]` group of each token: a token attends only within its own group (e.g. its variable). */
  groups?: Int32Array;
  /**
   * LRP mode: the same forward values, but attention probabilities, LayerNorm scales and GELU gates
   * are constants in the backward pass, so gradient x input is a conservative relevance (see `detach`).
   */
  lrp?: boolean;
}

/** Options of `CausalTransformer.forward`. */
export interface ForwardOptions extends EncodeOptions {
  /** `[batch, W, V]` noise-free input for a fixed highway while the transformer (and a learnt highway) get a noisy `x` (training with input noise). */
  clean?: tf.Tensor3D;
}

/** Result of `CausalTransformer.encode`. */
export interface EncodeResult {
  /** `[batch, n, dModel]` */
  hidden: tf.Tensor3D;
  /** One `[batch, heads, n, n]` per layer (query row, key column), when asked. */
  attention?: tf.Tensor4D[];
}

function checkPositiveInt(name: string, x: number): void {
  if (!Number.isInteger(x) || x < 1) throw new InputError(`CausalTransformer: ${name} must be a positive integer, got ${x}`);
}

/** A trainable `[rows, cols]` variable with N(0, scale²) entries. */
function normalVariable(rng: Rng, shape: [number, number], scale: number): tf.Variable {
  const values = new Float32Array(shape[0] * shape[1]);
  for (let i = 0; i < values.length; i++) values[i] = rng.normal() * scale;
  return tf.tidy(() => tf.variable(tf.tensor2d(values, shape)));
}

/**
 * Additive block-causal mask `[n, n]` from token times: 0 where key time <= query time (the
 * past and the same step), `MASK_VALUE` where the key lies in the query's future (or, with
 * `groups`, in another group).
 */
export function timeMask(times: ArrayLike<number>, groups?: ArrayLike<number>): tf.Tensor2D {
  const n = times.length;
  if (groups && groups.length !== n) throw new InputError(`timeMask: ${groups.length} groups for ${n} tokens`);
  const values = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) if (times[j] > times[i] || (groups && groups[j] !== groups[i])) values[i * n + j] = MASK_VALUE;
  return tf.tensor2d(values, [n, n]);
}

/**
 * Batched `a b` for rank-4 operands with a gradient that only multiplies explicitly transposed
 * operands: tfjs-wasm's matMul is several times slower with a transpose flag (see `dense` in
 * @causeway/attention), and tfjs's own MatMul gradient uses those flags.
 */
export const bmm = tf.customGrad((a, b, save) => {
  const [a4, b4] = [a as tf.Tensor4D, b as tf.Tensor4D];
  (save as tf.GradSaveFunc)([a4, b4]);
  return {
    value: tf.matMul(a4, b4),
    gradFunc: (dy, saved) => {
      const [as, bs] = saved as [tf.Tensor4D, tf.Tensor4D];
      return [tf.matMul(dy as tf.Tensor4D, tf.transpose(bs, [0, 1, 3, 2])), tf.matMul(tf.transpose(as, [0, 1, 3, 2]), dy as tf.Tensor4D)];
    },
  };
}) as (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor4D;

/**
 * GELU, sigmoid approximation (Hendrycks & Gimpel 2016, Sec. 2): `x sigmoid(1.702 x)`. The tanh form
 * costs about 3x more on tfjs-wasm (Pow and Tanh kernels dominate a training step's elementwise time).
 */
export function fastGelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(tf.mul(x, 1.702))));
}

/**
 * Identity forward, zero gradient backward (a stop-gradient). Used by the LRP mode: with the
 * attention probabilities and LayerNorm scales detached, gradient x input is the "conservative
 * propagation" LRP of a transformer (Ali et al. 2022, "XAI for Transformers", Sec. 3.2), and with
 * the GELU gate detached, the identity rule for elementwise activations (Achtibat et al. 2024,
 * AttnLRP, Sec. 3.3).
 */
export const detach = tf.customGrad((x) => {
  const t = x as tf.Tensor;
  return { value: tf.clone(t), gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor) };
}) as <T extends tf.Tensor>(x: T) => T;

/** LayerNorm, optionally with its `1 / sigma` detached (LRP mode). @param x `[..., dModel]` */
function layerNorm(ln: LayerNorm, x: tf.Tensor, lrp: boolean): tf.Tensor {
  if (!lrp) return ln.apply(x);
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    const scale = detach(tf.rsqrt(tf.add(variance, ln.eps))); // Ba et al. 2016, Eq. 4, scale held constant
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), scale), ln.gamma), ln.beta);
  });
}

/** `fastGelu`, optionally with its gate `sigmoid(1.702 x)` detached (LRP mode). */
function gelu(x: tf.Tensor, lrp: boolean): tf.Tensor {
  return lrp ? tf.tidy(() => tf.mul(x, detach(tf.sigmoid(tf.mul(x, 1.702))))) : fastGelu(x);
}

/**
 * `[b, n, d]` rows `index` of `h [b, N, d]` through a one-hot matrix product (tfjs-wasm has no
 * gradient kernel for gather, and this keeps what comes before it trainable).
 */
export function selectTokens(h: tf.Tensor3D, index: ArrayLike<number>): tf.Tensor3D {
  const N = h.shape[1];
  const n = index.length;
  const pick = new Float32Array(N * n); // [N, n]
  for (let k = 0; k < n; k++) pick[index[k] * n + k] = 1;
  return tf.tidy(() => tf.transpose(dense(tf.transpose(h, [0, 2, 1]), tf.tensor2d(pick, [N, n]), null), [0, 2, 1]) as tf.Tensor3D);
}

/** Pre-norm block (Xiong et al. 2020, Fig. 1b) that can hand back its attention probabilities. */
class Block {
  readonly ln1: LayerNorm;
  readonly attention: MultiHeadAttention;
  readonly ln2: LayerNorm;
  readonly ff1: Linear;
  readonly ff2: Linear;
  constructor(dModel: number, heads: number, ffHidden: number, rng: Rng) {
    this.ln1 = new LayerNorm(dModel);
    this.attention = new MultiHeadAttention(dModel, heads, { seed: rng.fork() });
    this.ln2 = new LayerNorm(dModel);
    this.ff1 = new Linear(dModel, ffHidden, { seed: rng.fork() });
    this.ff2 = new Linear(ffHidden, dModel, { seed: rng.fork() });
  }

  /**
   * `h = x + MHA(LN1(x))`, `y = h + FFN(LN2(h))`.
   * @param x `[batch, n, dModel]` @param mask additive, broadcastable to `[batch, heads, n, n]`
   * @param lrp detach attention probabilities, LayerNorm scales and GELU gates in the backward pass
   * @param queryFrom compute only the states of tokens `queryFrom..n-1` (they still attend to every
   *   token the mask allows): `y` is `[batch, n - queryFrom, dModel]`, `weights` `[batch, heads, n - queryFrom, n]`
   */
  apply(x: tf.Tensor3D, mask: tf.Tensor, lrp = false, queryFrom = 0): { y: tf.Tensor3D; weights: tf.Tensor4D } {
    const mha = this.attention;
    const [b, n, d] = x.shape;
    const a = layerNorm(this.ln1, x, lrp) as tf.Tensor3D;
    const rows = n - queryFrom; // m query tokens
    const xq = queryFrom > 0 ? tf.slice(x, [0, queryFrom, 0], [b, rows, d]) : x; // [batch, m, dModel]
    const aq = queryFrom > 0 ? tf.slice(a, [0, queryFrom, 0], [b, rows, d]) : a;
    const maskQ = queryFrom > 0 ? tf.slice(mask, Array(mask.rank).fill(0).map((_, i) => (i === mask.rank - 2 ? queryFrom : 0)), mask.shape.map((s, i) => (i === mask.rank - 2 ? rows : s))) : mask;
    const q = mha.splitHeads(mha.q.apply(aq)); // [batch, heads, m, dHead]
    const k = mha.splitHeads(mha.k.apply(a)); // [batch, heads, n, dHead]
    const v = mha.splitHeads(mha.v.apply(a));
    // softmax(Q K^T / sqrt(dHead) + mask) V (Vaswani et al. 2017, Eq. 1); softmax subtracts the row max
    const scores = tf.add(tf.mul(bmm(q, tf.transpose(k, [0, 1, 3, 2])), 1 / Math.sqrt(mha.dHead)), maskQ); // [batch, heads, m, n]
    const weights = tf.softmax(scores) as tf.Tensor4D;
    const att = mha.o.apply(mha.mergeHeads(bmm(lrp ? detach(weights) : weights, v))); // [batch, m, dModel]
    const h = tf.add(xq, att);
    const z = this.ff1.apply(layerNorm(this.ln2, h, lrp)); // [batch, m, ffHidden]
    const y = tf.add(h, this.ff2.apply(gelu(z, lrp))) as tf.Tensor3D;
    return { y, weights };
  }

  get variables(): tf.Variable[] {
    return [this.ln1, this.attention, this.ln2, this.ff1, this.ff2].flatMap((m) => m.variables);
  }
  dispose(): void {
    for (const m of [this.ln1, this.attention, this.ln2, this.ff1, this.ff2]) m.dispose();
  }
}

/**
 * Decoder-only transformer over one token per (time step, variable), trained for next-step
 * prediction. Token index `n = t * V + v`, `t = 0` oldest .. `W - 1` newest. A token's embedding is
 * `x[t, v] * a_v + e_v + PE(t)`: a per-variable value projection `a_v`, a learnt variable
 * embedding `e_v` (so every token keeps its variable's identity, which the gradient read-out
 * needs) and the sinusoidal encoding of its time step (Vaswani et al. 2017, Sec. 3.5). The
 * attention mask is block-causal: a token sees every token of its own and earlier steps (the
 * arrow of time), never later ones. The prediction of `x_v` at step `W` is a per-variable linear
 * head on the final-layer state of token `(W - 1, v)`.
 *
 * @example
 * const model = new CausalTransformer({ vars: 3, window: 4, dModel: 16, heads: 2, layers: 2, ffHidden: 32 }, 7);
 * const { prediction } = model.forward(x); // x [batch, 4, 3] -> [batch, 3]
 */
export class CausalTransformer {
  readonly config: TransformerConfig;
  readonly tokens: number;
  /** `[V, dModel]` per-variable value projection. */
  readonly valueWeight: tf.Variable;
  /** `[V, dModel]` learnt variable embeddings. */
  readonly varEmbedding: tf.Variable;
  readonly blocks: Block[];
  readonly finalNorm: LayerNorm;
  /** `[V, dModel]` per-variable output heads. */
  readonly headWeight: tf.Variable;
  /** `[1, V]` output biases. */
  readonly headBias: tf.Variable;
  /** `[W * V, V]` linear highway (`config.highway`), else null. */
  readonly highwayWeight: tf.Variable | null;
  /** `[W, 1, dModel]` positional encoding of the time steps (constant). */
  private readonly positions: tf.Tensor3D;
  /** `[W * V]` time step of each token of a full window. */
  readonly tokenTimes: Int32Array;
  /** `[V]` positions of the newest step's tokens in a full window. */
  readonly queryIndex: Int32Array;

  constructor(config: TransformerConfig, seed = 0) {
    for (const key of ["vars", "window", "dModel", "heads", "layers", "ffHidden"] as const) checkPositiveInt(key, config[key]);
    if (config.dModel % config.heads !== 0) throw new InputError(`CausalTransformer: heads (${config.heads}) must divide dModel (${config.dModel})`);
    this.config = { ...config };
    const { vars: V, window: W, dModel } = config;
    this.tokens = W * V;
    const rng = new Rng(seed);
    this.valueWeight = normalVariable(rng.fork(), [V, dModel], 1);
    this.varEmbedding = normalVariable(rng.fork(), [V, dModel], 1);
    this.blocks = Array.from({ length: config.layers }, () => new Block(dModel, config.heads, config.ffHidden, rng.fork()));
    this.finalNorm = new LayerNorm(dModel);
    this.headWeight = normalVariable(rng.fork(), [V, dModel], 1 / Math.sqrt(dModel));
    this.headBias = tf.tidy(() => tf.variable(tf.zeros([1, V])));
    if (config.highway !== undefined && !["none", "learnt", "fixed"].includes(config.highway)) throw new InputError(`CausalTransformer: highway must be none, learnt or fixed, got "${config.highway}"`);
    this.highwayWeight = config.highway === "learnt" || config.highway === "fixed" ? tf.tidy(() => tf.variable(tf.zeros([W * V, V]), config.highway === "learnt")) : null;
    this.positions = tf.tidy(() => tf.expandDims(sinusoidalPositionalEncoding(W, dModel), 1) as tf.Tensor3D);
    this.tokenTimes = new Int32Array(W * V);
    for (let t = 0; t < W; t++) this.tokenTimes.fill(t, t * V, (t + 1) * V);
    this.queryIndex = Int32Array.from({ length: V }, (_, v) => (W - 1) * V + v);
  }

  /** Every trainable weight (a "fixed" highway is not trained). */
  get variables(): tf.Variable[] {
    const highway = this.config.highway === "learnt" ? [this.highwayWeight!] : [];
    return [this.valueWeight, this.varEmbedding, ...this.blocks.flatMap((b) => b.variables), ...this.finalNorm.variables, this.headWeight, this.headBias, ...highway];
  }

  /** Set the highway's weights `A [W * V, V]` (row `t * V + c`: input `x_c` at window step `t`; column: output variable). */
  setHighway(weights: ArrayLike<number>): void {
    const { window: W, vars: V } = this.config;
    if (!this.highwayWeight) throw new InputError("CausalTransformer.setHighway: the model has no highway (config.highway)");
    if (weights.length !== W * V * V) throw new InputError(`CausalTransformer.setHighway: expected ${W * V * V} weights, got ${weights.length}`);
    tf.tidy(() => this.highwayWeight!.assign(tf.tensor2d(Float32Array.from(weights), [W * V, V])));
  }

  /**
   * Token embeddings: value projection + variable embedding + time positional encoding.
   * @param x `[batch, W, V]` @returns `[batch, W * V, dModel]`
   */
  embed(x: tf.Tensor3D): tf.Tensor3D {
    const { vars: V, window: W, dModel } = this.config;
    if (x.rank !== 3 || x.shape[1] !== W || x.shape[2] !== V) throw new InputError(`CausalTransformer.embed: x must be [batch, ${W}, ${V}], got [${x.shape}]`);
    return tf.tidy(() => {
      const b = x.shape[0];
      const values = tf.mul(tf.expandDims(x, 3), this.valueWeight); // [batch, W, V, dModel]
      const tokens = tf.add(tf.add(values, this.varEmbedding), this.positions); // [batch, W, V, dModel]
      return tf.reshape(tokens, [b, W * V, dModel]);
    });
  }

  /**
   * Encoder blocks on any token subset, block-causal in `times`.
   * @param h `[batch, n, dModel]` @param times `[n]` time step of each token
   */
  encode(h: tf.Tensor3D, times: Int32Array | Float32Array, opts: EncodeOptions = {}): EncodeResult {
    const [b, n, d] = h.shape;
    if (h.rank !== 3 || d !== this.config.dModel) throw new InputError(`CausalTransformer.encode: h must be [batch, n, ${this.config.dModel}], got [${h.shape}]`);
    if (times.length !== n) throw new InputError(`CausalTransformer.encode: ${times.length} token times for ${n} tokens`);
    const attention: tf.Tensor4D[] = [];
    const hidden = tf.tidy(() => {
      const mask = this.mask(times, opts, b, "encode");
      let x = h;
      for (const block of this.blocks) {
        const { y, weights } = block.apply(x, mask, opts.lrp ?? false);
        if (opts.returnAttention) attention.push(tf.keep(weights));
        x = y;
      }
      return x;
    });
    return opts.returnAttention ? { hidden, attention } : { hidden };
  }

  /**
   * Additive attention mask `[n, n]` (or `[batch, 1, n, n]` with `keep`): block-causal in `times`,
   * within `groups`. Checks `keep` against `[b, n]`; `caller` names the method in the error.
   */
  private mask(times: ArrayLike<number>, opts: EncodeOptions, b: number, caller: string): tf.Tensor {
    const n = times.length;
    if (opts.keep && (opts.keep.rank !== 2 || opts.keep.shape[0] !== b || opts.keep.shape[1] !== n))
      throw new InputError(`CausalTransformer.${caller}: keep must be [${b}, ${n}], got [${opts.keep.shape}]`);
    return tf.tidy(() => {
      const mask = timeMask(times, opts.groups); // [n, n]
      return opts.keep ? tf.add(mask, tf.reshape(tf.mul(tf.sub(1, opts.keep), MASK_VALUE), [b, 1, 1, n])) : mask; // [batch, 1, n, n]
    });
  }

  /**
   * Next-step prediction from the query tokens' final states.
   * @param hidden `[batch, n, dModel]` @param queryIndex `[V]` position of token `(W - 1, v)` in `hidden`
   * @param opts `lrp`: the final LayerNorm's scale detached (see `EncodeOptions.lrp`)
   * @returns `[batch, V]`
   */
  readout(hidden: tf.Tensor3D, queryIndex: Int32Array, opts: { lrp?: boolean } = {}): tf.Tensor2D {
    const V = this.config.vars;
    const [b, n, d] = hidden.shape;
    if (queryIndex.length !== V) throw new InputError(`CausalTransformer.readout: queryIndex needs ${V} entries, got ${queryIndex.length}`);
    for (const i of queryIndex) if (!Number.isInteger(i) || i < 0 || i >= n) throw new InputError(`CausalTransformer.readout: query index ${i} outside 0..${n - 1}`);
    return tf.tidy(() => {
      const contiguous = queryIndex.every((i, v) => i === queryIndex[0] + v);
      const q = contiguous ? tf.slice(hidden, [0, queryIndex[0], 0], [b, V, d]) : selectTokens(hidden, queryIndex); // [batch, V, dModel]
      const z = layerNorm(this.finalNorm, q, opts.lrp ?? false); // [batch, V, dModel]
      return tf.add(tf.sum(tf.mul(z, this.headWeight), 2), this.headBias) as tf.Tensor2D;
    });
  }

  /**
   * embed -> encode (all tokens) -> readout (+ the linear highway of the window, if configured).
   * Without `returnAttention`, the last block computes only the query tokens' states (the same
   * prediction for about a third less work at W = 3).
   * @param x `[batch, W, V]` @returns prediction `[batch, V]` of the step after the window
   */
  forward(x: tf.Tensor3D, opts: ForwardOptions = {}): { prediction: tf.Tensor2D; attention?: tf.Tensor4D[] } {
    let attention: tf.Tensor4D[] | undefined;
    const prediction = tf.tidy(() => {
      let y: tf.Tensor2D; // [batch, V]
      if (opts.returnAttention) {
        const enc = this.encode(this.embed(x), this.tokenTimes, opts);
        attention = enc.attention;
        y = this.readout(enc.hidden, this.queryIndex, { lrp: opts.lrp });
      } else {
        const { vars: V } = this.config;
        const lrp = opts.lrp ?? false;
        let h = this.embed(x); // [batch, W * V, dModel]
        const mask = this.mask(this.tokenTimes, opts, h.shape[0], "forward");
        const last = this.blocks.length - 1;
        for (let i = 0; i < last; i++) h = this.blocks[i].apply(h, mask, lrp).y;
        const states = this.blocks[last].apply(h, mask, lrp, this.tokens - V).y; // [batch, V, dModel]: the newest step's tokens
        y = this.readout(states, Int32Array.from({ length: V }, (_, v) => v), { lrp });
      }
      if (!this.highwayWeight) return y;
      const { window: W, vars: V } = this.config;
      const input = this.config.highway === "fixed" ? (opts.clean ?? x) : x; // a learnt highway trains on the noisy input: noise acts as its ridge
      return tf.add(y, dense(tf.reshape(input, [input.shape[0], W * V]), this.highwayWeight as tf.Tensor2D, null)) as tf.Tensor2D;
    });
    return attention ? { prediction, attention } : { prediction };
  }

  /** Floating-point operations (2 x multiply-adds) of one forward pass for one sample over n tokens. */
  flops(n = this.tokens): number {
    const { dModel: d, layers, ffHidden: f, vars: V } = this.config;
    const embed = 2 * n * d;
    const perLayer = 2 * (4 * n * d * d + 2 * n * n * d + 2 * n * d * f);
    const head = 2 * V * d;
    const highway = this.highwayWeight ? 2 * this.config.window * V * V : 0;
    return embed + layers * perLayer + head + highway;
  }

  dispose(): void {
    for (const v of [this.valueWeight, this.varEmbedding, this.headWeight, this.headBias, ...(this.highwayWeight ? [this.highwayWeight] : [])]) v.dispose();
    for (const b of this.blocks) b.dispose();
    this.finalNorm.dispose();
    this.positions.dispose();
  }
}
