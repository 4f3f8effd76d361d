import * as tf from "@tensorflow/tfjs-core";
import { InputError, progressReporter, Rng, validTargetRows, zscore, type ProgressCallback, type TimeSeries } from "@causeway/core";
import { fitEarlyStopping, type FitHistory } from "./fit.js";
import { CausalTransformer, type TransformerConfig } from "./model.js";

/** Default model shape apart from `vars` and `window` (chosen for speed on wasm; see README). */
export const MODEL_DEFAULTS = { dModel: 32, heads: 4, layers: 2, ffHidden: 64 } as const;

/** Training defaults (see README for how they were chosen). */
export const TRAIN_DEFAULTS = {
  /** Maximum passes over the training windows. */
  epochs: 40,
  /** Windows per Adam step. */
  batchSize: 64,
  /** Adam step size. */
  learningRate: 3e-3,
  /** Fraction of the windows, the newest ones, held out for early stopping. */
  validationFraction: 0.2,
  /** Epochs without a better validation loss before training stops. */
  patience: 6,
  /** Standard deviation of Gaussian noise added to the (z-scored) training inputs; 0: none. */
  inputNoise: 0,
} as const;

/** Options of `trainTransformer`. */
export interface TrainOptions {
  /** Model shape; `vars` defaults to the series' V, `window` to `maxLag` (or 4). */
  config?: Partial<TransformerConfig>;
  /** The largest lag of interest; the default window. */
  maxLag?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  validationFraction?: number;
  patience?: number;
  /**
   * Standard deviation of Gaussian noise added to the z-scored training inputs (default 0). To first
   * order it adds `inputNoise² · Σ (∂ŷ/∂x)²` to the loss (Bishop 1995, "Training with noise is
   * equivalent to Tikhonov regularization"), damping the model's sensitivity to inputs it does not need.
   */
  inputNoise?: number;
  /** Method name in progress events (default "transformer"). */
  progressName?: string;
  /** A seconds budget's deadline (see `fitEarlyStopping`). */
  deadline?: { expired(): boolean };
}

/** Per-epoch losses (mean squared error on the z-scored series). */
export type TrainHistory = FitHistory;

/**
 * Sliding windows of a `[T, V]` series: inputs `[n, W, V]` (rows t-W .. t-1) and targets `[n, V]`
 * (row t) for the target rows `rows` (default t = W .. T-1; with several recordings or missing
 * cells, core's `validTargetRows(series, W)`, so no window crosses a border or a missing cell).
 */
export function windows(data: Float64Array, T: number, V: number, W: number, rows?: Int32Array): { x: Float32Array; y: Float32Array; n: number } {
  const n = rows ? rows.length : T - W;
  if (n < 1) throw new InputError(`a window of ${W} steps needs at least ${W + 1} complete rows inside one segment, the series has ${T} rows and ${Math.max(0, n)} such windows`);
  const x = new Float32Array(n * W * V);
  const y = new Float32Array(n * V);
  for (let r = 0; r < n; r++) {
    const t = rows ? rows[r] : r + W;
    x.set(data.subarray((t - W) * V, t * V), r * W * V);
    y.set(data.subarray(t * V, (t + 1) * V), r * V);
  }
  return { x, y, n };
}

/** Complete a partial config with the defaults. */
export function resolveConfig(V: number, maxLag: number | undefined, config: Partial<TransformerConfig> = {}): TransformerConfig {
  return { vars: V, window: maxLag ?? 4, ...MODEL_DEFAULTS, ...config };
}

/**
 * Train a `CausalTransformer` for next-step prediction on a series (z-scored inside) with Adam,
 * keeping the weights of the epoch with the lowest loss on the held-out newest windows and
 * stopping after `patience` epochs without improvement. Runs on the active tfjs backend.
 *
 * @example
 * await useBackend("wasm");
 * const { model, history } = await trainTransformer(series, { maxLag: 3, seed: 1 });
 * model.dispose();
 */
export async function trainTransformer(series: TimeSeries, opts: TrainOptions = {}): Promise<{ model: CausalTransformer; history: TrainHistory }> {
  const config = resolveConfig(series.variables.length, opts.maxLag, opts.config);
  if (config.vars !== series.variables.length) throw new InputError(`trainTransformer: config.vars (${config.vars}) differs from the series' ${series.variables.length} variables`);
  const rng = new Rng(opts.seed ?? 0);
  const model = new CausalTransformer(config, rng.int(2 ** 31));
  try {
    const history = await trainPredictor(model, config.window, series, { ...opts, seed: rng.int(2 ** 31) });
    return { model, history };
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/** A next-step predictor trained by `trainPredictor`. */
export interface Predictor {
  readonly variables: tf.Variable[];
  /** `[batch, W, V]` -> `[batch, V]`; with input noise, `clean` is the noise-free input (a model may use it, e.g. for a linear highway). */
  forward(x: tf.Tensor3D, opts?: { clean?: tf.Tensor3D }): { prediction: tf.Tensor2D };
}

/**
 * Train any next-step predictor on windows of `window` steps of a series (z-scored inside) with
 * Adam; early stopping on the held-out newest windows restores the best epoch's weights.
 */
export async function trainPredictor(model: Predictor, window: number, series: TimeSeries, opts: Omit<TrainOptions, "config" | "maxLag"> = {}): Promise<TrainHistory> {
  const V = series.variables.length;
  const T = series.length;
  const epochs = opts.epochs ?? TRAIN_DEFAULTS.epochs;
  const batchSize = opts.batchSize ?? TRAIN_DEFAULTS.batchSize;
  const lr = opts.learningRate ?? TRAIN_DEFAULTS.learningRate;
  const valFraction = opts.validationFraction ?? TRAIN_DEFAULTS.validationFraction;
  const patience = opts.patience ?? TRAIN_DEFAULTS.patience;
  const inputNoise = opts.inputNoise ?? TRAIN_DEFAULTS.inputNoise;
  if (!(inputNoise >= 0 && Number.isFinite(inputNoise))) throw new InputError(`trainTransformer: inputNoise must be a finite number >= 0, got ${inputNoise}`);
  if (!(valFraction >= 0 && valFraction < 1)) throw new InputError(`trainTransformer: validationFraction must be in [0, 1), got ${valFraction}`);
  for (const [name, x] of [["epochs", epochs], ["batchSize", batchSize], ["patience", patience]] as const)
    if (!Number.isInteger(x) || x < 1) throw new InputError(`trainTransformer: ${name} must be a positive integer, got ${x}`);
  if (!(lr > 0)) throw new InputError(`trainTransformer: learningRate must be positive, got ${lr}`);
  const W = window;
  const z = zscore(series).series;
  const win = windows(z.data, T, V, W, validTargetRows(series, W));
  const nVal = valFraction > 0 ? Math.max(1, Math.round(win.n * valFraction)) : 0;
  const nTrain = win.n - nVal;
  if (nTrain < 2) throw new InputError(`trainTransformer: only ${nTrain} training windows; the series needs more rows`);
  const report = progressReporter(opts.progressName ?? "transformer", opts.onProgress);
  const rng = new Rng(opts.seed ?? 0);
  const X = tf.tensor3d(win.x, [win.n, W, V]);
  const Y = tf.tensor2d(win.y, [win.n, V]);
  const xVal = nVal > 0 ? tf.slice(X, [nTrain, 0, 0], [nVal, W, V]) : null;
  const yVal = nVal > 0 ? tf.slice(Y, [nTrain, 0], [nVal, V]) : null;
  try {
    report("train", 0, { step: 0, total: epochs });
    const history = await fitEarlyStopping({
      vars: model.variables,
      nTrain,
      epochs,
      batchSize,
      learningRate: lr,
      patience,
      rng,
      signal: opts.signal,
      deadline: opts.deadline,
      name: "transformer training",
      step: (batch) => {
        const idx = tf.tensor1d(batch, "int32");
        const clean = tf.gather(X, idx) as tf.Tensor3D; // [batch, W, V]
        const xb = inputNoise > 0 ? (tf.tidy(() => tf.add(clean, tf.randomNormal(clean.shape, 0, inputNoise, "float32", rng.int(2 ** 31)))) as tf.Tensor3D) : clean;
        const yb = tf.gather(Y, idx) as tf.Tensor2D; // [batch, V]
        const loss = () => tf.mean(tf.square(tf.sub(model.forward(xb, inputNoise > 0 ? { clean } : {}).prediction, yb))) as tf.Scalar;
        return { loss, tensors: [idx, clean, xb, yb] };
      },
      validate: (trainLoss) => (xVal && yVal ? evaluate(model, xVal, yVal, batchSize * 8) : trainLoss),
      onEpoch: (epoch, trainLoss, valLoss) => report("train", (epoch + 1) / epochs, { step: epoch + 1, total: epochs, metrics: { trainLoss, valLoss } }),
    });
    report("train", 1, { step: history.epochs, total: epochs });
    return history;
  } finally {
    tf.dispose([X, Y, ...(xVal ? [xVal] : []), ...(yVal ? [yVal] : [])]);
  }
}

/** Mean squared error of a model on windows `x [n, W, V]` -> targets `y [n, V]`, in chunks. */
export function evaluate(model: Predictor, x: tf.Tensor3D, y: tf.Tensor2D, chunk = 512): number {
  const [n, W, V] = x.shape;
  let sum = 0;
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const s = tf.tidy(() => {
      const xb = tf.slice(x, [start, 0, 0], [size, W, V]);
      const yb = tf.slice(y, [start, 0], [size, V]);
      return tf.sum(tf.mean(tf.square(tf.sub(model.forward(xb).prediction, yb)), 1));
    });
    sum += s.dataSync()[0];
    s.dispose();
  }
  return sum / n;
}
