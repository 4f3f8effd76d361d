import {
  buildGraph,
  createScores,
  resolveParams,
  throwIfAborted,
  useBackend,
  validateDiscoverInput,
  type CausalGraph,
  type Discoverer,
  type DiscoverOptions,
  type ParamSpec,
  type TimeSeries,
} from "@causeway/core";
import { loadDefaultModel, loadModelOnce } from "./io.js";
import { predictScores } from "./infer.js";

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
  async discover(series: TimeSeries, options: DiscoverOptions): Promise<CausalGraph> {
    validateDiscoverInput(series, options);
    const params = resolveParams(PARAMS, options.params, "lcm");
    const start = performance.now();
    const backend = await useBackend(options.backend ?? "auto");
    options.onProgress?.({ method: "lcm", stage: "load", fraction: 0 });
    const model = await (params.model ? loadModelOnce(params.model as string) : loadDefaultModel());
    throwIfAborted(options.signal);
    options.onProgress?.({ method: "lcm", stage: "infer", fraction: 0.1 });
    const lag = Math.min(options.maxLag, model.arch.maxLag);
    const { scores: partial, info } = await predictScores(model, series, {
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
    });
  },
};
