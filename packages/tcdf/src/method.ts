// The registered `tcdf` method: a fitted TCDF model as scores and a `causeway.graph/v1` graph.
import {
  buildGraph,
  comfortableRows,
  createScores,
  defineMethod,
  graphBytes,
  seriesBytes,
  setScore,
  standardize,
  type CausalGraph,
  type Discoverer,
  type GraphMeta,
  type GraphWarning,
  type ScoreTensor,
  type ScoredEdge,
} from "@causeway/core";
import { receptiveField } from "./network.js";
import { fitTcdf, TCDF_PARAM_DECLS, type TcdfResult } from "./tcdf.js";

/**
 * Score tensor `[V, V, maxLag]` from a fitted model: the (effect, cause) summary score is
 * the attention score a_{cause,effect} (identical scale in every target's network: all start
 * at 1 and train with the same learning rate), and each lag gets `a * path weight` of that
 * lag, so the lag of the largest kernel weights carries the full score and the summary
 * (max over lags) equals the attention score. Lags outside the receptive field score 0.
 * Negative attention is clipped to 0.
 */
export function tcdfScores(r: TcdfResult, maxLag: number): ScoreTensor {
  const { V } = r.shape;
  const s = createScores(V, maxLag);
  for (let j = 0; j < V; j++)
    for (let i = 0; i < V; i++) {
      const c = j * V + i;
      const a = Math.max(0, r.attention[c]);
      const prof = r.profiles[c];
      for (let lag = 1; lag <= maxLag; lag++) {
        const q = lag - r.shifts[c];
        if (q >= 0 && q < prof.length) setScore(s, j, i, lag, a * prof[q]);
      }
    }
  return s;
}

/**
 * The validated causes at their discovered delays with attention >= threshold, strongest first,
 * and the causes whose delay has no place in 1..maxLag (0 with `instantaneous`, or beyond maxLag).
 */
function tcdfEdges(r: TcdfResult, variables: string[], maxLag: number, threshold: number) {
  const edges: ScoredEdge[] = [];
  const unlisted: { cause: string; effect: string; delay: number }[] = [];
  for (const c of r.causes) {
    if (c.delay < 1 || c.delay > maxLag) unlisted.push({ cause: variables[c.cause], effect: variables[c.effect], delay: c.delay });
    else if (c.attention >= threshold) edges.push({ cause: variables[c.cause], effect: variables[c.effect], lag: c.delay, score: c.attention });
  }
  edges.sort((a, b) => b.score - a.score);
  return { edges, unlisted };
}

/** Meta keys of a fitted model, after backend, seconds, seed, params and lagResolved. */
function tcdfMeta(r: TcdfResult, unlisted: { cause: string; effect: string; delay: number }[]) {
  return { receptiveField: r.receptiveField, ...(unlisted.length > 0 ? { unlistedCauses: unlisted } : {}) };
}

/**
 * The `causeway.graph/v1` graph of a fitted model: `tcdfScores` as scores, and the validated
 * causes at their discovered delays (attention >= threshold) as `edges`. Causes whose delay
 * has no place in 1..maxLag (0 with `instantaneous`, or beyond maxLag) go to
 * `meta.unlistedCauses`.
 */
export function tcdfGraph(
  r: TcdfResult,
  variables: string[],
  maxLag: number,
  threshold: number,
  meta: Pick<GraphMeta, "backend" | "seconds" | "seed" | "params">,
  warnings?: GraphWarning[],
): CausalGraph {
  const { edges, unlisted } = tcdfEdges(r, variables, maxLag, threshold);
  return buildGraph({
    method: "tcdf",
    variables,
    scores: tcdfScores(r, maxLag),
    threshold,
    edges,
    meta: { ...meta, lagResolved: true, ...tcdfMeta(r, unlisted) },
    ...(warnings ? { warnings } : {}),
  });
}

/** The `tcdf` method: TCDF on the active tensor backend, validated edges in `edges`. */
export const tcdfMethod: Discoverer = defineMethod({
  name: "tcdf",
  description: "TCDF (Nauta et al. 2019): attention-based dilated depthwise CNNs, permutation validation, delays from kernel weights",
  usesTensors: true,
  lagResolved: true,
  supports: { segments: true, mask: true },
  defaultThreshold: 1,
  params: TCDF_PARAM_DECLS,
  // the paper trains 1000 epochs (runTCDF.py's default); fast: a fifth of them, thorough: three times as many
  budgets: { fast: { epochs: 200 }, thorough: { epochs: 3000 } },
  estimate({ T, V, maxLag }, params) {
    const { kernelSize: k, dilation: c, hiddenLayers: L } = params;
    const R = receptiveField(k, c, L);
    let rows = 0; // padded layer inputs and outputs of one channel row
    for (let l = 0; l <= L; l++) rows += (k - 1) * c ** l + 2 * T;
    const macs = V * V * rows * k; // multiply-adds of one forward pass over every target's channels
    return {
      // inputs, per-row workspaces (forward and backward) for every channel, Adam state, offset profiles [V·V][R], graph
      bytes: seriesBytes(T, V) + 3 * V * V * rows * 8 + 4 * V * V * k * (L + 1) * 8 + V * V * R * 8 + graphBytes(V, maxLag),
      // forward + backward ≈ 3 passes per epoch; PIVM: up to V candidates per target, one forward each
      flops: params.epochs * 6 * macs + 2 * V * macs,
    };
  },
  samplesNeeded({ V, maxLag }) {
    return { min: maxLag + 10, comfortable: comfortableRows(V, maxLag), why: "10 steps beyond maxLag to train and permute on" };
  },
  // a kernel sees R = receptiveField(k, c, L) steps: lags 1..R of a series' own past, and with
  // `instantaneous` (other series enter at lag 0) lags 0..R-1 of the others: lags beyond score 0
  reach(params) {
    const R = receptiveField(params.kernelSize, params.dilation, params.hiddenLayers);
    return { maxLag: params.instantaneous ? R - 1 : R };
  },
  async run({ series, maxLag, seed, params, threshold, backend, signal, onProgress, deadline }) {
    const engine = params.engine === "auto" && (backend === "webgpu" || backend === "cuda") ? "tensor" : params.engine;
    // TCDF's losses, gradients and PIVM are not scale-invariant: fit on z-scored data (mean 0, sd 1 per variable).
    const { series: z, warnings } = standardize(series);
    const r = await fitTcdf(z, { ...params, engine, seed, signal, onProgress, deadline });
    const { edges, unlisted } = tcdfEdges(r, series.variables, maxLag, threshold);
    // the graph always lists standardize's warnings, [] when every check passed
    return {
      scores: tcdfScores(r, maxLag),
      edges,
      meta: { params: { ...params, engine: r.engine }, ...tcdfMeta(r, unlisted), epochs: r.epochs, stopped: r.stopped },
      warnings,
      ...(r.stopped === "deadline" ? { cutAt: `epoch ${r.epochs} of ${params.epochs}` } : {}),
    };
  },
});
