/** The `Discoverer.discover` body shared by the neural Granger methods. */
import {
  buildGraph,
  createScores,
  prepareRun,
  scaleWarnings,
  useBackend,
  type CausalGraph,
  type Discoverer,
  type DiscoverOptions,
  type TimeSeries,
} from "@causeway/core";
import { neuralOptionsFromParams, type NeuralOptions } from "./settings.js";

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
}

/** Threshold for edges of a fixed-λ fit when none is given: every non-zero group is an edge. */
export const NONZERO_THRESHOLD = 1e-12;

/**
 * Validate, resolve params, select the backend, fit, and assemble the graph. A fit with fewer
 * lags than `maxLag` (cLSTM's summary score) is repeated at every lag (`lagResolved: false`).
 */
export async function discoverNeural(
  method: Discoverer,
  fit: (series: TimeSeries, options: NeuralOptions) => Promise<NeuralFit>,
  series: TimeSeries,
  options: DiscoverOptions,
): Promise<CausalGraph> {
  const given: Record<string, unknown> = { ...options.params };
  if (typeof given.lambda === "number") given.lambda = String(given.lambda);
  const { params: resolved, warnings: runWarnings } = prepareRun(method, series, options, given);
  // the fits z-score their input (robust to any finite magnitude); scaleWarnings says where magnitudes were extreme
  const warnings = [...runWarnings, ...scaleWarnings(series)];
  const fitOptions = neuralOptionsFromParams(method.params, resolved, options.params);
  const start = performance.now();
  const backend = await useBackend(options.backend ?? "auto");
  const seed = options.seed ?? 0;
  const r = await fit(series, { ...fitOptions, maxLag: options.maxLag, seed, signal: options.signal, onProgress: options.onProgress });
  const scores = createScores(r.V, options.maxLag);
  for (let pair = 0; pair < r.V * r.V; pair++)
    for (let l = 0; l < options.maxLag; l++) scores.data[pair * options.maxLag + l] = r.scores[pair * r.maxLag + Math.min(l, r.maxLag - 1)];
  const lagResolved = r.maxLag === options.maxLag && method.lagResolved;
  const fixed = fitOptions.lambda !== "auto";
  return buildGraph({
    method: method.name,
    variables: series.variables,
    scores,
    threshold: options.threshold ?? (fixed ? NONZERO_THRESHOLD : method.defaultThreshold),
    meta: {
      backend,
      seconds: (performance.now() - start) / 1000,
      seed,
      params: resolved,
      lagResolved,
      iterations: r.iterations,
      nanSteps: r.nanSteps,
      rejectedSteps: r.rejectedSteps,
      lambdas: r.lambdas,
      mse: r.mse,
    },
    ...(warnings.length > 0 ? { warnings } : {}),
  });
}
