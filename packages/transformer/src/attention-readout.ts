import * as tf from "@tensorflow/tfjs-core";
import { LayerNorm, Linear, MultiHeadAttention } from "@causeway/attention";
import { InputError, Rng, throwIfAborted } from "@causeway/core";
import { bmm, CausalTransformer, fastGelu, type TransformerConfig } from "./model.js";

/** Shape of a `CausalformerModel`: the encoder's config plus the decoder's depth. */
export interface CausalformerConfig extends TransformerConfig {
  /** Cross-attention decoder layers (target queries over source history tokens). */
  decoderLayers: number;
}

/** One decoder layer: pre-norm cross-attention from the target states to the history tokens, then an FFN. */
class CrossLayer {
  readonly lnQ: LayerNorm;
  readonly lnKV: LayerNorm;
  readonly attention: MultiHeadAttention;
  readonly ln2: LayerNorm;
  readonly ff1: Linear;
  readonly ff2: Linear;
  constructor(dModel: number, heads: number, ffHidden: number, rng: Rng) {
    this.lnQ = new LayerNorm(dModel);
    this.lnKV = new LayerNorm(dModel);
    this.attention = new MultiHeadAttention(dModel, heads, { seed: rng.fork() });
    this.ln2 = new LayerNorm(dModel);
    this.ff1 = new Linear(dModel, ffHidden, { seed: rng.fork() });
    this.ff2 = new Linear(ffHidden, dModel, { seed: rng.fork() });
  }

  /**
   * @param s `[batch, V, dModel]` target states @param mem `[batch, n, dModel]` history tokens
   * @returns new states and the cross-attention `[batch, heads, V, n]`
   */
  apply(s: tf.Tensor3D, mem: tf.Tensor3D): { y: tf.Tensor3D; weights: tf.Tensor4D } {
    const mha = this.attention;
    const kv = this.lnKV.apply(mem) as tf.Tensor3D;
    const q = mha.splitHeads(mha.q.apply(this.lnQ.apply(s))); // [batch, heads, V, dHead]
    const k = mha.splitHeads(mha.k.apply(kv)); // [batch, heads, n, dHead]
    const v = mha.splitHeads(mha.v.apply(kv));
    // softmax(Q K^T / sqrt(dHead)) V (Vaswani et al. 2017, Eq. 1)
    const weights = tf.softmax(tf.mul(bmm(q, tf.transpose(k, [0, 1, 3, 2])), 1 / Math.sqrt(mha.dHead))) as tf.Tensor4D; // [batch, heads, V, n]
    const h = tf.add(s, mha.o.apply(mha.mergeHeads(bmm(weights, v))));
    const y = tf.add(h, this.ff2.apply(fastGelu(this.ff1.apply(this.ln2.apply(h))))) as tf.Tensor3D;
    return { y, weights };
  }

  get variables(): tf.Variable[] {
    return [this.lnQ, this.lnKV, this.attention, this.ln2, this.ff1, this.ff2].flatMap((m) => m.variables);
  }
  dispose(): void {
    for (const m of [this.lnQ, this.lnKV, this.attention, this.ln2, this.ff1, this.ff2]) m.dispose();
  }
}

/**
 * Causalformer-style predictor (Kong et al., arXiv 2311.06928): every variable's history is
 * encoded WITHOUT mixing variables (the `CausalTransformer` encoder with attention restricted to
 * the token's own variable, causal in time), then a decoder whose learnt per-target queries
 * cross-attend to all history tokens `(t, source)` predicts each target's next value. The
 * cross-attention weight from target `e` to token `(W - l, c)` reads as the relevance of
 * `x_c(t - l)` to `x_e(t)`.
 */
export class CausalformerModel {
  readonly config: CausalformerConfig;
  readonly encoder: CausalTransformer;
  /** `[V, dModel]` learnt target queries. */
  readonly targetQueries: tf.Variable;
  readonly layers: CrossLayer[];
  readonly finalNorm: LayerNorm;
  /** `[V, dModel]` per-target output heads. */
  readonly headWeight: tf.Variable;
  /** `[1, V]` */
  readonly headBias: tf.Variable;
  /** `[W * V]` variable of each token: the encoder's attention groups. */
  readonly groups: Int32Array;

  constructor(config: CausalformerConfig, seed = 0) {
    if (!Number.isInteger(config.decoderLayers) || config.decoderLayers < 1) throw new InputError(`CausalformerModel: decoderLayers must be a positive integer, got ${config.decoderLayers}`);
    this.config = { ...config };
    const rng = new Rng(seed);
    this.encoder = new CausalTransformer(config, rng.int(2 ** 31));
    const { vars: V, dModel } = config;
    const init = (scale: number): tf.Variable => {
      const values = new Float32Array(V * dModel);
      for (let i = 0; i < values.length; i++) values[i] = rng.normal() * scale;
      return tf.tidy(() => tf.variable(tf.tensor2d(values, [V, dModel])));
    };
    this.targetQueries = init(1);
    this.layers = Array.from({ length: config.decoderLayers }, () => new CrossLayer(dModel, config.heads, config.ffHidden, rng.fork()));
    this.finalNorm = new LayerNorm(dModel);
    this.headWeight = init(1 / Math.sqrt(dModel));
    this.headBias = tf.tidy(() => tf.variable(tf.zeros([1, V])));
    this.groups = Int32Array.from({ length: config.window * V }, (_, n) => n % V);
  }

  /** The encoder's weights except its (unused) output head, then the decoder's. */
  get variables(): tf.Variable[] {
    const unused = new Set([this.encoder.headWeight, this.encoder.headBias, ...this.encoder.finalNorm.variables]);
    return [...this.encoder.variables.filter((v) => !unused.has(v)), this.targetQueries, ...this.layers.flatMap((l) => l.variables), ...this.finalNorm.variables, this.headWeight, this.headBias];
  }

  /**
   * @param x `[batch, W, V]` (`opts.clean`, the noise-free input during noisy training, is not used: no highway)
   * @returns prediction `[batch, V]` and, when asked, each decoder layer's cross-attention `[batch, heads, V, W * V]`
   */
  forward(x: tf.Tensor3D, opts: { returnAttention?: boolean; clean?: tf.Tensor3D } = {}): { prediction: tf.Tensor2D; attention?: tf.Tensor4D[] } {
    const attention: tf.Tensor4D[] = [];
    const prediction = tf.tidy(() => {
      const b = x.shape[0];
      const { hidden } = this.encoder.encode(this.encoder.embed(x), this.encoder.tokenTimes, { groups: this.groups }); // [batch, W*V, dModel]
      let s = tf.tile(tf.expandDims(this.targetQueries, 0), [b, 1, 1]) as tf.Tensor3D; // [batch, V, dModel]
      for (const layer of this.layers) {
        const { y, weights } = layer.apply(s, hidden);
        if (opts.returnAttention) attention.push(tf.keep(weights));
        s = y;
      }
      const z = this.finalNorm.apply(s); // [batch, V, dModel]
      return tf.add(tf.sum(tf.mul(z, this.headWeight), 2), this.headBias) as tf.Tensor2D;
    });
    return opts.returnAttention ? { prediction, attention } : { prediction };
  }

  dispose(): void {
    this.encoder.dispose();
    for (const v of [this.targetQueries, this.headWeight, this.headBias]) v.dispose();
    for (const l of this.layers) l.dispose();
    this.finalNorm.dispose();
  }
}

/**
 * Cross-attention read-out (Causalformer, arXiv 2311.06928, Sec. 4): the decoder's attention from
 * each target to each source token, averaged over windows, heads and layers, flat
 * `[effect, cause, lag - 1]`: lag `l` is the token of step `W - l`.
 *
 * @param x `[n, W, V]` input windows (z-scored units)
 */
export function attentionScores(model: CausalformerModel, x: tf.Tensor3D, maxLag: number, options: { chunk?: number; signal?: AbortSignal } = {}): Float64Array {
  const { vars: V, window: W } = model.config;
  if (!Number.isInteger(maxLag) || maxLag < 1 || maxLag > W) throw new InputError(`attentionScores: maxLag must be in 1..${W} (the window), got ${maxLag}`);
  const n = x.shape[0];
  const chunk = options.chunk ?? 512;
  const acc = new Float64Array(V * W * V); // [effect, token]
  for (let start = 0; start < n; start += chunk) {
    throwIfAborted(options.signal);
    const size = Math.min(chunk, n - start);
    const mean = tf.tidy(() => {
      const { prediction, attention } = model.forward(tf.slice(x, [start, 0, 0], [size, W, V]), { returnAttention: true });
      prediction.dispose();
      const stacked = tf.stack(attention!); // [layers, batch, heads, V, W*V]
      tf.dispose(attention!);
      return tf.sum(tf.mean(stacked, [0, 2]), 0); // [V, W*V], summed over windows
    });
    const values = mean.dataSync();
    mean.dispose();
    for (let i = 0; i < values.length; i++) acc[i] += values[i];
  }
  const out = new Float64Array(V * V * maxLag);
  for (let e = 0; e < V; e++)
    for (let c = 0; c < V; c++) for (let l = 1; l <= maxLag; l++) out[(e * V + c) * maxLag + l - 1] = acc[e * W * V + (W - l) * V + c] / n;
  return out;
}
