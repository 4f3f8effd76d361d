import * as tf from "@tensorflow/tfjs-core";
import { Rng } from "@causeway/core";
import { LayerNorm, Linear, MultiHeadAttention, gelu, sinusoidalPositionalEncoding } from "@causeway/attention";
import { resolveArchitecture, type LcmArchitecture } from "./config.js";
import { EDGE_FEATURES } from "./features.js";

/** BatchNorm momentum of the running statistics used at inference. */
const BN_MOMENTUM = 0.1;
const BN_EPS = 1e-5;

/** One encoder block: post-norm self-attention and a convolutional (kernel 1) feed-forward. */
interface Block {
  attention: MultiHeadAttention;
  ln1: LayerNorm;
  ff1: Linear;
  ff2: Linear;
  ln2: LayerNorm;
}

/** Distillation layer (Informer-style, the paper's Appendix): Conv1D(3) -> BatchNorm -> ELU -> MaxPool(2). */
interface Distil {
  conv: Linear;
  gamma: tf.Variable;
  beta: tf.Variable;
  runMean: tf.Variable;
  runVar: tf.Variable;
}

/** Batch statistics of one forward pass in training mode, for the running BatchNorm averages. */
export type BatchMoments = { mean: tf.Tensor1D; variance: tf.Tensor1D }[];

/** A batch of model inputs as tensors (see `LcmFeatures` for one example's buffers). */
export interface LcmBatch {
  /** `[B, lMax, vMax]` padded, normalised windows. */
  x: tf.Tensor3D;
  /** `[B, statsSize]` injected statistics (ignored without correlation injection). */
  stats: tf.Tensor2D;
  /** `[B, vMax * vMax * maxLag, edgeFeatures]` per-entry features (only with an edge head). */
  edge?: tf.Tensor3D;
}

/** A batch of model inputs as flat buffers, `batch` examples back to back. */
export interface LcmBatchBuffers {
  x: Float32Array;
  stats: Float32Array;
  edge: Float32Array;
}

/** `[B, L, C]` -> `[B, L, k*C]`: the k most recent steps side by side (a Conv1D as one matmul). */
function unfold(x: tf.Tensor3D, k: number, centred: boolean): tf.Tensor3D {
  if (k === 1) return x;
  const [b, l, c] = x.shape;
  const before = centred ? Math.floor((k - 1) / 2) : k - 1;
  const padded = tf.pad(x, [
    [0, 0],
    [before, k - 1 - before],
    [0, 0],
  ]);
  const parts = Array.from({ length: k }, (_, i) => tf.slice(padded, [0, i, 0], [b, l, c]));
  return tf.concat(parts, 2) as tf.Tensor3D;
}

/** ELU (Clevert et al. 2016, Eq. 1), alpha = 1, from ops every backend differentiates. */
function elu(x: tf.Tensor): tf.Tensor {
  return tf.add(tf.relu(x), tf.sub(tf.exp(tf.minimum(x, 0)), 1));
}

/** SiLU / swish `x sigmoid(x)`. */
function silu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(x));
}

/**
 * The Large Causal Model (Kougioulis et al. 2026, Appendix): Conv1D token embedding +
 * sinusoidal positions, encoder blocks with optional distillation, last-token summary,
 * correlation injection, LayerNorm + SwiGLU head, `[vMax, vMax, maxLag]` edge logits.
 * Optional additions (see `LcmArchitecture`): partial-correlation injection and a shared
 * per-edge MLP whose logit is added to the head's.
 */
export class LcmModel {
  readonly arch: LcmArchitecture;
  readonly embed: Linear;
  readonly blocks: Block[];
  readonly distils: Distil[];
  readonly headNorm: LayerNorm;
  readonly gateW: Linear;
  readonly upW: Linear;
  readonly downW: Linear;
  /** The shared per-edge MLP (empty without an edge head). */
  readonly edgeMlp: Linear[];
  private readonly positions: tf.Tensor2D;

  constructor(arch: Partial<LcmArchitecture> = {}, seed = 0) {
    this.arch = resolveArchitecture(arch);
    const a = this.arch;
    const rng = new Rng(seed);
    this.embed = new Linear(a.embedKernel * a.vMax, a.dModel, { seed: rng.fork() });
    this.positions = sinusoidalPositionalEncoding(a.lMax, a.dModel); // [lMax, dModel]
    this.blocks = Array.from({ length: a.layers }, () => ({
      attention: new MultiHeadAttention(a.dModel, a.heads, { seed: rng.fork() }),
      ln1: new LayerNorm(a.dModel),
      ff1: new Linear(a.dModel, a.dFf, { seed: rng.fork() }),
      ff2: new Linear(a.dFf, a.dModel, { seed: rng.fork() }),
      ln2: new LayerNorm(a.dModel),
    }));
    this.distils = a.distil
      ? Array.from({ length: a.layers - 1 }, () => ({
          conv: new Linear(3 * a.dModel, a.dModel, { seed: rng.fork() }),
          gamma: tf.tidy(() => tf.variable(tf.ones([a.dModel]))),
          beta: tf.tidy(() => tf.variable(tf.zeros([a.dModel]))),
          runMean: tf.tidy(() => tf.variable(tf.zeros([a.dModel]), false)),
          runVar: tf.tidy(() => tf.variable(tf.ones([a.dModel]), false)),
        }))
      : [];
    const headIn = a.dModel + (a.corrInjection ? this.statsSize : 0);
    this.headNorm = new LayerNorm(headIn);
    this.gateW = new Linear(headIn, a.headHidden, { seed: rng.fork(), bias: false });
    this.upW = new Linear(headIn, a.headHidden, { seed: rng.fork(), bias: false });
    this.downW = new Linear(a.headHidden, this.outputSize, { seed: rng.fork() });
    this.edgeMlp =
      a.edgeHidden > 0
        ? [new Linear(this.edgeFeatureSize, a.edgeHidden, { seed: rng.fork() }), new Linear(a.edgeHidden, a.edgeHidden, { seed: rng.fork() }), new Linear(a.edgeHidden, 1, { seed: rng.fork() })]
        : [];
  }

  /** vMax * vMax * maxLag. */
  get outputSize(): number {
    return this.arch.vMax * this.arch.vMax * this.arch.maxLag;
  }

  /** Length of one example's injected statistics: corr, and pcorr with partial-correlation injection. */
  get statsSize(): number {
    return this.outputSize * (this.arch.partialCorrInjection ? 2 : 1);
  }

  /** Features per entry of the edge MLP (0 without one). */
  get edgeFeatureSize(): number {
    return this.arch.edgeHidden > 0 ? EDGE_FEATURES + this.arch.maxLag : 0;
  }

  /** Every weight, named, in a fixed order (the save format's order), trainable or not. */
  namedWeights(): [string, tf.Variable][] {
    const out: [string, tf.Variable][] = [];
    const lin = (name: string, l: Linear): void => {
      out.push([`${name}/w`, l.w]);
      if (l.b) out.push([`${name}/b`, l.b]);
    };
    lin("embed", this.embed);
    this.blocks.forEach((b, i) => {
      for (const [n, l] of [["q", b.attention.q], ["k", b.attention.k], ["v", b.attention.v], ["o", b.attention.o]] as const) lin(`block${i}/attn/${n}`, l);
      out.push([`block${i}/ln1/gamma`, b.ln1.gamma], [`block${i}/ln1/beta`, b.ln1.beta]);
      lin(`block${i}/ff1`, b.ff1);
      lin(`block${i}/ff2`, b.ff2);
      out.push([`block${i}/ln2/gamma`, b.ln2.gamma], [`block${i}/ln2/beta`, b.ln2.beta]);
    });
    this.distils.forEach((d, i) => {
      lin(`distil${i}/conv`, d.conv);
      out.push([`distil${i}/bn/gamma`, d.gamma], [`distil${i}/bn/beta`, d.beta]);
      out.push([`distil${i}/bn/moving_mean`, d.runMean], [`distil${i}/bn/moving_variance`, d.runVar]);
    });
    out.push(["head/ln/gamma", this.headNorm.gamma], ["head/ln/beta", this.headNorm.beta]);
    lin("head/gate", this.gateW);
    lin("head/up", this.upW);
    lin("head/down", this.downW);
    this.edgeMlp.forEach((l, i) => lin(`edge/${i}`, l));
    return out;
  }

  /** Trainable variables (everything but the BatchNorm running statistics). */
  get variables(): tf.Variable[] {
    return this.namedWeights()
      .map(([, v]) => v)
      .filter((v) => v.trainable);
  }

  /** Number of trainable parameters. */
  get parameterCount(): number {
    return this.variables.reduce((s, v) => s + v.size, 0);
  }

  /**
   * Edge logits.
   *
   * @param input windows `[B, lMax, vMax]`, statistics `[B, statsSize]`, edge features `[B, out, F]`
   * @param training BatchNorm uses batch statistics (returned in `moments`) instead of running ones
   * @returns logits `[B, vMax * vMax * maxLag]` laid out `[effect][cause][lag-1]`
   */
  forward(input: LcmBatch, training = false, moments?: BatchMoments): tf.Tensor2D {
    const a = this.arch;
    const { x, stats } = input;
    if (a.corrInjection && (stats.rank !== 2 || stats.shape[1] !== this.statsSize))
      throw new Error(`LcmModel.forward: stats must be [B, ${this.statsSize}], got [${stats.shape}]`);
    if (this.edgeMlp.length && (!input.edge || input.edge.shape[1] !== this.outputSize || input.edge.shape[2] !== this.edgeFeatureSize))
      throw new Error(`LcmModel.forward: edge features must be [B, ${this.outputSize}, ${this.edgeFeatureSize}], got [${input.edge?.shape ?? "none"}]`);
    return tf.tidy(() => {
      const [b] = x.shape;
      let h = this.embed.apply(unfold(x, a.embedKernel, false)) as tf.Tensor3D; // [B, lMax, d]
      h = tf.add(h, this.positions) as tf.Tensor3D;
      this.blocks.forEach((block, i) => {
        // Post-norm residual blocks: h = LN(h + MHA(h)); h = LN(h + FF(h)).
        h = block.ln1.apply(tf.add(h, block.attention.apply(h))) as tf.Tensor3D;
        const ff = block.ff2.apply(gelu(block.ff1.apply(h)));
        h = block.ln2.apply(tf.add(h, ff)) as tf.Tensor3D;
        const d = this.distils[i];
        if (d) h = this.distil(h, d, training, moments);
      });
      const [, l, dm] = h.shape;
      const summary = tf.reshape(tf.slice(h, [0, l - 1, 0], [b, 1, dm]), [b, dm]); // [B, d]
      const z0 = a.corrInjection ? tf.concat([summary, stats], 1) : summary; // [B, d + statsSize]
      const z = this.headNorm.apply(z0);
      // SwiGLU feed-forward (Shazeer 2020, Eq. 6): (silu(z W_gate) * z W_up) W_down.
      const hidden = tf.mul(silu(this.gateW.apply(z)), this.upW.apply(z));
      const logits = this.downW.apply(hidden) as tf.Tensor2D; // [B, out]
      if (!this.edgeMlp.length) return logits;
      // Shared per-edge MLP on each entry's own statistics, [B, out, F] -> [B, out].
      const [m1, m2, m3] = this.edgeMlp;
      const h2 = gelu(m2.apply(gelu(m1.apply(input.edge!)))); // [B, out, edgeHidden]
      // The 1-wide output layer as multiply + sum: through a [rows, 1] matMul, training on tfjs-wasm
      // read corrupted gradient memory (NaN in an unrelated weight's gradient; see the README).
      const e = tf.add(tf.sum(tf.mul(h2, tf.reshape(m3.w, [m3.inputs])), 2), m3.b!); // [B, out]
      return tf.add(logits, e) as tf.Tensor2D;
    });
  }

  /** Tensors of a batch of buffers (the caller disposes them, or runs inside `tf.tidy`). */
  batchTensors(buffers: LcmBatchBuffers, batch: number): LcmBatch {
    const a = this.arch;
    return {
      x: tf.tensor3d(buffers.x, [batch, a.lMax, a.vMax]),
      stats: tf.tensor2d(buffers.stats, [batch, this.statsSize]),
      edge: this.edgeMlp.length ? tf.tensor3d(buffers.edge, [batch, this.outputSize, this.edgeFeatureSize]) : undefined,
    };
  }

  private distil(h: tf.Tensor3D, d: Distil, training: boolean, moments?: BatchMoments): tf.Tensor3D {
    const y = d.conv.apply(unfold(h, 3, true)) as tf.Tensor3D; // [B, L, d]
    let mean: tf.Tensor;
    let variance: tf.Tensor;
    if (training) {
      ({ mean, variance } = tf.moments(y, [0, 1]));
      moments?.push({ mean: tf.keep(mean.clone()) as tf.Tensor1D, variance: tf.keep(variance.clone()) as tf.Tensor1D });
    } else {
      mean = d.runMean;
      variance = d.runVar;
    }
    const normed = tf.add(tf.mul(tf.mul(tf.sub(y, mean), tf.rsqrt(tf.add(variance, BN_EPS))), d.gamma), d.beta);
    const act = elu(normed);
    // MaxPool, kernel 2, stride 2 (an odd length drops its oldest step).
    const [b, l, c] = act.shape as [number, number, number];
    const even = l % 2 === 0 ? act : tf.slice(act, [0, 1, 0], [b, l - 1, c]);
    return tf.max(tf.reshape(even, [b, Math.floor(l / 2), 2, c]), 2) as tf.Tensor3D;
  }

  /** Folds one training step's batch moments into the running BatchNorm statistics, then frees them. */
  updateRunningStats(moments: BatchMoments): void {
    tf.tidy(() => {
      moments.forEach((m, i) => {
        const d = this.distils[i];
        d.runMean.assign(tf.add(tf.mul(d.runMean, 1 - BN_MOMENTUM), tf.mul(m.mean, BN_MOMENTUM)));
        d.runVar.assign(tf.add(tf.mul(d.runVar, 1 - BN_MOMENTUM), tf.mul(m.variance, BN_MOMENTUM)));
      });
    });
    for (const m of moments) tf.dispose([m.mean, m.variance]);
  }

  /**
   * Edge probabilities for a batch of prepared inputs, `[B, vMax * vMax * maxLag]` in (0, 1).
   * Asynchronous so that it runs on every backend (webgpu in Node cannot read synchronously).
   */
  async predictBatch(buffers: LcmBatchBuffers, batch: number): Promise<Float32Array> {
    const probs = tf.tidy(() => tf.sigmoid(this.forward(this.batchTensors(buffers, batch))));
    try {
      return (await probs.data()) as Float32Array;
    } finally {
      probs.dispose();
    }
  }

  dispose(): void {
    for (const [, v] of this.namedWeights()) v.dispose();
    this.positions.dispose();
  }
}
