// The `targets` param of per-target methods (cmlp, clstm, tcdf): which effects a fit trains, so
// worker threads can split one run by effect (@causeway/methods/node's discoverSplit).
import { InputError } from "./errors.js";

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
