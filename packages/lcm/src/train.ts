import * as tf from "@tensorflow/tfjs-core";
import { AdamW, InputError, throwIfAborted, useBackend, type ProgressCallback } from "@causeway/core";
import { auroc } from "@causeway/metrics";
import { resolveArchitecture, type LcmArchitecture } from "./config.js";
import { DEFAULT_RECIPE, TrainingPool, validationSet, type DataRecipe, type TrainingExample } from "./data.js";
import { loadModel, saveModel } from "./io.js";
import { LcmModel, type BatchMoments, type LcmBatchBuffers } from "./model.js";
import { nodeBuiltin } from "./node-builtins.js";

/** Everything `causeway lcm train --config` reads (JSON); every field but `outDir` has a default. */
export interface TrainConfig {
  architecture: Partial<LcmArchitecture>;
  recipe: Partial<DataRecipe>;
  /** Seed of the weights, the training stream and (seed + 1) the validation set. */
  seed: number;
  /** Optimiser steps (the cosine schedule's length). */
  steps: number;
  batchSize: number;
  /** Peak learning rate, reached after `warmup` steps; cosine decay to `minLr`. */
  lr: number;
  minLr: number;
  warmup: number;
  /** AdamW decoupled weight decay (Loshchilov & Hutter 2019). */
  weightDecay: number;
  /** Gradients are rescaled to at most this global L2 norm. */
  clipNorm: number;
  /** Weight of the correlation regulariser (paper: 0.75). */
  lambdaCorr: number;
  /** Weight (> 1) of true edges in the regulariser's weighted MSE. */
  gamma: number;
  /** Size of the fixed validation set. */
  validationSize: number;
  validateEvery: number;
  /** Stop after this many validations without a better AUROC. */
  patience: number;
  checkpointEvery: number;
  /** Where model.json/weights.bin (best validation AUROC), training.json and checkpoint/ go. */
  outDir: string;
  /** Backend: "auto" picks the fastest available. */
  backend: string;
}

export const DEFAULT_TRAIN_CONFIG: Omit<TrainConfig, "outDir"> = {
  architecture: {},
  recipe: {},
  seed: 1,
  steps: 2000,
  batchSize: 16,
  lr: 1e-3,
  minLr: 5e-5,
  warmup: 100,
  weightDecay: 0.01,
  clipNorm: 1,
  lambdaCorr: 0.75,
  gamma: 2,
  validationSize: 128,
  validateEvery: 100,
  patience: 8,
  checkpointEvery: 100,
  backend: "auto",
};

/** One validation point of the training curve. */
export interface ValidationPoint {
  step: number;
  seconds: number;
  trainLoss: number;
  /** Mean per-pair AUROC over the real `V x V x maxLag` tensor. */
  auroc: number;
  /** Mean per-pair AUROC over the padded `vMax x vMax x maxLag` tensor (the paper's). */
  paddedAuroc: number;
  lr: number;
}

export interface TrainOptions {
  /** Continue from `outDir/checkpoint` when it exists. */
  resume?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** Stop after this many steps in this sitting (the run can be resumed). */
  maxStepsThisRun?: number;
  log?: (line: string) => void;
}

export interface TrainResult {
  model: LcmModel;
  step: number;
  bestAuroc: number;
  history: ValidationPoint[];
  /** Training pairs per second in this sitting (data generation included). */
  pairsPerSecond: number;
  stopped: "steps" | "early-stopping" | "sitting";
  backend: string;
}

interface TrainerState {
  step: number;
  bestAuroc: number;
  sinceBest: number;
  history: ValidationPoint[];
  seconds: number;
  skipped: number;
}

/** Fills defaults and validates a training config. */
export function resolveTrainConfig(given: Partial<TrainConfig> & { outDir: string }): TrainConfig {
  const c = { ...DEFAULT_TRAIN_CONFIG, ...given } as TrainConfig;
  if (!c.outDir) throw new InputError("lcm train: config needs an outDir");
  resolveArchitecture(c.architecture);
  for (const k of ["steps", "batchSize", "validationSize", "validateEvery", "checkpointEvery", "patience"] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new InputError(`lcm train: "${k}" must be a positive integer, got ${String(c[k])}`);
  }
  if (!(c.lr > 0) || !(c.gamma >= 1) || !(c.lambdaCorr >= 0)) throw new InputError("lcm train: lr > 0, gamma >= 1 and lambdaCorr >= 0 are required");
  return c;
}

/** Learning rate at `step`: linear warm-up then cosine decay (Loshchilov & Hutter 2017, Eq. 5). */
export function learningRate(c: TrainConfig, step: number): number {
  if (step < c.warmup) return (c.lr * (step + 1)) / c.warmup;
  const progress = Math.min(1, (step - c.warmup) / Math.max(1, c.steps - c.warmup));
  return c.minLr + 0.5 * (c.lr - c.minLr) * (1 + Math.cos(Math.PI * progress));
}

/** Stacks one field of the examples into a batch buffer. */
export function stack(examples: TrainingExample[], key: "x" | "stats" | "edge" | "label" | "corrTarget"): Float32Array {
  const n = examples[0][key].length;
  const out = new Float32Array(examples.length * n);
  examples.forEach((e, i) => out.set(e[key], i * n));
  return out;
}

/** The model inputs of a batch of examples. */
export function batchBuffers(examples: TrainingExample[]): LcmBatchBuffers {
  return { x: stack(examples, "x"), stats: stack(examples, "stats"), edge: stack(examples, "edge") };
}

/**
 * Loss (Kougioulis et al. 2026): BCE on the edge logits plus lambda_corr times the correlation
 * regulariser, a weighted MSE between the edge probabilities and the normalised |cross-correlations|
 * with weight gamma on true edges and 1 elsewhere.
 */
export function lcmLoss(logits: tf.Tensor2D, label: tf.Tensor2D, corrTarget: tf.Tensor2D, lambdaCorr: number, gamma: number): tf.Scalar {
  return tf.tidy(() => {
    // Stable BCE with logits: max(z, 0) - z y + log(1 + exp(-|z|)).
    const bce = tf.mean(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, label)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))));
    if (lambdaCorr === 0) return bce as tf.Scalar;
    const weight = tf.add(tf.mul(label, gamma - 1), 1);
    const reg = tf.mean(tf.mul(weight, tf.square(tf.sub(tf.sigmoid(logits), corrTarget))));
    return tf.add(bce, tf.mul(reg, lambdaCorr)) as tf.Scalar;
  });
}

/** Per-pair AUROC over the real tensor and over the padded one, averaged over examples. */
export async function validationAuroc(model: LcmModel, examples: TrainingExample[], batch = 32): Promise<{ auroc: number; paddedAuroc: number }> {
  let real = 0;
  let padded = 0;
  let nReal = 0;
  let nPadded = 0;
  for (let s = 0; s < examples.length; s += batch) {
    const chunk = examples.slice(s, s + batch);
    const probs = await model.predictBatch(batchBuffers(chunk), chunk.length);
    const out = model.outputSize;
    chunk.forEach((e, i) => {
      const p = probs.subarray(i * out, (i + 1) * out);
      const rs: number[] = [];
      const rl: number[] = [];
      for (let k = 0; k < out; k++) {
        if (!e.real[k]) continue;
        rs.push(p[k]);
        rl.push(e.label[k]);
      }
      const pos = rl.reduce((a, b) => a + b, 0);
      if (pos > 0 && pos < rl.length) {
        real += auroc(rs, rl);
        nReal++;
      }
      const ppos = e.label.reduce((a, b) => a + b, 0);
      if (ppos > 0 && ppos < out) {
        padded += auroc(p, e.label);
        nPadded++;
      }
    });
  }
  return { auroc: nReal ? real / nReal : NaN, paddedAuroc: nPadded ? padded / nPadded : NaN };
}

async function saveCheckpoint(dir: string, model: LcmModel, opt: AdamW, state: TrainerState, config: TrainConfig): Promise<void> {
  const fs = nodeBuiltin("node:fs/promises");
  const { join } = nodeBuiltin("node:path");
  const tmp = `${dir}.tmp`;
  await fs.rm(tmp, { recursive: true, force: true });
  await saveModel(model, tmp, { checkpoint: true });
  const named = opt.vars.flatMap((_, i) => [
    { name: `m/${i}`, tensor: opt.m[i] as tf.Tensor },
    { name: `v/${i}`, tensor: opt.v[i] as tf.Tensor },
  ]);
  const { data, specs } = await tf.io.encodeWeights(named);
  await fs.writeFile(join(tmp, "optimizer.bin"), new Uint8Array(data));
  await fs.writeFile(join(tmp, "state.json"), JSON.stringify({ ...state, adamStep: opt.t, specs, config }, null, 1));
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rename(tmp, dir);
}

async function loadCheckpoint(dir: string): Promise<{ model: LcmModel; state: TrainerState; adamStep: number; moments: tf.NamedTensorMap } | null> {
  const fs = nodeBuiltin("node:fs/promises");
  const { join } = nodeBuiltin("node:path");
  let raw: string;
  try {
    raw = await fs.readFile(join(dir, "state.json"), "utf8");
  } catch {
    return null;
  }
  const saved = JSON.parse(raw) as TrainerState & { adamStep: number; specs: tf.io.WeightsManifestEntry[] };
  const model = await loadModel(join(dir, "model.json"));
  const buf = await fs.readFile(join(dir, "optimizer.bin"));
  const moments = tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer, saved.specs);
  const { step, bestAuroc, sinceBest, history, seconds, skipped } = saved;
  return { model, state: { step, bestAuroc, sinceBest, history, seconds, skipped }, adamStep: saved.adamStep, moments };
}

/**
 * Trains an LCM on pairs streamed from @causeway/synth (seeded, reproducible), with AdamW,
 * warm-up + cosine learning rate, gradient clipping, a NaN guard (the step is skipped), early
 * stopping on validation AUROC, checkpoints every `checkpointEvery` steps and resume.
 * The best model (by validation AUROC) is written to `outDir` with its curve in training.json.
 */
export async function trainLcm(config: TrainConfig, options: TrainOptions = {}): Promise<TrainResult> {
  const c = resolveTrainConfig(config);
  const log = options.log ?? (() => {});
  const backend = await useBackend(c.backend);
  const arch = resolveArchitecture(c.architecture);
  const recipe: DataRecipe = { ...DEFAULT_RECIPE, ...c.recipe, mixture: { ...DEFAULT_RECIPE.mixture, ...c.recipe.mixture } };
  const { basename, join } = nodeBuiltin("node:path");
  const fs = nodeBuiltin("node:fs/promises");
  const ckptDir = join(c.outDir, "checkpoint");
  await fs.mkdir(c.outDir, { recursive: true });
  // the metadata that ships beside the weights names the model's folder, not a path on the training machine
  const recorded: TrainConfig = { ...c, outDir: basename(c.outDir) };

  let model: LcmModel;
  let state: TrainerState = { step: 0, bestAuroc: -Infinity, sinceBest: 0, history: [], seconds: 0, skipped: 0 };
  const resumed = options.resume ? await loadCheckpoint(ckptDir) : null;
  let opt: AdamW;
  if (resumed) {
    model = resumed.model;
    state = resumed.state;
    opt = new AdamW(model.variables);
    opt.t = resumed.adamStep;
    opt.vars.forEach((_, i) => {
      opt.m[i].assign(resumed.moments[`m/${i}`]);
      opt.v[i].assign(resumed.moments[`v/${i}`]);
    });
    tf.dispose(Object.values(resumed.moments));
    log(`resumed from ${ckptDir} at step ${state.step}`);
  } else {
    model = new LcmModel(arch, c.seed);
    opt = new AdamW(model.variables);
  }
  log(`lcm train: ${model.parameterCount} parameters, backend ${backend}, batch ${c.batchSize}, steps ${c.steps}`);

  const validation = validationSet(c.seed + 1, c.validationSize, arch, recipe);
  let t0 = performance.now();
  const pool = new TrainingPool(c.seed, arch, recipe, state.step);
  log(`training pool: ${recipe.poolSize} series in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const started = performance.now();
  const startStep = state.step;
  const limit = options.maxStepsThisRun === undefined ? c.steps : Math.min(c.steps, state.step + options.maxStepsThisRun);
  let stopped: TrainResult["stopped"] = "steps";
  let lossSum = 0;
  let dataSeconds = 0;
  let lossCount = 0;
  const saveBest = (p: ValidationPoint): Promise<void> =>
    saveModel(model, c.outDir, { config: recorded, step: p.step, validation: p, backend });

  try {
    while (state.step < limit) {
      throwIfAborted(options.signal);
      const step = state.step;
      t0 = performance.now();
      const batch = pool.batch(step, c.batchSize);
      pool.advance(step);
      dataSeconds += (performance.now() - t0) / 1000;
      const lr = learningRate(c, step);
      const moments: BatchMoments = [];
      const { value, grads } = tf.tidy(() => {
        const input = model.batchTensors(batchBuffers(batch), c.batchSize);
        const label = tf.tensor2d(stack(batch, "label"), [c.batchSize, model.outputSize]);
        const target = tf.tensor2d(stack(batch, "corrTarget"), [c.batchSize, model.outputSize]);
        return tf.variableGrads(() => lcmLoss(model.forward(input, true, moments), label, target, c.lambdaCorr, c.gamma), model.variables);
      });
      const gradList = model.variables.map((v) => grads[v.name]);
      const normSq = tf.tidy(() => tf.addN(gradList.map((g) => tf.sum(tf.square(g)))));
      const norm = Math.sqrt((await normSq.data())[0]); // async reads: webgpu in Node cannot read synchronously
      normSq.dispose();
      const loss = (await value.data())[0];
      if (Number.isFinite(loss) && Number.isFinite(norm)) {
        const scale = norm > c.clipNorm ? c.clipNorm / norm : 1;
        const clipped = scale < 1 ? gradList.map((g) => tf.mul(g, scale)) : gradList;
        opt.apply(clipped, lr, c.weightDecay);
        if (scale < 1) tf.dispose(clipped);
        model.updateRunningStats(moments);
        lossSum += loss;
        lossCount++;
      } else {
        // NaN guard: skip the update, keep the weights.
        state.skipped++;
        for (const m of moments) tf.dispose([m.mean, m.variance]);
        log(`step ${step}: non-finite loss/gradient (loss ${loss}, norm ${norm}); step skipped`);
      }
      tf.dispose([value, ...Object.values(grads)]);
      state.step++;
      const elapsed = state.seconds + (performance.now() - started) / 1000;
      const rate = ((state.step - startStep) * c.batchSize) / ((performance.now() - started) / 1000);
      const eta = ((limit - state.step) * c.batchSize) / rate;

      if (state.step % c.validateEvery === 0 || state.step === c.steps) {
        const v = await validationAuroc(model, validation);
        const point: ValidationPoint = { step: state.step, seconds: elapsed, trainLoss: lossCount ? lossSum / lossCount : NaN, auroc: v.auroc, paddedAuroc: v.paddedAuroc, lr };
        lossSum = 0;
        lossCount = 0;
        state.history.push(point);
        if (point.auroc > state.bestAuroc) {
          state.bestAuroc = point.auroc;
          state.sinceBest = 0;
          await saveBest(point);
        } else {
          state.sinceBest++;
        }
        log(`step ${state.step}/${c.steps} loss ${point.trainLoss.toFixed(4)} val AUROC ${v.auroc.toFixed(4)} (padded ${v.paddedAuroc.toFixed(4)}) lr ${lr.toExponential(2)} ${rate.toFixed(1)} pairs/s (data ${((100 * dataSeconds) / ((performance.now() - started) / 1000)).toFixed(0)}%) eta ${eta.toFixed(0)}s`);
        await fs.writeFile(join(c.outDir, "training.json"), JSON.stringify({ config: recorded, parameters: model.parameterCount, backend, history: state.history, skipped: state.skipped }, null, 1) + "\n");
        if (state.sinceBest >= c.patience) {
          stopped = "early-stopping";
          log(`early stopping: no better validation AUROC in ${c.patience} validations`);
          break;
        }
      }
      options.onProgress?.({
        method: "lcm",
        stage: "train",
        fraction: state.step / c.steps,
        step: state.step,
        total: c.steps,
        metrics: { loss, auroc: state.history.at(-1)?.auroc ?? NaN, pairsPerSecond: rate },
        message: `eta ${eta.toFixed(0)}s`,
      });
      if (state.step % c.checkpointEvery === 0) await saveCheckpoint(ckptDir, model, opt, { ...state, seconds: elapsed }, c);
    }
    if (stopped === "steps" && state.step < c.steps) stopped = "sitting";
    const seconds = (performance.now() - started) / 1000;
    state.seconds += seconds;
    await saveCheckpoint(ckptDir, model, opt, state, c);
    if (state.history.length === 0 || state.bestAuroc === -Infinity) {
      const v = await validationAuroc(model, validation);
      const point: ValidationPoint = { step: state.step, seconds: state.seconds, trainLoss: NaN, auroc: v.auroc, paddedAuroc: v.paddedAuroc, lr: learningRate(c, state.step) };
      state.history.push(point);
      state.bestAuroc = v.auroc;
      await saveBest(point);
    }
    const pairsPerSecond = ((state.step - startStep) * c.batchSize) / Math.max(seconds, 1e-9);
    return { model, step: state.step, bestAuroc: state.bestAuroc, history: state.history, pairsPerSecond, stopped, backend };
  } finally {
    opt.dispose();
  }
}
