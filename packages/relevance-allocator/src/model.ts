// The part of `CausalTransformer` this package uses, and its token layout.
import type { CausalTransformer } from "@causeway/transformer";

/**
 * What the estimators and `applyPlan` need from a model: a `CausalTransformer` from
 * `@causeway/transformer`, or anything with the same token interface.
 */
export type RelevanceModel = Pick<CausalTransformer, "config" | "tokens" | "embed" | "encode" | "readout" | "flops">;

/** `[W * V]` time step of each token of a full window (token `n = t * V + v` has time `t`). */
export function fullTimes(window: number, vars: number): Int32Array {
  const times = new Int32Array(window * vars);
  for (let t = 0; t < window; t++) times.fill(t, t * vars, (t + 1) * vars);
  return times;
}
