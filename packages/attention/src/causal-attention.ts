import * as tf from "@tensorflow/tfjs-core";
import { InputError } from "@causeway/core";
import { checkAttentionInputs, scaledDotProductAttention } from "./attention.js";
import { CAUSAL_ATTENTION, hasCausalAttentionKernel } from "./kernels/CausalAttention.js";

/**
 * Which implementation computes causal self-attention: `"blocked"` (the custom kernel),
 * `"naive"` (tfjs ops with a `T x T` score matrix), or `"auto"` (blocked where the active backend
 * has the kernel, else naive).
 */
export type AttentionKernel = "auto" | "blocked" | "naive";

/** Options of `causalAttention`. */
export interface CausalAttentionOptions {
  /** Score scale; default `1 / sqrt(dHead)`. */
  scale?: number;
  /** Implementation; default `"auto"`. */
  kernel?: AttentionKernel;
}

function asFloat(t: tf.Tensor4D): tf.Tensor4D {
  return t.dtype === "float32" ? t : tf.cast(t, "float32");
}

/**
 * Causal self-attention `softmax(scale * Q K^T + causal mask) V` on the blocked, memory-efficient
 * kernel (FlashAttention-2, Dao 2023): no `T x T` matrix, future tiles skipped, logsumexp saved
 * for a recomputing backward pass. Differentiable with respect to q, k and v.
 *
 * @param q `[batch, heads, time, dHead]`
 * @param k `[batch, heads, time, dHead]`
 * @param v `[batch, heads, time, dHead]`
 * @returns `[batch, heads, time, dHead]`
 * @example
 * await useBackend("wasm");
 * const q = tf.randomNormal([2, 4, 256, 16]) as tf.Tensor4D; // and k, v alike
 * const y = causalAttention(q, k, v); // [2, 4, 256, 16]
 * const [dq, dk, dv] = tf.grads((a, b, c) => tf.sum(causalAttention(a, b, c)))([q, k, v]);
 */
export function causalAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, options: CausalAttentionOptions = {}): tf.Tensor4D {
  checkAttentionInputs("causalAttention", q, k, v);
  if (k.shape[2] !== q.shape[2]) throw new InputError(`causalAttention: q and k must have the same time length; got ${q.shape[2]} and ${k.shape[2]}`);
  if (v.shape[3] !== q.shape[3]) throw new InputError(`causalAttention: v must have dHead ${q.shape[3]} like q; got ${v.shape[3]}`);
  const scale = options.scale ?? 1 / Math.sqrt(q.shape[3]);
  if (!Number.isFinite(scale)) throw new InputError(`causalAttention: scale must be finite, got ${scale}`);
  const kernel = options.kernel ?? "auto";
  const available = hasCausalAttentionKernel(tf.getBackend(), q.shape[3]);
  if (kernel === "blocked" && !available)
    throw new InputError(`causalAttention: backend "${tf.getBackend()}" has no blocked kernel for dHead ${q.shape[3]}; use kernel "naive" or "auto"`);
  const blocked = kernel === "blocked" || (kernel === "auto" && available);
  if (!blocked) return scaledDotProductAttention(q, k, v, { causal: true, scale });
  return tf.tidy(() => {
    // outputs [out, lse]; lse (saved for the gradient when recording) is dropped here
    const [out] = tf.engine().runKernel(CAUSAL_ATTENTION, { q: asFloat(q), k: asFloat(k), v: asFloat(v) }, { scale }) as tf.Tensor[];
    return out as tf.Tensor4D;
  });
}
