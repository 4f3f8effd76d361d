import * as tf from "@tensorflow/tfjs-core";
import { InputError, throwIfAborted } from "@causeway/core";
import type { CausalTransformer } from "./model.js";

/** Attribution rules of the gradient read-out. */
export const ATTRIBUTION_RULES = ["gradxinput", "gradient"] as const;
export type AttributionRule = (typeof ATTRIBUTION_RULES)[number];

/** Options of `gradientAttribution`. */
export interface GradientAttributionOptions {
  /** Lags to score, 1..maxLag (at most the model's window). */
  maxLag: number;
  /** "gradxinput" (default): mean |∂ŷ_e/∂x_c(t-l) · x_c(t-l)|; "gradient": mean |∂ŷ_e/∂x_c(t-l)|. */
  rule?: AttributionRule;
  /** Windows per backward pass. */
  chunk?: number;
  signal?: AbortSignal;
}

/**
 * Gradient attribution of a trained next-step predictor ("Transformer Is Inherently a Causal
 * Learner", arXiv 2601.05647): the sensitivity of the prediction of `x_e(t)` to the input
 * `x_c(t - l)`, averaged in absolute value over the given windows. Raw (unnormalised) scores,
 * flat `[effect, cause, lag - 1]` (the `ScoreTensor` layout).
 *
 * One backward pass per effect; windows are independent (no batch statistics), so the gradient
 * of the batch sum of `ŷ_e` is every window's own gradient.
 *
 * @param x `[n, W, V]` input windows (z-scored units, as in training)
 */
export function gradientAttribution(model: CausalTransformer, x: tf.Tensor3D, options: GradientAttributionOptions): Float64Array {
  const { vars: V, window: W } = model.config;
  const L = options.maxLag;
  if (!Number.isInteger(L) || L < 1 || L > W) throw new InputError(`gradientAttribution: maxLag must be in 1..${W} (the window), got ${L}`);
  if (x.rank !== 3 || x.shape[1] !== W || x.shape[2] !== V) throw new InputError(`gradientAttribution: x must be [n, ${W}, ${V}], got [${x.shape}]`);
  const rule = options.rule ?? "gradxinput";
  const n = x.shape[0];
  const chunk = options.chunk ?? 256;
  const out = new Float64Array(V * V * L);
  for (let e = 0; e < V; e++) {
    const acc = new Float64Array(W * V); // [W, V] summed |attribution|
    const predictE = (xx: tf.Tensor): tf.Scalar => tf.sum(tf.slice(model.forward(xx as tf.Tensor3D).prediction, [0, e], [-1, 1]));
    for (let start = 0; start < n; start += chunk) {
      throwIfAborted(options.signal);
      const size = Math.min(chunk, n - start);
      const s = tf.tidy(() => {
        const xb = tf.slice(x, [start, 0, 0], [size, W, V]); // [size, W, V]
        const g = tf.grad(predictE)(xb); // [size, W, V]
        const a = rule === "gradxinput" ? tf.mul(g, xb) : g;
        return tf.sum(tf.abs(a), 0); // [W, V]
      });
      const values = s.dataSync();
      s.dispose();
      for (let i = 0; i < W * V; i++) acc[i] += values[i];
    }
    for (let c = 0; c < V; c++) for (let l = 1; l <= L; l++) out[(e * V + c) * L + l - 1] = acc[(W - l) * V + c] / n;
  }
  return out;
}

/** Scale each effect's scores `[effect, cause, lag]` so that its largest is 1 (all-zero rows stay 0). */
export function normalizePerEffect(scores: Float64Array, V: number, L: number): Float64Array {
  const out = new Float64Array(scores.length);
  for (let e = 0; e < V; e++) {
    const row = scores.subarray(e * V * L, (e + 1) * V * L);
    let max = 0;
    for (const s of row) if (Number.isFinite(s)) max = Math.max(max, s);
    for (let i = 0; i < row.length; i++) out[e * V * L + i] = max > 0 && Number.isFinite(row[i]) ? row[i] / max : 0;
  }
  return out;
}
