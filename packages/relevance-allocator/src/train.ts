// Train a CausalTransformer forecaster that keeps working when a plan drops tokens (random token dropping).
import * as tf from "@tensorflow/tfjs-core";
import { InputError, progressReporter, Rng, type ProgressCallback } from "@causeway/core";
import { fitEarlyStopping, selectTokens, type CausalTransformer, type FitHistory } from "@causeway/transformer";
import { fullTimes } from "./model.js";
import { pickOutputs } from "./relevance.js";
import { queryTokens } from "./scores.js";

/** Options of `trainForPlans`. */
export interface TrainForPlansOptions {
  /** Predicted variables the loss is about (default all V); their query tokens are never dropped. */
  outputs?: readonly number[];
  /**
   * A dropping step keeps a random share of the other tokens, drawn uniformly from `[minKeep, 1]`
   * (the same tokens for the whole batch), and removes the rest from the sequence, so the model
   * learns to forecast from the subsets plans keep. 1 = no dropping (default 0.1).
   */
  minKeep?: number;
  /**
   * Share of the Adam steps that drop tokens (default 0.5); the others see full windows. A step that
   * drops a cause cannot predict the target, so dropping on every step slows learning the structure.
   */
  dropSteps?: number;
  /** Maximum passes over the training windows (default 60). */
  epochs?: number;
  /** Windows per Adam step (default 16: more steps per epoch learnt the confounded task faster than 64). */
  batchSize?: number;
  /** Adam step size (default 3e-3). */
  learningRate?: number;
  /** Newest share of the windows held out for early stopping, scored with every token (default 0.2). */
  validationFraction?: number;
  /** Epochs without a better validation loss before training stops (default 20: the error can plateau for 20+ epochs before it drops). */
  patience?: number;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** What `trainForPlans` did: per-epoch mean squared error over `outputs` (training steps with dropping; validation windows with every token). */
export type TrainForPlansHistory = FitHistory;

/**
 * Train `model` for next-step forecasting of `outputs` on windows `x [n, W, V]` -> `y [n, V]` with
 * Adam, removing a random share of the tokens at every step (token dropping, in the spirit of
 * LayerDrop, Fan et al. 2020, applied to the sequence instead of the layers). A model trained on full
 * windows only meets sequences with 10% of their tokens for the first time when a plan runs it; this
 * one has seen such subsets. Early stopping keeps the weights of the epoch with the lowest validation
 * error on full windows. Inputs should be standardized (e.g. z-scored with training statistics).
 *
 * @example
 * const model = new CausalTransformer({ vars: V, window: 8, dModel: 32, heads: 4, layers: 2, ffHidden: 64 }, 1);
 * await trainForPlans(model, x, y, { outputs: [0], seed: 1 });
 */
export async function trainForPlans(model: CausalTransformer, x: tf.Tensor3D, y: tf.Tensor2D, opts: TrainForPlansOptions = {}): Promise<TrainForPlansHistory> {
  const { vars: V, window: W } = model.config;
  const N = W * V;
  if (x.rank !== 3 || x.shape[1] !== W || x.shape[2] !== V) throw new InputError(`trainForPlans: x must be [n, ${W}, ${V}], got [${x.shape}]`);
  const n = x.shape[0];
  if (y.rank !== 2 || y.shape[0] !== n || y.shape[1] !== V) throw new InputError(`trainForPlans: y must be [${n}, ${V}], got [${y.shape}]`);
  const outputs = opts.outputs ?? Array.from({ length: V }, (_, v) => v);
  if (outputs.length === 0 || outputs.some((o) => !Number.isInteger(o) || o < 0 || o >= V) || new Set(outputs).size !== outputs.length)
    throw new InputError(`trainForPlans: outputs must be distinct variable indices in 0..${V - 1}, got [${outputs}]`);
  const minKeep = opts.minKeep ?? 0.1;
  const dropSteps = opts.dropSteps ?? 0.5;
  const epochs = opts.epochs ?? 60;
  const batchSize = opts.batchSize ?? 16;
  const lr = opts.learningRate ?? 3e-3;
  const valFraction = opts.validationFraction ?? 0.2;
  const patience = opts.patience ?? 20;
  if (!(minKeep >= 0 && minKeep <= 1)) throw new InputError(`trainForPlans: minKeep must be in [0, 1], got ${minKeep}`);
  if (!(dropSteps >= 0 && dropSteps <= 1)) throw new InputError(`trainForPlans: dropSteps must be in [0, 1], got ${dropSteps}`);
  for (const [name, v] of [["epochs", epochs], ["batchSize", batchSize], ["patience", patience]] as const)
    if (!Number.isInteger(v) || v < 1) throw new InputError(`trainForPlans: ${name} must be a positive integer, got ${v}`);
  if (!(lr > 0)) throw new InputError(`trainForPlans: learningRate must be positive, got ${lr}`);
  if (!(valFraction >= 0 && valFraction < 1)) throw new InputError(`trainForPlans: validationFraction must be in [0, 1), got ${valFraction}`);
  const nVal = valFraction > 0 ? Math.max(1, Math.round(n * valFraction)) : 0;
  const nTrain = n - nVal;
  if (nTrain < 2) throw new InputError(`trainForPlans: only ${nTrain} training windows`);

  const rng = new Rng(opts.seed ?? 0);
  const report = progressReporter("train-for-plans", opts.onProgress);
  const times = fullTimes(W, V);
  const queries = queryTokens(W, V);
  const required = new Set(Array.from(outputs, (o) => queries[o]));
  const others = Array.from({ length: N }, (_, i) => i).filter((i) => !required.has(i));
  /** Mean squared error over `outputs` of the model on the token subset `index` (ascending). */
  const loss = (xb: tf.Tensor3D, yb: tf.Tensor2D, index: number[] | null): tf.Scalar =>
    tf.tidy(() => {
      const h = model.embed(xb); // [b, N, d]
      let pred: tf.Tensor2D;
      if (!index) pred = model.readout(model.encode(h, times).hidden, queries);
      else {
        const pos = new Map(index.map((i, p) => [i, p]));
        const anyQuery = pos.get(queries[outputs[0]])!;
        const qi = Int32Array.from(queries, (q) => pos.get(q) ?? anyQuery); // variables outside `outputs` are not scored
        pred = model.readout(model.encode(selectTokens(h, index), Int32Array.from(index, (i) => times[i])).hidden, qi);
      }
      return tf.mean(tf.square(pickOutputs(tf.sub(pred, yb), outputs))) as tf.Scalar; // [b, |outputs|] residuals
    });

  const xTrain = tf.slice(x, [0, 0, 0], [nTrain, W, V]);
  const yTrain = tf.slice(y, [0, 0], [nTrain, V]);
  const xVal = nVal > 0 ? tf.slice(x, [nTrain, 0, 0], [nVal, W, V]) : null;
  const yVal = nVal > 0 ? tf.slice(y, [nTrain, 0], [nVal, V]) : null;
  try {
    return await fitEarlyStopping({
      vars: model.variables,
      nTrain,
      epochs,
      batchSize,
      learningRate: lr,
      patience,
      rng,
      signal: opts.signal,
      name: "trainForPlans: training",
      step: (batch) => {
        const idx = tf.tensor1d(batch, "int32");
        const xb = tf.gather(xTrain, idx) as tf.Tensor3D; // [batch, W, V]
        const yb = tf.gather(yTrain, idx) as tf.Tensor2D; // [batch, V]
        let index: number[] | null = null;
        if (minKeep < 1 && rng.uniform() < dropSteps) {
          const share = minKeep + (1 - minKeep) * rng.uniform();
          const pool = others.slice();
          rng.shuffle(pool);
          index = [...pool.slice(0, Math.round(share * pool.length)), ...required].sort((a, b) => a - b);
        }
        return { loss: () => loss(xb, yb, index), tensors: [idx, xb, yb] };
      },
      validate: async (trainLoss) => {
        if (!xVal || !yVal) return trainLoss;
        let s = 0;
        for (let start = 0; start < nVal; start += 256) {
          const size = Math.min(256, nVal - start);
          const l = tf.tidy(() => loss(tf.slice(xVal, [start, 0, 0], [size, W, V]), tf.slice(yVal, [start, 0], [size, V]), null));
          s += (await l.data())[0] * size;
          l.dispose();
        }
        return s / nVal;
      },
      onEpoch: (epoch, trainLoss, valLoss) => report("train", (epoch + 1) / epochs, { step: epoch + 1, total: epochs, metrics: { trainLoss, valLoss } }),
    });
  } finally {
    tf.dispose([xTrain, yTrain, ...(xVal ? [xVal] : []), ...(yVal ? [yVal] : [])]);
  }
}
