/**
 * Multiple-testing control over a graph's p-values (formats.md "pvalues"): Bonferroni and the
 * Benjamini-Hochberg step-up procedure, and the selection of `edges` at level alpha.
 */
import { InputError } from "../errors.js";
import { CORRECTIONS, type Correction } from "../types.js";

/** Default level for `edges` when a method has p-values (CLI `--alpha`). */
export const DEFAULT_ALPHA = 0.05;
/** Default correction (CLI `--correction`). */
export const DEFAULT_CORRECTION: Correction = "fdr_bh";

/** Adjusted p-values, same order: `none` copies; `bonferroni` min(1, m·p); `fdr_bh` the BH step-up q-values. NaN entries are not tests (they stay NaN and do not count in m). */
export function adjustPvalues(p: ArrayLike<number>, correction: Correction): Float64Array {
  const out = Float64Array.from(p);
  const tested: number[] = [];
  for (let i = 0; i < out.length; i++) {
    const v = out[i];
    if (Number.isNaN(v)) continue;
    if (!(v >= 0 && v <= 1)) throw new RangeError(`p-value ${v} at ${i} is outside [0, 1]`);
    tested.push(i);
  }
  const m = tested.length;
  if (correction === "none" || m === 0) return out;
  if (correction === "bonferroni") {
    for (const i of tested) out[i] = Math.min(1, out[i] * m);
    return out;
  }
  // Benjamini & Hochberg (1995): q_(k) = min_{j >= k} m·p_(j)/j, capped at 1.
  const order = tested.slice().sort((a, b) => p[a] - p[b]);
  let running = 1;
  for (let k = m; k >= 1; k--) {
    const i = order[k - 1];
    running = Math.min(running, (p[i] * m) / k);
    out[i] = running;
  }
  return out;
}

/** Checks `alpha` (0 < alpha < 1) and a correction name; InputError otherwise. */
export function checkAlpha(alpha: number, correction: string): Correction {
  if (!(typeof alpha === "number" && alpha > 0 && alpha < 1)) throw new InputError(`alpha must be a number in (0, 1), got ${alpha}`);
  if (!(CORRECTIONS as readonly string[]).includes(correction)) throw new InputError(`correction must be one of ${CORRECTIONS.join(", ")}, got "${correction}"`);
  return correction as Correction;
}
