// Several recordings (segments) and missing cells as TCDF's input: one padded row block with loss weights.
import { hasMissing, hasSegments, segmentBounds, type TimeSeries } from "@causeway/core";

/**
 * Several recordings or missing cells as TCDF's input: every recording after the first is preceded
 * by R zero rows (z-scored data's mean: exactly the zero padding a single series gets in front, so a
 * step near a recording's start sees padding, never the previous recording), and `weight` `[T']`
 * counts a step only if it is a real row whose receptive field (rows t - R .. t, clipped at its
 * recording's start) holds no missing cell. Null for one complete recording (as in the paper).
 */
export function paddedRecordings(series: TimeSeries, R: number): { data: Float64Array; T: number; weight: Float64Array } | null {
  if (!hasSegments(series) && !hasMissing(series)) return null;
  const V = series.variables.length;
  const bounds = segmentBounds(series);
  const S = bounds.length - 1;
  const T = series.length + (S - 1) * R;
  const data = new Float64Array(T * V); // gap rows stay 0
  const weight = new Float64Array(T);
  let row = 0;
  for (let s = 0; s < S; s++) {
    if (s > 0) row += R;
    let lastMissing = -Infinity; // latest row of this recording with a missing cell
    for (let t = bounds[s]; t < bounds[s + 1]; t++, row++) {
      for (let v = 0; v < V; v++) {
        const x = series.data[t * V + v];
        if (Number.isNaN(x) || series.mask?.[t * V + v]) lastMissing = t;
        else data[row * V + v] = x;
      }
      weight[row] = t - R > lastMissing ? 1 : 0;
    }
  }
  return { data, T, weight };
}
