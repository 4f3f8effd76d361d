/** Which effects a TCDF fit trains: the `targets` param (how worker threads split one run). */
import { InputError } from "@causeway/core";

/**
 * Effect indices (ascending, distinct) from `targets`: "" = every variable, else a comma-separated
 * list of variable names or 0-based indices. InputError on an unknown entry.
 */
export function resolveTargets(targets: string | undefined, variables: readonly string[]): number[] {
  const items = (targets ?? "").split(",").map((x) => x.trim()).filter((x) => x !== "");
  if (items.length === 0) return variables.map((_, i) => i);
  const out = new Set<number>();
  for (const item of items) {
    const byName = variables.indexOf(item);
    const idx = byName >= 0 ? byName : Number(item);
    if (!Number.isInteger(idx) || idx < 0 || idx >= variables.length)
      throw new InputError(`targets: "${item}" is neither a variable name nor an index 0..${variables.length - 1}; give a comma-separated list such as "0,2" or "x0,x2"`);
    out.add(idx);
  }
  return [...out].sort((a, b) => a - b);
}
