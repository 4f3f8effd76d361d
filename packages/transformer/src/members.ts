/**
 * One ensemble member of the `transformer` method: the data it trains on (prepared once per run)
 * and the member's training and read-out. `fitTransformer` runs the members here one after
 * another, or hands them, with the prepared data, to a `StageExecutor` (worker threads, one tfjs
 * backend each) as the method's `member` stage; either way every member's scores are the same
 * numbers, and the average is taken in member order, so a split run gives the serial run's graph.
 */
import * as tf from "@tensorflow/tfjs-core";
import { InputError, Rng, validTargetRows, zscore, type ProgressEvent, type TimeSeries } from "@causeway/core";
import { attentionScores, CausalformerModel } from "./attention-readout.js";
import { gradientAttributions, normalizeGlobal, normalizePerEffect, type AttributionRule } from "./gradient.js";
import { leastSquaresHighway, linearResidualSd, ridgeHighway } from "./highway.js";
import { CausalTransformer, type TransformerConfig } from "./model.js";
import { trainPredictor, windows, type TrainHistory } from "./train.js";
import type { TransformerParams } from "./discover.js";

/** The settings one member needs: the method's params after defaults (one rule list instead of `rule`, no `ensemble`), as plain data. */
export type MemberSettings = Omit<TransformerParams, "ensemble" | "rule"> & { rules: AttributionRule[]; maxLag: number; seed: number };

/** What every member trains on and reads out from, computed once from the series. */
export interface PreparedData {
  V: number;
  /** Input time steps. */
  W: number;
  config: TransformerConfig;
  /** Fixed highway weights `[W * V, V]` (`highway: "ols"` least squares, `"ridge"` GCV ridge), else null. */
  highwayWeights: Float64Array | null;
  /** The input noise sd actually used (`inputNoise`, lowered by `adaptiveNoise`). */
  inputNoise: number;
  /** Read-out windows, evenly spaced: `[samples, W, V]` row-major. */
  xs: Float32Array;
  samples: number;
}

/** One member's result: its normalised scores and its training history. */
export interface MemberResult {
  /** Gradient read-out: `[effect, cause, lag - 1]` per rule, normalised as `normalise` says. */
  byRule?: Partial<Record<AttributionRule, Float64Array>>;
  /** Attention read-out: summary scores repeated at every lag, normalised per effect. */
  attention?: Float64Array;
  history: TrainHistory;
}

/** `n` of `total` indices, evenly spaced. */
function spaced(total: number, n: number): Int32Array {
  if (n >= total) return Int32Array.from({ length: total }, (_, i) => i);
  return Int32Array.from({ length: n }, (_, i) => Math.floor(((i + 0.5) * total) / n));
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

/** z-scores the series, cuts its windows, fits the least-squares pieces (highway, adaptive noise) on the training windows. */
export function prepareData(series: TimeSeries, s: MemberSettings): PreparedData {
  const V = series.variables.length;
  const W = s.window === 0 ? s.maxLag : s.window;
  if (W < s.maxLag) throw new InputError(`transformer: window (${W}) must be at least maxLag (${s.maxLag})`);
  const highway = s.readout === "gradient" ? s.highway : "none";
  const config: TransformerConfig = { vars: V, window: W, dModel: s.dModel, heads: s.heads, layers: s.layers, ffHidden: s.ffHidden, highway: highway === "ols" || highway === "ridge" ? "fixed" : highway };
  const z = zscore(series).series;
  const win = windows(z.data, z.length, V, W, validTargetRows(series, W));
  // the least-squares pieces see the training windows only (trainPredictor holds out the newest ones)
  const nTrain = win.n - (s.validationFraction > 0 ? Math.max(1, Math.round(win.n * s.validationFraction)) : 0);
  const ols = nTrain > 0 && highway === "ols" ? leastSquaresHighway(win.x, win.y, nTrain, W * V, V) : null;
  const highwayWeights = ols ?? (nTrain > 0 && highway === "ridge" ? ridgeHighway(win.x, win.y, nTrain, W * V, V).weights : null);
  // input noise no larger than the innovations a linear autoregression leaves (NaN: too few windows to tell); an ols highway is that regression
  const residualSd = s.adaptiveNoise && s.inputNoise > 0 && nTrain > 0 ? linearResidualSd(win.x, win.y, nTrain, W * V, V, ols ?? undefined) : NaN;
  const inputNoise = Number.isFinite(residualSd) ? Math.min(s.inputNoise, residualSd) : s.inputNoise;
  const pick = spaced(win.n, s.samples);
  const xs = new Float32Array(pick.length * W * V);
  pick.forEach((r, i) => xs.set(win.x.subarray(r * W * V, (r + 1) * W * V), i * W * V));
  return { V, W, config, highwayWeights, inputNoise, xs, samples: pick.length };
}

/** Hooks of one member's fit in this thread (none of them crosses to a worker thread). */
export interface MemberHooks {
  signal?: AbortSignal;
  deadline?: { expired(): boolean };
  /** Training progress of this member (fraction of its training). */
  onTrain?(e: ProgressEvent): void;
  /** Called when training ends and the read-out starts. */
  onReadout?(): void;
}

/** Trains member `m` (seeded `seed + m`) on the active tfjs backend and reads its scores out. */
export async function fitMember(series: TimeSeries, s: MemberSettings, data: PreparedData, m: number, hooks: MemberHooks = {}): Promise<MemberResult> {
  const { V, W } = data;
  const L = s.maxLag;
  const rng = new Rng(s.seed + m);
  const train = {
    epochs: s.epochs,
    batchSize: s.batchSize,
    learningRate: s.learningRate,
    patience: s.earlyStop ? s.patience : s.epochs,
    validationFraction: s.validationFraction,
    inputNoise: data.inputNoise,
    seed: rng.int(2 ** 31),
    signal: hooks.signal,
    deadline: hooks.deadline,
    onProgress: hooks.onTrain,
  };
  const X = tf.tensor3d(data.xs, [data.samples, W, V]); // [samples, W, V]
  try {
    if (s.readout === "gradient") {
      const model = new CausalTransformer(data.config, rng.int(2 ** 31));
      try {
        if (data.highwayWeights) model.setHighway(data.highwayWeights);
        const history = await trainPredictor(model, W, series, train);
        hooks.onReadout?.();
        const raw = gradientAttributions(model, X, { maxLag: L, rules: s.rules, signal: hooks.signal });
        const byRule: Partial<Record<AttributionRule, Float64Array>> = {};
        for (const rule of s.rules) byRule[rule] = s.normalise === "effect" ? normalizePerEffect(raw[rule], V, L) : normalizeGlobal(raw[rule]);
        return { byRule, history };
      } finally {
        model.dispose();
      }
    }
    const model = new CausalformerModel({ ...data.config, decoderLayers: s.decoderLayers }, rng.int(2 ** 31));
    try {
      const history = await trainPredictor(model, W, series, train);
      hooks.onReadout?.();
      const attention = normalizePerEffect(summaryRepeated(attentionScores(model, X, L, { signal: hooks.signal }), V, L), V, L);
      return { attention, history };
    } finally {
      model.dispose();
    }
  } finally {
    X.dispose();
  }
}

/**
 * Payload of the `member` stage: the settings, the data `prepareData` made once in the calling
 * thread (plain typed arrays), which member, and a seconds budget's absolute deadline (`Date.now()` ms, or null).
 */
export interface MemberPayload {
  settings: MemberSettings;
  data: PreparedData;
  member: number;
  deadlineAt: number | null;
}

/** The `member` stage (on a worker thread whose tfjs backend is active): fits one member on the prepared data. */
export async function memberStage(series: TimeSeries, payload: unknown): Promise<MemberResult> {
  const { settings, data, member, deadlineAt } = payload as MemberPayload;
  const deadline = deadlineAt === null ? undefined : { expired: () => Date.now() >= deadlineAt };
  return fitMember(series, settings, data, member, { deadline });
}
