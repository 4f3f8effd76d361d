// The part of `CausalTransformer` this package uses, and its token layout.
import type { CausalTransformer } from "@causeway/transformer";

/**
 * What the estimators and `applyPlan` need from a model: a `CausalTransformer` from
 * `@causeway/transformer`, or anything with the same token interface. `blocks` (one `apply(x, mask)`
 * per layer) is needed only to run `depth` plans, which change the token set between layers.
 */
export type RelevanceModel = Pick<CausalTransformer, "config" | "tokens" | "embed" | "encode" | "readout" | "flops"> & Partial<Pick<CausalTransformer, "blocks">>;

/** `[W * V]` time step of each token of a full window (token `n = t * V + v` has time `t`). */
export function fullTimes(window: number, vars: number): Int32Array {
  const times = new Int32Array(window * vars);
  for (let t = 0; t < window; t++) times.fill(t, t * vars, (t + 1) * vars);
  return times;
}

/**
 * FLOPs (2 x multiply-adds) of one pre-norm block for one sample over `n` tokens, the
 * `CausalTransformer.flops` convention: Q, K, V, O projections `4 n d^2`, scores and weighted sum
 * `2 n^2 d`, feed-forward `2 n d f`.
 */
export function blockFlops(config: { dModel: number; ffHidden: number }, n: number): number {
  const { dModel: d, ffHidden: f } = config;
  return 2 * (4 * n * d * d + 2 * n * n * d + 2 * n * d * f);
}
