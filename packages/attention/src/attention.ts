import * as tf from "@tensorflow/tfjs-core";
import { InputError } from "@causeway/core";
import { causalMask } from "./mask.js";

/** Options of `scaledDotProductAttention`. */
export interface AttentionOptions {
  /** Additive mask broadcastable to `[batch, heads, tq, tk]` (0 keeps a score, a large negative drops it). */
  mask?: tf.Tensor;
  /** Add the causal mask (queries see keys at or before their own position); needs `tq == tk`. */
  causal?: boolean;
  /** Score scale; default `1 / sqrt(dHead)`. */
  scale?: number;
}

/** Check `[batch, heads, time, dHead]` operands of an attention op. */
export function checkAttentionInputs(op: string, q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): void {
  if (q.rank !== 4 || k.rank !== 4 || v.rank !== 4)
    throw new InputError(`${op}: q, k and v must be rank 4 [batch, heads, time, dHead]; got ranks ${q.rank}, ${k.rank}, ${v.rank}`);
  const [b, h, , d] = q.shape;
  const [kb, kh, kt, kd] = k.shape;
  const [vb, vh, vt] = v.shape;
  if (kb !== b || vb !== b || kh !== h || vh !== h) throw new InputError(`${op}: batch and heads of q [${q.shape}], k [${k.shape}] and v [${v.shape}] must match`);
  if (kd !== d) throw new InputError(`${op}: q and k must have the same dHead; got ${d} and ${kd}`);
  if (vt !== kt) throw new InputError(`${op}: k and v must have the same time length; got ${kt} and ${vt}`);
}

/**
 * Scaled dot-product attention composed from TensorFlow.js ops (Vaswani et al. 2017, Eq. 1):
 * `softmax(scale * Q K^T + mask) V`. Differentiable on every backend; materialises the
 * `[batch, heads, tq, tk]` score matrix (see `causalAttention` for the blocked kernel).
 *
 * @param q `[batch, heads, tq, dHead]`
 * @param k `[batch, heads, tk, dHead]`
 * @param v `[batch, heads, tk, dV]`
 * @returns `[batch, heads, tq, dV]`
 * @example
 * const y = scaledDotProductAttention(q, k, v, { causal: true });
 */
export function scaledDotProductAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, options: AttentionOptions = {}): tf.Tensor4D {
  checkAttentionInputs("scaledDotProductAttention", q, k, v);
  const tq = q.shape[2];
  const tk = k.shape[2];
  if (options.causal && tq !== tk) throw new InputError(`scaledDotProductAttention: causal attention needs as many queries as keys; got ${tq} and ${tk}`);
  const scale = options.scale ?? 1 / Math.sqrt(q.shape[3]);
  return tf.tidy(() => {
    let scores: tf.Tensor = tf.mul(tf.matMul(q, k, false, true), scale); // [batch, heads, tq, tk]
    if (options.causal) scores = tf.add(scores, causalMask(tq));
    if (options.mask) scores = tf.add(scores, options.mask);
    const weights = tf.softmax(scores); // subtracts the row max before exp
    return tf.matMul(weights, v) as tf.Tensor4D;
  });
}

/**
 * Attention weights `softmax(scale * Q K^T + mask)`, `[batch, heads, tq, tk]`: what
 * `scaledDotProductAttention` multiplies V by. Useful to read attention as a score.
 */
export function attentionWeights(q: tf.Tensor4D, k: tf.Tensor4D, options: AttentionOptions = {}): tf.Tensor4D {
  const tq = q.shape[2];
  if (options.causal && tq !== k.shape[2]) throw new InputError(`attentionWeights: causal attention needs as many queries as keys; got ${tq} and ${k.shape[2]}`);
  const scale = options.scale ?? 1 / Math.sqrt(q.shape[3]);
  return tf.tidy(() => {
    let scores: tf.Tensor = tf.mul(tf.matMul(q, k, false, true), scale);
    if (options.causal) scores = tf.add(scores, causalMask(tq));
    if (options.mask) scores = tf.add(scores, options.mask);
    return tf.softmax(scores) as tf.Tensor4D;
  });
}
