import * as tf from "@tensorflow/tfjs-core";
import {
  buildGraph,
  createScores,
  InputError,
  progressReporter,
  resolveParams,
  Rng,
  useBackend,
  validateDiscoverInput,
  zscore,
  type CausalGraph,
  type Discoverer,
  type DiscoverOptions,
  type ParamSpec,
  type TimeSeries,
} from "@causeway/core";
import { attentionScores, CausalformerModel } from "./attention-readout.js";
import { ATTRIBUTION_RULES, gradientAttributions, normalizePerEffect, type AttributionRule } from "./gradient.js";
import { CausalTransformer } from "./model.js";
import { MODEL_DEFAULTS, TRAIN_DEFAULTS, trainPredictor, windows, type TrainHistory } from "./train.js";

/** The two read-outs of the `transformer` method. */
export const READOUTS = ["gradient", "attention"] as const;
export type Readout = (typeof READOUTS)[number];

/** Defaults of the `transformer` method (see README for the benchmark behind them). */
export const TRANSFORMER_DEFAULTS = {
  readout: "gradient" as Readout,
  ensemble: 1,
  rule: "gradxinput" as AttributionRule,
  /** 0: the window is maxLag steps. */
  window: 0,
  ...MODEL_DEFAULTS,
  decoderLayers: 1,
  ...TRAIN_DEFAULTS,
  /** Windows (evenly spaced) the read-out averages over. */
  samples: 512,
};

export const TRANSFORMER_PARAMS: ParamSpec[] = [
  { name: "readout", type: "string", default: TRANSFORMER_DEFAULTS.readout, choices: [...READOUTS], description: "gradient: gradient attribution of the decoder-only model; attention: Causalformer cross-attention" },
  { name: "ensemble", type: "integer", default: TRANSFORMER_DEFAULTS.ensemble, min: 1, max: 32, description: "models trained from seeds seed, seed+1, ...; their normalised scores are averaged" },
  { name: "rule", type: "string", default: TRANSFORMER_DEFAULTS.rule, choices: [...ATTRIBUTION_RULES], description: "gradient read-out: mean |grad x input| or mean |grad|" },
  { name: "window", type: "integer", default: TRANSFORMER_DEFAULTS.window, min: 0, max: 64, description: "input time steps (0: maxLag)" },
  { name: "dModel", type: "integer", default: TRANSFORMER_DEFAULTS.dModel, min: 4, max: 512, description: "token width" },
  { name: "heads", type: "integer", default: TRANSFORMER_DEFAULTS.heads, min: 1, max: 16, description: "attention heads (must divide dModel)" },
  { name: "layers", type: "integer", default: TRANSFORMER_DEFAULTS.layers, min: 1, max: 8, description: "transformer blocks (the attention read-out's variable-wise encoder)" },
  { name: "ffHidden", type: "integer", default: TRANSFORMER_DEFAULTS.ffHidden, min: 4, max: 2048, description: "feed-forward hidden width" },
  { name: "decoderLayers", type: "integer", default: TRANSFORMER_DEFAULTS.decoderLayers, min: 1, max: 8, description: "attention read-out: cross-attention decoder layers" },
  { name: "epochs", type: "integer", default: TRANSFORMER_DEFAULTS.epochs, min: 1, max: 10000, description: "maximum training epochs" },
  { name: "batchSize", type: "integer", default: TRANSFORMER_DEFAULTS.batchSize, min: 1, max: 4096, description: "windows per Adam step" },
  { name: "learningRate", type: "number", default: TRANSFORMER_DEFAULTS.learningRate, min: 1e-6, max: 1, description: "Adam step size" },
  { name: "patience", type: "integer", default: TRANSFORMER_DEFAULTS.patience, min: 1, max: 1000, description: "early stopping: epochs without a better held-out loss" },
  { name: "validationFraction", type: "number", default: TRANSFORMER_DEFAULTS.validationFraction, min: 0.05, max: 0.5, description: "newest fraction of the windows held out for early stopping" },
  { name: "samples", type: "integer", default: TRANSFORMER_DEFAULTS.samples, min: 1, max: 100000, description: "windows the read-out averages over (evenly spaced)" },
];

/** Options of `fitTransformer`. */
export interface FitTransformerOptions extends Partial<typeof TRANSFORMER_DEFAULTS> {
  maxLag: number;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: DiscoverOptions["onProgress"];
}

/** Result of `fitTransformer`. */
export interface TransformerFit {
  V: number;
  maxLag: number;
  /** Scores of the selected read-out `[effect, cause, lag - 1]`, normalised per effect (max 1), averaged over the ensemble. */
  scores: Float64Array;
  /** Gradient read-out only: the scores of every attribution rule (same layout). */
  byRule?: Record<AttributionRule, Float64Array>;
  histories: TrainHistory[];
}

/** `n` of `total` indices, evenly spaced. */
function spaced(total: number, n: number): Int32Array {
  if (n >= total) return Int32Array.from({ length: total }, (_, i) => i);
  return Int32Array.from({ length: n }, (_, i) => Math.floor(((i + 0.5) * total) / n));
}

/**
 * Train the `transformer` method's model(s) on the active tfjs backend and read the lagged graph
 * out: gradient attribution of a decoder-only `CausalTransformer`, or the cross-attention of a
 * `CausalformerModel`. Every ensemble member's scores are normalised per effect, then averaged.
 *
 * @example
 * await useBackend("wasm");
 * const fit = await fitTransformer(series, { maxLag: 3, readout: "gradient", seed: 0 });
 */
export async function fitTransformer(series: TimeSeries, options: FitTransformerOptions): Promise<TransformerFit> {
  const s = { ...TRANSFORMER_DEFAULTS, ...options };
  const V = series.variables.length;
  const L = s.maxLag;
  const W = s.window === 0 ? L : s.window;
  if (W < L) throw new InputError(`transformer: window (${W}) must be at least maxLag (${L})`);
  if (!READOUTS.includes(s.readout)) throw new InputError(`transformer: readout must be one of ${READOUTS.join(", ")}, got "${s.readout}"`);
  const config = { vars: V, window: W, dModel: s.dModel, heads: s.heads, layers: s.layers, ffHidden: s.ffHidden };
  const z = zscore(series).series;
  const win = windows(z.data, z.length, V, W);
  const pick = spaced(win.n, s.samples);
  const xs = new Float32Array(pick.length * W * V);
  pick.forEach((r, i) => xs.set(win.x.subarray(r * W * V, (r + 1) * W * V), i * W * V));
  const X = tf.tensor3d(xs, [pick.length, W, V]); // [samples, W, V]
  const report = progressReporter("transformer", s.onProgress);
  const members = s.ensemble;
  const scores = new Float64Array(V * V * L);
  const byRule = s.readout === "gradient" ? { gradxinput: new Float64Array(V * V * L), gradient: new Float64Array(V * V * L) } : undefined;
  const histories: TrainHistory[] = [];
  try {
    for (let m = 0; m < members; m++) {
      const rng = new Rng((s.seed ?? 0) + m);
      const onProgress = (e: { fraction: number; step?: number; total?: number; metrics?: Record<string, number> }): void =>
        report("train", (m + e.fraction * 0.9) / members, { step: e.step, total: e.total, metrics: e.metrics, message: `model ${m + 1} of ${members}` });
      const train = { epochs: s.epochs, batchSize: s.batchSize, learningRate: s.learningRate, patience: s.patience, validationFraction: s.validationFraction, seed: rng.int(2 ** 31), signal: s.signal, onProgress };
      if (s.readout === "gradient") {
        const model = new CausalTransformer(config, rng.int(2 ** 31));
        try {
          histories.push(await trainPredictor(model, W, series, train));
          report("attribute", (m + 0.9) / members);
          const raw = gradientAttributions(model, X, { maxLag: L, signal: s.signal });
          for (const rule of ATTRIBUTION_RULES) {
            const norm = normalizePerEffect(raw[rule], V, L);
            for (let i = 0; i < norm.length; i++) byRule![rule][i] += norm[i] / members;
          }
        } finally {
          model.dispose();
        }
      } else {
        const model = new CausalformerModel({ ...config, decoderLayers: s.decoderLayers }, rng.int(2 ** 31));
        try {
          histories.push(await trainPredictor(model, W, series, train));
          report("attention", (m + 0.9) / members);
          const norm = normalizePerEffect(attentionScores(model, X, L, { signal: s.signal }), V, L);
          for (let i = 0; i < norm.length; i++) scores[i] += norm[i] / members;
        } finally {
          model.dispose();
        }
      }
    }
  } finally {
    X.dispose();
  }
  report("done", 1);
  if (byRule) scores.set(byRule[s.rule]);
  return { V, maxLag: L, scores, byRule, histories };
}

/**
 * `transformer`: an autoregressive transformer trained for next-step prediction, read out by
 * gradient attribution (arXiv 2601.05647) or Causalformer cross-attention (arXiv 2311.06928).
 * Scores are per-effect normalised (the strongest cause of each effect scores 1).
 */
export const transformerMethod: Discoverer = {
  name: "transformer",
  description: "autoregressive transformer for next-step prediction; lagged graph by gradient attribution or cross-attention (Causalformer)",
  usesTensors: true,
  lagResolved: true,
  defaultThreshold: 0.3,
  params: TRANSFORMER_PARAMS,
  async discover(series: TimeSeries, options: DiscoverOptions): Promise<CausalGraph> {
    validateDiscoverInput(series, options);
    const params = resolveParams(this.params, options.params, this.name);
    const start = performance.now();
    const backend = await useBackend(options.backend ?? "auto");
    const seed = options.seed ?? 0;
    const fit = await fitTransformer(series, {
      ...(params as Partial<typeof TRANSFORMER_DEFAULTS>),
      maxLag: options.maxLag,
      seed,
      signal: options.signal,
      onProgress: options.onProgress,
    });
    const scores = createScores(fit.V, options.maxLag);
    scores.data.set(fit.scores);
    return buildGraph({
      method: this.name,
      variables: series.variables,
      scores,
      threshold: options.threshold ?? this.defaultThreshold,
      meta: {
        backend,
        seconds: (performance.now() - start) / 1000,
        seed,
        params,
        lagResolved: true,
        epochs: fit.histories.map((h) => h.epochs),
        validationLoss: fit.histories.map((h) => h.bestValidationLoss),
      },
    });
  },
};
