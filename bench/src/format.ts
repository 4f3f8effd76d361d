// Table helpers the suites share.
import { mean } from "@causeway/metrics";

/** Three decimals, or "–" for a missing or non-finite value. */
export const f3 = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(3));

/** Mean of the finite values, or null when there are none. */
export function avg(xs: (number | null | undefined)[]): number | null {
  const v = xs.filter((x): x is number => typeof x === "number" && Number.isFinite(x));
  return v.length ? mean(v) : null;
}
