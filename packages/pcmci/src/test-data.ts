/** Test helpers: a TimeSeries from fixture rows, and tigramite-layout lookups. */
import type { TimeSeries } from "@causeway/core";

/** A series from `data[t][v]`. */
export function seriesOf(data: number[][], variables?: string[]): TimeSeries {
  const T = data.length;
  const V = data[0].length;
  const flat = new Float64Array(T * V);
  data.forEach((row, t) => row.forEach((x, v) => (flat[t * V + v] = x)));
  return { variables: variables ?? Array.from({ length: V }, (_, v) => `x${v}`), length: T, data: flat };
}
