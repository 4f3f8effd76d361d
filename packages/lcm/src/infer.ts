import { InputError, Rng, createScores, type ScoreTensor, type TimeSeries } from "@causeway/core";
import { buildInput, coveringSubsets, laggedCrossCorrelation, laggedPartialCorrelation, minMaxNormalize, modelFeatures, selectBlock, selectColumns, windowStarts } from "./features.js";
import type { LcmModel } from "./model.js";

/** Options of `predictScores`. */
export interface PredictOptions {
  /** Lags to report (<= the model's maxLag). Default: the model's maxLag. */
  maxLag?: number;
  /** Test-time augmentation: extra random variable orders whose un-permuted outputs are averaged (0 = off). */
  tta?: number;
  /** Encoder windows of lMax steps averaged for series longer than lMax (1 = the last lMax steps). */
  windows?: number;
  /** Seed of the padding noise and the TTA permutations. */
  seed?: number;
  /** Forward passes per batch (memory bound). Default 32. */
  batchSize?: number;
}

/** What `predictScores` did, for `meta.params` and the cost statement. */
export interface PredictInfo {
  /** Forward passes run: subsets x windows x (1 + tta). */
  passes: number;
  subsets: number;
  windows: number;
}

/**
 * Number of forward passes `predictScores` runs for V variables:
 * `C(G, 2)` subsets with `G = ceil(V / floor(vMax / 2))` when V > vMax (1 otherwise), times the
 * windows, times `1 + tta`.
 */
export function forwardPasses(V: number, vMax: number, windows = 1, tta = 0): number {
  return coveringSubsets(V, vMax).length * windows * (1 + tta);
}

/**
 * Zero-shot lagged edge probabilities `scores[effect][cause][lag-1]` for a series.
 *
 * Series with more than vMax variables are scored on overlapping subsets that cover every pair
 * (see `coveringSubsets`); each entry averages the subsets that contain both variables. The
 * statistics always cover the whole series (the partial correlations condition on the subset's
 * variables); the encoder reads the last lMax steps (or `windows` evenly spread windows, averaged).
 * Cost: one VAR(maxLag) fit per subset plus `forwardPasses(V, vMax, windows, tta)` forward passes.
 */
export async function predictScores(model: LcmModel, series: TimeSeries, options: PredictOptions = {}): Promise<{ scores: ScoreTensor; info: PredictInfo }> {
  const { vMax, lMax, maxLag: modelLag } = model.arch;
  const maxLag = options.maxLag ?? modelLag;
  if (!Number.isInteger(maxLag) || maxLag < 1 || maxLag > modelLag) throw new InputError(`lcm: maxLag must be in 1..${modelLag} for this model, got ${maxLag}`);
  const tta = options.tta ?? 0;
  if (!Number.isInteger(tta) || tta < 0) throw new InputError(`lcm: tta must be a non-negative integer, got ${tta}`);
  const V = series.variables.length;
  const T = series.length;
  if (V < 2) throw new InputError("lcm: at least 2 variables are needed");
  if (T < modelLag + 2) throw new InputError(`lcm: the series needs at least ${modelLag + 2} steps, got ${T}`);
  const rng = new Rng(options.seed ?? 0);
  const norm = minMaxNormalize(series.data, T, V);
  const fullCorr = laggedCrossCorrelation(norm, T, V, modelLag, V); // [V, V, modelLag]
  const subsets = coveringSubsets(V, vMax);
  const starts = windowStarts(T, lMax, options.windows ?? 1);

  // Partial correlations of each subset, conditioned on its own variables: [n, n, modelLag] in subset order.
  const partial = subsets.map((subset) => (model.arch.partialCorrInjection ? laggedPartialCorrelation(selectColumns(norm, T, V, subset), T, subset.length, modelLag) : null));

  // Every forward pass: a subset, a window start and a variable order (slot i <- vars[i]; pos[i] = index of vars[i] in the subset).
  type Job = { subset: number; vars: number[]; pos: number[]; start: number };
  const jobs: Job[] = [];
  subsets.forEach((subset, si) => {
    const identity = subset.map((_, i) => i);
    for (const start of starts) {
      jobs.push({ subset: si, vars: subset, pos: identity, start });
      for (let k = 0; k < tta; k++) {
        const pos = rng.shuffle([...identity]) as number[];
        jobs.push({ subset: si, vars: pos.map((i) => subset[i]), pos, start });
      }
    }
  });
  const sum = new Float64Array(V * V * modelLag);
  const count = new Float64Array(V * V * modelLag);
  const out = model.outputSize;
  const batchSize = options.batchSize ?? 32;
  for (let s = 0; s < jobs.length; s += batchSize) {
    const chunk = jobs.slice(s, s + batchSize);
    const buffers = { x: new Float32Array(chunk.length * lMax * vMax), stats: new Float32Array(chunk.length * model.statsSize), edge: new Float32Array(chunk.length * out * model.edgeFeatureSize) };
    chunk.forEach((job, b) => {
      const n = job.vars.length;
      const p = partial[job.subset];
      const stats = {
        corr: selectBlock(fullCorr, V, job.vars, vMax, modelLag),
        pcorr: p ? selectBlock(p.pcorr, n, job.pos, vMax, modelLag) : new Float32Array(out),
        df: p?.df ?? 0,
      };
      const input = buildInput(norm, T, V, model.arch, rng, { start: job.start, order: job.vars, stats });
      const f = modelFeatures(input, n, model.arch);
      buffers.x.set(f.x, b * lMax * vMax);
      buffers.stats.set(f.stats, b * model.statsSize);
      buffers.edge.set(f.edge, b * out * model.edgeFeatureSize);
    });
    const probs = await model.predictBatch(buffers, chunk.length);
    chunk.forEach((job, b) => {
      const n = job.vars.length;
      for (let e = 0; e < n; e++) {
        for (let c = 0; c < n; c++) {
          for (let l = 0; l < modelLag; l++) {
            const k = (job.vars[e] * V + job.vars[c]) * modelLag + l;
            sum[k] += probs[b * out + (e * vMax + c) * modelLag + l];
            count[k]++;
          }
        }
      }
    });
  }
  const scores = createScores(V, maxLag);
  for (let e = 0; e < V; e++) {
    for (let c = 0; c < V; c++) {
      for (let l = 0; l < maxLag; l++) {
        const k = (e * V + c) * modelLag + l;
        scores.data[(e * V + c) * maxLag + l] = count[k] > 0 ? sum[k] / count[k] : 0;
      }
    }
  }
  return { scores, info: { passes: jobs.length, subsets: subsets.length, windows: starts.length } };
}
