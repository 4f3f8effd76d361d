import { InputError, midRanks } from "@causeway/core";
import { normalSf } from "./distributions.js";

/** Largest number of non-zero differences that gets the exact p-value. */
export const WILCOXON_EXACT_MAX_N = 25;

export interface WilcoxonResult {
  /** min(W+, W-): the smaller signed-rank sum (scipy's two-sided statistic). */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
  /** Number of non-zero differences (zeros are dropped, Wilcoxon's method). */
  n: number;
  /** Sum of the ranks of positive differences a - b. */
  wPlus: number;
  /** Sum of the ranks of negative differences a - b. */
  wMinus: number;
  /** "exact" (n <= 25, rank-sum distribution enumerated) or "normal" (tie- and continuity-corrected). */
  method: "exact" | "normal";
}

function checkSample(xs: ArrayLike<number>, name: string): void {
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(`${name}[${i}] is not a finite number: ${String(v)}`);
  }
}

/**
 * Exact two-sided p-value: under H0 each rank carries sign + or - with probability 1/2
 * independently, so W+ = sum of a random subset of the ranks. Dynamic programming over
 * doubled ranks (integers, since mid-ranks are multiples of 1/2) counts the subsets by sum;
 * exact even with tied ranks (conditional on the observed ranks).
 */
function exactPValue(ranks: Float64Array, statistic: number): number {
  const doubled = Array.from(ranks, (r) => Math.round(2 * r));
  const total = doubled.reduce((a, b) => a + b, 0);
  let counts = new Float64Array(total + 1); // counts[s] = #subsets with doubled sum s
  counts[0] = 1;
  let reach = 0;
  for (const r of doubled) {
    const next = counts.slice();
    for (let s = 0; s <= reach; s++) if (counts[s]) next[s + r] += counts[s];
    counts = next;
    reach += r;
  }
  // W+ and W- have the same null distribution, so P(min <= w) = 2 P(W+ <= w), capped at 1.
  const w = Math.round(2 * statistic);
  let lower = 0;
  for (let s = 0; s <= w; s++) lower += counts[s];
  return Math.min(1, (2 * lower) / 2 ** ranks.length);
}

/**
 * Wilcoxon signed-rank test of paired samples (Wilcoxon 1945), two-sided. Zero differences
 * are dropped (Wilcoxon's method); tied |differences| get their average rank. For n <= 25
 * non-zero differences the p-value is exact; beyond, the normal approximation with mean
 * n(n+1)/4, variance n(n+1)(2n+1)/24 - sum(t^3 - t)/48 over tie groups of size t, and a
 * continuity correction of 1/2 (as scipy's `wilcoxon(..., method="approx", correction=True)`).
 *
 * @param a [n] e.g. method A's AUROC on each data set
 * @param b [n] method B's AUROC on the same data sets, in the same order
 * @example
 * wilcoxonSignedRank([0.9, 0.8, 0.85, 0.7, 0.95], [0.6, 0.7, 0.65, 0.75, 0.5]);
 * // { statistic: 1, pValue: 0.125, n: 5, ... }
 */
export function wilcoxonSignedRank(a: ArrayLike<number>, b: ArrayLike<number>): WilcoxonResult {
  if (a.length !== b.length) throw new InputError(`Wilcoxon signed-rank test needs paired samples: ${a.length} vs ${b.length} values`);
  if (a.length === 0) throw new InputError("Wilcoxon signed-rank test is undefined for empty samples");
  checkSample(a, "a");
  checkSample(b, "b");
  // Non-zero differences d = a - b.
  const diffs: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    if (d !== 0) diffs.push(d);
  }
  const n = diffs.length;
  if (n === 0) throw new InputError(`Wilcoxon signed-rank test is undefined: all ${a.length} differences are zero`);
  const { ranks, ties } = midRanks(Float64Array.from(diffs, Math.abs));
  let wPlus = 0;
  let wMinus = 0;
  for (let i = 0; i < n; i++) {
    if (diffs[i] > 0) wPlus += ranks[i];
    else wMinus += ranks[i];
  }
  const statistic = Math.min(wPlus, wMinus);
  if (n <= WILCOXON_EXACT_MAX_N) return { statistic, pValue: exactPValue(ranks, statistic), n, wPlus, wMinus, method: "exact" };
  // Normal approximation with tie correction and continuity correction toward the mean.
  const mean = (n * (n + 1)) / 4;
  let variance = (n * (n + 1) * (2 * n + 1)) / 24;
  for (const t of ties) variance -= (t * t * t - t) / 48;
  const correction = 0.5 * Math.sign(statistic - mean);
  const z = (statistic - mean - correction) / Math.sqrt(variance);
  return { statistic, pValue: Math.min(1, 2 * normalSf(Math.abs(z))), n, wPlus, wMinus, method: "normal" };
}

/**
 * Bonferroni correction: each p-value times the number of tests, capped at 1.
 *
 * @example
 * bonferroni([0.01, 0.04, 0.5]); // [0.03, 0.12, 1]
 */
export function bonferroni(pValues: ArrayLike<number>): number[] {
  const m = pValues.length;
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    const p = pValues[i];
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new InputError(`p-value ${i} must be in [0, 1], got ${String(p)}`);
    out.push(Math.min(1, p * m));
  }
  return out;
}

export interface MethodComparison {
  a: string;
  b: string;
  /** Number of paired values (data sets). */
  pairs: number;
  /** Mean of a - b over the pairs (positive: `a` scored higher). */
  meanDifference: number;
  /** Wilcoxon statistic min(W+, W-); 0 when every difference is zero. */
  statistic: number;
  /** Non-zero differences used by the test. */
  n: number;
  /** Uncorrected two-sided p-value; 1 when every difference is zero (no evidence of a difference). */
  pValue: number;
  /** Bonferroni-corrected over all pairs of methods. */
  pAdjusted: number;
}

/**
 * Compare methods pairwise across data sets: a Wilcoxon signed-rank test for each pair of
 * methods, Bonferroni-corrected for the number of pairs (Demšar 2006, JMLR 7, sec. 3.1.3).
 * Every method must have one value per data set, in the same data-set order.
 *
 * @param resultsByMethod e.g. `{ corr: [0.71, 0.64, ...], tcdf: [0.83, 0.70, ...] }`
 * @example
 * compareMethods({ corr: [0.6, 0.7, 0.65], tcdf: [0.8, 0.9, 0.7] });
 */
export function compareMethods(resultsByMethod: Record<string, ArrayLike<number>>): MethodComparison[] {
  const names = Object.keys(resultsByMethod);
  if (names.length < 2) throw new InputError(`comparing methods needs at least 2, got ${names.length}`);
  const n = resultsByMethod[names[0]].length;
  for (const name of names) {
    const xs = resultsByMethod[name];
    if (xs.length !== n) throw new InputError(`method "${name}" has ${xs.length} results but "${names[0]}" has ${n}: every method needs one per data set`);
    checkSample(xs, name);
  }
  if (n === 0) throw new InputError("comparing methods needs at least one data set");
  const rows: Omit<MethodComparison, "pAdjusted">[] = [];
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++) {
      const a = resultsByMethod[names[i]];
      const b = resultsByMethod[names[j]];
      let sum = 0;
      let nonZero = 0;
      for (let k = 0; k < n; k++) {
        sum += a[k] - b[k];
        if (a[k] !== b[k]) nonZero++;
      }
      const base = { a: names[i], b: names[j], pairs: n, meanDifference: sum / n };
      if (nonZero === 0) rows.push({ ...base, statistic: 0, n: 0, pValue: 1 });
      else {
        const w = wilcoxonSignedRank(a, b);
        rows.push({ ...base, statistic: w.statistic, n: w.n, pValue: w.pValue });
      }
    }
  const adjusted = bonferroni(rows.map((r) => r.pValue));
  return rows.map((r, k) => ({ ...r, pAdjusted: adjusted[k] }));
}
