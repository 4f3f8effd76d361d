import { hasActivation, layerDilation, paramLayout, softmaxGates, type NetShape, type ParamLayout } from "./network.js";

/**
 * The training data of the batched model, as padded rows.
 * Target j's network predicts `x_j(t)` from input rows that hold only earlier values of
 * `x_j` (Nauta et al. 2019 §4.1: the target's own series is shifted one step) and, for the
 * other series, either earlier values too (`instantaneous: false`) or values up to and
 * including t (`instantaneous: true`, the paper's setting, which allows delay-0 causes).
 */
export interface NetInputs {
  /** Time steps T. */
  T: number;
  /** Zero padding in front of every row: `k - 1` (the reach of layer 0). */
  pad: number;
  /** Per series, `[pad + T]`: `x_i(t)` at `pad + t`. */
  plain: Float64Array[];
  /** Per series, `[pad + T]`: `x_i(t - 1)` at `pad + t` (0 at t = 0). */
  shifted: Float64Array[];
  /** Per target, `[T]`: `x_j(t)`. */
  target: Float64Array[];
  /** Whether other series enter at lag 0 (see above). */
  instantaneous: boolean;
  /**
   * `[T]` 1 where step t counts in the loss, 0 where its receptive field crosses a segment border
   * or touches a missing cell (several recordings, `series.mask`); null: every step counts.
   */
  weight: Float64Array | null;
  /** Steps that count: Σ weight, or T. Losses are means over these steps. */
  count: number;
  /** Target networks fitted (ascending effect indices; default all): the others get no loss and no gradient. */
  targets: number[];
}

/**
 * Build the padded rows from a row-major `[T, V]` series.
 * @param data `[T, V]`, `data[t * V + v]`; a missing cell (NaN) enters as 0 (the mean of z-scored
 *   data) and `weight` must leave out every step that sees it
 * @param weight `[T]` loss weight of each step (0 or 1), null for all 1
 */
export function makeInputs(
  data: Float64Array,
  T: number,
  V: number,
  kernelSize: number,
  instantaneous: boolean,
  weight: Float64Array | null = null,
  targets: number[] = Array.from({ length: V }, (_, j) => j),
): NetInputs {
  const pad = kernelSize - 1;
  const plain: Float64Array[] = [];
  const shifted: Float64Array[] = [];
  const target: Float64Array[] = [];
  for (let v = 0; v < V; v++) {
    const p = new Float64Array(pad + T);
    const s = new Float64Array(pad + T);
    const y = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      const raw = data[t * V + v];
      const x = Number.isNaN(raw) ? 0 : raw;
      p[pad + t] = x;
      if (t + 1 < T) s[pad + t + 1] = x;
      y[t] = x;
    }
    plain.push(p);
    shifted.push(s);
    target.push(y);
  }
  let count = T;
  if (weight) {
    count = 0;
    for (let t = 0; t < T; t++) count += weight[t];
  }
  return { T, pad, plain, shifted, target, instantaneous, weight, count, targets };
}

/** The row that channel (j, i) reads: series i as target j's network sees it. */
export function channelRow(inputs: NetInputs, j: number, i: number): Float64Array {
  return i === j || !inputs.instantaneous ? inputs.shifted[i] : inputs.plain[i];
}

/** Lag of row position `pad + t - q` relative to the predicted step t: `q + shift`. */
export function rowShift(inputs: NetInputs, j: number, i: number): number {
  return i === j || !inputs.instantaneous ? 1 : 0;
}

/** Scratch buffers for one channel; reused across channels and epochs. */
export interface Workspace {
  /** Inputs of layers 1..L, each `[pad_l + T]` with `pad_l = (k-1) c^l` leading zeros. */
  layerIn: Float64Array[];
  /** Pre-activations of layers 0..L, each `[T]`. */
  z: Float64Array[];
  /** Channel output (input of the pointwise layer), `[T]`. */
  out: Float64Array;
  /** Gradient buffers, `[T]`. */
  dOut: Float64Array;
  dz: Float64Array;
  dPrev: Float64Array;
  /** Target prediction and its gradient, `[T]`. */
  y: Float64Array;
  dy: Float64Array;
}

export function makeWorkspace(shape: NetShape, T: number): Workspace {
  const { kernelSize: k, hiddenLayers: L } = shape;
  const layerIn: Float64Array[] = [new Float64Array(0)];
  for (let l = 1; l <= L; l++) layerIn.push(new Float64Array((k - 1) * layerDilation(shape, l) + T));
  const z = Array.from({ length: L + 1 }, () => new Float64Array(T));
  const f = (): Float64Array => new Float64Array(T);
  return { layerIn, z, out: f(), dOut: f(), dz: f(), dPrev: f(), y: f(), dy: f() };
}

/**
 * Forward pass of one channel's depthwise stack (§4.1): layer 0 convolves the gated input
 * row, layers l >= 1 add a residual connection; PReLU after every layer except a last
 * layer that follows hidden layers (it is linear, as in the reference implementation).
 * @param row `[pad + T]` input row (see `channelRow`)
 * @param gate attention gate multiplying the row
 * @returns `ws.out`, `[T]`
 */
export function channelForward(shape: NetShape, lay: ParamLayout, theta: Float64Array, c: number, gate: number, row: Float64Array, pad: number, T: number, ws: Workspace): Float64Array {
  const { V, kernelSize: k, hiddenLayers: L } = shape;
  const C = V * V;
  let inp = row;
  let inPad = pad;
  for (let l = 0; l <= L; l++) {
    const d = layerDilation(shape, l);
    const w = lay.weight + (l * C + c) * k;
    const b = theta[lay.bias + l * C + c];
    const scale = l === 0 ? gate : 1;
    const z = ws.z[l];
    // z[t] = b + sum_m w[m] * in[t - (k-1-m) d]  (+ in[t] for the residual of layers >= 1)
    for (let t = 0; t < T; t++) {
      let s = b;
      const base = inPad + t - (k - 1) * d;
      for (let m = 0; m < k; m++) s += scale * theta[w + m] * inp[base + m * d];
      if (l > 0) s += inp[inPad + t];
      z[t] = s;
    }
    const next = l < L ? ws.layerIn[l + 1] : ws.out;
    const nextPad = l < L ? (k - 1) * layerDilation(shape, l + 1) : 0;
    if (hasActivation(shape, l)) {
      const alpha = theta[lay.slope + l * C + c];
      for (let t = 0; t < T; t++) next[nextPad + t] = z[t] > 0 ? z[t] : alpha * z[t];
    } else {
      for (let t = 0; t < T; t++) next[nextPad + t] = z[t];
    }
    inp = next;
    inPad = nextPad;
  }
  return ws.out;
}

/**
 * Backward pass of one channel, after `channelForward` filled `ws`. Adds the channel's
 * parameter gradients into `grad` and returns dLoss/dgate.
 * @param dy `[T]` dLoss/dy for the channel's target
 */
function channelBackward(shape: NetShape, lay: ParamLayout, theta: Float64Array, grad: Float64Array, c: number, gate: number, row: Float64Array, pad: number, T: number, dy: Float64Array, ws: Workspace): number {
  const { V, kernelSize: k, hiddenLayers: L } = shape;
  const C = V * V;
  const p = theta[lay.pointwise + c];
  let dOut = ws.dOut;
  let dPrev = ws.dPrev;
  const dz = ws.dz;
  let gp = 0;
  for (let t = 0; t < T; t++) {
    gp += dy[t] * ws.out[t];
    dOut[t] = p * dy[t];
  }
  grad[lay.pointwise + c] += gp;
  let dGate = 0;
  for (let l = L; l >= 0; l--) {
    const d = layerDilation(shape, l);
    const w = lay.weight + (l * C + c) * k;
    const z = ws.z[l];
    if (hasActivation(shape, l)) {
      const alpha = theta[lay.slope + l * C + c];
      let ga = 0;
      for (let t = 0; t < T; t++) {
        if (z[t] > 0) dz[t] = dOut[t];
        else {
          dz[t] = alpha * dOut[t];
          ga += dOut[t] * z[t];
        }
      }
      grad[lay.slope + l * C + c] += ga;
    } else {
      dz.set(dOut);
    }
    const inp = l === 0 ? row : ws.layerIn[l];
    const inPad = l === 0 ? pad : (k - 1) * d;
    let gb = 0;
    for (let t = 0; t < T; t++) gb += dz[t];
    grad[lay.bias + l * C + c] += gb;
    for (let m = 0; m < k; m++) {
      const off = inPad - (k - 1 - m) * d;
      let s = 0;
      for (let t = 0; t < T; t++) s += dz[t] * inp[off + t];
      if (l === 0) {
        grad[w + m] += gate * s;
        dGate += theta[w + m] * s;
      } else {
        grad[w + m] += s;
      }
    }
    if (l > 0) {
      // gradient w.r.t. this layer's input (the previous layer's output), residual included
      dPrev.set(dz);
      for (let m = 0; m < k; m++) {
        const shift = (k - 1 - m) * d;
        const wm = theta[w + m];
        for (let t = 0; t + shift < T; t++) dPrev[t] += wm * dz[t + shift];
      }
      const tmp = dOut;
      dOut = dPrev;
      dPrev = tmp;
    }
  }
  return dGate;
}

/**
 * The output end of a target's step, shared by both paths: the squared error `sum_t w_t (y - target)^2`
 * over `[T]` (returned; w = `inputs.weight`, 1 when null), `dy = 2 w (y - target) / count` (the
 * gradient of the mean over the counted steps) and, with `grad`, the output bias's gradient
 * `sum_t dy` added at `grad[outBias]`.
 */
function outputLoss(y: Float64Array, inputs: NetInputs, target: Float64Array, dy: Float64Array, grad: Float64Array | null, outBias: number): number {
  const { T, weight, count } = inputs;
  let loss = 0;
  for (let t = 0; t < T; t++) {
    const e = weight ? weight[t] * (y[t] - target[t]) : y[t] - target[t];
    loss += e * e;
    dy[t] = (2 * e) / count;
  }
  if (grad) {
    let gOutBias = 0;
    for (let t = 0; t < T; t++) gOutBias += dy[t];
    grad[outBias] += gOutBias;
  }
  return loss;
}

/**
 * Fast path for the default shape (no hidden layers, k = 4): forward and backward fused
 * per channel, inputs held in registers, PReLU written branch-free as
 * `((1 + alpha) z + (1 - alpha) |z|) / 2`.
 */
function targetStepFast(shape: NetShape, lay: ParamLayout, inputs: NetInputs, theta: Float64Array, grad: Float64Array | null, gates: Float64Array, j: number, ws: Workspace, dGates: Float64Array): number {
  const { V } = shape;
  const { T, pad } = inputs;
  const y = ws.y;
  const dy = ws.dy;
  y.fill(theta[lay.outBias + j]);
  for (let i = 0; i < V; i++) {
    const c = j * V + i;
    const row = channelRow(inputs, j, i);
    const g = gates[c];
    const w0 = g * theta[c * 4];
    const w1 = g * theta[c * 4 + 1];
    const w2 = g * theta[c * 4 + 2];
    const w3 = g * theta[c * 4 + 3];
    const b = theta[lay.bias + c];
    const alpha = theta[lay.slope + c];
    const p = theta[lay.pointwise + c];
    const pc1 = 0.5 * p * (1 + alpha);
    const pc2 = 0.5 * p * (1 - alpha);
    let x1 = row[pad - 1];
    let x2 = row[pad - 2];
    let x3 = row[pad - 3];
    for (let t = 0; t < T; t++) {
      const x0 = row[pad + t];
      const z = b + w3 * x0 + w2 * x1 + w1 * x2 + w0 * x3;
      y[t] += pc1 * z + pc2 * Math.abs(z);
      x3 = x2;
      x2 = x1;
      x1 = x0;
    }
  }
  const loss = outputLoss(y, inputs, inputs.target[j], dy, grad, lay.outBias + j);
  if (!grad) return loss / inputs.count;
  for (let i = 0; i < V; i++) {
    const c = j * V + i;
    const row = channelRow(inputs, j, i);
    const g = gates[c];
    const v0 = theta[c * 4];
    const v1 = theta[c * 4 + 1];
    const v2 = theta[c * 4 + 2];
    const v3 = theta[c * 4 + 3];
    const w0 = g * v0;
    const w1 = g * v1;
    const w2 = g * v2;
    const w3 = g * v3;
    const b = theta[lay.bias + c];
    const alpha = theta[lay.slope + c];
    const p = theta[lay.pointwise + c];
    const pa = p * alpha;
    const pd = p - pa;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let sb = 0;
    let sz = 0;
    let saz = 0;
    let x1 = row[pad - 1];
    let x2 = row[pad - 2];
    let x3 = row[pad - 3];
    for (let t = 0; t < T; t++) {
      const x0 = row[pad + t];
      const z = b + w3 * x0 + w2 * x1 + w1 * x2 + w0 * x3;
      const az = Math.abs(z);
      const e = dy[t];
      // dLoss/dz = p * dy * slope, slope = ((1 + alpha) + (1 - alpha) sign(z)) / 2
      const dz = e * (pa + pd * +(z > 0));
      sz += e * z;
      saz += e * az;
      s3 += dz * x0;
      s2 += dz * x1;
      s1 += dz * x2;
      s0 += dz * x3;
      sb += dz;
      x3 = x2;
      x2 = x1;
      x1 = x0;
    }
    grad[c * 4] += g * s0;
    grad[c * 4 + 1] += g * s1;
    grad[c * 4 + 2] += g * s2;
    grad[c * 4 + 3] += g * s3;
    grad[lay.bias + c] += sb;
    grad[lay.slope + c] += 0.5 * p * (sz - saz); // d/dalpha = p * min(z, 0)
    grad[lay.pointwise + c] += 0.5 * (1 + alpha) * sz + 0.5 * (1 - alpha) * saz;
    dGates[i] = v0 * s0 + v1 * s1 + v2 * s2 + v3 * s3;
  }
  return loss / inputs.count;
}

/** General path: any kernel size and number of hidden layers. */
function targetStepGeneral(shape: NetShape, lay: ParamLayout, inputs: NetInputs, theta: Float64Array, grad: Float64Array | null, gates: Float64Array, j: number, ws: Workspace, dGates: Float64Array): number {
  const { V } = shape;
  const { T, pad } = inputs;
  const y = ws.y;
  const dy = ws.dy;
  y.fill(theta[lay.outBias + j]);
  for (let i = 0; i < V; i++) {
    const c = j * V + i;
    const out = channelForward(shape, lay, theta, c, gates[c], channelRow(inputs, j, i), pad, T, ws);
    const p = theta[lay.pointwise + c];
    for (let t = 0; t < T; t++) y[t] += p * out[t];
  }
  const loss = outputLoss(y, inputs, inputs.target[j], dy, grad, lay.outBias + j);
  if (!grad) return loss / inputs.count;
  for (let i = 0; i < V; i++) {
    const c = j * V + i;
    const row = channelRow(inputs, j, i);
    // recompute the channel's activations rather than keep V of them (memory stays O(T))
    channelForward(shape, lay, theta, c, gates[c], row, pad, T, ws);
    dGates[i] = channelBackward(shape, lay, theta, grad, c, gates[c], row, pad, T, dy, ws);
  }
  return loss / inputs.count;
}

/** Whether the fused fast path applies. */
export function usesFastPath(shape: NetShape): boolean {
  return shape.hiddenLayers === 0 && shape.kernelSize === 4;
}

/**
 * Loss and gradient of the whole batched model (all V targets) with soft attention:
 * loss = sum_j mean_t (y_j(t) - x_j(t))^2, so each target's gradients are exactly those of
 * its own network trained alone (Adam is per parameter). Fills `losses[j]` (per-target MSE)
 * and, when `grad` is given, overwrites it with dLoss/dtheta.
 * @param force "general" to skip the fast path (tests compare both)
 */
export function lossAndGrad(shape: NetShape, inputs: NetInputs, theta: Float64Array, grad: Float64Array | null, losses: Float64Array, ws: Workspace, force?: "general"): void {
  const { V } = shape;
  const lay = paramLayout(shape);
  const gates = softmaxGates(shape, theta);
  const fast = force !== "general" && usesFastPath(shape);
  const dGates = new Float64Array(V);
  if (grad) grad.fill(0);
  losses.fill(0);
  for (const j of inputs.targets) {
    losses[j] = (fast ? targetStepFast : targetStepGeneral)(shape, lay, inputs, theta, grad, gates, j, ws, dGates);
    if (!grad) continue;
    // softmax backward: da_ji = g_ji (dg_ji - sum_i' g_ji' dg_ji')
    let dot = 0;
    for (let i = 0; i < V; i++) dot += gates[j * V + i] * dGates[i];
    for (let i = 0; i < V; i++) grad[lay.attention + j * V + i] = gates[j * V + i] * (dGates[i] - dot);
  }
}

/**
 * Per-target losses with explicit attention gates (e.g. HardSoftmax gates after training).
 * @param gates `[V, V]`
 */
export function evaluateLosses(shape: NetShape, inputs: NetInputs, theta: Float64Array, gates: Float64Array, ws: Workspace): Float64Array {
  const { V } = shape;
  const lay = paramLayout(shape);
  const losses = new Float64Array(V);
  const dGates = new Float64Array(V);
  for (const j of inputs.targets) losses[j] = targetStepGeneral(shape, lay, inputs, theta, null, gates, j, ws, dGates);
  return losses;
}
