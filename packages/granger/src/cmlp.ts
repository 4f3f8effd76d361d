import * as tf from "@tensorflow/tfjs-core";
import { comfortableRows, defineMethod, graphBytes, InputError, progressReporter, Rng, seriesBytes, validationSplit, validTargetRows, zscore, type Discoverer, type TimeSeries } from "@causeway/core";
import { neuralRun, type NeuralFit } from "./neural/discover.js";
import { runSparseFit, take, uniform } from "./neural/fit.js";
import { BatchedTrainer, type BatchedProblem } from "./neural/ista.js";
import { GROUP_PENALTIES, groupPenalties, lagNorms, proxGroups, type GroupPenalty, type GroupShape } from "./neural/prox.js";
import { neuralIterations, neuralParams, neuralSettings, TARGETS_PARAM, type NeuralDefaults, type NeuralOptions } from "./neural/settings.js";
import { pickTargets, resolveTargets, spreadRows } from "./neural/targets.js";

/**
 * cMLP defaults (chosen on Lorenz-96 and VAR benchmarks; see README). The λ path's schedule
 * (warm-up 100, 20 iterations per λ) was halved from 200/40 in issue 20: λ steps almost always
 * ran to their cap (tol rarely ends one), and the ranking only needs the order in which groups
 * leave the model, which the shorter steps keep (tuning seeds 10-19 of the discovery
 * collections: AUROC within ±0.01 of 200/40 at half the iterations; bench/results/cmlp-defaults.md).
 */
export const CMLP_DEFAULTS: NeuralDefaults = {
  hidden: 32,
  penalty: "H",
  lambda: "auto",
  ridge: 1e-2,
  lambdaStart: 0.005,
  lambdaFactor: 1.5,
  pathSteps: 20,
  warmupIters: 100,
  stepIters: 20,
  maxIter: 2000,
  tol: 1e-4,
  checkEvery: 10,
  optimizer: "ista",
  step: 0.1,
  earlyStop: false,
  patience: 5,
};

/**
 * The V component-wise MLPs as one batched model (Tank et al. 2021, cMLP with one hidden
 * layer): for target i, `x̂_i(t) = w2_iᵀ relu(Σ_k W1^k_i x(t-k) + b1_i) + b2_i`. All targets
 * share the lagged inputs, so the first layers of all networks are one matmul
 * `X [n, K·V] @ W1 [K·V, V·H]`. Gradients are written out by hand (checked against finite
 * differences in the tests).
 *
 * Parameters (float64 on the optimizer side): W1 `[K, V, Vt, H]` (= `[K·V, Vt·H]`),
 * b1 `[Vt, H]`, w2 `[Vt, H]`, b2 `[Vt]`, for the Vt target networks fitted (default all V).
 */
export class CmlpProblem implements BatchedProblem {
  readonly views: [number, number, number][];
  readonly shape: GroupShape;
  private readonly XT: tf.Tensor2D;

  /** Number of target networks (Vt). */
  readonly V: number;

  /**
   * @param X `[n, K·Vin]` lagged inputs, column `(k - 1)·Vin + j` = x_j(t - k)
   * @param Y `[n, Vt]` targets x(t) of the fitted effects
   * @param Vt target networks (default Vin: every variable is an effect)
   */
  constructor(
    readonly X: tf.Tensor2D,
    readonly Y: tf.Tensor2D,
    readonly Vin: number,
    readonly K: number,
    readonly H: number,
    readonly ridge: number,
    readonly penaltyKind: GroupPenalty,
    Vt = Vin,
  ) {
    this.V = Vt;
    this.views = [
      [K * Vin, Vt, H],
      [1, Vt, H],
      [1, Vt, H],
      [1, Vt, 1],
    ];
    this.shape = { K, Vin, Vt, H };
    // wasm's matmul with transposeA is ~10x slower than with a pre-transposed operand
    this.XT = tf.transpose(X);
  }

  /** Per-target smooth loss `mse_i + ridge·‖w2_i‖²` and its gradients. */
  lossAndGrads(params: Float64Array[]): { loss: Float64Array; grads: Float64Array[] } {
    const [w1, b1, w2, b2] = params;
    const { X, Y, V, Vin, K, H } = this;
    const n = X.shape[0];
    const out = tf.tidy(() => {
      const W1t = tf.tensor2d(Float32Array.from(w1), [K * Vin, V * H]);
      const w2t = tf.tensor2d(Float32Array.from(w2), [V, H]);
      const A = tf.add(tf.matMul(X, W1t), tf.tensor1d(Float32Array.from(b1))); // [n, V·H]
      const h3 = tf.reshape(tf.relu(A), [n, V, H]); // [n, V, H]
      const pred = tf.add(tf.sum(tf.mul(h3, w2t), 2), tf.tensor1d(Float32Array.from(b2))); // [n, V]
      const r = tf.sub(pred, Y); // [n, V]
      const mse = tf.mean(tf.square(r), 0); // [V]
      const dPred3 = tf.expandDims(tf.mul(r, 2 / n), 2); // [n, V, 1]
      const dw2 = tf.sum(tf.mul(h3, dPred3), 0); // [V, H]
      const db2 = tf.sum(dPred3, [0, 2]); // [V]
      const dA = tf.mul(tf.reshape(tf.mul(dPred3, w2t), [n, V * H]), tf.step(A)); // relu'(A), [n, V·H]
      const dW1 = tf.matMul(this.XT, dA); // [K·V, V·H]
      const db1 = tf.sum(dA, 0); // [V·H]
      return [mse, dW1, db1, dw2, db2];
    });
    const [loss, dW1, db1, dw2, db2] = out.map(take);
    // ridge on the output layer (the reference's ridge on every layer after the first)
    for (let i = 0; i < V; i++) {
      let sq = 0;
      for (let h = 0; h < H; h++) {
        const w = w2[i * H + h];
        sq += w * w;
        dw2[i * H + h] += 2 * this.ridge * w;
      }
      loss[i] += this.ridge * sq;
    }
    return { loss, grads: [dW1, db1, dw2, db2] };
  }

  prox(first: Float64Array, tau: Float64Array): void {
    proxGroups(first, this.shape, tau, this.penaltyKind);
  }

  penalty(first: Float64Array): Float64Array {
    return groupPenalties(first, this.shape, this.penaltyKind);
  }

  /** Lag-group norms `[Vt, Vin, K]` (the score layout). */
  lagNorms(w1: Float64Array): Float64Array {
    return lagNorms(w1, this.shape);
  }

  dispose(): void {
    this.XT.dispose();
  }
}

/**
 * Lagged design `[n, K·V]` (column (k-1)·V + j = x_j(t-k)) and targets `[n, V]` for the target
 * rows `rows` (default t = K .. T-1; with several recordings or missing cells, core's
 * `validTargetRows`, so no window crosses a segment border or touches a missing cell).
 */
export function laggedDesign(data: Float64Array, T: number, V: number, K: number, rows?: Int32Array): { X: Float32Array; Y: Float32Array; n: number } {
  const n = rows ? rows.length : T - K;
  const X = new Float32Array(n * K * V);
  const Y = new Float32Array(n * V);
  for (let r = 0; r < n; r++) {
    const t = rows ? rows[r] : r + K;
    for (let j = 0; j < V; j++) Y[r * V + j] = data[t * V + j];
    for (let k = 1; k <= K; k++) for (let j = 0; j < V; j++) X[(r * K + k - 1) * V + j] = data[(t - k) * V + j];
  }
  return { X, Y, n };
}

/** Columns `cols` of a row-major `[n, V]` array: `[n, cols.length]`. */
function pickColumns(a: Float32Array, n: number, V: number, cols: readonly number[]): Float32Array {
  const out = new Float32Array(n * cols.length);
  for (let r = 0; r < n; r++) cols.forEach((c, j) => (out[r * cols.length + j] = a[r * V + c]));
  return out;
}

/**
 * Fit cMLP (Tank et al., "Neural Granger Causality", TPAMI 2021) on the active tfjs backend and
 * score every lagged edge `[effect, cause, lag]`. The series is z-scored first, so the defaults
 * are scale-free.
 *
 * `lambda: "auto"` (default): the λ path of `neural/path.ts` (dense fit at a small λ, then λ
 * raised geometrically, warm-started); a lag group's score `λ* / (λ* + 0.1)` grows with the λ*
 * up to which it stayed non-zero. A fixed λ trains once from the random start; scores are then the
 * lag-group norms ‖W1^k_{:j}‖ of each target network.
 *
 * @example
 * await useBackend("wasm");
 * const fit = await fitCmlp(series, { maxLag: 3 });
 * fit.scores; // ScoreTensor [V, V, 3]
 */
export async function fitCmlp(series: TimeSeries, options: NeuralOptions): Promise<NeuralFit> {
  const s = neuralSettings(options, CMLP_DEFAULTS);
  const V = series.variables.length;
  const T = series.length;
  const K = s.maxLag;
  const H = s.hidden;
  const targets = resolveTargets(s.targets, series.variables);
  const Vt = targets.length;
  const rows = validTargetRows(series, K);
  if (rows.length < 2)
    throw new InputError(`cMLP with maxLag ${K} needs at least 2 windows of ${K + 1} complete rows inside one segment, the series has ${rows.length} (T = ${T})`);
  const z = zscore(series).series;
  // early stopping: the last 20% of each recording's rows are held out from every fit
  const split = s.earlyStop ? validationSplit(series, rows) : null;
  const held = split && split.validation.length > 0 && split.train.length >= 2 ? split : null;
  const design = laggedDesign(z.data, T, V, K, held ? held.train : rows);
  const rng = new Rng(s.seed);
  const report = progressReporter("cmlp", s.onProgress);
  // PyTorch's default init U(±1/√fan_in): W1 [K·V, V·H], b1 [V·H], w2 [V, H], b2 [V]; drawn for
  // every target, then the fitted ones taken, so a target starts the same in any subset
  const full = [uniform(rng, K * V * V * H, 1 / Math.sqrt(K * V)), uniform(rng, V * H, 1 / Math.sqrt(K * V)), uniform(rng, V * H, 1 / Math.sqrt(H)), uniform(rng, V, 1 / Math.sqrt(H))];
  const views: [number, number, number][] = [[K * V, V, H], [1, V, H], [1, V, H], [1, V, 1]];
  const params = Vt === V ? full : full.map((p, k) => pickTargets(p, views[k], targets));
  const X = tf.tensor2d(design.X, [design.n, K * V]);
  const Y = tf.tensor2d(Vt === V ? design.Y : pickColumns(design.Y, design.n, V, targets), [design.n, Vt]);
  const problem = new CmlpProblem(X, Y, V, K, H, s.ridge, s.penalty, Vt);
  const val = held ? validationProblem(z.data, T, V, K, H, s, Vt, targets, held.validation) : null;
  // ridge part of a target's smooth loss: ridge·‖w2_i‖²
  const ridgeOf = (w2: Float64Array, i: number): number => s.ridge * w2.subarray(i * H, (i + 1) * H).reduce((a, w) => a + w * w, 0);
  try {
    const trainer = new BatchedTrainer(problem, params, { optimizer: s.optimizer, step: s.step });
    const watch = val ? { patience: s.patience, error: (p: Float64Array[]) => val.lossAndGrads(p).loss.reduce((a, l, i) => a + l - ridgeOf(p[2], i), 0) } : undefined;
    const fit = await runSparseFit(trainer, () => problem.lagNorms(trainer.params[0]), { Vt, Vin: V, L: K }, s, (f, extra) => report("train", f, extra), watch);
    report("train", 1);
    const mseFitted = Array.from(trainer.loss, (l, i) => l - ridgeOf(trainer.params[2], i));
    const mse = Array.from(spreadRows(mseFitted, targets, 1, V));
    return {
      V,
      maxLag: K,
      scores: spreadRows(fit.scores, targets, V * K, V),
      groupNorms: spreadRows(fit.norms, targets, V * K, V),
      lambdas: fit.lambdas,
      iterations: trainer.iterations,
      nanSteps: trainer.nanSteps,
      rejectedSteps: trainer.rejectedSteps,
      mse,
      dense: { iterations: fit.dense.done, stopped: fit.dense.stopped },
      ...(fit.cutAt ? { cutAt: fit.cutAt } : {}),
    };
  } finally {
    problem.dispose();
    val?.dispose();
    tf.dispose([X, Y]);
  }
}

/** The cMLP problem on the validation rows (its loss minus the ridge is the validation MSE). */
function validationProblem(z: Float64Array, T: number, V: number, K: number, H: number, s: { ridge: number; penalty: GroupPenalty }, Vt: number, targets: readonly number[], rows: Int32Array) {
  const d = laggedDesign(z, T, V, K, rows);
  const X = tf.tensor2d(d.X, [d.n, K * V]);
  const Y = tf.tensor2d(Vt === V ? d.Y : pickColumns(d.Y, d.n, V, targets), [d.n, Vt]);
  const problem = new CmlpProblem(X, Y, V, K, H, s.ridge, s.penalty, Vt);
  return {
    lossAndGrads: (p: Float64Array[]) => problem.lossAndGrads(p),
    dispose: () => {
      problem.dispose();
      tf.dispose([X, Y]);
    },
  };
}

/**
 * `cmlp`: component-wise MLPs with a hierarchical group-lasso first layer (Tank et al. 2021),
 * trained as one batched model; lagged scores from the λ path (or group norms at a fixed λ).
 * Default threshold 0.6 on the λ-path score: the lag group was still non-zero at λ ≈ 0.15.
 */
export const cmlpMethod: Discoverer = defineMethod({
  name: "cmlp",
  description: "neural Granger causality, component-wise MLPs with a group-sparse first layer (Tank et al. 2021)",
  usesTensors: true,
  lagResolved: true,
  supports: { segments: true, mask: true },
  defaultThreshold: 0.6,
  params: { ...neuralParams(CMLP_DEFAULTS, GROUP_PENALTIES), targets: TARGETS_PARAM },
  // fast: a shorter warm-up and a coarser λ path over the same range; thorough: a finer path, each λ trained longer
  budgets: {
    fast: { warmupIters: 100, stepIters: 20, lambdaFactor: 2, pathSteps: 12, maxIter: 500 },
    thorough: { warmupIters: 1000, stepIters: 100, lambdaFactor: 1.25, pathSteps: 40, maxIter: 10_000, tol: 1e-5 },
  },
  estimate({ T, V, maxLag: K }, params) {
    const H = params.hidden;
    const n = T - K;
    const weights = K * V * V * H + 2 * V * H + V; // W1, b1, w2, b2
    return {
      // design (Float64 + its float32 tensor), ~6 Float64 copies of the weights (params, grads, proposal, optimiser state), activations, graph
      bytes: seriesBytes(T, V) + n * (K * V + V) * 12 + 6 * weights * 8 + 4 * n * V * H * 4 + graphBytes(V, K),
      // forward + backward ≈ 6 flops per weight per sample, two loss evaluations per iteration
      flops: 2 * neuralIterations(params) * 6 * n * weights,
    };
  },
  samplesNeeded({ V, maxLag }) {
    return { min: maxLag + 10, comfortable: comfortableRows(V, maxLag), why: "10 training windows of maxLag steps" };
  },
  run: neuralRun(true, fitCmlp),
});
