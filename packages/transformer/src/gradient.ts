import * as tf from "@tensorflow/tfjs-core";
import { InputError, throwIfAborted } from "@causeway/core";
import type { CausalTransformer } from "./model.js";

/**
 * Attribution rules of the gradient read-out, each averaged over windows:
 * - `gradxinput`: mean |∂ŷ_e/∂x_c(t-l) · x_c(t-l)| (gradient x input, Shrikumar et al. 2016);
 * - `gradient`: mean |∂ŷ_e/∂x_c(t-l)| (saliency, Simonyan et al. 2014);
 * - `energy`: sqrt(mean (∂ŷ_e/∂x_c(t-l))²), the root of the "score gradient energy" of arXiv 2601.05647
 *   (Thm. 1: E[(∂ log p(x_e(t) | past) / ∂x_c(t-l))²] > 0 iff the edge exists; for a Gaussian predictive
 *   density of fixed variance it is the mean squared gradient of the prediction, up to a per-effect factor);
 * - `lrp`: mean |R| with R the gradient x input of the model whose attention probabilities,
 *   LayerNorm scales and GELU gates are held constant in the backward pass: conservative LRP for
 *   transformers (Ali et al. 2022, Sec. 3.2; identity rule for GELU, Achtibat et al. 2024);
 * - `net`: gradient x input with cancellation across lags: cause c's net contribution
 *   N_c = mean |Σ_{l=1..maxLag} ∂ŷ_e/∂x_c(t-l) · x_c(t-l)| (the first-order share of c's whole history
 *   in the prediction) shared over its lags in proportion to their `gradxinput` scores:
 *   S[e][c][l] = gradxinput[e][c][l] · N_c / Σ_l' gradxinput[e][c][l']. Lag terms that cancel (a
 *   smooth series' collinear lags fitted by a difference pattern) score low; a single-lag cause keeps
 *   its `gradxinput` score.
 */
export const ATTRIBUTION_RULES = ["gradxinput", "gradient", "energy", "lrp", "net"] as const;
export type AttributionRule = (typeof ATTRIBUTION_RULES)[number];

/** Options of `gradientAttribution`. */
export interface GradientAttributionOptions {
  /** Lags to score, 1..maxLag (at most the model's window). */
  maxLag: number;
  /** The rule (default "gradxinput"); see `ATTRIBUTION_RULES`. */
  rule?: AttributionRule;
  /** Windows per backward pass (default 256). */
  chunk?: number;
  signal?: AbortSignal;
}

/** Options of `gradientAttributions`: the rules to compute (default all). */
export interface GradientAttributionsOptions extends Omit<GradientAttributionOptions, "rule"> {
  rules?: readonly AttributionRule[];
}

/**
 * Gradient attribution of a trained next-step predictor ("Transformer Is Inherently a Causal
 * Learner", arXiv 2601.05647, Sec. 4): the sensitivity of the prediction of `x_e(t)` to the input
 * `x_c(t - l)`, averaged in absolute value over the given windows. Raw (unnormalised) scores per
 * rule, flat `[effect, cause, lag - 1]` (the `ScoreTensor` layout).
 *
 * One backward pass per effect (two with `lrp` and another rule); windows are independent (no batch
 * statistics), so the gradient of the batch sum of `ŷ_e` is every window's own gradient.
 *
 * @param x `[n, W, V]` input windows (z-scored units, as in training)
 */
export function gradientAttributions(model: CausalTransformer, x: tf.Tensor3D, options: GradientAttributionsOptions): Record<AttributionRule, Float64Array> {
  const { vars: V, window: W } = model.config;
  const L = options.maxLag;
  if (!Number.isInteger(L) || L < 1 || L > W) throw new InputError(`gradientAttribution: maxLag must be in 1..${W} (the window), got ${L}`);
  if (x.rank !== 3 || x.shape[1] !== W || x.shape[2] !== V) throw new InputError(`gradientAttribution: x must be [n, ${W}, ${V}], got [${x.shape}]`);
  const n = x.shape[0];
  if (n < 1) throw new InputError("gradientAttribution: no windows to average over");
  const chunk = options.chunk ?? 256;
  if (!Number.isInteger(chunk) || chunk < 1) throw new InputError(`gradientAttribution: chunk must be a positive integer, got ${chunk}`);
  const rules = options.rules ?? ATTRIBUTION_RULES;
  for (const r of rules) if (!ATTRIBUTION_RULES.includes(r)) throw new InputError(`gradientAttribution: unknown rule "${r}"; valid: ${ATTRIBUTION_RULES.join(", ")}`);
  const net = rules.includes("net");
  const plain = net || rules.includes("gradxinput") || rules.includes("gradient") || rules.includes("energy");
  const lrp = rules.includes("lrp");
  const out = Object.fromEntries(ATTRIBUTION_RULES.map((r) => [r, new Float64Array(V * V * L)])) as Record<AttributionRule, Float64Array>;
  for (let e = 0; e < V; e++) {
    const acc = Object.fromEntries(ATTRIBUTION_RULES.map((r) => [r, new Float64Array(W * V)])) as Record<AttributionRule, Float64Array>; // [W, V] summed |attribution|
    const netAcc = new Float64Array(V); // [V] summed |Σ_l g·x| of each cause's lags 1..L
    const predictE = (lrpMode: boolean) => (xx: tf.Tensor): tf.Scalar => tf.sum(tf.slice(model.forward(xx as tf.Tensor3D, { lrp: lrpMode }).prediction, [0, e], [-1, 1]));
    for (let start = 0; start < n; start += chunk) {
      throwIfAborted(options.signal);
      const size = Math.min(chunk, n - start);
      const sums = tf.tidy(() => {
        const xb = tf.slice(x, [start, 0, 0], [size, W, V]); // [size, W, V]
        const parts: [AttributionRule | "netSum", tf.Tensor][] = [];
        if (plain) {
          const g = tf.grad(predictE(false))(xb); // [size, W, V]
          const gx = tf.mul(g, xb); // [size, W, V]
          parts.push(["gradxinput", tf.sum(tf.abs(gx), 0)], ["gradient", tf.sum(tf.abs(g), 0)], ["energy", tf.sum(tf.square(g), 0)]); // [W, V] each
          if (net) parts.push(["netSum", tf.sum(tf.abs(tf.sum(tf.slice(gx, [0, W - L, 0], [size, L, V]), 1)), 0)]); // [V]: Σ_w |Σ_{l<=L} g·x|
        }
        if (lrp) parts.push(["lrp", tf.sum(tf.abs(tf.mul(tf.grad(predictE(true))(xb), xb)), 0)]);
        return parts;
      });
      for (const [rule, t] of sums) {
        const v = t.dataSync();
        if (rule === "netSum") for (let c = 0; c < V; c++) netAcc[c] += v[c];
        else for (let i = 0; i < W * V; i++) acc[rule][i] += v[i];
      }
      tf.dispose(sums.map(([, t]) => t));
    }
    for (const rule of rules)
      for (let c = 0; c < V; c++) {
        let lagSum = 0; // Σ_l summed |g·x| of cause c (the net rule's denominator)
        for (let l = 1; l <= L; l++) lagSum += acc.gradxinput[(W - l) * V + c];
        for (let l = 1; l <= L; l++) {
          const i = (W - l) * V + c;
          const mean = rule === "net" ? (lagSum > 0 ? (acc.gradxinput[i] * netAcc[c]) / lagSum : 0) / n : acc[rule][i] / n;
          out[rule][(e * V + c) * L + l - 1] = rule === "energy" ? Math.sqrt(mean) : mean; // root mean square for energy
        }
      }
  }
  return out;
}

/** `gradientAttributions` for one rule (default "gradxinput"). */
export function gradientAttribution(model: CausalTransformer, x: tf.Tensor3D, options: GradientAttributionOptions): Float64Array {
  const rule = options.rule ?? "gradxinput";
  return gradientAttributions(model, x, { ...options, rules: [rule] })[rule];
}

/**
 * How the gradient read-out's scores are put on one scale:
 * - `global`: every raw score divided by the largest of all effects. A raw score is in the units of
 *   its effect's z-scored prediction (mean |Δŷ_e| per input's own value), so effects stay comparable:
 *   an effect with no parents keeps its small spurious scores small;
 * - `effect`: each effect's scores divided by that effect's largest (its strongest cause scores 1,
 *   even when every cause it has is spurious).
 */
export const NORMALISATIONS = ["global", "effect"] as const;
export type Normalisation = (typeof NORMALISATIONS)[number];

/** Scale all scores so that the largest is 1 (all-zero scores stay 0; non-finite ones become 0). */
export function normalizeGlobal(scores: Float64Array): Float64Array {
  let max = 0;
  for (const s of scores) if (Number.isFinite(s)) max = Math.max(max, s);
  return scores.map((s) => (max > 0 && Number.isFinite(s) ? s / max : 0));
}

/** Scale each effect's scores `[effect, cause, lag]` so that its largest is 1 (all-zero rows stay 0). */
export function normalizePerEffect(scores: Float64Array, V: number, L: number): Float64Array {
  const out = new Float64Array(scores.length);
  for (let e = 0; e < V; e++) out.set(normalizeGlobal(scores.subarray(e * V * L, (e + 1) * V * L)), e * V * L);
  return out;
}
