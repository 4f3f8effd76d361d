// Run a CausalTransformer on the tokens an allocation plan keeps: fewer tokens, fewer FLOPs.
import * as tf from "@tensorflow/tfjs-core";
import { InputError } from "@causeway/core";
import { timeMask } from "@causeway/transformer";
import type { AllocationPlan } from "./allocate.js";
import { blockFlops, fullTimes, type RelevanceModel } from "./model.js";

/** Result of `applyPlan`. */
export interface PlanRun {
  /** `[batch, V]` next-step prediction; NaN for a variable whose query token `(W - 1, v)` the plan dropped. */
  prediction: tf.Tensor2D;
  /** Tokens the first block processed (full + pooled). */
  tokens: number;
  /** `depth` plans: `[layers]` tokens each block processed. */
  tokensPerLayer: number[];
  /** FLOPs of one sample as run: the embedding of all `W * V` tokens, pooling adds, every block on its tokens, the head. */
  flops: number;
  /** `model.flops()` of the full window, one sample. */
  fullFlops: number;
  /** `flops / fullFlops`. */
  flopsFraction: number;
  /** Wall-clock milliseconds of the call, prediction read back. */
  ms: number;
}

/** One encoder token of a plan: the window tokens it averages (one for a full token) and its time. */
interface PlanToken {
  members: number[];
  time: number;
}

/**
 * The encoder's token list of a plan, ordered by time then first member: full tokens as they are,
 * pooled groups as one token at their mean (possibly fractional) time. `queryIndex[v]` is the
 * position of token `(W - 1, v)`, or -1 when the plan dropped it.
 */
export function planTokens(plan: AllocationPlan): { members: Int32Array[]; times: Float32Array; queryIndex: Int32Array } {
  const V = plan.vars;
  const list: PlanToken[] = [
    ...Array.from(plan.kept, (i) => ({ members: [i], time: Math.floor(i / V) })),
    ...plan.pooled.map((g) => ({ members: Array.from(g), time: Array.from(g).reduce((s, i) => s + Math.floor(i / V), 0) / g.length })),
  ];
  list.sort((a, b) => a.time - b.time || a.members[0] - b.members[0]);
  const queryIndex = new Int32Array(V).fill(-1);
  list.forEach((tok, pos) => {
    const i = tok.members[0];
    if (tok.members.length === 1 && Math.floor(i / V) === plan.window - 1) queryIndex[i % V] = pos;
  });
  for (const v of plan.queries) if (queryIndex[v] < 0) throw new InputError(`applyPlan: the plan does not keep the query token (W - 1, ${v}) of a required variable as a full token`);
  return { members: list.map((t) => Int32Array.from(t.members)), times: Float32Array.from(list, (t) => t.time), queryIndex };
}

/** `readout` for every variable whose query token is present; NaN columns for the others. */
function readoutPresent(model: RelevanceModel, hidden: tf.Tensor3D, queryIndex: Int32Array): tf.Tensor2D {
  const V = queryIndex.length;
  const first = queryIndex.find((q) => q >= 0)!;
  const pred = model.readout(hidden, Int32Array.from(queryIndex, (q) => (q >= 0 ? q : first))); // [batch, V]
  if (queryIndex.every((q) => q >= 0)) return pred;
  const b = hidden.shape[0];
  const present = tf.tensor2d(Uint8Array.from({ length: b * V }, (_, k) => (queryIndex[k % V] >= 0 ? 1 : 0)), [b, V], "bool");
  return tf.where(present, pred, tf.fill([b, V], NaN)) as tf.Tensor2D;
}

/**
 * Run `model` on `x` with a plan from `allocate`, so the saved FLOPs are real: skipped tokens are
 * removed from the sequence, each pooled group becomes one token (the mean of its embeddings, at the
 * mean of its times, still block-causal), and the encoder runs on what is left. A `depth` plan runs
 * the blocks one at a time (needs `model.blocks`), removing each token after its last block.
 * Removing a token is exactly masking it out of every attention (`encode({ keep })`), but cheaper.
 *
 * FLOPs are counted as run, one sample: every block on its tokens (`CausalTransformer.flops`
 * convention), plus the embedding of all `W * V` tokens (this implementation embeds the window,
 * then selects), one add per pooled member per channel, and the head.
 *
 * @param x `[batch, W, V]`
 * @example
 * const run = applyPlan(model, x, allocate(scores, 0.25, { kind: "topk", queries: [0] }));
 * run.flopsFraction; // ~0.2
 * run.prediction.dispose();
 */
export function applyPlan(model: RelevanceModel, x: tf.Tensor3D, plan: AllocationPlan): PlanRun {
  const { vars: V, window: W, dModel: d, layers: L } = model.config;
  if (plan.window !== W || plan.vars !== V) throw new InputError(`applyPlan: the plan is for a ${plan.window} x ${plan.vars} window, the model takes ${W} x ${V}`);
  if (x.rank !== 3 || x.shape[1] !== W || x.shape[2] !== V) throw new InputError(`applyPlan: x must be [batch, ${W}, ${V}], got [${x.shape}]`);
  const N = W * V;
  const started = performance.now();
  const embedFlops = 2 * N * d;
  const headFlops = 2 * V * d;
  let prediction: tf.Tensor2D;
  let tokensPerLayer: number[];
  let extra = 0;
  if (plan.policy === "depth") {
    const depth = plan.depth;
    if (!depth || depth.length !== N || plan.layers !== L) throw new InputError(`applyPlan: a depth plan for ${plan.layers} layers needs depth [${N}]; the model has ${L} layers`);
    const blocks = model.blocks;
    if (!blocks || blocks.length !== L) throw new InputError("applyPlan: depth plans need the model's blocks (a CausalTransformer)");
    const times = fullTimes(W, V);
    // the ascending token set of every block: depth[i] > l
    const sets = Array.from({ length: L }, (_, l) => Array.from({ length: N }, (_, i) => i).filter((i) => depth[i] > l));
    tokensPerLayer = sets.map((s) => s.length);
    const last = sets[L - 1];
    const queryIndex = Int32Array.from({ length: V }, (_, v) => last.indexOf((W - 1) * V + v));
    for (const v of plan.queries) if (queryIndex[v] < 0) throw new InputError(`applyPlan: the plan drops the query token (W - 1, ${v}) before the last block`);
    prediction = tf.tidy(() => {
      let h = tf.gather(model.embed(x), sets[0], 1) as tf.Tensor3D; // [batch, n_1, d]
      for (let l = 0; l < L; l++) {
        if (l > 0 && sets[l].length !== sets[l - 1].length) {
          const pos = new Map(sets[l - 1].map((i, p) => [i, p]));
          h = tf.gather(h, sets[l].map((i) => pos.get(i)!), 1) as tf.Tensor3D; // [batch, n_l, d]
        }
        h = blocks[l].apply(h, timeMask(Int32Array.from(sets[l], (i) => times[i]))).y;
      }
      return readoutPresent(model, h, queryIndex);
    });
  } else {
    const { members, times, queryIndex } = planTokens(plan);
    const M = members.length;
    tokensPerLayer = Array.from({ length: L }, () => M);
    const pooled = members.some((m) => m.length > 1);
    extra = members.reduce((s, m) => s + (m.length > 1 ? m.length * d : 0), 0); // pooling adds
    prediction = tf.tidy(() => {
      const h = model.embed(x); // [batch, N, d]
      let hp: tf.Tensor3D; // [batch, M, d]
      if (!pooled) hp = tf.gather(h, Int32Array.from(members, (m) => m[0]), 1);
      else {
        // gather every member, then average each group with a [M, total] matrix
        const flat = Int32Array.from(members.flatMap((m) => Array.from(m)));
        const g = tf.gather(h, flat, 1); // [batch, total, d]
        const avg = new Float32Array(M * flat.length); // [M, total]
        let c = 0;
        members.forEach((m, r) => {
          for (let k = 0; k < m.length; k++) avg[r * flat.length + c++] = 1 / m.length;
        });
        const b = x.shape[0];
        const gt = tf.reshape(tf.transpose(g, [1, 0, 2]), [flat.length, b * d]); // [total, batch*d]
        hp = tf.transpose(tf.reshape(tf.matMul(tf.tensor2d(avg, [M, flat.length]), gt), [M, b, d]), [1, 0, 2]);
      }
      const allInt = times.every((t) => Number.isInteger(t));
      const { hidden } = model.encode(hp, allInt ? Int32Array.from(times) : times);
      return readoutPresent(model, hidden, queryIndex);
    });
  }
  prediction.dataSync();
  const ms = performance.now() - started;
  const flops = embedFlops + extra + tokensPerLayer.reduce((s, n) => s + blockFlops(model.config, n), 0) + headFlops;
  const fullFlops = model.flops(N);
  return { prediction, tokens: tokensPerLayer[0] ?? 0, tokensPerLayer, flops, fullFlops, flopsFraction: flops / fullFlops, ms };
}
