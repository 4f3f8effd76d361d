import * as tf from "@tensorflow/tfjs-core";
import { EarlyStopping, InputError, throwIfAborted, yieldToEventLoop, type Rng } from "@causeway/core";

/** One Adam step, prepared for a batch of training windows: the loss to minimise, and what to free after it. */
export interface FitStep {
  loss: () => tf.Scalar;
  tensors?: tf.Tensor[];
}

/** What `fitEarlyStopping` needs: the variables, the data's size, the schedule, and two callbacks. */
export interface EarlyStoppingFit {
  /** Trainable variables (restored to the best epoch's values at the end). */
  vars: tf.Variable[];
  /** Training windows, indexed 0..nTrain-1 (shuffled by `rng` every epoch). */
  nTrain: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Epochs without a better validation loss before training stops. */
  patience: number;
  rng: Rng;
  signal?: AbortSignal;
  /** Prepares the step on the training windows `batch` (may draw from `rng`). */
  step(batch: Int32Array): FitStep;
  /** Validation loss after an epoch; gets the epoch's training loss (return it when nothing is held out). */
  validate(trainLoss: number): number | Promise<number>;
  /** Called after every epoch (progress). */
  onEpoch?(epoch: number, trainLoss: number, validationLoss: number): void;
  /** Names the training in the divergence error. */
  name: string;
  /** A seconds budget's deadline: training stops after the epoch at which it expires (the best weights are kept). */
  deadline?: { expired(): boolean };
}

/** Per-epoch losses of `fitEarlyStopping`. */
export interface FitHistory {
  trainLoss: number[];
  validationLoss: number[];
  /** Epoch (0-based) whose weights were kept. */
  bestEpoch: number;
  bestValidationLoss: number;
  epochs: number;
  /** Why training ended. */
  stopped: "epochs" | "patience" | "deadline";
}

/**
 * Minibatch Adam (Kingma & Ba 2015) over shuffled training windows with early stopping: after every
 * epoch the validation loss is measured, the best epoch's weights are kept, training stops after
 * `patience` epochs without improvement, and the kept weights are restored. The loop both
 * `trainPredictor` and the relevance allocator's `trainForPlans` run.
 */
export async function fitEarlyStopping(fit: EarlyStoppingFit): Promise<FitHistory> {
  const { vars, nTrain, epochs, batchSize, patience, rng } = fit;
  if (nTrain < 1) throw new InputError(`${fit.name}: no training windows`);
  const optimizer = tf.train.adam(fit.learningRate);
  let best: tf.Tensor[] | null = null;
  const history: FitHistory = { trainLoss: [], validationLoss: [], bestEpoch: -1, bestValidationLoss: Infinity, epochs: 0, stopped: "epochs" };
  const order = Array.from({ length: nTrain }, (_, i) => i);
  const early = new EarlyStopping(patience);
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      rng.shuffle(order);
      let sum = 0;
      for (let start = 0; start < nTrain; start += batchSize) {
        throwIfAborted(fit.signal);
        const batch = Int32Array.from(order.slice(start, start + batchSize));
        const step = fit.step(batch);
        const loss = optimizer.minimize(step.loss, true, vars);
        const l = loss ? (await loss.data())[0] : NaN;
        sum += l * batch.length;
        tf.dispose([...(step.tensors ?? []), ...(loss ? [loss] : [])]);
        if (!Number.isFinite(l)) throw new Error(`${fit.name} diverged (loss ${l}) at epoch ${epoch}; try a smaller learningRate`);
      }
      const trainLoss = sum / nTrain;
      const valLoss = await fit.validate(trainLoss);
      history.trainLoss.push(trainLoss);
      history.validationLoss.push(valLoss);
      history.epochs = epoch + 1;
      fit.onEpoch?.(epoch, trainLoss, valLoss);
      if (early.update(valLoss)) {
        history.bestValidationLoss = valLoss;
        history.bestEpoch = epoch;
        tf.dispose(best ?? []);
        best = vars.map((v) => tf.clone(v));
      } else if (early.stop) {
        history.stopped = "patience";
        break;
      }
      if (fit.deadline?.expired()) {
        history.stopped = "deadline";
        break;
      }
      await yieldToEventLoop(); // progress and abort get through between epochs
    }
    if (best) vars.forEach((v, i) => v.assign(best![i]));
    return history;
  } finally {
    tf.dispose(best ?? []);
    optimizer.dispose();
  }
}
