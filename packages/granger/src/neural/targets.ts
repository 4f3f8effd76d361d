/** Which effects a per-target fit trains: the `targets` option (see `NeuralOptions.targets`). */
export { resolveTargets } from "@causeway/core";

/** The `targets` slices of an array viewed `[pre, V, post]`: `[pre, targets.length, post]`. */
export function pickTargets(a: Float64Array, [pre, V, post]: readonly [number, number, number], targets: readonly number[]): Float64Array {
  const n = targets.length;
  const out = new Float64Array(pre * n * post);
  for (let p = 0; p < pre; p++) targets.forEach((t, r) => out.set(a.subarray((p * V + t) * post, (p * V + t + 1) * post), (p * n + r) * post));
  return out;
}

/** Rows `targets` of a `[targets.length, ...]` array (`post` values a row) into a zero `[V, ...]` array: other rows stay 0. */
export function spreadRows(a: ArrayLike<number>, targets: readonly number[], post: number, V: number): Float64Array {
  const out = new Float64Array(V * post);
  targets.forEach((t, r) => {
    for (let b = 0; b < post; b++) out[t * post + b] = a[r * post + b];
  });
  return out;
}
