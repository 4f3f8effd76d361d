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
export function gradientAttributions(model: CausalTransformer, x: tf.Tensor3D, options: Omit<GradientAttributionOptions, "rule">): Record<AttributionRule, Float64Array> {
  const { vars: V, window: W } = model.config;
  const L = options.maxLag;
  if (!Number.isInteger(L) || L < 1 || L > W) throw new InputError(`gradientAttribution: maxLag must be in 1..${W} (the window), got ${L}`);
  if (x.rank !== 3 || x.shape[1] !== W || x.shape[2] !== V) throw new InputError(`gradientAttribution: x must be [n, ${W}, ${V}], got [${x.shape}]`);
  const n = x.shape[0];
  const chunk = options.chunk ?? 256;
  const out = { gradxinput: new Float64Array(V * V * L), gradient: new Float64Array(V * V * L) };
  for (let e = 0; e < V; e++) {
    const acc = { gradxinput: new Float64Array(W * V), gradient: new Float64Array(W * V) }; // [W, V] summed |attribution|
    const predictE = (xx: tf.Tensor): tf.Scalar => tf.sum(tf.slice(model.forward(xx as tf.Tensor3D).prediction, [0, e], [-1, 1]));
    for (let start = 0; start < n; start += chunk) {
      throwIfAborted(options.signal);
      const size = Math.min(chunk, n - start);
      const [gx, ga] = tf.tidy(() => {
        const xb = tf.slice(x, [start, 0, 0], [size, W, V]); // [size, W, V]
        const g = tf.grad(predictE)(xb); // [size, W, V]
        return [tf.sum(tf.abs(tf.mul(g, xb)), 0), tf.sum(tf.abs(g), 0)]; // [W, V] each
      });
      const [vx, va] = [gx.dataSync(), ga.dataSync()];
      tf.dispose([gx, ga]);
      for (let i = 0; i < W * V; i++) {
        acc.gradxinput[i] += vx[i];
        acc.gradient[i] += va[i];
      }
    }
    for (const rule of ATTRIBUTION_RULES)
      for (let c = 0; c < V; c++) for (let l = 1; l <= L; l++) out[rule][(e * V + c) * L + l - 1] = acc[rule][(W - l) * V + c] / n;
  }
  return out;
}

/** `gradientAttributions` for one rule (default "gradxinput"). */
export function gradientAttribution(model: CausalTransformer, x: tf.Tensor3D, options: GradientAttributionOptions): Float64Array {
  return gradientAttributions(model, x, options)[options.rule ?? "gradxinput"];
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
