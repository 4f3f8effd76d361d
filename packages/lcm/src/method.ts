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
} from "@causeway/core";
import { loadDefaultModel, loadModelOnce } from "./io.js";
import { forwardPasses, predictScores } from "./infer.js";
import { DEFAULT_ARCHITECTURE } from "./config.js";

const PARAMS = {
  model: param.string({ default: "", description: "model.json path or URL (empty: the shipped lcm-v12-l3 model)" }),
  tta: param.integer({ default: 0, min: 0, max: 64, description: "test-time augmentation: extra random variable orders averaged (0 = off)" }),
  windows: param.integer({ default: 1, min: 1, max: 64, description: "encoder windows of lMax steps averaged on long series (1 = the last lMax steps)" }),
};

/**
 * Method `lcm`: zero-shot edge probabilities from a pretrained Large Causal Model
 * (Kougioulis et al. 2026), one batched forward pass per variable subset. Lags beyond the
 * model's maxLag score 0 and are not evidence: its `reach` says so (`lag_beyond_reach`).
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
  samplesNeeded({ V, maxLag }) {
    // the encoder reads lMax steps (a shorter series is padded); its correlation features need samples per lag
    const lag = Math.min(maxLag, DEFAULT_ARCHITECTURE.maxLag);
    return { min: lag + 10, comfortable: Math.max(DEFAULT_ARCHITECTURE.lMax, comfortableRows(V, lag)), why: "10 steps beyond the model's lags for its correlation features" };
  },
  // the shipped model scores lags 1..3 (any number of variables: larger sets run in subsets of vMax);
  // a model given by path is known only once loaded, so run warns for it
  reach: (params) => (params.model === "" ? { maxLag: DEFAULT_ARCHITECTURE.maxLag } : {}),
  async run({ series, maxLag, seed, params, signal, onProgress, warnings }) {
    // the model min-max normalises each variable (scale-invariant); the exact power-of-two rescaling
    // below keeps max - min finite near 1e308; scaleWarnings says where magnitudes were extreme
    warnings.push(...scaleWarnings(series));
    onProgress?.({ method: "lcm", stage: "load", fraction: 0 });
    const model = await (params.model ? loadModelOnce(params.model) : loadDefaultModel());
    throwIfAborted(signal);
    onProgress?.({ method: "lcm", stage: "infer", fraction: 0.1 });
    const lag = Math.min(maxLag, model.arch.maxLag);
    if (params.model && maxLag > lag)
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
    return { scores, meta: { params: { ...params, passes: info.passes, subsets: info.subsets, ...arch }, probabilities: true } };
  },
});
