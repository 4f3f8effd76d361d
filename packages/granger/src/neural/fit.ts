/**
 * The training driver shared by cMLP and cLSTM: a fixed-λ fit, or the λ path of
 * `path.ts`, with convergence checks, progress events and cancellation.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { throwIfAborted, yieldToEventLoop, type Rng } from "@causeway/core";
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

/**
 * Iterate until the objective stalls (no target's objective fell by more than `tol`, relative,
 * over `every` iterations) or `maxIter` iterations; checks the AbortSignal between batches.
 * Returns the iterations run.
 */
export async function trainUntilStalled(
  trainer: BatchedTrainer,
  maxIter: number,
  tol: number,
  every: number,
  signal: AbortSignal | undefined,
  onCheck?: (done: number) => void,
): Promise<number> {
  let prev = trainer.objective();
  let done = 0;
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
    if (stalled) break;
  }
  return done;
}

/** What a sparse fit found. */
export interface SparseFitResult {
  /** Scores `[Vt, Vin, L]`. */
  scores: Float64Array;
  /** Final group norms `[Vt, Vin, L]`. */
  norms: Float64Array;
  /** The λ values used (the path's, or the fixed one). */
  lambdas: number[];
}

/**
 * Fit with the settings' λ: a fixed λ (scores = final group norms), or "auto", the upward λ
 * path of `path.ts` (scores in [0, 1]).
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
): Promise<SparseFitResult> {
  if (s.lambda !== "auto") {
    const lam = s.lambda;
    trainer.setLambda(lam);
    await trainUntilStalled(trainer, s.maxIter, s.tol, s.checkEvery, s.signal, (done) =>
      report(done / s.maxIter, { step: done, total: s.maxIter, metrics: { lambda: lam } }),
    );
    const norms = groupNorms();
    return { scores: Float64Array.from(norms), norms, lambdas: [lam] };
  }
  const path = new LambdaPath(dims.Vt, dims.Vin, dims.L, s.lambdaStart, s.lambdaFactor, s.pathSteps);
  const lambdas: number[] = [];
  const budget = s.warmupIters + (s.pathSteps - 1) * s.stepIters;
  let spent = 0;
  for (let step = 0; step < s.pathSteps; step++) {
    const lam = path.lambda(step);
    lambdas.push(lam);
    trainer.setLambda(lam);
    const cap = step === 0 ? s.warmupIters : s.stepIters;
    const before = spent;
    spent += await trainUntilStalled(trainer, cap, s.tol, s.checkEvery, s.signal, (done) =>
      report((before + done) / budget, { step: step + 1, total: s.pathSteps, metrics: { lambda: lam } }),
    );
    if (path.record(step, groupNorms()) <= 1) break;
  }
  return { scores: path.scores(), norms: groupNorms(), lambdas };
}
