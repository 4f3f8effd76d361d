import {
  comfortableRows,
  createScores,
  defineMethod,
  graphBytes,
  param,
  powerOfTwoRescale,
  scaleWarnings,
  seriesBytes,
  throwIfAborted,
  type Discoverer,
  type GraphWarning,
  type TimeSeries,
} from "@causeway/core";
import { DEFAULT_MODEL_NAME, V1_MODEL_NAME } from "./io.js";
import { forwardPasses, predictScores } from "./infer.js";
import { DEFAULT_ARCHITECTURE } from "./config.js";
import type { LcmModel } from "./model.js";
import { defaultMaxConds } from "./v2/features.js";
import { loadAnyModelOnce } from "./v2/io.js";
import { LcmV2Model, predictV2 } from "./v2/model.js";
import { DEFAULT_V2_RANGES } from "./v2/data.js";

const PARAMS = {
  model: param.string({ default: "", description: `shipped model name (${DEFAULT_MODEL_NAME}, ${V1_MODEL_NAME}) or a model.json path or URL (empty: the shipped ${DEFAULT_MODEL_NAME})` }),
  tta: param.integer({ default: 0, min: 0, max: 64, description: "test-time augmentation: extra random variable orders averaged (0 = off)" }),
  windows: param.integer({ default: 1, min: 1, max: 64, description: "v1: encoder windows of lMax steps averaged on long series (1 = the last lMax steps)" }),
  maxConds: param.integer({ default: 0, min: 0, max: 20, description: "v2: cap on PCMCI's condition sets behind the MCI features (0 = 3 up to 10 variables, then 2)" }),
};

/** True when `model` names the v1 transformer (by name; a path is known only once loaded). */
const isV1Name = (model: string): boolean => model === V1_MODEL_NAME;

/**
 * Method `lcm`: zero-shot edge probabilities from a pretrained Large Causal Model. The default,
 * LCM v2, scores every (effect, cause, lag) from injected classical statistics with one small
 * per-entry MLP (any V, any maxLag; it warns beyond what it was trained on). The v1 transformer
 * (Kougioulis et al. 2026) is `model=lcm-v12-l3`: lags beyond its maxLag score 0 (`lag_beyond_reach`).
 */
export const lcmMethod: Discoverer = defineMethod({
  name: "lcm",
  description: "pretrained Large Causal Model: zero-shot lagged edge probabilities in one forward pass (Kougioulis et al. 2026)",
  usesTensors: true,
  lagResolved: true,
  defaultThreshold: 0.5,
  params: PARAMS,
  // Estimates use the shipped model's architecture (a model given by path is known only once loaded).
  estimate({ T, V, maxLag }, params) {
    if (!isV1Name(params.model)) {
      // v2: lagged correlations, one VAR(maxLag) fit, PCMCI with capped conditions, the MLP
      const k = 1 + V * maxLag;
      const conds = params.maxConds || defaultMaxConds(V);
      const pcmci = V * V * maxLag * (T * (2 * conds + 2) ** 2) * 2;
      return { bytes: seriesBytes(T, V) * 8 + V * V * maxLag * 40 * 8 + graphBytes(V, maxLag), flops: 6 * V * V * maxLag * T + T * k * k + k ** 3 + pcmci + V * V * maxLag * 4000 };
    }
    const { vMax, lMax, maxLag: K, dModel: d, layers, dFf, headHidden } = DEFAULT_ARCHITECTURE;
    const passes = forwardPasses(V, vMax, params.windows, params.tta);
    const perPass = 2 * (vMax * lMax * layers * (4 * d * d + 2 * d * dFf + lMax * d) + vMax * vMax * K * headHidden * (2 * d + 32));
    const subsets = forwardPasses(V, vMax);
    const partial = subsets * ((vMax * K) ** 3 + T * (vMax * K) ** 2); // one VAR(K) fit per subset
    return {
      // normalised copy, cross-correlations [V, V, K], per-subset statistics, batches of 32 passes, graph
      bytes: seriesBytes(T, V) + V * V * K * 8 + subsets * vMax * vMax * K * 8 + 32 * lMax * vMax * d * 4 * layers * 4 + graphBytes(V, maxLag),
      flops: passes * perPass + 2 * V * V * K * T + partial,
    };
  },
  samplesNeeded({ V, maxLag }, params) {
    if (!isV1Name(params.model)) return { min: maxLag + 10, comfortable: Math.max(DEFAULT_V2_RANGES.minLength, comfortableRows(V, maxLag)), why: "10 steps beyond maxLag for the lagged statistics; trained on series of 100 steps or more" };
    // the encoder reads lMax steps (a shorter series is padded); its correlation features need samples per lag
    const lag = Math.min(maxLag, DEFAULT_ARCHITECTURE.maxLag);
    return { min: lag + 10, comfortable: Math.max(DEFAULT_ARCHITECTURE.lMax, comfortableRows(V, lag)), why: "10 steps beyond the model's lags for its correlation features" };
  },
  // the shipped model scores lags 1..3 (any number of variables: larger sets run in subsets of vMax);
  // a model given by path is known only once loaded, so run warns for it
  reach: (params) => (params.model === "" || params.model === DEFAULT_MODEL_NAME ? { maxLag: DEFAULT_V2_RANGES.maxLag, variables: DEFAULT_V2_RANGES.maxVars } : isV1Name(params.model) ? { maxLag: DEFAULT_ARCHITECTURE.maxLag } : {}),
  async run({ series, maxLag, seed, params, signal, onProgress, warnings }) {
    // the model min-max normalises each variable (scale-invariant); the exact power-of-two rescaling
    // below keeps max - min finite near 1e308; scaleWarnings says where magnitudes were extreme
    warnings.push(...scaleWarnings(series));
    onProgress?.({ method: "lcm", stage: "load", fraction: 0 });
    const loaded = await loadAnyModelOnce(params.model);
    throwIfAborted(signal);
    onProgress?.({ method: "lcm", stage: "infer", fraction: 0.1 });
    if (loaded instanceof LcmV2Model) return runV2(loaded, series, maxLag, params, warnings);
    const model: LcmModel = loaded;
    const lag = Math.min(maxLag, model.arch.maxLag);
    if (params.model && !isV1Name(params.model) && maxLag > lag)
      warnings.push({
        code: "lag_beyond_reach",
        message: `lcm's model ${params.model} scores lags 1..${lag}, but maxLag is ${maxLag}: scores at lags ${lag + 1}..${maxLag} are 0 and not evidence; lower maxLag to ${lag} or use a method that reaches it`,
      });
    const { scores: partial, info } = await predictScores(model, powerOfTwoRescale(series).series, { maxLag: lag, tta: params.tta, windows: params.windows, seed });
    // Same tensor at the requested maxLag: lags the model does not score stay 0.
    const V = series.variables.length;
    const scores = createScores(V, maxLag); // [V, V, maxLag]
    for (let e = 0; e < V; e++) {
      for (let c = 0; c < V; c++) {
        for (let l = 0; l < lag; l++) scores.data[(e * V + c) * maxLag + l] = partial.data[(e * V + c) * lag + l];
      }
    }
    onProgress?.({ method: "lcm", stage: "infer", fraction: 1 });
    const arch = { modelMaxLag: model.arch.maxLag, vMax: model.arch.vMax, lMax: model.arch.lMax };
    return { scores, meta: { params: { ...params, version: 1, passes: info.passes, subsets: info.subsets, ...arch }, probabilities: true } };
  },
});

/** LCM v2's run: the feature table, one MLP pass; warnings where the model was not trained. */
function runV2(model: LcmV2Model, series: TimeSeries, maxLag: number, params: { model: string; maxConds: number }, warnings: GraphWarning[]) {
  const V = series.variables.length;
  const shipped = params.model === "" || params.model === DEFAULT_MODEL_NAME;
  const { trained } = model;
  // the shipped model's reach already drives these warnings in the trust layer
  if (!shipped && maxLag > trained.maxLag)
    warnings.push({ code: "lag_beyond_reach", message: `lcm's model was trained on lags up to ${trained.maxLag}; lags ${trained.maxLag + 1}..${maxLag} are scored by extrapolation, not vouched for` });
  if (!shipped && V > trained.maxVars)
    warnings.push({ code: "too_many_variables", message: `lcm's model was trained on up to ${trained.maxVars} variables, this series has ${V}: its rank features are extrapolated` });
  const maxConds = params.maxConds || defaultMaxConds(V);
  const { scores, table } = predictV2(model, powerOfTwoRescale(series).series, maxLag, { maxConds });
  if (table.varFallback)
    warnings.push({
      code: "short_series",
      message: `the full VAR(${maxLag}) of ${V} variables needs at least ${2 * (1 + V * maxLag) + maxLag} steps (has ${series.length}); lcm's VAR t-statistics come from bivariate VARs, which do not condition on the other variables`,
    });
  return { scores, meta: { params: { ...params, model: params.model || DEFAULT_MODEL_NAME, version: 2, featureSet: model.featureSet, maxConds: model.featureSet === "full" ? maxConds : 0, varFallback: table.varFallback }, probabilities: true } };
}
