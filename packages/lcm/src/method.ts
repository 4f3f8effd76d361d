import {
  buildGraph,
  comfortableRows,
  createScores,
  graphBytes,
  powerOfTwoRescale,
  prepareRun,
  scaleWarnings,
  seriesBytes,
  throwIfAborted,
  useBackend,
  type CausalGraph,
  type Discoverer,
  type DiscoverOptions,
  type ParamSpec,
  type TimeSeries,
} from "@causeway/core";
import { loadDefaultModel, loadModelOnce } from "./io.js";
import { forwardPasses, predictScores } from "./infer.js";
import { DEFAULT_ARCHITECTURE } from "./config.js";

const PARAMS: ParamSpec[] = [
  { name: "model", type: "string", default: "", description: "model.json path or URL (empty: the shipped lcm-v12-l3 model)" },
  { name: "tta", type: "integer", default: 0, min: 0, max: 64, description: "test-time augmentation: extra random variable orders averaged (0 = off)" },
  { name: "windows", type: "integer", default: 1, min: 1, max: 64, description: "encoder windows of lMax steps averaged on long series (1 = the last lMax steps)" },
];

/**
 * Method `lcm`: zero-shot edge probabilities from a pretrained Large Causal Model
 * (Kougioulis et al. 2026), one batched forward pass per variable subset. Lags beyond the
 * model's maxLag score 0.
 */
export const lcmMethod: Discoverer = {
  name: "lcm",
  description: "pretrained Large Causal Model: zero-shot lagged edge probabilities in one forward pass (Kougioulis et al. 2026)",
  usesTensors: true,
  lagResolved: true,
  defaultThreshold: 0.5,
  params: PARAMS,
  // Estimates use the shipped model's architecture (a model given by path is known only once loaded).
  estimate({ T, V, maxLag }, params) {
    const { vMax, lMax, maxLag: K, dModel: d, layers, dFf, headHidden } = DEFAULT_ARCHITECTURE;
    const passes = forwardPasses(V, vMax, Number(params.windows), Number(params.tta));
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
  async discover(series: TimeSeries, options: DiscoverOptions): Promise<CausalGraph> {
    const { params, warnings: runWarnings } = prepareRun(this, series, options);
    // the model min-max normalises each variable (scale-invariant); the exact power-of-two rescaling
    // below keeps max - min finite near 1e308; scaleWarnings says where magnitudes were extreme
    const warnings = [...runWarnings, ...scaleWarnings(series)];
    const start = performance.now();
    const backend = await useBackend(options.backend ?? "auto");
    options.onProgress?.({ method: "lcm", stage: "load", fraction: 0 });
    const model = await (params.model ? loadModelOnce(params.model as string) : loadDefaultModel());
    throwIfAborted(options.signal);
    options.onProgress?.({ method: "lcm", stage: "infer", fraction: 0.1 });
    const lag = Math.min(options.maxLag, model.arch.maxLag);
    const { scores: partial, info } = await predictScores(model, powerOfTwoRescale(series).series, {
      maxLag: lag,
      tta: params.tta as number,
      windows: params.windows as number,
      seed: options.seed ?? 0,
    });
    // Same tensor at the requested maxLag: lags the model does not score stay 0.
    const V = series.variables.length;
    const scores = createScores(V, options.maxLag);
    for (let e = 0; e < V; e++) {
      for (let c = 0; c < V; c++) {
        for (let l = 0; l < lag; l++) scores.data[(e * V + c) * options.maxLag + l] = partial.data[(e * V + c) * lag + l];
      }
    }
    options.onProgress?.({ method: "lcm", stage: "infer", fraction: 1 });
    return buildGraph({
      method: "lcm",
      variables: series.variables,
      scores,
      threshold: options.threshold ?? this.defaultThreshold,
      meta: {
        backend,
        seconds: (performance.now() - start) / 1000,
        seed: options.seed ?? 0,
        params: { ...params, passes: info.passes, subsets: info.subsets, modelMaxLag: model.arch.maxLag, vMax: model.arch.vMax, lMax: model.arch.lMax },
        lagResolved: true,
        probabilities: true,
      },
      ...(warnings.length > 0 ? { warnings } : {}),
    });
  },
};
