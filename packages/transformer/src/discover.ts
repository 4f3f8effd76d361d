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
  seriesBytes,
  throwIfAborted,
  type Discoverer,
  type DiscoverOptions,
  type ParamSpec,
  type ProgressCallback,
  type ProgressEvent,
  type StageExecutor,
  type TimeSeries,
} from "@causeway/core";
import { ATTRIBUTION_RULES, NORMALISATIONS, type AttributionRule, type Normalisation } from "./gradient.js";
import { fitMember, memberStage, prepareData, type MemberPayload, type MemberResult, type MemberSettings } from "./members.js";
import { MODEL_DEFAULTS, TRAIN_DEFAULTS, type TrainHistory } from "./train.js";

/** The two read-outs of the `transformer` method. */
export const READOUTS = ["gradient", "attention"] as const;
export type Readout = (typeof READOUTS)[number];

/** Linear highways of the gradient read-out's model (see `TransformerConfig.highway`). */
export const HIGHWAYS = ["none", "ols", "ridge", "learnt"] as const;
export type Highway = (typeof HIGHWAYS)[number];

/** The `transformer` method's params (see `TRANSFORMER_PARAMS` for their meaning). */
export interface TransformerParams {
  readout: Readout;
  ensemble: number;
  rule: AttributionRule;
  /** Gradient read-out: scores divided by the largest of all (`global`) or of each effect (`effect`). */
  normalise: Normalisation;
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
  normalise: "global",
  window: 0,
  ...MODEL_DEFAULTS,
  highway: "learnt",
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
  ensemble: param.integer({ default: TRANSFORMER_DEFAULTS.ensemble, min: 1, max: 32, description: "models trained from seeds seed, seed+1, ...; their normalised scores are averaged" }),
  rule: param.choice(ATTRIBUTION_RULES, { default: TRANSFORMER_DEFAULTS.rule, description: "gradient read-out: mean |grad x input|, mean |grad|, root mean squared grad (energy), LRP (grad x input with attention, LayerNorm and GELU gates held constant), or net (grad x input whose lag terms of one cause may cancel, shared over its lags)" }),
  normalise: param.choice(NORMALISATIONS, { default: TRANSFORMER_DEFAULTS.normalise, description: "gradient read-out: divide the scores (in units of each effect's z-scored prediction) by the largest of all, so effects stay comparable (global), or by each effect's largest, so every effect's strongest cause scores 1 (effect)" }),
  window: param.integer({ default: TRANSFORMER_DEFAULTS.window, min: 0, max: 64, description: "input time steps (0: maxLag; otherwise at least maxLag)" }),
  dModel: param.integer({ default: TRANSFORMER_DEFAULTS.dModel, min: 4, max: 512, description: "token width" }),
  heads: param.integer({ default: TRANSFORMER_DEFAULTS.heads, min: 1, max: 16, description: "attention heads (must divide dModel)" }),
  layers: param.integer({ default: TRANSFORMER_DEFAULTS.layers, min: 1, max: 8, description: "transformer blocks (with the attention read-out: of its variable-wise encoder)" }),
  ffHidden: param.integer({ default: TRANSFORMER_DEFAULTS.ffHidden, min: 4, max: 2048, description: "feed-forward hidden width" }),
  highway: param.choice(HIGHWAYS, { default: TRANSFORMER_DEFAULTS.highway, description: "gradient read-out: a linear autoregression of the window added to the prediction, fitted first by least squares (ols) or by ridge with each output's penalty chosen by generalised cross-validation (ridge), or trained with the rest (learnt); the transformer models what it misses" }),
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
  /** A seconds budget's deadline (`at`: its `Date.now()` ms, which threads need): each model's training stops at it. */
  deadline?: { expired(): boolean; at?: number };
  /** Runs the ensemble members on other threads (the method's `member` stage), when it has two parts or more and there are two members or more. */
  executor?: StageExecutor;
}

/** Result of `fitTransformer`. */
export interface TransformerFit {
  V: number;
  maxLag: number;
  /** Scores of the selected read-out `[effect, cause, lag - 1]`, normalised (gradient read-out: as `normalise` says; attention: per effect), averaged over the ensemble. */
  scores: Float64Array;
  /** False for the attention read-out: its summary score is repeated at every lag. */
  lagResolved: boolean;
  /** Gradient read-out: the scores of the selected rule and of every rule in `options.rules` (same layout and normalisation). */
  byRule?: Partial<Record<AttributionRule, Float64Array>>;
  histories: TrainHistory[];
  /** The input noise sd the models were trained with (`inputNoise`, lowered by `adaptiveNoise`). */
  inputNoise: number;
  /** Members trained at once on the executor's threads (1: in this thread, one after another). */
  threads: number;
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

/** Integer option check (the Discoverer validates its params; this guards direct callers). */
function checkInt(name: string, x: number, min: number): void {
  if (!Number.isInteger(x) || x < min) throw new InputError(`transformer: ${name} must be an integer >= ${min}, got ${x}`);
}

/** Choice option check (as `checkInt`, for direct callers). */
function checkChoice<T extends string>(name: string, x: T, valid: readonly T[]): void {
  if (!valid.includes(x)) throw new InputError(`transformer: ${name} must be one of ${valid.join(", ")}, got "${x}"`);
}

/**
 * Train the `transformer` method's model(s) on the active tfjs backend and read the lagged graph
 * out: gradient attribution of a decoder-only `CausalTransformer`, or the cross-attention of a
 * `CausalformerModel`. Every ensemble member's scores are normalised (`normalise`), then averaged in
 * member order. With an `executor` of two or more parts and two or more members, the members are
 * its `member` stages (worker threads, each with its own backend): the same numbers, in parallel.
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
  checkChoice("readout", s.readout, READOUTS);
  const rules = [...new Set([s.rule, ...(s.rules ?? [])])];
  for (const r of rules) checkChoice("rule", r, ATTRIBUTION_RULES);
  checkChoice("highway", s.highway, HIGHWAYS);
  checkChoice("normalise", s.normalise, NORMALISATIONS);
  // the params as plain data for the members (callbacks, signal, executor and deadline stay in this thread)
  const { ensemble: _ensemble, rule: _rule, rules: _rules, maxLag: _maxLag, seed, signal: _signal, onProgress: _onProgress, deadline: _deadline, executor: _executor, ...params } = s;
  const settings: MemberSettings = { ...params, rules, maxLag: L, seed: seed ?? 0 };
  const data = prepareData(series, settings); // checks the window and the rows here, before any thread starts
  const report = stagedReporter(s.onProgress);
  const members = s.ensemble;
  const parts = s.executor && s.executor.parallelism > 1 && members > 1 ? Math.min(s.executor.parallelism, members) : 1;
  let results: MemberResult[];
  if (parts > 1) {
    throwIfAborted(s.signal);
    report("train", 0, { message: `${members} models on ${parts} threads` });
    const payloads: MemberPayload[] = Array.from({ length: members }, (_, member) => ({ settings, data, member, deadlineAt: Number.isFinite(s.deadline?.at) ? s.deadline!.at! : null }));
    let done = 0;
    // the stages report nothing while they train: progress moves as each model comes back
    results = (await Promise.all(
      payloads.map((p) =>
        s.executor!.run("transformer", "member", series, [p]).then(([r]) => {
          done++;
          report("train", done / members, { step: done, total: members, message: `${done} of ${members} models (${parts} threads)` });
          return r as MemberResult;
        }),
      ),
    ));
    throwIfAborted(s.signal);
    if (results.some((r) => r.history.stopped === "deadline")) s.deadline?.expired(); // the deadline was hit on a thread
  } else {
    results = [];
    for (let m = 0; m < members; m++) {
      throwIfAborted(s.signal);
      const message = `model ${m + 1} of ${members}`;
      // training is 90% of each member's share of the progress bar, the read-out the rest
      const onTrain = (e: ProgressEvent): void => report("train", (m + e.fraction * 0.9) / members, { step: e.step, total: e.total, metrics: e.metrics, message });
      const onReadout = (): void => report(s.readout === "gradient" ? "attribute" : "attention", (m + 0.9) / members, { message });
      results.push(await fitMember(series, settings, data, m, { signal: s.signal, deadline: s.deadline, onTrain, onReadout }));
    }
  }
  // the ensemble average, in member order (identical whichever thread fitted a member)
  const mean = (get: (r: MemberResult) => Float64Array): Float64Array => {
    const acc = new Float64Array(V * V * L);
    for (const r of results) {
      const x = get(r);
      for (let i = 0; i < acc.length; i++) acc[i] += x[i] / members;
    }
    return acc;
  };
  const histories = results.map((r) => r.history);
  report("done", 1);
  const common = { V, maxLag: L, histories, inputNoise: data.inputNoise, threads: parts };
  if (s.readout === "gradient") {
    const byRule: Partial<Record<AttributionRule, Float64Array>> = {};
    for (const rule of rules) byRule[rule] = mean((r) => r.byRule![rule]!);
    return { ...common, scores: byRule[s.rule]!, lagResolved: true, byRule };
  }
  return { ...common, scores: mean((r) => r.attention!), lagResolved: false };
}

/**
 * `transformer`: an autoregressive transformer trained for next-step prediction, read out by
 * gradient attribution (arXiv 2601.05647) or Causalformer cross-attention (arXiv 2311.06928).
 * Gradient scores are divided by the largest of all (`normalise: "global"`, the default) or of each
 * effect (`"effect"`); attention scores per effect.
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
  // an ensemble's members as stages: `--threads n` (MethodPool) trains n of them at once, each on its thread's backend
  stages: { member: memberStage },
  async run({ series, maxLag, seed, params, signal, onProgress, warnings, deadline, executor }) {
    // the fit z-scores its input (robust to any finite magnitude); scaleWarnings says where magnitudes were extreme
    warnings.push(...scaleWarnings(series));
    const fit = await fitTransformer(series, { ...params, maxLag, seed, signal, onProgress, deadline, executor });
    const scores = createScores(fit.V, maxLag); // [V, V, maxLag]
    scores.data.set(fit.scores);
    const meta = { lagResolved: fit.lagResolved, epochs: fit.histories.map((h) => h.epochs), validationLoss: fit.histories.map((h) => h.bestValidationLoss), inputNoise: fit.inputNoise, threads: fit.threads };
    const cut = fit.histories.findIndex((h) => h.stopped === "deadline");
    return { scores, meta, ...(cut >= 0 ? { cutAt: `model ${cut + 1} of ${params.ensemble} at epoch ${fit.histories[cut].epochs} of ${params.epochs}` } : {}) };
  },
});
