/** The `run` shared by the neural Granger methods (cMLP, cLSTM). */
import { createScores, scaleWarnings, type MethodContext, type MethodResult, type TimeSeries } from "@causeway/core";
import { neuralOptionsFromParams, type NeuralOptions, type NeuralParams } from "./settings.js";

/** Result of a neural Granger fit. */
export interface NeuralFit {
  V: number;
  /** Lags resolved by the scores (cMLP: maxLag; cLSTM: 1, a summary score). */
  maxLag: number;
  /** Scores `[effect, cause, lag - 1]` (flat, the `ScoreTensor` layout with `maxLag` lags). */
  scores: Float64Array;
  /** Final first-layer group norms, same layout. */
  groupNorms: Float64Array;
  /** λ values used: the path's, or the fixed λ. */
  lambdas: number[];
  iterations: number;
  /** Proposals whose loss or gradient was NaN/Inf: rejected, last good weights kept, step halved. */
  nanSteps: number;
  /** Proposals rejected by the line search (NaN ones included). */
  rejectedSteps: number;
  /** Final mean squared error per target (z-scored units). */
  mse: number[];
  /** Iterations of the dense fit (warm-up or fixed λ) and how it ended (validation: early stopping). */
  dense: { iterations: number; stopped: string };
  /** Where a seconds budget's deadline cut training before it converged. */
  cutAt?: string;
}

/** Threshold for edges of a fixed-λ fit when none is given: every non-zero group is an edge. */
export const NONZERO_THRESHOLD = 1e-12;

/**
 * The `run` (see `defineMethod`) of a neural Granger method: fit on the active backend and turn
 * the fit into scores. A fit with fewer lags than `maxLag` (cLSTM's summary score) is repeated at
 * every lag (`lagResolved: false`); a fixed λ's default threshold keeps every non-zero group.
 */
export function neuralRun<P extends NeuralParams>(
  methodLagResolved: boolean,
  fit: (series: TimeSeries, options: NeuralOptions, params: P) => Promise<NeuralFit>,
): (ctx: MethodContext<P>) => Promise<MethodResult> {
  return async ({ series, maxLag, seed, params, given, signal, onProgress, warnings, deadline }) => {
    // the fits z-score their input (robust to any finite magnitude); scaleWarnings says where magnitudes were extreme
    warnings.push(...scaleWarnings(series));
    const r = await fit(series, { ...neuralOptionsFromParams(params, given), maxLag, seed, signal, onProgress, deadline }, params);
    const scores = createScores(r.V, maxLag); // [V, V, maxLag]
    for (let pair = 0; pair < r.V * r.V; pair++)
      for (let l = 0; l < maxLag; l++) scores.data[pair * maxLag + l] = r.scores[pair * r.maxLag + Math.min(l, r.maxLag - 1)];
    const lagResolved = r.maxLag === maxLag && methodLagResolved;
    return {
      scores,
      meta: { lagResolved, iterations: r.iterations, denseIterations: r.dense.iterations, denseStopped: r.dense.stopped, nanSteps: r.nanSteps, rejectedSteps: r.rejectedSteps, lambdas: r.lambdas, mse: r.mse },
      ...(r.cutAt ? { cutAt: r.cutAt } : {}),
      ...(params.lambda === "auto" ? {} : { defaultThreshold: NONZERO_THRESHOLD }),
    };
  };
}
