import * as tf from "@tensorflow/tfjs-core";
import { comfortableRows, defineMethod, graphBytes, InputError, progressReporter, Rng, seriesBytes, zscore, type Discoverer, type TimeSeries } from "@causeway/core";
import { neuralRun, type NeuralFit } from "./neural/discover.js";
import { runSparseFit, take, uniform } from "./neural/fit.js";
import { BatchedTrainer, type BatchedProblem } from "./neural/ista.js";
import { GROUP_PENALTIES, groupPenalties, lagNorms, proxGroups, type GroupPenalty, type GroupShape } from "./neural/prox.js";
import { neuralIterations, neuralParams, neuralSettings, type NeuralDefaults, type NeuralOptions } from "./neural/settings.js";

/** cMLP defaults (chosen on Lorenz-96 and VAR benchmarks; see README). */
export const CMLP_DEFAULTS: NeuralDefaults = {
  hidden: 32,
  penalty: "H",
  lambda: "auto",
  ridge: 1e-2,
  lambdaStart: 0.005,
  lambdaFactor: 1.5,
  pathSteps: 20,
  warmupIters: 200,
  stepIters: 40,
  maxIter: 2000,
  tol: 1e-4,
  checkEvery: 10,
  optimizer: "ista",
  step: 0.1,
};

/**
 * The V component-wise MLPs as one batched model (Tank et al. 2021, cMLP with one hidden
 * layer): for target i, `x̂_i(t) = w2_iᵀ relu(Σ_k W1^k_i x(t-k) + b1_i) + b2_i`. All targets
 * share the lagged inputs, so the first layers of all networks are one matmul
 * `X [n, K·V] @ W1 [K·V, V·H]`. Gradients are written out by hand (checked against finite
 * differences in the tests).
 *
 * Parameters (float64 on the optimizer side): W1 `[K, Vin, Vt, H]` (= `[K·V, V·H]`),
 * b1 `[V, H]`, w2 `[V, H]`, b2 `[V]`.
 */
export class CmlpProblem implements BatchedProblem {
  readonly views: [number, number, number][];
  readonly shape: GroupShape;
  private readonly XT: tf.Tensor2D;

  /**
   * @param X `[n, K·V]` lagged inputs, column `(k - 1)·V + j` = x_j(t - k)
   * @param Y `[n, V]` targets x(t)
   */
  constructor(
    readonly X: tf.Tensor2D,
    readonly Y: tf.Tensor2D,
    readonly V: number,
    readonly K: number,
    readonly H: number,
    readonly ridge: number,
    readonly penaltyKind: GroupPenalty,
  ) {
    this.views = [
      [K * V, V, H],
      [1, V, H],
      [1, V, H],
      [1, V, 1],
    ];
    this.shape = { K, Vin: V, Vt: V, H };
    // wasm's matmul with transposeA is ~10x slower than with a pre-transposed operand
    this.XT = tf.transpose(X);
  }

  /** Per-target smooth loss `mse_i + ridge·‖w2_i‖²` and its gradients. */
  lossAndGrads(params: Float64Array[]): { loss: Float64Array; grads: Float64Array[] } {
    const [w1, b1, w2, b2] = params;
    const { X, Y, V, K, H } = this;
    const n = X.shape[0];
    const out = tf.tidy(() => {
      const W1t = tf.tensor2d(Float32Array.from(w1), [K * V, V * H]);
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

/** Lagged design `[n, K·V]` (column (k-1)·V + j = x_j(t-k)) and targets `[n, V]`, t = K .. T-1. */
export function laggedDesign(data: Float64Array, T: number, V: number, K: number): { X: Float32Array; Y: Float32Array; n: number } {
  const n = T - K;
  const X = new Float32Array(n * K * V);
  const Y = new Float32Array(n * V);
  for (let r = 0; r < n; r++) {
    const t = r + K;
    for (let j = 0; j < V; j++) Y[r * V + j] = data[t * V + j];
    for (let k = 1; k <= K; k++) for (let j = 0; j < V; j++) X[(r * K + k - 1) * V + j] = data[(t - k) * V + j];
  }
  return { X, Y, n };
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
  if (T - K < 2) throw new InputError(`cMLP with maxLag ${K} needs at least ${K + 2} rows, the series has ${T}`);
  const z = zscore(series).series;
  const design = laggedDesign(z.data, T, V, K);
  const rng = new Rng(s.seed);
  const report = progressReporter("cmlp", s.onProgress);
  // PyTorch's default init U(±1/√fan_in): W1 [K·V, V·H], b1 [V·H], w2 [V, H], b2 [V]
  const params = [uniform(rng, K * V * V * H, 1 / Math.sqrt(K * V)), uniform(rng, V * H, 1 / Math.sqrt(K * V)), uniform(rng, V * H, 1 / Math.sqrt(H)), uniform(rng, V, 1 / Math.sqrt(H))];
  const X = tf.tensor2d(design.X, [design.n, K * V]);
  const Y = tf.tensor2d(design.Y, [design.n, V]);
  const problem = new CmlpProblem(X, Y, V, K, H, s.ridge, s.penalty);
  try {
    const trainer = new BatchedTrainer(problem, params, { optimizer: s.optimizer, step: s.step });
    const fit = await runSparseFit(trainer, () => problem.lagNorms(trainer.params[0]), { Vt: V, Vin: V, L: K }, s, (f, extra) => report("train", f, extra));
    report("train", 1);
    const w2 = trainer.params[2];
    const mse = Array.from(trainer.loss, (l, i) => l - s.ridge * w2.subarray(i * H, (i + 1) * H).reduce((a, w) => a + w * w, 0));
    return {
      V,
      maxLag: K,
      scores: fit.scores,
      groupNorms: fit.norms,
      lambdas: fit.lambdas,
      iterations: trainer.iterations,
      nanSteps: trainer.nanSteps,
      rejectedSteps: trainer.rejectedSteps,
      mse,
    };
  } finally {
    problem.dispose();
    tf.dispose([X, Y]);
  }
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
  defaultThreshold: 0.6,
  params: neuralParams(CMLP_DEFAULTS, GROUP_PENALTIES),
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
