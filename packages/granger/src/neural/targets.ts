/** Which effects a per-target fit trains: the `targets` option (see `NeuralOptions.targets`). */
import { InputError } from "@causeway/core";

/**
 * Effect indices (ascending, distinct) from `targets`: undefined or "" = every variable; numbers
 * or a comma-separated list of 0-based indices or variable names. InputError on an unknown entry.
 */
export function resolveTargets(targets: string | readonly number[] | undefined, variables: readonly string[]): number[] {
  const V = variables.length;
  const items: (string | number)[] = typeof targets === "string" ? targets.split(",").map((x) => x.trim()).filter((x) => x !== "") : [...(targets ?? [])];
  if (items.length === 0) return Array.from({ length: V }, (_, i) => i);
  const out = new Set<number>();
  for (const item of items) {
    const byName = typeof item === "string" ? variables.indexOf(item) : -1;
    const idx = byName >= 0 ? byName : Number(item);
    if (!Number.isInteger(idx) || idx < 0 || idx >= V)
      throw new InputError(`targets: "${item}" is neither a variable name nor an index 0..${V - 1}; give a comma-separated list such as "0,2" or "x0,x2"`);
    out.add(idx);
  }
  return [...out].sort((a, b) => a - b);
}

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
