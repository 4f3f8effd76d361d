import * as tf from "@tensorflow/tfjs-core";
import {
  comfortableRows,
  createScores,
  defineMethod,
  graphBytes,
  InputError,
  param,
  paramSpecs,
  scaleWarnings,
  progressReporter,
  Rng,
  seriesBytes,
  throwIfAborted,
  validTargetRows,
  zscore,
  type Discoverer,
  type DiscoverOptions,
  type ParamSpec,
  type ProgressCallback,
  type ProgressEvent,
  type TimeSeries,
} from "@causeway/core";
import { attentionScores, CausalformerModel } from "./attention-readout.js";
import { ATTRIBUTION_RULES, gradientAttributions, normalizePerEffect, type AttributionRule } from "./gradient.js";
import { leastSquaresHighway, linearResidualSd } from "./highway.js";
import { CausalTransformer } from "./model.js";
import { MODEL_DEFAULTS, TRAIN_DEFAULTS, trainPredictor, windows, type TrainHistory } from "./train.js";

/** The two read-outs of the `transformer` method. */
export const READOUTS = ["gradient", "attention"] as const;
export type Readout = (typeof READOUTS)[number];

/** Linear highways of the gradient read-out's model (see `TransformerConfig.highway`). */
export const HIGHWAYS = ["none", "ols", "learnt"] as const;
export type Highway = (typeof HIGHWAYS)[number];

/** The `transformer` method's params (see `TRANSFORMER_PARAMS` for their meaning). */
export interface TransformerParams {
  readout: Readout;
  ensemble: number;
  rule: AttributionRule;
  /** Input time steps; 0: maxLag. */
  window: number;
  dModel: number;
  heads: number;
  layers: number;
  ffHidden: number;
  highway: Highway;
  decoderLayers: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  validationFraction: number;
  patience: number;
  inputNoise: number;
  /** Input noise at most the one-step residual sd of a least-squares linear autoregression (see README). */
  adaptiveNoise: boolean;
  /** Early stopping on the held-out windows (false: every epoch runs; the best epoch's weights are still kept). */
  earlyStop: boolean;
  /** Windows (evenly spaced) the read-out averages over. */
  samples: number;
}

/** Defaults of the `transformer` method (see README for the benchmark behind them). */
export const TRANSFORMER_DEFAULTS: TransformerParams = {
  readout: "gradient",
  ensemble: 1,
  rule: "gradxinput",
  window: 0,
  ...MODEL_DEFAULTS,
  highway: "none",
  decoderLayers: 1,
  ...TRAIN_DEFAULTS,
  epochs: 60,
  patience: 15,
  inputNoise: 0.2,
  adaptiveNoise: true,
  earlyStop: true,
  samples: 1024,
};

export const TRANSFORMER_PARAM_DECLS = {
  readout: param.choice(READOUTS, { default: TRANSFORMER_DEFAULTS.readout, description: "gradient: gradient attribution of the decoder-only model (lagged scores); attention: Causalformer cross-attention (summary scores)" }),
  ensemble: param.integer({ default: TRANSFORMER_DEFAULTS.ensemble, min: 1, max: 32, description: "models trained from seeds seed, seed+1, ...; their per-effect normalised scores are averaged" }),
  rule: param.choice(ATTRIBUTION_RULES, { default: TRANSFORMER_DEFAULTS.rule, description: "gradient read-out: mean |grad x input|, mean |grad|, or LRP (grad x input with attention, LayerNorm and GELU gates held constant)" }),
  window: param.integer({ default: TRANSFORMER_DEFAULTS.window, min: 0, max: 64, description: "input time steps (0: maxLag; otherwise at least maxLag)" }),
  dModel: param.integer({ default: TRANSFORMER_DEFAULTS.dModel, min: 4, max: 512, description: "token width" }),
  heads: param.integer({ default: TRANSFORMER_DEFAULTS.heads, min: 1, max: 16, description: "attention heads (must divide dModel)" }),
  layers: param.integer({ default: TRANSFORMER_DEFAULTS.layers, min: 1, max: 8, description: "transformer blocks (with the attention read-out: of its variable-wise encoder)" }),
  ffHidden: param.integer({ default: TRANSFORMER_DEFAULTS.ffHidden, min: 4, max: 2048, description: "feed-forward hidden width" }),
  highway: param.choice(HIGHWAYS, { default: TRANSFORMER_DEFAULTS.highway, description: "gradient read-out: a linear autoregression of the window added to the prediction, fitted by least squares first (ols) or trained with the rest (learnt); the transformer models what it misses" }),
  decoderLayers: param.integer({ default: TRANSFORMER_DEFAULTS.decoderLayers, min: 1, max: 8, description: "attention read-out: cross-attention decoder layers" }),
  epochs: param.integer({ default: TRANSFORMER_DEFAULTS.epochs, min: 1, max: 10000, description: "maximum training epochs" }),
  batchSize: param.integer({ default: TRANSFORMER_DEFAULTS.batchSize, min: 1, max: 4096, description: "windows per Adam step" }),
  learningRate: param.number({ default: TRANSFORMER_DEFAULTS.learningRate, min: 1e-6, max: 1, description: "Adam step size" }),
  patience: param.integer({ default: TRANSFORMER_DEFAULTS.patience, min: 1, max: 1000, description: "early stopping: epochs without a better held-out loss" }),
  validationFraction: param.number({ default: TRANSFORMER_DEFAULTS.validationFraction, min: 0.05, max: 0.5, description: "newest fraction of the windows held out for early stopping" }),
  inputNoise: param.number({ default: TRANSFORMER_DEFAULTS.inputNoise, min: 0, max: 10, description: "sd of Gaussian noise on the z-scored training inputs (damps sensitivity to unneeded inputs)" }),
  adaptiveNoise: param.boolean({ default: TRANSFORMER_DEFAULTS.adaptiveNoise, description: "lower the input noise to the one-step residual sd of a least-squares linear autoregression when that is smaller (near-deterministic series: oscillators, smooth flows)" }),
  earlyStop: param.boolean({ default: TRANSFORMER_DEFAULTS.earlyStop, description: "early stopping on the held-out windows (false: every epoch runs, the best one's weights kept)" }),
  samples: param.integer({ default: TRANSFORMER_DEFAULTS.samples, min: 1, max: 100000, description: "windows the read-out averages over (evenly spaced)" }),
};

/** The same params as `ParamSpec`s (CLI flags and server schemas). */
export const TRANSFORMER_PARAMS: ParamSpec[] = paramSpecs(TRANSFORMER_PARAM_DECLS);

/** Options of `fitTransformer`. */
export interface FitTransformerOptions extends Partial<TransformerParams> {
  maxLag: number;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: DiscoverOptions["onProgress"];
  /** Gradient read-out: also score these rules (from the same models) into `byRule`. */
  rules?: readonly AttributionRule[];
  /** A seconds budget's deadline: each model's training stops at it. */
  deadline?: { expired(): boolean };
}

/** Result of `fitTransformer`. */
export interface TransformerFit {
  V: number;
  maxLag: number;
  /** Scores of the selected read-out `[effect, cause, lag - 1]`, normalised per effect (max 1), averaged over the ensemble. */
  scores: Float64Array;
  /** False for the attention read-out: its summary score is repeated at every lag. */
  lagResolved: boolean;
  /** Gradient read-out: the scores of the selected rule and of every rule in `options.rules` (same layout and normalisation). */
  byRule?: Partial<Record<AttributionRule, Float64Array>>;
  histories: TrainHistory[];
  /** The input noise sd the models were trained with (`inputNoise`, lowered by `adaptiveNoise`). */
  inputNoise: number;
}

/**
 * Progress for one fit: every change of stage is reported, repeated events of a stage are rate
 * limited (`progressReporter`), so a short stage is never dropped.
 */
function stagedReporter(cb: ProgressCallback | undefined): (stage: string, fraction: number, extra?: Omit<ProgressEvent, "method" | "stage" | "fraction">) => void {
  const limited = progressReporter("transformer", cb);
  let last = "";
  return (stage, fraction, extra = {}) => {
    if (!cb) return;
    if (stage === last) return limited(stage, fraction, extra);
    last = stage;
    cb({ method: "transformer", stage, fraction: Math.min(1, Math.max(0, fraction)), ...extra });
  };
}

/** `n` of `total` indices, evenly spaced. */
function spaced(total: number, n: number): Int32Array {
  if (n >= total) return Int32Array.from({ length: total }, (_, i) => i);
  return Int32Array.from({ length: n }, (_, i) => Math.floor(((i + 0.5) * total) / n));
}

/** Integer option check (the Discoverer validates its params; this guards direct callers). */
function checkInt(name: string, x: number, min: number): void {
  if (!Number.isInteger(x) || x < min) throw new InputError(`transformer: ${name} must be an integer >= ${min}, got ${x}`);
}

/**
 * Summary scores `[effect, cause]` from lagged ones: each cause's scores summed over its lags,
 * then repeated at every lag (formats.md: a summary-only method repeats its summary score).
 */
function summaryRepeated(scores: Float64Array, V: number, L: number): Float64Array {
  const out = new Float64Array(scores.length);
  for (let p = 0; p < V * V; p++) {
    let s = 0;
    for (let l = 0; l < L; l++) s += scores[p * L + l];
    out.fill(s, p * L, (p + 1) * L);
  }
  return out;
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
  checkInt("maxLag", L, 1);
  checkInt("window", s.window, 0);
  checkInt("ensemble", s.ensemble, 1);
  checkInt("samples", s.samples, 1);
  const W = s.window === 0 ? L : s.window;
  if (W < L) throw new InputError(`transformer: window (${W}) must be at least maxLag (${L})`);
  if (!READOUTS.includes(s.readout)) throw new InputError(`transformer: readout must be one of ${READOUTS.join(", ")}, got "${s.readout}"`);
  const rules = [...new Set([s.rule, ...(s.rules ?? [])])];
  for (const r of rules) if (!ATTRIBUTION_RULES.includes(r)) throw new InputError(`transformer: rule must be one of ${ATTRIBUTION_RULES.join(", ")}, got "${r}"`);
  if (!HIGHWAYS.includes(s.highway)) throw new InputError(`transformer: highway must be one of ${HIGHWAYS.join(", ")}, got "${s.highway}"`);
  const highway = s.readout === "gradient" ? s.highway : "none";
  const config = { vars: V, window: W, dModel: s.dModel, heads: s.heads, layers: s.layers, ffHidden: s.ffHidden, highway: highway === "ols" ? "fixed" : highway } as const;
  const z = zscore(series).series;
  const win = windows(z.data, z.length, V, W, validTargetRows(series, W));
  // the least-squares highway sees the training windows only (trainPredictor holds out the newest ones)
  const nTrain = win.n - (s.validationFraction > 0 ? Math.max(1, Math.round(win.n * s.validationFraction)) : 0);
  const ols = highway === "ols" && nTrain > 0 ? leastSquaresHighway(win.x, win.y, nTrain, W * V, V) : null;
  // input noise no larger than the innovations a linear autoregression leaves (NaN: too few windows to tell)
  const residualSd = s.adaptiveNoise && s.inputNoise > 0 && nTrain > 0 ? linearResidualSd(win.x, win.y, nTrain, W * V, V) : NaN;
  const inputNoise = Number.isFinite(residualSd) ? Math.min(s.inputNoise, residualSd) : s.inputNoise;
  const pick = spaced(win.n, s.samples);
  const xs = new Float32Array(pick.length * W * V);
  pick.forEach((r, i) => xs.set(win.x.subarray(r * W * V, (r + 1) * W * V), i * W * V));
  const report = stagedReporter(s.onProgress);
  const members = s.ensemble;
  const byRule: Partial<Record<AttributionRule, Float64Array>> = {};
  const attention = new Float64Array(V * V * L);
  const histories: TrainHistory[] = [];
  const X = tf.tensor3d(xs, [pick.length, W, V]); // [samples, W, V]
  try {
    for (let m = 0; m < members; m++) {
      throwIfAborted(s.signal);
      const rng = new Rng((s.seed ?? 0) + m);
      const message = `model ${m + 1} of ${members}`;
      // training is 90% of each member's share of the progress bar, the read-out the rest
      const onProgress = (e: ProgressEvent): void => report("train", (m + e.fraction * 0.9) / members, { step: e.step, total: e.total, metrics: e.metrics, message });
      const train = { epochs: s.epochs, batchSize: s.batchSize, learningRate: s.learningRate, patience: s.earlyStop ? s.patience : s.epochs, validationFraction: s.validationFraction, inputNoise, seed: rng.int(2 ** 31), signal: s.signal, deadline: s.deadline, onProgress };
      if (s.readout === "gradient") {
        const model = new CausalTransformer(config, rng.int(2 ** 31));
        try {
          if (ols) model.setHighway(ols);
          histories.push(await trainPredictor(model, W, series, train));
          report("attribute", (m + 0.9) / members, { message });
          const raw = gradientAttributions(model, X, { maxLag: L, rules, signal: s.signal });
          for (const rule of rules) {
            const norm = normalizePerEffect(raw[rule], V, L);
            const acc = (byRule[rule] ??= new Float64Array(V * V * L));
            for (let i = 0; i < norm.length; i++) acc[i] += norm[i] / members;
          }
        } finally {
          model.dispose();
        }
      } else {
        const model = new CausalformerModel({ ...config, decoderLayers: s.decoderLayers }, rng.int(2 ** 31));
        try {
          histories.push(await trainPredictor(model, W, series, train));
          report("attention", (m + 0.9) / members, { message });
          const norm = normalizePerEffect(summaryRepeated(attentionScores(model, X, L, { signal: s.signal }), V, L), V, L);
          for (let i = 0; i < norm.length; i++) attention[i] += norm[i] / members;
        } finally {
          model.dispose();
        }
      }
    }
  } finally {
    X.dispose();
  }
  report("done", 1);
  if (s.readout === "gradient") return { V, maxLag: L, scores: byRule[s.rule]!, lagResolved: true, byRule, histories, inputNoise };
  return { V, maxLag: L, scores: attention, lagResolved: false, histories, inputNoise };
}

/**
 * `transformer`: an autoregressive transformer trained for next-step prediction, read out by
 * gradient attribution (arXiv 2601.05647) or Causalformer cross-attention (arXiv 2311.06928).
 * Scores are per-effect normalised (the strongest cause of each effect scores 1).
 */
export const transformerMethod: Discoverer = defineMethod({
  name: "transformer",
  description: "autoregressive transformer for next-step prediction; lagged graph by gradient attribution or cross-attention (Causalformer)",
  usesTensors: true,
  lagResolved: true,
  supports: { segments: true, mask: true },
  defaultThreshold: 0.3,
  params: TRANSFORMER_PARAM_DECLS,
  budgets: { fast: { epochs: 12, patience: 3 }, thorough: { epochs: 150, patience: 15 } },
  estimate({ T, V, maxLag }, p) {
    const W = p.window === 0 ? maxLag : Math.max(p.window, maxLag);
    const n = W * V; // tokens per window
    const d = p.dModel;
    const layers = p.layers + (p.readout === "attention" ? p.decoderLayers : 0);
    const forward = layers * (n * (4 * d * d + 2 * d * p.ffHidden) + 2 * n * n * d); // multiply-adds of one window
    const nWindows = Math.max(0, T - W);
    const batch = Math.min(p.batchSize, Math.max(1, nWindows));
    const samples = Math.min(p.samples, Math.max(1, nWindows));
    return {
      // windows (Float64 and float32), attention maps and activations of a batch kept for backprop, read-out inputs, graph
      bytes:
        seriesBytes(T, V) + nWindows * (n + V) * 12 + 3 * layers * batch * (p.heads * n * n + n * (8 * d + p.ffHidden)) * 4 + samples * n * 4 + graphBytes(V, maxLag),
      // training: forward + backward on every window per epoch; read-out: a backward pass per effect on each sample
      flops: p.ensemble * 2 * forward * (3 * p.epochs * nWindows + 3 * V * samples),
    };
  },
  samplesNeeded({ V, maxLag }, params) {
    const W = params.window === 0 ? maxLag : Math.max(params.window, maxLag);
    return { min: W + 10, comfortable: comfortableRows(V, maxLag, W), why: `10 training windows of ${W} steps` };
  },
  async run({ series, maxLag, seed, params, signal, onProgress, warnings, deadline }) {
    // the fit z-scores its input (robust to any finite magnitude); scaleWarnings says where magnitudes were extreme
    warnings.push(...scaleWarnings(series));
    const fit = await fitTransformer(series, { ...params, maxLag, seed, signal, onProgress, deadline });
    const scores = createScores(fit.V, maxLag); // [V, V, maxLag]
    scores.data.set(fit.scores);
    const meta = { lagResolved: fit.lagResolved, epochs: fit.histories.map((h) => h.epochs), validationLoss: fit.histories.map((h) => h.bestValidationLoss), inputNoise: fit.inputNoise };
    const cut = fit.histories.findIndex((h) => h.stopped === "deadline");
    return { scores, meta, ...(cut >= 0 ? { cutAt: `model ${cut + 1} of ${params.ensemble} at epoch ${fit.histories[cut].epochs} of ${params.epochs}` } : {}) };
  },
});
