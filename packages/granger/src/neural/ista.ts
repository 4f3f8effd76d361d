/**
 * Proximal gradient training of V independent target networks held as ONE batched model.
 *
 * The tensor backend evaluates the batched model (every target network in the same matmuls)
 * and returns per-target losses and gradients; the optimizer itself (steps, prox, line search,
 * NaN guard) runs in float64 on plain typed arrays, which is exact and costs microseconds for
 * the few thousand weights per target (far less than dozens of small tensor ops).
 *
 * Every parameter carries the target axis: parameter k is viewed as `[pre, V, post]` (element
 * `(a, i, b)` at `(a·V + i)·post + b`), so each target has its own slice, its own step size and
 * its own accept/reject decision: a rejected target keeps its weights while the others move on.
 */

import { ADAM_DEFAULTS, adamDelta } from "@causeway/core";

/** A batched smooth problem: V per-target losses and their gradients in one pass. */
export interface BatchedProblem {
  /** Number of target networks. */
  V: number;
  /** `[pre, V, post]` view of each parameter (same order as the params). */
  views: [number, number, number][];
  /**
   * Smooth loss per target `[V]` (data fit + ridge) and its gradient with respect to every
   * parameter (each target's loss depends on its own slice only, so one backward pass serves all).
   * Non-finite values are allowed (the trainer rejects them).
   */
  lossAndGrads(params: Float64Array[]): { loss: Float64Array; grads: Float64Array[] };
  /** Proximal step of the group penalty on parameter 0 (the first layer), in place, thresholds `tau` `[V]`. */
  prox(first: Float64Array, tau: Float64Array): void;
  /** Group penalty Ω of parameter 0, per target `[V]`. */
  penalty(first: Float64Array): Float64Array;
}

/** `ista`: proximal gradient descent with per-target backtracking (the default); `adam`: Adam on the smooth loss followed by the prox step. */
export type NeuralOptimizer = "ista" | "adam";

export const NEURAL_OPTIMIZERS: readonly NeuralOptimizer[] = ["ista", "adam"];

export interface TrainerOptions {
  optimizer: NeuralOptimizer;
  /** Initial step size (ISTA: adapted per target by the line search; Adam: its learning rate). */
  step: number;
  /** ISTA: factor on a target's step after an accepted step. Default 1.1. */
  grow?: number;
  /** ISTA: largest step size. Default 100 × `step`. */
  maxStep?: number;
  /**
   * ISTA: relative slack in the sufficient-decrease test, for losses evaluated in float32
   * (round-off near convergence must not reject every step). Default 1e-6; 0 for exact losses.
   */
  slack?: number;
}

/** Calls `f(target, index)` for every element of a `[pre, V, post]` view. */
function forEachTarget(view: [number, number, number], f: (target: number, index: number) => void): void {
  const [pre, V, post] = view;
  let idx = 0;
  for (let a = 0; a < pre; a++)
    for (let i = 0; i < V; i++)
      for (let b = 0; b < post; b++) f(i, idx++);
}

/**
 * Trainer state for a batched problem. Call {@link BatchedTrainer.iterate} and read
 * {@link BatchedTrainer.objective} now and then.
 */
export class BatchedTrainer {
  params: Float64Array[];
  /** Smooth loss at `params`, `[V]`. */
  loss: Float64Array;
  /** Gradient of the smooth loss at `params`. */
  grads: Float64Array[];
  /** Step size per target, `[V]`. */
  readonly eta: Float64Array;
  /** λ per target, `[V]`. */
  readonly lambda: Float64Array;
  /** Adam moments. */
  private m: Float64Array[] = [];
  private v: Float64Array[] = [];
  /** Adam: accepted steps per target (its bias-correction counter). */
  private t: Float64Array;
  /** Proposals (iteration × target) whose loss or gradient was NaN/Inf: rejected, weights kept, step halved. */
  nanSteps = 0;
  /** Proposals rejected by the line search (NaN ones included). */
  rejectedSteps = 0;
  iterations = 0;

  constructor(
    readonly problem: BatchedProblem,
    params: Float64Array[],
    readonly options: TrainerOptions,
  ) {
    this.params = params;
    const { loss, grads } = problem.lossAndGrads(params);
    this.loss = loss;
    this.grads = grads;
    this.eta = new Float64Array(problem.V).fill(options.step);
    this.lambda = new Float64Array(problem.V);
    this.t = new Float64Array(problem.V);
    if (options.optimizer === "adam") {
      this.m = params.map((p) => new Float64Array(p.length));
      this.v = params.map((p) => new Float64Array(p.length));
    }
  }

  /** Set λ for every target. */
  setLambda(lambda: number | ArrayLike<number>): void {
    if (typeof lambda === "number") this.lambda.fill(lambda);
    else this.lambda.set(lambda);
  }

  /** Run `n` iterations. */
  iterate(n: number): void {
    for (let i = 0; i < n; i++) {
      if (this.options.optimizer === "adam") this.adamStep();
      else this.istaStep();
      this.iterations++;
    }
  }

  /**
   * One ISTA step with per-target backtracking: propose `θ⁺ = prox_{ηλΩ}(θ - η∇f)` and accept
   * it for target i when `f_i(θ⁺) <= f_i(θ) + <∇f_i(θ), θ⁺-θ> + |θ⁺-θ|²/(2η_i)` (the
   * sufficient-decrease test of backtracking ISTA, Beck & Teboulle 2009, Sec. 3) and the new
   * loss and gradient are finite. Accepted targets grow their step by `grow`; rejected ones keep
   * their last good weights and halve it (a NaN/Inf loss counts in `nanSteps`).
   */
  private istaStep(): void {
    const { problem } = this;
    const V = problem.V;
    const grow = this.options.grow ?? 1.1;
    const maxStep = this.options.maxStep ?? 100 * this.options.step;
    const slack = this.options.slack ?? 1e-6;
    const proposal = this.params.map((p, k) => {
      const g = this.grads[k];
      const out = new Float64Array(p.length);
      forEachTarget(problem.views[k], (i, idx) => (out[idx] = p[idx] - this.eta[i] * g[idx]));
      return out;
    });
    const tau = new Float64Array(V);
    for (let i = 0; i < V; i++) tau[i] = this.eta[i] * this.lambda[i];
    problem.prox(proposal[0], tau);
    const next = problem.lossAndGrads(proposal);
    const dot = new Float64Array(V);
    const sq = new Float64Array(V);
    const gradSq = new Float64Array(V);
    for (let k = 0; k < proposal.length; k++) {
      const p = this.params[k];
      const q = proposal[k];
      const g = this.grads[k];
      const gNew = next.grads[k];
      forEachTarget(problem.views[k], (i, idx) => {
        const d = q[idx] - p[idx];
        dot[i] += d * g[idx];
        sq[i] += d * d;
        gradSq[i] += gNew[idx] * gNew[idx];
      });
    }
    const ok = new Uint8Array(V);
    for (let i = 0; i < V; i++) {
      const finite = Number.isFinite(next.loss[i]) && Number.isFinite(gradSq[i]);
      const bound = this.loss[i] + dot[i] + sq[i] / (2 * this.eta[i]) + slack * Math.abs(this.loss[i]);
      ok[i] = finite && next.loss[i] <= bound ? 1 : 0;
      if (!finite) this.nanSteps++;
      if (ok[i]) {
        this.loss[i] = next.loss[i];
        this.eta[i] = Math.min(this.eta[i] * grow, maxStep);
      } else {
        this.rejectedSteps++;
        this.eta[i] *= 0.5;
      }
    }
    this.acceptPerTarget(ok, proposal, next.grads);
  }

  /**
   * One Adam step (Kingma & Ba 2015, Algorithm 1) on the smooth loss, then the prox step with
   * threshold lr·λ. A target whose new loss is NaN/Inf gets its last good weights back and half
   * the learning rate.
   */
  private adamStep(): void {
    const { problem } = this;
    const V = problem.V;
    const { beta1: b1, beta2: b2 } = ADAM_DEFAULTS;
    const c1 = new Float64Array(V);
    const c2 = new Float64Array(V);
    for (let i = 0; i < V; i++) {
      c1[i] = 1 - b1 ** (this.t[i] + 1);
      c2[i] = 1 - b2 ** (this.t[i] + 1);
    }
    const m = this.m.map((x) => Float64Array.from(x));
    const v = this.v.map((x) => Float64Array.from(x));
    const proposal = this.params.map((p, k) => {
      const g = this.grads[k];
      const out = new Float64Array(p.length);
      forEachTarget(problem.views[k], (i, idx) => {
        out[idx] = p[idx] - adamDelta(m[k], v[k], idx, g[idx], this.eta[i], c1[i], c2[i]);
      });
      return out;
    });
    const tau = new Float64Array(V);
    for (let i = 0; i < V; i++) tau[i] = this.eta[i] * this.lambda[i];
    problem.prox(proposal[0], tau);
    const next = problem.lossAndGrads(proposal);
    const gradSq = new Float64Array(V);
    for (let k = 0; k < proposal.length; k++) {
      const gNew = next.grads[k];
      forEachTarget(problem.views[k], (i, idx) => (gradSq[i] += gNew[idx] * gNew[idx]));
    }
    const ok = new Uint8Array(V);
    for (let i = 0; i < V; i++) {
      ok[i] = Number.isFinite(next.loss[i]) && Number.isFinite(gradSq[i]) ? 1 : 0;
      if (ok[i]) {
        this.loss[i] = next.loss[i];
        this.t[i]++;
      } else {
        this.nanSteps++;
        this.rejectedSteps++;
        this.eta[i] *= 0.5;
      }
    }
    for (let k = 0; k < m.length; k++)
      forEachTarget(problem.views[k], (i, idx) => {
        if (!ok[i]) return;
        this.m[k][idx] = m[k][idx];
        this.v[k][idx] = v[k][idx];
      });
    this.acceptPerTarget(ok, proposal, next.grads);
  }

  /** Copy the accepted targets' slices of the proposal and its gradients into the state. */
  private acceptPerTarget(ok: Uint8Array, proposal: Float64Array[], grads: Float64Array[]): void {
    for (let k = 0; k < proposal.length; k++) {
      const p = this.params[k];
      const g = this.grads[k];
      const q = proposal[k];
      const gNew = grads[k];
      forEachTarget(this.problem.views[k], (i, idx) => {
        if (!ok[i]) return;
        p[idx] = q[idx];
        g[idx] = gNew[idx];
      });
    }
  }

  /** Objective per target: smooth loss + λ Ω(first layer), `[V]`. */
  objective(): Float64Array {
    const omega = this.problem.penalty(this.params[0]);
    const out = new Float64Array(this.problem.V);
    for (let i = 0; i < out.length; i++) out[i] = this.loss[i] + this.lambda[i] * omega[i];
    return out;
  }

  /** Replace the parameters and recompute loss and gradients. */
  setParams(params: Float64Array[]): void {
    const { loss, grads } = this.problem.lossAndGrads(params);
    this.params = params;
    this.loss = loss;
    this.grads = grads;
  }
}
