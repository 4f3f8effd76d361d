// Per-token causal relevance of a CausalTransformer's forecast: attention rollout, gradient x input, ablation.
import * as tf from "@tensorflow/tfjs-core";
import { InputError, progressReporter, throwIfAborted, yieldToEventLoop, type ProgressCallback } from "@causeway/core";
import { fullTimes, type RelevanceModel } from "./model.js";
import { queryTokens, relevanceScores, spearman, type RelevanceScores } from "./scores.js";

/** The three estimators; `interventional` is the ground truth the other two approximate. */
export type Estimator = "attention" | "gradient" | "interventional";

export const ESTIMATORS: readonly Estimator[] = ["attention", "gradient", "interventional"];

/** Options of `causalRelevance`. */
export interface RelevanceOptions {
  /** Estimators to run (default all three). */
  estimators?: readonly Estimator[];
  /** Predicted variables the relevance is about (default all V). */
  outputs?: readonly number[];
  /**
   * What a token's removal changes:
   * - `output` (default): the squared change of the prediction, summed over `outputs`;
   * - `loss`: the increase of the squared error against `input.y` (signed: negative = the token hurts).
   */
  objective?: "output" | "loss";
  /**
   * How the interventional estimator removes a token:
   * - `mask` (default): masked out of every attention (`keep` = 0), exactly what `applyPlan` does when it drops it;
   * - `mean`: its embedding replaced by the mean embedding of that token over the inputs;
   * - `zero`: its embedding replaced by zeros.
   * Gradient x input uses the matching baseline (`mean`, else zero).
   */
  ablation?: "mask" | "mean" | "zero";
  /** Most sequences per forward pass (memory bound; default 256). */
  chunk?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** Result of `causalRelevance`: one `RelevanceScores` per estimator run (averaged over the inputs). */
export interface RelevanceResult {
  attention?: RelevanceScores;
  gradient?: RelevanceScores;
  interventional?: RelevanceScores;
  /**
   * Spearman rank correlation of each approximate estimator with the interventional scores, over every
   * token but the query tokens of `outputs` (the tokens an allocation that keeps those chooses between).
   * Present when `interventional` ran.
   */
  agreement: { attention?: number; gradient?: number };
  /** Forward passes (batched calls of `encode`) the interventional estimator used. */
  forwardPasses: number;
  /** Sequences those passes processed: inputs x tokens. */
  ablations: number;
}

/** Model inputs: windows and, for `objective: "loss"`, the next-step targets. */
export interface RelevanceInput {
  /** `[batch, W, V]` */
  x: tf.Tensor3D;
  /** `[batch, V]` the values of the step after each window. */
  y?: tf.Tensor2D;
}

/** `[batch, |outputs|]` columns `outputs` of a `[batch, V]` prediction (a slice when contiguous). */
export function pickOutputs(p: tf.Tensor2D, outputs: readonly number[]): tf.Tensor2D {
  const contiguous = outputs.every((o, i) => o === outputs[0] + i);
  if (contiguous) return tf.slice(p, [0, outputs[0]], [p.shape[0], outputs.length]);
  const V = p.shape[1];
  const sel = new Float32Array(V * outputs.length); // [V, |outputs|] one-hot, differentiable on every backend
  outputs.forEach((o, k) => (sel[o * outputs.length + k] = 1));
  return tf.matMul(p, tf.tensor2d(sel, [V, outputs.length]));
}

/**
 * Per-token relevance of a model's next-step prediction, from up to three estimators, averaged over
 * the input windows:
 *
 * - `attention` — attention rollout (Abnar & Zuidema 2020, Sec. 3): per layer the head-averaged
 *   attention plus the residual, `0.5 A + 0.5 I`, multiplied through the layers; a token's score is
 *   the rolled-out attention the query tokens of `outputs` pay it.
 * - `gradient` — gradient x input on the token embeddings (Shrikumar et al. 2016): the first-order
 *   Taylor estimate of replacing token j's embedding `h_j` by the baseline `b_j`:
 *   `output`: `sum_o (grad_{h_j} f_o . (h_j - b_j))^2`; `loss`: `-grad_{h_j} L . (h_j - b_j)`.
 * - `interventional` — the ground truth: every single-token ablation of every input is run (batched,
 *   `chunk` sequences per pass) and the change of the prediction (or loss) is measured.
 *
 * Runs on the active tfjs backend (`useBackend` from `@causeway/core`; gradients need it).
 *
 * @example
 * const r = await causalRelevance(model, { x }, { outputs: [0] });
 * r.interventional!.perVariable; // [V]
 * r.agreement.gradient; // Spearman with the interventional scores
 */
export async function causalRelevance(model: RelevanceModel, input: RelevanceInput, opts: RelevanceOptions = {}): Promise<RelevanceResult> {
  const { vars: V, window: W } = model.config;
  const N = W * V;
  const { x, y } = input;
  if (x.rank !== 3 || x.shape[1] !== W || x.shape[2] !== V) throw new InputError(`causalRelevance: x must be [batch, ${W}, ${V}], got [${x.shape}]`);
  const B = x.shape[0];
  if (B < 1) throw new InputError("causalRelevance: no input windows");
  const estimators = opts.estimators ?? ESTIMATORS;
  for (const e of estimators) if (!ESTIMATORS.includes(e)) throw new InputError(`causalRelevance: unknown estimator "${e}"; valid: ${ESTIMATORS.join(", ")}`);
  const outputs = opts.outputs ?? Array.from({ length: V }, (_, v) => v);
  if (outputs.length === 0 || outputs.some((o) => !Number.isInteger(o) || o < 0 || o >= V)) throw new InputError(`causalRelevance: outputs must be variable indices in 0..${V - 1}, got [${outputs}]`);
  const objective = opts.objective ?? "output";
  if (objective !== "output" && objective !== "loss") throw new InputError(`causalRelevance: objective must be "output" or "loss", got "${objective}"`);
  if (objective === "loss" && (!y || y.rank !== 2 || y.shape[0] !== B || y.shape[1] !== V))
    throw new InputError(`causalRelevance: objective "loss" needs y [${B}, ${V}], got ${y ? `[${y.shape}]` : "none"}`);
  const ablation = opts.ablation ?? "mask";
  if (!["mask", "mean", "zero"].includes(ablation)) throw new InputError(`causalRelevance: ablation must be "mask", "mean" or "zero", got "${ablation}"`);
  const chunk = opts.chunk ?? 256;
  if (!Number.isInteger(chunk) || chunk < 1) throw new InputError(`causalRelevance: chunk must be a positive integer, got ${chunk}`);
  const report = progressReporter("relevance", opts.onProgress);
  const times = fullTimes(W, V);
  const query = queryTokens(W, V);
  const outQuery = Int32Array.from(outputs, (o) => query[o]); // rows of the rollout that matter

  // per-token baseline [N, dModel] for "mean" ablation and the gradient's reference point
  const baseline: tf.Tensor2D | null =
    ablation === "mean"
      ? tf.tidy(() => {
          let sum: tf.Tensor = tf.zeros([N, model.config.dModel]);
          for (let s = 0; s < B; s += chunk) {
            const size = Math.min(chunk, B - s);
            sum = tf.add(sum, tf.sum(model.embed(tf.slice(x, [s, 0, 0], [size, W, V])), 0));
          }
          return tf.div(sum, B) as tf.Tensor2D;
        })
      : null;

  /** Loss per window `[b]` for predictions `[b, V]` against targets `[b, V]`, over `outputs`. */
  const lossOf = (p: tf.Tensor2D, t: tf.Tensor2D): tf.Tensor1D => tf.sum(tf.square(tf.sub(pickOutputs(p, outputs), pickOutputs(t, outputs))), 1);
  const predict = (h: tf.Tensor3D, keep?: tf.Tensor2D): tf.Tensor2D => tf.tidy(() => model.readout(model.encode(h, times, keep ? { keep } : {}).hidden, query));

  const sums: Partial<Record<Estimator, Float64Array>> = {};
  for (const e of estimators) sums[e] = new Float64Array(N);
  let forwardPasses = 0;
  let ablations = 0;
  // work units for progress: one per input window per estimator
  const totalWork = B * estimators.length;
  let done = 0;
  report("relevance", 0);
  try {
    const inputChunk = Math.max(1, Math.min(B, Math.floor(chunk / Math.min(N, chunk))));
    for (let s = 0; s < B; s += chunk) {
      const size = Math.min(chunk, B - s);
      const xb = tf.slice(x, [s, 0, 0], [size, W, V]); // [b, W, V]
      const yb = y ? tf.slice(y, [s, 0], [size, V]) : null;
      const h = model.embed(xb); // [b, N, d]
      try {
        if (sums.attention) {
          // Abnar & Zuidema 2020: rollout R = prod_l (0.5 A_l + 0.5 I), heads averaged
          const enc = model.encode(h, times, { returnAttention: true });
          const row = tf.tidy(() => {
            const eye = tf.eye(N); // [N, N]
            let R: tf.Tensor3D | null = null;
            for (const A of enc.attention ?? []) {
              const At = tf.add(tf.mul(tf.mean(A, 1), 0.5), tf.mul(eye, 0.5)) as tf.Tensor3D; // [b, N, N]
              R = R ? (tf.matMul(At, R) as tf.Tensor3D) : At;
            }
            if (!R) throw new Error("causalRelevance: the model returned no attention maps");
            const rows = tf.gather(R, tf.tensor1d(outQuery, "int32"), 1); // [b, |outputs|, N]
            return tf.sum(rows, [0, 1]); // [N]
          });
          tf.dispose([enc.hidden, ...(enc.attention ?? [])]);
          addInto(sums.attention, await row.data());
          row.dispose();
          done += size;
        }
        if (sums.gradient) {
          const g = tf.tidy(() => {
            const delta = baseline ? (tf.sub(h, baseline) as tf.Tensor3D) : h; // [b, N, d]  h_j - b_j
            if (objective === "loss") {
              const grad = tf.grad((hh: tf.Tensor) => tf.sum(lossOf(predict(hh as tf.Tensor3D), yb!)))(h); // [b, N, d]
              return tf.neg(tf.sum(tf.sum(tf.mul(grad, delta), 2), 0)); // [N] first-order loss change of the ablation
            }
            let acc: tf.Tensor = tf.zeros([N]);
            for (let k = 0; k < outputs.length; k++) {
              const grad = tf.grad((hh: tf.Tensor) => tf.sum(tf.slice(predict(hh as tf.Tensor3D), [0, outputs[k]], [size, 1])))(h); // [b, N, d]
              acc = tf.add(acc, tf.sum(tf.square(tf.sum(tf.mul(grad, delta), 2)), 0)); // [N]
            }
            return acc;
          });
          addInto(sums.gradient, await g.data());
          g.dispose();
          done += size;
        }
        if (sums.interventional) {
          const ref = tf.tidy(() => (objective === "loss" ? lossOf(predict(h), yb!) : pickOutputs(predict(h), outputs))); // [b] or [b, |O|]
          forwardPasses++;
          try {
            const K = Math.min(N, chunk); // tokens ablated per pass
            for (let i0 = 0; i0 < size; i0 += inputChunk) {
              const bi = Math.min(inputChunk, size - i0);
              for (let j0 = 0; j0 < N; j0 += K) {
                throwIfAborted(opts.signal);
                const k = Math.min(K, N - j0);
                const part = tf.tidy(() => {
                  const hi = tf.slice(h, [i0, 0, 0], [bi, N, model.config.dModel]); // [bi, N, d]
                  const rep = tf.reshape(tf.tile(tf.expandDims(hi, 1), [1, k, 1, 1]), [bi * k, N, model.config.dModel]) as tf.Tensor3D; // [bi*k, N, d]
                  const off = new Float32Array(bi * k * N); // [bi*k, N] 1 at the ablated token
                  for (let a = 0; a < bi; a++) for (let j = 0; j < k; j++) off[(a * k + j) * N + j0 + j] = 1;
                  const offT = tf.tensor2d(off, [bi * k, N]);
                  let pred: tf.Tensor2D;
                  if (ablation === "mask") pred = predict(rep, tf.sub(1, offT) as tf.Tensor2D);
                  else {
                    const oh = tf.expandDims(offT, 2); // [bi*k, N, 1]
                    const replaced = tf.mul(tf.sub(1, oh), rep);
                    pred = predict((baseline ? tf.add(replaced, tf.mul(oh, baseline)) : replaced) as tf.Tensor3D);
                  }
                  if (objective === "loss") {
                    const yRep = tf.reshape(tf.tile(tf.expandDims(tf.slice(yb!, [i0, 0], [bi, V]), 1), [1, k, 1]), [bi * k, V]) as tf.Tensor2D;
                    const l = tf.reshape(lossOf(pred, yRep), [bi, k]);
                    return tf.sum(tf.sub(l, tf.reshape(tf.slice(ref, [i0], [bi]), [bi, 1])), 0); // [k]
                  }
                  const p = tf.reshape(pickOutputs(pred, outputs), [bi, k, outputs.length]);
                  const r = tf.reshape(tf.slice(ref, [i0, 0], [bi, outputs.length]), [bi, 1, outputs.length]);
                  return tf.sum(tf.square(tf.sub(p, r)), [0, 2]); // [k]
                });
                forwardPasses++;
                ablations += bi * k;
                addInto(sums.interventional, await part.data(), j0);
                part.dispose();
              }
              done += bi;
              report("relevance", done / totalWork, { step: done, total: totalWork });
              await yieldToEventLoop();
            }
          } finally {
            ref.dispose();
          }
        }
      } finally {
        tf.dispose([xb, h, ...(yb ? [yb] : [])]);
      }
      report("relevance", done / totalWork, { step: done, total: totalWork });
    }
  } finally {
    baseline?.dispose();
  }
  const result: RelevanceResult = { agreement: {}, forwardPasses, ablations };
  for (const e of estimators) result[e] = relevanceScores(W, V, sums[e]!.map((v) => v / B));
  if (result.interventional) {
    const required = new Set(outQuery);
    const others = Int32Array.from({ length: N }, (_, i) => i).filter((i) => !required.has(i)); // what an allocation chooses between
    for (const e of ["attention", "gradient"] as const) {
      const r = result[e];
      if (r) result.agreement[e] = spearman(r.tokens, result.interventional.tokens, others);
    }
  }
  report("relevance", 1);
  return result;
}

function addInto(acc: Float64Array, values: ArrayLike<number>, offset = 0): void {
  for (let i = 0; i < values.length; i++) acc[offset + i] += values[i];
}
