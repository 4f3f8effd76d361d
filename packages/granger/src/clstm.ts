import * as tf from "@tensorflow/tfjs-core";
import { comfortableRows, defineMethod, graphBytes, InputError, param, progressReporter, Rng, seriesBytes, validationSplit, validTargetRows, zscore, type Discoverer, type ParamValues, type TimeSeries } from "@causeway/core";
import { neuralRun, type NeuralFit } from "./neural/discover.js";
import { runSparseFit, take, uniform } from "./neural/fit.js";
import { BatchedTrainer, type BatchedProblem } from "./neural/ista.js";
import { groupPenalties, lagNorms, proxGroups, type GroupShape } from "./neural/prox.js";
import { neuralIterations, neuralParams, neuralSettings, TARGETS_PARAM, type NeuralDefaults, type NeuralOptions } from "./neural/settings.js";
import { pickTargets, resolveTargets, spreadRows } from "./neural/targets.js";

/** cLSTM defaults (see README for how they were chosen). */
export const CLSTM_DEFAULTS: NeuralDefaults = {
  hidden: 16,
  penalty: "GL",
  lambda: "auto",
  ridge: 1e-2,
  lambdaStart: 0.005,
  lambdaFactor: 1.6,
  pathSteps: 20,
  warmupIters: 100,
  stepIters: 15,
  maxIter: 2000,
  tol: 1e-4,
  checkEvery: 10,
  optimizer: "ista",
  step: 0.1,
  earlyStop: false,
  patience: 5,
};

/** Truncated-BPTT window length (the reference code's `context`). */
export const CLSTM_CONTEXT = 10;

/** cLSTM options: the neural options plus the training windows. */
export interface ClstmOptions extends NeuralOptions {
  /** Length of each training window (truncated backpropagation through time). Default 10. */
  context?: number;
  /** Step between window starts: the reference code uses 1 (every window); default `context` (disjoint windows, `context`× cheaper). */
  stride?: number;
}

/**
 * Window starts `[B]` for training windows of C steps plus the next row (rows s .. s + C):
 * every start whose rows lie inside one segment and touch no missing cell (core's
 * `validTargetRows` at lag C), taken at least `stride` apart. One segment, no mask: 0, stride, ...
 */
export function windowStarts(series: TimeSeries, C: number, stride: number): Int32Array {
  const out: number[] = [];
  for (const t of validTargetRows(series, C)) {
    const s = t - C;
    if (out.length === 0 || s >= out[out.length - 1] + stride) out.push(s);
  }
  return Int32Array.from(out);
}

/**
 * Training windows: inputs `[B·C, V]` (row b·C + t = x(s_b + t)) and targets `[V, C, B]`
 * (x_i(s_b + t + 1)), windows starting at s_b = `starts[b]` (default b·stride).
 */
export function lstmWindows(data: Float64Array, T: number, V: number, C: number, stride: number, starts?: Int32Array): { X: Float32Array; Y: Float32Array; B: number } {
  const B = starts ? starts.length : Math.floor((T - C - 1) / stride) + 1;
  const X = new Float32Array(B * C * V);
  const Y = new Float32Array(V * C * B);
  for (let b = 0; b < B; b++) {
    const s = starts ? starts[b] : b * stride;
    for (let t = 0; t < C; t++)
      for (let v = 0; v < V; v++) {
        X[(b * C + t) * V + v] = data[(s + t) * V + v];
        Y[(v * C + t) * B + b] = data[(s + t + 1) * V + v];
      }
  }
  return { X, Y, B };
}

/**
 * The V component-wise LSTMs as one batched model (Tank et al. 2021, cLSTM): for target i,
 * an LSTM over all series (gates i, f, g, o; `c_t = f⊙c_{t-1} + i⊙g`, `h_t = o⊙tanh(c_t)`) and
 * `x̂_i(t+1) = w_iᵀ h_t + b_i`. The input-to-hidden weights of all targets are one matmul
 * `X [B·C, V] @ W_ih [V, V·4H]`; the recurrence is a batched matmul over targets
 * `[V, B, H] @ [V, H, 4H]`. Gradients come from tfjs autodiff (truncated BPTT over each window,
 * zero initial state, as in the reference code).
 *
 * Parameters: W_ih `[Vin, Vt, 4H]` (the grouped first layer, group = input series j of
 * target i), W_hh `[Vt, H, 4H]`, bias `[Vt, 4H]`, w_out `[Vt, H]`, b_out `[Vt]`.
 */
export class ClstmProblem implements BatchedProblem {
  readonly views: [number, number, number][];
  readonly shape: GroupShape;
  /** Number of target networks (Vt). */
  readonly V: number;

  /**
   * @param X `[B·C, Vin]` window inputs
   * @param Y `[Vt, C, B]` window targets of the fitted effects
   * @param Vt target networks (default Vin: every variable is an effect)
   */
  constructor(
    readonly X: tf.Tensor2D,
    readonly Y: tf.Tensor3D,
    readonly Vin: number,
    readonly B: number,
    readonly C: number,
    readonly H: number,
    readonly ridge: number,
    Vt = Vin,
  ) {
    const G = 4 * H;
    this.V = Vt;
    this.views = [
      [Vin, Vt, G],
      [1, Vt, H * G],
      [1, Vt, G],
      [1, Vt, H],
      [1, Vt, 1],
    ];
    this.shape = { K: 1, Vin, Vt, H: G };
  }

  /** Per-target smooth loss: mean squared one-step error over all window positions, plus ridge on W_hh and w_out. */
  lossAndGrads(params: Float64Array[]): { loss: Float64Array; grads: Float64Array[] } {
    const { V, Vin, B, C, H } = this;
    const G = 4 * H;
    const shapes: number[][] = [
      [Vin, V * G],
      [V, H, G],
      [V, G],
      [V, 1, 1, H],
      [V, 1, 1],
    ];
    const out = tf.tidy(() => {
      const tensors = params.map((p, k) => tf.tensor(Float32Array.from(p), shapes[k]));
      let lossVec: tf.Tensor | null = null;
      const f = (Wih: tf.Tensor, Whh: tf.Tensor, bias: tf.Tensor, wOut: tf.Tensor, bOut: tf.Tensor): tf.Scalar => {
        // input projections (plus bias) of every window position at once: C x [Vt, B, 4H]
        const xw = tf.unstack(tf.add(tf.transpose(tf.reshape(tf.matMul(this.X, Wih as tf.Tensor2D), [B, C, V, G]), [1, 2, 0, 3]), tf.reshape(bias, [1, V, 1, G])), 0);
        const gate = (z: tf.Tensor, k: number): tf.Tensor => tf.slice(z, [0, 0, k * H], [V, B, H]);
        let h: tf.Tensor | null = null; // [Vt, B, H]
        let c: tf.Tensor | null = null;
        const hs: tf.Tensor[] = [];
        for (let t = 0; t < C; t++) {
          // zero initial state: the recurrent term starts at t = 1
          const z: tf.Tensor = h ? tf.add(xw[t], tf.matMul(h as tf.Tensor3D, Whh as tf.Tensor3D)) : xw[t]; // [Vt, B, 4H]
          const s = tf.sigmoid(z); // gates i, f, o (the g slice is recomputed with tanh)
          const gi = gate(s, 0);
          const gg = tf.tanh(gate(z, 2));
          c = c ? tf.add(tf.mul(gate(s, 1), c), tf.mul(gi, gg)) : tf.mul(gi, gg);
          h = tf.mul(gate(s, 3), tf.tanh(c));
          hs.push(h);
        }
        const pred = tf.add(tf.sum(tf.mul(tf.stack(hs, 1), wOut), 3), bOut); // [Vt, C, B]
        lossVec = tf.keep(tf.mean(tf.square(tf.sub(pred, this.Y)), [1, 2])); // [Vt]
        return tf.sum(lossVec) as tf.Scalar;
      };
      const { grads } = tf.valueAndGrads(f as (...args: tf.Tensor[]) => tf.Scalar)(tensors);
      return [lossVec as unknown as tf.Tensor, ...grads];
    });
    const [loss, ...grads] = out.map(take);
    // ridge on the recurrent and output weights (the reference's ridge on every layer after the first)
    for (const k of [1, 3]) {
      const per = this.views[k][2];
      for (let i = 0; i < V; i++) {
        let sq = 0;
        for (let e = i * per; e < (i + 1) * per; e++) {
          const w = params[k][e];
          sq += w * w;
          grads[k][e] += 2 * this.ridge * w;
        }
        loss[i] += this.ridge * sq;
      }
    }
    return { loss, grads };
  }

  prox(first: Float64Array, tau: Float64Array): void {
    proxGroups(first, this.shape, tau, "GL");
  }

  penalty(first: Float64Array): Float64Array {
    return groupPenalties(first, this.shape, "GL");
  }

  /** Input-series group norms `[Vt, Vin, 1]` (the score layout with one lag). */
  groupNorms(wih: Float64Array): Float64Array {
    return lagNorms(wih, this.shape);
  }
}

/**
 * Fit cLSTM (Tank et al., "Neural Granger Causality", TPAMI 2021) on the active tfjs backend
 * and score every (effect, cause) pair; cLSTM has no lags, so the scores are `[V, V, 1]`
 * (a summary graph). Series are z-scored; the λ settings work as for cMLP.
 *
 * @example
 * const fit = await fitClstm(series, { maxLag: 1, context: 10 });
 */
export async function fitClstm(series: TimeSeries, options: ClstmOptions): Promise<NeuralFit> {
  const s = neuralSettings({ ...options, penalty: options.penalty ?? "GL" }, CLSTM_DEFAULTS);
  if (s.penalty !== "GL") throw new InputError(`cLSTM supports the GL penalty only (its input weights have no lag structure), got "${s.penalty}"`);
  const C = options.context ?? CLSTM_CONTEXT;
  const stride = options.stride ?? C;
  if (!Number.isInteger(C) || C < 1) throw new InputError(`context must be an integer >= 1, got ${C}`);
  if (!Number.isInteger(stride) || stride < 1) throw new InputError(`stride must be an integer >= 1, got ${stride}`);
  const V = series.variables.length;
  const T = series.length;
  const H = s.hidden;
  const G = 4 * H;
  if (T < C + 2) throw new InputError(`cLSTM with context ${C} needs at least ${C + 2} rows, the series has ${T}`);
  const targets = resolveTargets(s.targets, series.variables);
  const Vt = targets.length;
  const starts = windowStarts(series, C, stride);
  if (starts.length === 0) throw new InputError(`cLSTM with context ${C} needs a window of ${C + 1} complete rows inside one segment; the series has none`);
  const z = zscore(series).series;
  // early stopping: the last 20% of each recording's windows are held out from every fit
  const split = s.earlyStop ? validationSplit(series, starts) : null;
  const held = split && split.validation.length > 0 && split.train.length >= 1 ? split : null;
  const w = lstmWindows(z.data, T, V, C, stride, held ? held.train : starts);
  const rng = new Rng(s.seed);
  const report = progressReporter("clstm", s.onProgress);
  // PyTorch's LSTM/Linear init U(±1/√H), drawn for every target, then the fitted ones taken (a target starts the same in any subset)
  const b = 1 / Math.sqrt(H);
  const full = [uniform(rng, V * V * G, b), uniform(rng, V * H * G, b), uniform(rng, V * G, b), uniform(rng, V * H, b), uniform(rng, V, b)];
  const views: [number, number, number][] = [[V, V, G], [1, V, H * G], [1, V, G], [1, V, H], [1, V, 1]];
  const params = Vt === V ? full : full.map((p, k) => pickTargets(p, views[k], targets));
  const tensors = (win: { X: Float32Array; Y: Float32Array; B: number }): [tf.Tensor2D, tf.Tensor3D] => {
    const Yt = Vt === V ? win.Y : Float32Array.from(pickTargets(Float64Array.from(win.Y), [1, V, C * win.B], targets));
    return [tf.tensor2d(win.X, [win.B * C, V]), tf.tensor3d(Yt, [Vt, C, win.B])];
  };
  const [X, Y] = tensors(w);
  const problem = new ClstmProblem(X, Y, V, w.B, C, H, s.ridge, Vt);
  const wv = held ? lstmWindows(z.data, T, V, C, stride, held.validation) : null;
  const [Xv, Yv] = wv ? tensors(wv) : [null, null];
  const val = wv && Xv && Yv ? new ClstmProblem(Xv, Yv, V, wv.B, C, H, s.ridge, Vt) : null;
  // ridge part of a target's smooth loss: ridge·(‖W_hh,i‖² + ‖w_out,i‖²)
  const ridgeOf = (p: Float64Array[], i: number): number => {
    let sq = 0;
    for (const k of [1, 3]) {
      const per = problem.views[k][2];
      for (let e = i * per; e < (i + 1) * per; e++) sq += p[k][e] ** 2;
    }
    return s.ridge * sq;
  };
  try {
    const trainer = new BatchedTrainer(problem, params, { optimizer: s.optimizer, step: s.step });
    const watch = val ? { patience: s.patience, error: (p: Float64Array[]) => val.lossAndGrads(p).loss.reduce((a, l, i) => a + l - ridgeOf(p, i), 0) } : undefined;
    const fit = await runSparseFit(trainer, () => problem.groupNorms(trainer.params[0]), { Vt, Vin: V, L: 1 }, s, (f, extra) => report("train", f, extra), watch);
    report("train", 1);
    const mseFitted = Array.from(trainer.loss, (l, i) => l - ridgeOf(trainer.params, i));
    const mse = Array.from(spreadRows(mseFitted, targets, 1, V));
    return {
      V,
      maxLag: 1,
      scores: spreadRows(fit.scores, targets, V, V),
      groupNorms: spreadRows(fit.norms, targets, V, V),
      lambdas: fit.lambdas,
      iterations: trainer.iterations,
      nanSteps: trainer.nanSteps,
      rejectedSteps: trainer.rejectedSteps,
      mse,
      dense: { iterations: fit.dense.done, stopped: fit.dense.stopped },
      ...(fit.cutAt ? { cutAt: fit.cutAt } : {}),
    };
  } finally {
    tf.dispose([X, Y, ...(Xv && Yv ? [Xv, Yv] : [])]);
  }
}

const CLSTM_PARAMS = {
  ...neuralParams(CLSTM_DEFAULTS, ["GL"]),
  targets: TARGETS_PARAM,
  context: param.integer({ default: CLSTM_CONTEXT, min: 1, max: 1000, description: "truncated-BPTT window length" }),
  stride: param.integer({
    default: 0,
    min: 0,
    max: 100_000,
    description: "step between window starts (0: the context, disjoint windows; 1: every window, as the reference code)",
  }),
};

/**
 * `clstm`: component-wise LSTMs with a group-lasso input layer (Tank et al. 2021), trained as
 * one batched model; summary scores from the λ path (repeated at every lag, `lagResolved: false`).
 * Default threshold 0.5: the input series was still non-zero at λ = 0.1.
 */
export const clstmMethod: Discoverer = defineMethod({
  name: "clstm",
  description: "neural Granger causality, component-wise LSTMs with a group-lasso input layer (Tank et al. 2021); summary graph",
  usesTensors: true,
  lagResolved: false,
  supports: { segments: true, mask: true },
  defaultThreshold: 0.5,
  params: CLSTM_PARAMS,
  // fast: a shorter warm-up and a coarser λ path over the same range; thorough: a finer path, each λ trained longer
  budgets: {
    fast: { warmupIters: 50, stepIters: 8, lambdaFactor: 2.2, pathSteps: 12, maxIter: 500 },
    thorough: { warmupIters: 300, stepIters: 30, lambdaFactor: 1.4, pathSteps: 30, maxIter: 5000 },
  },
  estimate({ T, V, maxLag }, params) {
    const H = params.hidden;
    const G = 4 * H;
    const C = params.context;
    const stride = params.stride || C;
    const steps = (Math.floor(Math.max(0, T - C - 1) / stride) + 1) * C; // B windows of C steps
    const weights = V * (V * G + H * G + G + H + 1);
    return {
      // windows (inputs, targets), gate activations kept for BPTT, ~6 Float64 copies of the weights, graph
      bytes: seriesBytes(T, V) + 2 * steps * V * 8 + 3 * steps * V * (G + 2 * H) * 4 + 6 * weights * 8 + graphBytes(V, maxLag),
      flops: 2 * neuralIterations(params) * 6 * steps * weights,
    };
  },
  samplesNeeded({ V, maxLag }, params) {
    const C = params.context;
    return { min: C + 10, comfortable: comfortableRows(V, maxLag, C), why: `10 steps beyond one context window of ${C}` };
  },
  run: neuralRun(false, (x, o, p: ParamValues<typeof CLSTM_PARAMS>) => fitClstm(x, { ...o, context: p.context, stride: p.stride || undefined })),
});
