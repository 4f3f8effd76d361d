// corr over several recordings and missing cells: each lagged correlation uses only the target
// rows whose window lies inside one segment and misses no cell of the pair (samples.ts).
import { throwIfAborted } from "../errors.js";
import { createScores, setScore, type ScoreTensor } from "../graph.js";
import { validTargetRows } from "../samples.js";
import type { TimeSeries } from "../types.js";

/**
 * Lagged cross-correlation scores `[V, V, maxLag]` for a series with `segments` and/or `mask`:
 * `scores[e][c][l-1] = |pearson(x_c(t - l), x_e(t))|` over the target rows t whose rows
 * t-maxLag..t lie in one segment with no missing cell of c or e (the same rows at every lag of
 * the pair, so its scores are comparable across lags). Fewer than 3 rows give 0. With one
 * segment and no mask the rows are maxLag..T-1, as `laggedCorrelation` uses.
 */
export function laggedCorrelationOnRows(series: TimeSeries, maxLag: number, signal?: AbortSignal): ScoreTensor {
  const { data } = series; // [T, V]
  const V = series.variables.length;
  const scores = createScores(V, maxLag);
  for (let e = 0; e < V; e++) {
    throwIfAborted(signal);
    for (let c = 0; c < V; c++) {
      const rows = validTargetRows(series, maxLag, c === e ? [e] : [c, e]); // [n]
      const n = rows.length;
      if (n < 3) continue;
      // the effect over the rows, centred and scaled to unit norm: [n]
      const y = new Float64Array(n);
      let my = 0;
      for (let i = 0; i < n; i++) my += data[rows[i] * V + e];
      my /= n;
      let syy = 0;
      for (let i = 0; i < n; i++) {
        const d = data[rows[i] * V + e] - my;
        y[i] = d;
        syy += d * d;
      }
      if (!(syy > 0)) continue;
      const iy = 1 / Math.sqrt(syy);
      for (let l = 1; l <= maxLag; l++) {
        let mx = 0;
        for (let i = 0; i < n; i++) mx += data[(rows[i] - l) * V + c];
        mx /= n;
        let sxx = 0;
        let sxy = 0;
        for (let i = 0; i < n; i++) {
          const d = data[(rows[i] - l) * V + c] - mx;
          sxx += d * d;
          sxy += d * y[i];
        }
        if (!(sxx > 0)) continue;
        setScore(scores, e, c, l, Math.min(1, Math.abs(sxy * iy) / Math.sqrt(sxx)));
      }
    }
  }
  return scores;
}
