import type { Rng } from "@causeway/core";

/**
 * Shape of the batched TCDF model: one attention-based dilated depthwise-separable
 * TCN (AD-DSTCN, Nauta et al. 2019 §4.1) per target, all V of them held in one
 * parameter vector. Channel `c = j * V + i` is input series i inside target j's network.
 */
export interface NetShape {
  /** Number of series (targets = inputs = V). */
  V: number;
  /** Kernel size k. */
  kernelSize: number;
  /** Dilation coefficient c: layer l has dilation c^l. */
  dilation: number;
  /** Hidden layers L: the depthwise stack has L + 1 convolution layers. */
  hiddenLayers: number;
}

/**
 * Receptive field `R = 1 + sum_{l=0}^{L} (k - 1) c^l` (Nauta et al. 2019 §4.4): the number
 * of time steps of one input series that one output sees (the current one included).
 */
export function receptiveField(kernelSize: number, dilation: number, hiddenLayers: number): number {
  let r = 1;
  for (let l = 0; l <= hiddenLayers; l++) r += (kernelSize - 1) * dilation ** l;
  return r;
}

/** Dilation of layer l. */
export function layerDilation(shape: NetShape, l: number): number {
  return shape.dilation ** l;
}

/** Whether layer l ends in a PReLU: all but the last layer of a stack with hidden layers. */
export function hasActivation(shape: NetShape, l: number): boolean {
  return shape.hiddenLayers === 0 || l < shape.hiddenLayers;
}

/**
 * Offsets of each parameter block in the flat parameter (and gradient) vector.
 * All blocks are row-major; `C = V * V` channels.
 */
export interface ParamLayout {
  /** conv weights `[L+1, C, k]`; tap m multiplies the input at `t - (k-1-m) * d_l` */
  weight: number;
  /** conv biases `[L+1, C]` */
  bias: number;
  /** PReLU slopes `[L+1, C]` (unused for a last linear layer) */
  slope: number;
  /** pointwise weights `[C]` */
  pointwise: number;
  /** attention scores `[C]` (`a[j * V + i]`: series i in target j's network) */
  attention: number;
  /** pointwise biases `[V]` */
  outBias: number;
  /** total length */
  size: number;
}

export function paramLayout(shape: NetShape): ParamLayout {
  const { V, kernelSize: k, hiddenLayers: L } = shape;
  const C = V * V;
  const weight = 0;
  const bias = weight + (L + 1) * C * k;
  const slope = bias + (L + 1) * C;
  const pointwise = slope + (L + 1) * C;
  const attention = pointwise + C;
  const outBias = attention + C;
  return { weight, bias, slope, pointwise, attention, outBias, size: outBias + V };
}

/**
 * Initial parameters, as the reference implementation initialises them: conv weights
 * N(0, 0.1); conv biases U(-1/sqrt(k), 1/sqrt(k)) and pointwise weights and biases
 * U(-1/sqrt(V), 1/sqrt(V)) (PyTorch's defaults); PReLU slopes 0.25; attention scores 1.
 */
export function initParams(shape: NetShape, rng: Rng): Float64Array {
  const { V, kernelSize: k, hiddenLayers: L } = shape;
  const C = V * V;
  const lay = paramLayout(shape);
  const theta = new Float64Array(lay.size);
  for (let i = 0; i < (L + 1) * C * k; i++) theta[lay.weight + i] = 0.1 * rng.normal();
  const bk = 1 / Math.sqrt(k);
  for (let i = 0; i < (L + 1) * C; i++) theta[lay.bias + i] = rng.range(-bk, bk);
  theta.fill(0.25, lay.slope, lay.slope + (L + 1) * C);
  const bv = 1 / Math.sqrt(V);
  for (let i = 0; i < C; i++) theta[lay.pointwise + i] = rng.range(-bv, bv);
  theta.fill(1, lay.attention, lay.attention + C);
  for (let j = 0; j < V; j++) theta[lay.outBias + j] = rng.range(-bv, bv);
  return theta;
}

/**
 * Softmax over each target's attention scores (§4.2: soft attention during training).
 * @param theta parameter vector
 * @returns gates `[V, V]`, `g[j * V + i] = exp(a_ji) / sum_i' exp(a_ji')`
 */
export function softmaxGates(shape: NetShape, theta: Float64Array): Float64Array {
  const { V } = shape;
  const a0 = paramLayout(shape).attention;
  const g = new Float64Array(V * V);
  for (let j = 0; j < V; j++) {
    let max = -Infinity;
    for (let i = 0; i < V; i++) max = Math.max(max, theta[a0 + j * V + i]);
    let sum = 0;
    for (let i = 0; i < V; i++) {
      const e = Math.exp(theta[a0 + j * V + i] - max); // subtract the max before exp
      g[j * V + i] = e;
      sum += e;
    }
    for (let i = 0; i < V; i++) g[j * V + i] /= sum;
  }
  return g;
}
