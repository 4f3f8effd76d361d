// Run a CausalTransformer on the tokens an allocation plan keeps: fewer tokens, fewer FLOPs.
import * as tf from "@tensorflow/tfjs-core";
import { InputError } from "@causeway/core";
import type { AllocationPlan } from "./allocate.js";
import type { RelevanceModel } from "./model.js";

/** Result of `applyPlan`. */
export interface PlanRun {
  /** `[batch, V]` next-step prediction. */
  prediction: tf.Tensor2D;
  /** Tokens the encoder processed (full + pooled). */
  tokens: number;
  /** FLOPs of one sample: `model.flops(tokens)` + pooling adds + the embedding of the tokens dropped after embedding. */
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
 * pooled groups as one token at their mean (possibly fractional) time.
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
  if (queryIndex.some((q) => q < 0)) throw new InputError("applyPlan: the plan does not keep every query token (W - 1, v) as a full token");
  return { members: list.map((t) => Int32Array.from(t.members)), times: Float32Array.from(list, (t) => t.time), queryIndex };
}

/**
 * Run `model` on `x` with a plan from `allocate`: skipped tokens are removed from the sequence, each
 * pooled group becomes one token (the mean of its embeddings, at the mean of its times), and the
 * encoder runs on what is left, so the saved FLOPs are real. FLOPs are counted honestly: the
 * encoder on the plan's tokens (`model.flops(tokens)`), plus one add per pooled member per channel
 * and the `2 * dModel` embedding FLOPs of each token this implementation embeds and then drops.
 *
 * @param x `[batch, W, V]`
 * @example
 * const run = applyPlan(model, x, allocate(scores, 0.25));
 * run.flopsFraction; // ~0.2
 * run.prediction.dispose();
 */
export function applyPlan(model: RelevanceModel, x: tf.Tensor3D, plan: AllocationPlan): PlanRun {
  const { vars: V, window: W, dModel: d } = model.config;
  if (plan.window !== W || plan.vars !== V) throw new InputError(`applyPlan: the plan is for a ${plan.window} x ${plan.vars} window, the model takes ${W} x ${V}`);
  const started = performance.now();
  const { members, times, queryIndex } = planTokens(plan);
  const M = members.length;
  const N = W * V;
  const pooled = members.some((m) => m.length > 1);
  const prediction = tf.tidy(() => {
    const h = model.embed(x); // [batch, N, d]
    let hp: tf.Tensor3D; // [batch, M, d]
    if (!pooled) hp = tf.gather(h, tf.tensor1d(Int32Array.from(members, (m) => m[0]), "int32"), 1);
    else {
      // gather every member, then average each group with a [M, total] matrix
      const flat = Int32Array.from(members.flatMap((m) => Array.from(m)));
      const g = tf.gather(h, tf.tensor1d(flat, "int32"), 1); // [batch, total, d]
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
    return model.readout(hidden, queryIndex);
  });
  prediction.dataSync();
  const ms = performance.now() - started;
  const poolAdds = members.reduce((s, m) => s + (m.length > 1 ? m.length * d : 0), 0);
  const flops = model.flops(M) + poolAdds + 2 * d * (N - plan.kept.length - plan.pooled.reduce((s, g) => s + g.length, 0));
  const fullFlops = model.flops(N);
  return { prediction, tokens: M, flops, fullFlops, flopsFraction: flops / fullFlops, ms };
}
