import { InputError } from "@causeway/core";
import { studentTQuantile } from "./distributions.js";

function check(xs: ArrayLike<number>, what: string, min = 1): void {
  if (xs.length < min) throw new InputError(`${what} needs at least ${min} value${min === 1 ? "" : "s"}, got ${xs.length}`);
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(`${what}: value ${i} is not a finite number: ${String(v)}`);
  }
}

/** Arithmetic mean. @example mean([1, 2, 6]); // 3 */
export function mean(xs: ArrayLike<number>): number {
  check(xs, "mean");
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/**
 * Standard deviation with `ddof` degrees of freedom removed: sqrt(sum (x - mean)^2 / (n - ddof)).
 * Default ddof = 1 (sample standard deviation), which needs at least 2 values.
 * @example std([1, 2, 6]); // sqrt(7) = 2.6458
 */
export function std(xs: ArrayLike<number>, ddof = 1): number {
  check(xs, "std", ddof + 1);
  const m = mean(xs);
  let ss = 0;
  for (let i = 0; i < xs.length; i++) ss += (xs[i] - m) ** 2;
  return Math.sqrt(ss / (xs.length - ddof));
}

/** Median (mean of the two middle values for an even count). @example median([3, 1, 4, 2]); // 2.5 */
export function median(xs: ArrayLike<number>): number {
  check(xs, "median");
  const s = Float64Array.from(xs).sort();
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

export interface MeanCi {
  mean: number;
  /** Lower end, mean - halfWidth. */
  low: number;
  /** Upper end, mean + halfWidth. */
  high: number;
  /** t_{0.975, n-1} * std / sqrt(n). */
  halfWidth: number;
  n: number;
}

/**
 * 95% confidence interval of the mean from Student's t with n - 1 degrees of freedom:
 * mean +- t_{0.975, n-1} s / sqrt(n), s the sample standard deviation. Needs n >= 2.
 * @example meanCi95([1, 2, 6]); // { mean: 3, halfWidth: 4.303 * 2.6458 / sqrt(3) = 6.572, ... }
 */
export function meanCi95(xs: ArrayLike<number>): MeanCi {
  check(xs, "a 95% confidence interval of the mean", 2);
  const n = xs.length;
  const m = mean(xs);
  const halfWidth = (studentTQuantile(0.975, n - 1) * std(xs)) / Math.sqrt(n);
  return { mean: m, low: m - halfWidth, high: m + halfWidth, halfWidth, n };
}
