import {
  resolveTargets,
  Adam,
  EarlyStopping,
  InputError,
  Rng,
  progressReporter,
  resolveTypedParams,
  throwIfAborted,
  yieldToEventLoop,
  type ProgressCallback,
  type TimeSeries,
} from "@causeway/core";
import { channelForward, channelRow, evaluateLosses, lossAndGrad, makeInputs, makeWorkspace, rowShift, usesFastPath, type NetInputs, type Workspace } from "./kernel.js";
import { initParams, paramLayout, receptiveField, softmaxGates, type NetShape } from "./network.js";
import { attentionCandidates, discoverDelay, hardSoftmax, offsetProfile, pivmIsCause } from "./selection.js";
import { paramOwners, trainingPart, validationInputs, VALIDATE_EVERY } from "./early-stop.js";
import { TCDF_DEFAULTS, TCDF_PARAM_DECLS, type TcdfEngine } from "./params.js";
import { paddedRecordings } from "./recordings.js";
import { TensorEngine } from "./tensor-engine.js";
import { WasmStep, wasmStepAvailable } from "./wasm-step.js";

export { TCDF_DEFAULTS, TCDF_PARAM_DECLS, TCDF_PARAMS, type TcdfEngine } from "./params.js";

/** Options of `fitTcdf` (the library entry point behind the `tcdf` method). */
export interface TcdfOptions {
  epochs?: number;
  kernelSize?: number;
  hiddenLayers?: number;
  learningRate?: number;
  dilation?: number;
  significance?: number;
  instantaneous?: boolean;
  /** Gradient code (see `TcdfEngine`); "auto" here means wasm where it applies, else js. */
  engine?: TcdfEngine;
  /** Attention the network uses while PIVM permutes a candidate: "soft" (default) or "hard". */
  validation?: "soft" | "hard";
  /** Early stopping on the last 20% of each recording (the networks train on the rest; see `early-stop.ts`). */
  earlyStop?: boolean;
  /** Early stopping: validation checks without a lower loss before training stops. */
  patience?: number;
  /** A seconds budget's deadline (core's `Deadline`): training stops after the epoch at which it expires. */
  deadline?: { expired(): boolean };
  /**
   * Effects to fit (comma-separated names or 0-based indices; default all). Each target network
   * trains exactly as in the full fit (its own loss, Adam per parameter, its own PIVM stream), so
   * fits on disjoint subsets merge into the full one; other effects' rows stay 0.
   */
  targets?: string;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** One validated cause of one target. */
export interface TcdfCause {
  effect: number;
  cause: number;
  /** Discovered delay in steps (0 only with `instantaneous`). */
  delay: number;
  /** Attention score a_{cause, effect} after training. */
  attention: number;
}

/** Everything TCDF learns about a series. */
export interface TcdfResult {
  shape: NetShape;
  /** Receptive field R: delays 0..R-1 (+1 for shifted rows) are reachable. */
  receptiveField: number;
  /** Attention scores `[V, V]`, `attention[effect * V + cause]`. */
  attention: Float64Array;
  /** HardSoftmax of the attention scores per target (§4.2), `[V, V]`. */
  hardAttention: Float64Array;
  /** Potential causes per target (the HardSoftmax threshold rule), strongest first. */
  candidates: number[][];
  /** tau per target (null: no candidate). */
  tau: (number | null)[];
  /** Validated causes with their delays. */
  causes: TcdfCause[];
  /** Per-target losses: at epoch 1 (before the first update), after training (soft attention), with HardSoftmax attention. */
  firstLoss: Float64Array;
  trainedLoss: Float64Array;
  finalLoss: Float64Array;
  /** Per (effect, cause) path weights over offsets 0..R-1 (see `offsetProfile`), `[V * V][R]`. */
  profiles: Float64Array[];
  /** Lag of offset 0 per (effect, cause): 1 for rows holding only earlier values, else 0. */
  shifts: Uint8Array;
  /** Trained parameters (layout: `paramLayout(shape)`). */
  theta: Float64Array;
  engine: Exclude<TcdfEngine, "auto">;
  /** Epochs trained and why training ended. */
  epochs: number;
  stopped: TcdfModel["stopped"];
}

/** Validate `fitTcdf` options against `TCDF_PARAMS` and fill in the defaults. */
function resolveOptions(o: TcdfOptions) {
  const given: Record<string, unknown> = {};
  for (const name of Object.keys(TCDF_PARAM_DECLS)) {
    const v = (o as Record<string, unknown>)[name];
    if (v !== undefined) given[name] = v;
  }
  return { ...resolveTypedParams(TCDF_PARAM_DECLS, given, "tcdf"), seed: o.seed ?? 0 };
}

/**
 * The engine that runs: "auto" -> wasm where it applies, else js (GPU backends ask for "tensor").
 * Loss weights (several recordings, missing cells) run on js or tensor: the wasm step has none.
 */
function resolveEngine(engine: TcdfEngine, shape: NetShape, weighted: boolean): Exclude<TcdfEngine, "auto"> {
  if (weighted && engine === "wasm") throw new InputError("tcdf engine wasm cannot leave out steps (several recordings or missing cells); use engine auto, js or tensor");
  const simdFits = usesFastPath(shape) && wasmStepAvailable() && !weighted;
  if (engine === "wasm" && !simdFits)
    throw new InputError(
      usesFastPath(shape) ? "tcdf engine wasm: this runtime has no WebAssembly SIMD" : "tcdf engine wasm supports hiddenLayers 0 and kernelSize 4 only; use engine js or tensor",
    );
  if (engine !== "auto") return engine;
  return simdFits ? "wasm" : "js";
}

export { paddedRecordings } from "./recordings.js";

/** A trained batched model, before interpretation. */
export interface TcdfModel {
  shape: NetShape;
  inputs: NetInputs;
  /** Trained parameters (layout: `paramLayout(shape)`). */
  theta: Float64Array;
  /** Per-target loss at epoch 1, before the first update (L^1_G of §4.3). */
  firstLoss: Float64Array;
  /** The engine that trained it. */
  engine: Exclude<TcdfEngine, "auto">;
  /** Seed for the PIVM permutations. */
  seed: number;
  /** Epochs run, and why training ended (validation: early stopping; deadline: a seconds budget). */
  epochs: number;
  stopped: "epochs" | "validation" | "deadline";
}

/**
 * Train all V target networks as one batched model: full batch, Adam, soft attention (§4.1-4.2).
 * Uses the active tfjs backend only with `engine: "tensor"`.
 */
export async function trainTcdf(full: TimeSeries, options: TcdfOptions = {}): Promise<TcdfModel> {
  const o = resolveOptions(options);
  const V = full.variables.length;
  // early stopping: train on the first 80% of each recording, validate on the rest
  const part = o.earlyStop ? trainingPart(full) : null;
  const series = part ? part.train : full;
  const T = series.length;
  if (V < 1) throw new InputError("the series has no variables");
  if (T < 2) throw new InputError(`TCDF needs at least 2 time steps, got ${T}`);
  const shape: NetShape = { V, kernelSize: o.kernelSize, dilation: o.dilation, hiddenLayers: o.hiddenLayers };
  const R = receptiveField(o.kernelSize, o.dilation, o.hiddenLayers);
  const padded = paddedRecordings(series, R);
  const targets = resolveTargets(o.targets, series.variables);
  const inputs = padded
    ? makeInputs(padded.data, padded.T, V, o.kernelSize, o.instantaneous, padded.weight, targets)
    : makeInputs(series.data, T, V, o.kernelSize, o.instantaneous, null, targets);
  if (inputs.count < 2) throw new InputError(`TCDF needs at least 2 steps whose receptive field (${R} steps back) holds no missing cell; the series has ${inputs.count}`);
  const theta = initParams(shape, new Rng(o.seed));
  const ws = makeWorkspace(shape, inputs.T);
  const report = progressReporter("tcdf", options.onProgress);
  const grad = new Float64Array(theta.length);
  const losses = new Float64Array(V);
  const firstLoss = new Float64Array(V);
  const adam = new Adam(theta.length, o.learningRate);
  const engine = resolveEngine(o.engine, shape, inputs.weight !== null);
  if (engine === "tensor" && targets.length < V) throw new InputError("tcdf engine tensor fits every target together; leave targets empty or use engine js or wasm");
  const tensor = engine === "tensor" ? new TensorEngine(shape, inputs) : null;
  const simd = engine === "wasm" ? new WasmStep(shape, inputs) : null;
  const val = part ? validationInputs(full, part.cuts, R, paddedRecordings(full, R), o.kernelSize, o.instantaneous, targets) : null;
  const vws = val ? makeWorkspace(shape, val.T) : null;
  // per target: its own early stopping and best weights (so subsets stop as the full fit does)
  const early = val ? targets.map(() => new EarlyStopping(o.patience)) : null;
  const owner = val ? paramOwners(shape) : null;
  const best = val ? theta.slice() : null;
  let epochs = 0;
  let stopped: TcdfModel["stopped"] = "epochs";
  let lastYield = Date.now();
  try {
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      if (early && val && vws && best && owner && (epoch - 1) % VALIDATE_EVERY === 0) {
        // validation loss of each target's weights before this epoch's step
        const losses = evaluateLosses(shape, val, theta, softmaxGates(shape, theta), vws);
        const improved = new Uint8Array(V);
        targets.forEach((j, n) => (improved[j] = !early[n].stop && early[n].update(losses[j]) ? 1 : 0));
        for (let p = 0; p < theta.length; p++) if (improved[owner[p]]) best[p] = theta[p];
        if (early.every((e) => e.stop)) {
          stopped = "validation";
          break;
        }
      }
      if (epoch > 1 && options.deadline?.expired()) {
        stopped = "deadline";
        break;
      }
      epochs = epoch;
      throwIfAborted(options.signal);
      let total: number;
      if (tensor) {
        if (epoch === 1) lossAndGrad(shape, inputs, theta, null, firstLoss, ws);
        total = tensor.lossAndGrad(theta, grad);
      } else {
        if (simd) simd.lossAndGrad(theta, grad, losses);
        else lossAndGrad(shape, inputs, theta, grad, losses, ws);
        if (epoch === 1) firstLoss.set(losses);
        total = 0;
        for (let j = 0; j < V; j++) total += losses[j];
      }
      if (!Number.isFinite(total)) throw new Error(`tcdf: the training loss diverged at epoch ${epoch} (${total}); lower learningRate`);
      adam.step(theta, grad);
      report("train", epoch / o.epochs, { step: epoch, total: o.epochs, metrics: { loss: total / V } });
      if (Date.now() - lastYield > 200) {
        await yieldToEventLoop(); // lets an AbortSignal fired by a timer or a UI reach us
        lastYield = Date.now();
      }
    }
  } finally {
    tensor?.dispose();
  }
  throwIfAborted(options.signal);
  // every fitted target back to its best epoch (the others' weights are untouched either way)
  if (best) theta.set(best);
  return { shape, inputs, theta, firstLoss, engine, seed: o.seed, epochs, stopped };
}

/** Options of `interpretTcdf`. */
export interface InterpretOptions {
  significance?: number;
  /** Attention the network uses while PIVM permutes a candidate (see `TCDF_PARAMS`). */
  validation?: "soft" | "hard";
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/**
 * Interpret a trained model (§4.2-4.4): HardSoftmax threshold -> potential causes; PIVM ->
 * validated causes; largest kernel weights -> delays.
 */
export function interpretTcdf(model: TcdfModel, options: InterpretOptions = {}): TcdfResult {
  const { shape, inputs, theta, firstLoss } = model;
  const { V, kernelSize: k, dilation, hiddenLayers: L } = shape;
  const significance = options.significance ?? TCDF_DEFAULTS.significance;
  const mode = options.validation ?? TCDF_DEFAULTS.validation;
  const report = progressReporter("tcdf", options.onProgress);
  const lay = paramLayout(shape);
  const ws = makeWorkspace(shape, inputs.T);
  const attention = theta.slice(lay.attention, lay.attention + V * V);
  const fitted = new Uint8Array(V);
  for (const j of inputs.targets) fitted[j] = 1;
  // effects not fitted (another thread's share): no attention, no candidates, score rows 0
  for (let j = 0; j < V; j++) if (!fitted[j]) attention.fill(0, j * V, (j + 1) * V);
  const trainedLoss = new Float64Array(V);
  lossAndGrad(shape, inputs, theta, null, trainedLoss, ws);
  // --- HardSoftmax (§4.2): softmax of the attention scores, truncated below tau_j.
  const candidates: number[][] = [];
  const tau: (number | null)[] = [];
  const hard = new Float64Array(V * V);
  for (let j = 0; j < V; j++) {
    if (!fitted[j]) {
      candidates.push([]);
      tau.push(null);
      continue;
    }
    const a = attention.subarray(j * V, (j + 1) * V);
    const cand = attentionCandidates(a);
    candidates.push(cand.indices);
    tau.push(cand.tau);
    hard.set(hardSoftmax(a, cand.tau), j * V);
  }
  const gates = mode === "hard" ? hard : softmaxGates(shape, theta);
  const finalLoss = mode === "hard" ? evaluateLosses(shape, inputs, theta, hard, ws) : trainedLoss.slice();
  // --- PIVM (§4.3) and delays (§4.4).
  report("validate", 0);
  const kernelsOf = (c: number): Float64Array[] => Array.from({ length: L + 1 }, (_, l) => theta.subarray(lay.weight + (l * V * V + c) * k, lay.weight + (l * V * V + c + 1) * k));
  const causes: TcdfCause[] = [];
  // one permutation stream per target, forked in effect order: a target's PIVM is the same in any subset
  const root = new Rng(model.seed).fork();
  const permRngs = Array.from({ length: V }, () => root.fork());
  for (let j = 0; j < V; j++) {
    throwIfAborted(options.signal);
    if (!fitted[j]) continue;
    const validated = validateTarget(shape, inputs, theta, gates, j, candidates[j], firstLoss[j], finalLoss[j], significance, permRngs[j], ws);
    for (const i of validated) causes.push({ effect: j, cause: i, delay: discoverDelay(kernelsOf(j * V + i), dilation, rowShift(inputs, j, i)), attention: attention[j * V + i] });
    report("validate", (j + 1) / V);
  }
  const profiles: Float64Array[] = [];
  const shifts = new Uint8Array(V * V);
  for (let j = 0; j < V; j++)
    for (let i = 0; i < V; i++) {
      profiles.push(offsetProfile(kernelsOf(j * V + i), dilation));
      shifts[j * V + i] = rowShift(inputs, j, i);
    }
  return {
    shape,
    receptiveField: receptiveField(k, dilation, L),
    attention,
    hardAttention: hard,
    candidates,
    tau,
    causes,
    firstLoss,
    trainedLoss,
    finalLoss,
    profiles,
    shifts,
    theta,
    engine: model.engine,
    epochs: model.epochs,
    stopped: model.stopped,
  };
}

/**
 * Train and interpret: the whole of TCDF (Nauta et al. 2019 §4).
 *
 * @example
 * const r = await fitTcdf(series, { epochs: 300, seed: 1 });
 * for (const c of r.causes) console.log(`${c.cause} -> ${c.effect} at delay ${c.delay}`);
 */
export async function fitTcdf(series: TimeSeries, options: TcdfOptions = {}): Promise<TcdfResult> {
  const model = await trainTcdf(series, options);
  const o = resolveOptions(options);
  return interpretTcdf(model, { significance: o.significance, validation: o.validation, signal: options.signal, onProgress: options.onProgress });
}

/**
 * PIVM for one target: permute each candidate's input row (seeded) and recompute the loss of
 * the network with the given gates; only the permuted channel changes, so only it is rerun.
 * @returns the validated candidates
 */
function validateTarget(shape: NetShape, inputs: NetInputs, theta: Float64Array, gates: Float64Array, j: number, candidates: number[], firstLoss: number, finalLoss: number, significance: number, rng: Rng, ws: Workspace): number[] {
  const { V } = shape;
  const { T, pad } = inputs;
  const lay = paramLayout(shape);
  // prediction y_j with the given gates, [T]
  const y = new Float64Array(T).fill(theta[lay.outBias + j]);
  for (let i = 0; i < V; i++) {
    const c = j * V + i;
    const out = channelForward(shape, lay, theta, c, gates[c], channelRow(inputs, j, i), pad, T, ws);
    const p = theta[lay.pointwise + c];
    for (let t = 0; t < T; t++) y[t] += p * out[t];
  }
  const target = inputs.target[j];
  const validated: number[] = [];
  for (const i of candidates) {
    const c = j * V + i;
    const row = channelRow(inputs, j, i);
    const p = theta[lay.pointwise + c];
    const original = Float64Array.from(channelForward(shape, lay, theta, c, gates[c], row, pad, T, ws));
    // the candidate's series, randomly permuted over time (its zero padding kept)
    const permuted = Float64Array.from(row);
    rng.fork().shuffle(permuted.subarray(pad));
    const out = channelForward(shape, lay, theta, c, gates[c], permuted, pad, T, ws);
    let loss = 0;
    for (let t = 0; t < T; t++) {
      const e = y[t] + p * (out[t] - original[t]) - target[t];
      loss += inputs.weight ? inputs.weight[t] * e * e : e * e;
    }
    if (pivmIsCause(firstLoss, finalLoss, loss / inputs.count, significance)) validated.push(i);
  }
  return validated;
}
