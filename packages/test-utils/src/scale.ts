// Scale-invariance checks shared by the methods' scale tests (issue #15: AUROC unchanged under
// x1e-12, x1e12, +1000 and x1e300).
import type { CausalGraph, TimeSeries } from "@causeway/core";

/** The transforms every scale test applies: name and the function of each value. */
export const SCALE_TRANSFORMS = [
  ["x1e-12", (x: number) => x * 1e-12],
  ["x1e12", (x: number) => x * 1e12],
  ["+1000", (x: number) => x + 1000],
  ["x1e300", (x: number) => x * 1e300],
] as const;

/** The series with `f` applied to every value (names, segments and mask kept). */
export function transformSeries(s: TimeSeries, f: (x: number) => number): TimeSeries {
  return { ...s, data: s.data.map(f) };
}

/** A graph's scores as one flat list, `[effect][cause][lag]` order. */
export function flatScores(g: CausalGraph): number[] {
  return g.scores.flat(2);
}
