/**
 * The training driver shared by cMLP and cLSTM: a fixed-λ fit, or the λ path of
 * `path.ts`, with convergence checks, progress events and cancellation.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { EarlyStopping, throwIfAborted, yieldToEventLoop, type Rng } from "@causeway/core";
import type { BatchedTrainer } from "./ista.js";
import { LambdaPath } from "./path.js";
import type { NeuralSettings } from "./settings.js";

/** Uniform(-b, b) values from the seeded generator (PyTorch's default layer init uses b = 1/√fan_in). */
export function uniform(rng: Rng, n: number, bound: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * rng.uniform() - 1) * bound;
  return out;
}

/** Copy a tensor's values to float64 and dispose it. */
export function take(t: tf.Tensor): Float64Array {
  const out = Float64Array.from(t.dataSync());
  t.dispose();
  return out;
}

/** Early stopping of a dense fit: the summed validation error of the current weights, and the patience. */
export interface ValidationWatch {
  /** Summed validation MSE of every target network at these weights (z-scored units). */
  error(params: Float64Array[]): number;
  /** Checks without a lower validation error before the fit stops (the best weights are restored). */
  patience: number;
}

/** How a dense fit or a λ step ended. */
export interface StallResult {
  /** Iterations run. */
  done: number;
  /** Why it ended: converged (tol), maxIter, validation (early stopping) or deadline (a seconds budget). */
  stopped: "tol" | "maxIter" | "validation" | "deadline";
}

/**
 * Iterate until the objective stalls (no target's objective fell by more than `tol`, relative,
 * over `every` iterations) or `maxIter` iterations; checks the AbortSignal between batches and
 * stops at an expired `deadline`. With `watch`, the validation error is measured at every check,
 * the fit stops after `watch.patience` checks without a better one, and the best weights are
 * restored (Prechelt 1998).
 */
export async function trainUntilStalled(
  trainer: BatchedTrainer,
  maxIter: number,
  tol: number,
  every: number,
  signal: AbortSignal | undefined,
  onCheck?: (done: number) => void,
  watch?: ValidationWatch,
  deadline?: { expired(): boolean },
): Promise<StallResult> {
  let prev = trainer.objective();
  let done = 0;
  const early = watch ? new EarlyStopping(watch.patience) : null;
  let best: Float64Array[] | null = null;
  if (early && watch && early.update(watch.error(trainer.params))) best = trainer.params.map((p) => p.slice());
  let stopped: StallResult["stopped"] = "maxIter";
  while (done < maxIter) {
    await yieldToEventLoop();
    throwIfAborted(signal);
    const n = Math.min(every, maxIter - done);
    trainer.iterate(n);
    done += n;
    const now = trainer.objective();
    onCheck?.(done);
    let stalled = true;
    for (let i = 0; i < now.length; i++) if (!(prev[i] - now[i] <= tol * Math.max(Math.abs(now[i]), 1e-8))) stalled = false;
    prev = now;
    if (early && watch) {
      if (early.update(watch.error(trainer.params))) best = trainer.params.map((p) => p.slice());
      else if (early.stop) {
        stopped = "validation";
        break;
      }
    }
    if (stalled) {
      stopped = "tol";
      break;
    }
    if (deadline?.expired()) {
      stopped = "deadline";
      break;
    }
  }
  if (best) trainer.setParams(best);
  return { done, stopped };
}

/** What a sparse fit found. */
export interface SparseFitResult {
  /** Scores `[Vt, Vin, L]`. */
  scores: Float64Array;
  /** Final group norms `[Vt, Vin, L]`. */
  norms: Float64Array;
  /** The λ values used (the path's, or the fixed one). */
  lambdas: number[];
  /** Iterations of the dense fit (warm-up or fixed λ) and how it ended. */
  dense: StallResult;
  /** Where a seconds budget's deadline cut training, for the warning. */
  cutAt?: string;
}

/**
 * Fit with the settings' λ: a fixed λ (scores = final group norms), or "auto", the upward λ
 * path of `path.ts` (scores in [0, 1]). `watch` (early stopping) applies to the dense fit: the
 * fixed-λ fit, or the path's warm-up at its first λ.
 *
 * @param groupNorms group norms `[Vt, Vin, L]` of the trainer's current first layer
 * @param report progress callback: (fraction, extra)
 */
export async function runSparseFit(
  trainer: BatchedTrainer,
  groupNorms: () => Float64Array,
  dims: { Vt: number; Vin: number; L: number },
  s: NeuralSettings,
  report: (fraction: number, extra: { step: number; total: number; metrics: Record<string, number> }) => void,
  watch?: ValidationWatch,
): Promise<SparseFitResult> {
  if (s.lambda !== "auto") {
    const lam = s.lambda;
    trainer.setLambda(lam);
    const dense = await trainUntilStalled(
      trainer,
      s.maxIter,
      s.tol,
      s.checkEvery,
      s.signal,
      (done) => report(done / s.maxIter, { step: done, total: s.maxIter, metrics: { lambda: lam } }),
      watch,
      s.deadline,
    );
    const norms = groupNorms();
    return { scores: Float64Array.from(norms), norms, lambdas: [lam], dense, ...(dense.stopped === "deadline" ? { cutAt: `iteration ${dense.done} of ${s.maxIter}` } : {}) };
  }
  const path = new LambdaPath(dims.Vt, dims.Vin, dims.L, s.lambdaStart, s.lambdaFactor, s.pathSteps);
  const lambdas: number[] = [];
  const budget = s.warmupIters + (s.pathSteps - 1) * s.stepIters;
  let spent = 0;
  let dense: StallResult = { done: 0, stopped: "maxIter" };
  let cutAt: string | undefined;
  for (let step = 0; step < s.pathSteps; step++) {
    const lam = path.lambda(step);
    lambdas.push(lam);
    trainer.setLambda(lam);
    const cap = step === 0 ? s.warmupIters : s.stepIters;
    const before = spent;
    const r = await trainUntilStalled(
      trainer,
      cap,
      s.tol,
      s.checkEvery,
      s.signal,
      (done) => report((before + done) / budget, { step: step + 1, total: s.pathSteps, metrics: { lambda: lam } }),
      step === 0 ? watch : undefined,
      s.deadline,
    );
    spent += r.done;
    if (step === 0) dense = r;
    const alive = path.record(step, groupNorms());
    if (r.stopped === "deadline") {
      // the groups still alive share this step's score, ordered by their norms: a coarser ranking
      if (alive > 1) cutAt = `λ step ${step + 1} of ${s.pathSteps}, ${alive} input series still in the model`;
      break;
    }
    if (alive <= 1) break;
  }
  return { scores: path.scores(), norms: groupNorms(), lambdas, dense, ...(cutAt ? { cutAt } : {}) };
}
