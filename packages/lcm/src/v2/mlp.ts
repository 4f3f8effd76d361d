// A small multilayer perceptron in plain float64 JS (no tensors: LCM v2 scores a feature table of a
// few thousand rows, where a backend's dispatch costs more than the arithmetic), with its gradient
// for the weighted binary cross-entropy and Adam moments that can be saved and restored.
import { Rng, adamDelta } from "@causeway/core";

/** Layer sizes `[in, h1, ..., 1]`; parameters flat, per layer W `[out, in]` then b `[out]`. */
export function parameterCount(sizes: readonly number[]): number {
  let n = 0;
  for (let i = 0; i + 1 < sizes.length; i++) n += sizes[i + 1] * sizes[i] + sizes[i + 1];
  return n;
}

/** He-uniform initial weights, zero biases, drawn from `seed`. */
export function initParams(sizes: readonly number[], seed: number): Float64Array {
  const rng = new Rng(seed);
  const p = new Float64Array(parameterCount(sizes));
  let o = 0;
  for (let i = 0; i + 1 < sizes.length; i++) {
    const bound = Math.sqrt(6 / sizes[i]);
    for (let k = 0; k < sizes[i + 1] * sizes[i]; k++) p[o++] = rng.range(-bound, bound);
    o += sizes[i + 1];
  }
  return p;
}

/**
 * Logits `[N]` of rows `x [N, sizes[0]]` (already standardised): ReLU hidden layers, a linear
 * output. `acts`, when given, receives every layer's post-activation `[N, size]` (for `backward`).
 */
export function forward(sizes: readonly number[], p: Float64Array, x: ArrayLike<number>, N: number, acts?: Float64Array[]): Float64Array {
  let h = Float64Array.from(x as ArrayLike<number>);
  acts?.push(h);
  let o = 0;
  for (let i = 0; i + 1 < sizes.length; i++) {
    const nin = sizes[i];
    const nout = sizes[i + 1];
    const last = i + 2 === sizes.length;
    const out = new Float64Array(N * nout);
    const bOff = o + nout * nin;
    for (let r = 0; r < N; r++) {
      for (let j = 0; j < nout; j++) {
        let s = p[bOff + j];
        const w = o + j * nin;
        for (let k = 0; k < nin; k++) s += p[w + k] * h[r * nin + k];
        out[r * nout + j] = last || s > 0 ? s : 0;
      }
    }
    o = bOff + nout;
    h = out;
    acts?.push(h);
  }
  return h;
}

/**
 * Mean weighted BCE of logits against labels `y [N]` (positives weighted `posWeight`) and its
 * gradient with respect to the parameters (`grad` overwritten).
 */
export function lossAndGrad(sizes: readonly number[], p: Float64Array, x: ArrayLike<number>, y: ArrayLike<number>, N: number, posWeight: number, grad: Float64Array): number {
  const acts: Float64Array[] = [];
  const z = forward(sizes, p, x, N, acts);
  grad.fill(0);
  let loss = 0;
  let wsum = 0;
  let delta = new Float64Array(N); // dLoss/dz of the output layer [N, 1]
  for (let r = 0; r < N; r++) {
    const w = y[r] > 0.5 ? posWeight : 1;
    wsum += w;
    // BCE with logits, stable: max(z,0) - z y + log(1 + e^-|z|)
    loss += w * (Math.max(z[r], 0) - z[r] * y[r] + Math.log1p(Math.exp(-Math.abs(z[r]))));
    delta[r] = w * (1 / (1 + Math.exp(-z[r])) - y[r]);
  }
  for (let r = 0; r < N; r++) delta[r] /= wsum;
  // layer offsets
  const offs: number[] = [];
  let o = 0;
  for (let i = 0; i + 1 < sizes.length; i++) {
    offs.push(o);
    o += sizes[i + 1] * sizes[i] + sizes[i + 1];
  }
  for (let i = sizes.length - 2; i >= 0; i--) {
    const nin = sizes[i];
    const nout = sizes[i + 1];
    const hin = acts[i]; // [N, nin]
    const w0 = offs[i];
    const b0 = w0 + nout * nin;
    const prev = new Float64Array(N * nin);
    for (let r = 0; r < N; r++) {
      for (let j = 0; j < nout; j++) {
        const d = delta[r * nout + j];
        if (d === 0) continue;
        grad[b0 + j] += d;
        const w = w0 + j * nin;
        for (let k = 0; k < nin; k++) {
          grad[w + k] += d * hin[r * nin + k];
          prev[r * nin + k] += d * p[w + k];
        }
      }
    }
    if (i > 0) for (let q = 0; q < prev.length; q++) if (hin[q] <= 0) prev[q] = 0; // ReLU'
    delta = prev;
  }
  return loss / wsum;
}

/** Adam state of a flat parameter vector (saved in checkpoints so that a resumed run matches). */
export interface AdamState {
  m: Float64Array;
  v: Float64Array;
  t: number;
}

/** One Adam step (Kingma & Ba 2015) with decoupled weight decay on `p`, in place. */
export function adamStep(p: Float64Array, g: Float64Array, s: AdamState, lr: number, weightDecay: number): void {
  s.t++;
  const c1 = 1 - 0.9 ** s.t;
  const c2 = 1 - 0.999 ** s.t;
  for (let i = 0; i < p.length; i++) p[i] -= adamDelta(s.m, s.v, i, g[i], lr, c1, c2) + lr * weightDecay * p[i];
}
