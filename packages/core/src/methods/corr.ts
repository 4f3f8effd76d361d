import { defineMethod } from "../define-method.js";
import type { Discoverer } from "../discoverer.js";
import { graphBytes, seriesBytes } from "../limits.js";
import { laggedPearson } from "../numeric/lagged-corr.js";
import { createScores, setScore } from "../graph.js";
import { powerOfTwoRescale, scaleWarnings } from "../transform.js";
import type { TimeSeries } from "../types.js";
import { hasMissing, hasSegments } from "../samples.js";
import { laggedCorrelationOnRows } from "./corr-rows.js";

/**
 * Lagged cross-correlation scores `[V, V, maxLag]`:
 * `scores[e][c][l-1] = |pearson(x_c(t - l), x_e(t))|` over t = maxLag .. T-1
 * (the same window for every lag, so scores are comparable across lags).
 */
export function laggedCorrelation(series: TimeSeries, maxLag: number, signal?: AbortSignal) {
  const { length: T, variables, data } = series;
  const V = variables.length;
  const scores = createScores(V, maxLag);
  laggedPearson(data, T, V, maxLag, (e, c, l, r) => setScore(scores, e, c, l, Math.min(1, Math.abs(r))), signal);
  return scores;
}

/** Baseline method `corr`: absolute lagged Pearson cross-correlation (also the LCM's training aid). */
export const corrMethod: Discoverer = defineMethod({
  name: "corr",
  description: "absolute lagged Pearson cross-correlation |corr(x_cause(t-l), x_effect(t))| (baseline)",
  usesTensors: false,
  lagResolved: true,
  defaultThreshold: 0.3,
  params: {},
  supports: { segments: true, mask: true },
  estimate({ T, V, maxLag }) {
    const n = T - maxLag;
    // the effects' windows stay; one cause window at a time; then the graph
    return { bytes: seriesBytes(T, V) + (V + 1) * n * 8 + graphBytes(V, maxLag), flops: 2 * V * V * maxLag * n + 4 * V * (maxLag + 1) * n };
  },
  samplesNeeded({ V, maxLag }) {
    // below 10 pairs |r| of independent noise exceeds 0.63 one time in 20; comfortable: the largest
    // |r| of independent noise over V·V·maxLag pairs, about sqrt(2 ln(V² maxLag) / n), stays under 0.3
    return { min: maxLag + 10, comfortable: maxLag + Math.max(10, Math.ceil((2 * Math.log(Math.max(2, V * V * maxLag))) / 0.3 ** 2)), why: "10 pairs per correlation" };
  },
  run({ series, maxLag, signal, onProgress, warnings }) {
    // correlations are scale-invariant; an exact power-of-two rescaling per variable keeps sums of
    // squares finite at 1e300 and changes nothing for moderate data
    warnings.push(...scaleWarnings(series));
    onProgress?.({ method: "corr", stage: "fit", fraction: 0 });
    const safe = powerOfTwoRescale(series).series;
    // several recordings or missing cells: each correlation over its pair's valid target rows
    const pooled = hasSegments(series) || hasMissing(series);
    const scores = pooled ? laggedCorrelationOnRows(safe, maxLag, signal) : laggedCorrelation(safe, maxLag, signal);
    onProgress?.({ method: "corr", stage: "fit", fraction: 1 });
    return { scores };
  },
});
