// Float64 references for the tests (excluded from the build): naive causal attention written out
// directly from its definition, its analytic gradient, and finite differences.
import type { AttentionShape } from "./kernels/causal-attention-impl.js";
import { Rng } from "@causeway/core";

/** `n` values uniform in [-scale, scale), seeded. */
export function randomArray(seed: number, n: number, scale = 1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.range(-scale, scale));
}

export function sizeOf(s: AttentionShape): number {
  return s.batch * s.heads * s.time * s.dHead;
}

/** Causal softmax(scale q k^T) v in float64, straight from the definition. */
export function naiveForward64(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, s: AttentionShape, scale: number): Float64Array {
  const { time: T, dHead: d } = s;
  const out = new Float64Array(sizeOf(s));
  const p = new Float64Array(T);
  for (let bh = 0; bh < s.batch * s.heads; bh++) {
    const base = bh * T * d;
    for (let i = 0; i < T; i++) {
      let mx = -Infinity;
      for (let j = 0; j <= i; j++) {
        let dot = 0;
        for (let e = 0; e < d; e++) dot += q[base + i * d + e] * k[base + j * d + e];
        p[j] = dot * scale;
        mx = Math.max(mx, p[j]);
      }
      let sum = 0;
      for (let j = 0; j <= i; j++) sum += p[j] = Math.exp(p[j] - mx);
      for (let j = 0; j <= i; j++) for (let e = 0; e < d; e++) out[base + i * d + e] += (p[j] / sum) * v[base + j * d + e];
    }
  }
  return out;
}

/** Loss `sum(w * attention(q, k, v))` in float64. */
export function loss64(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, w: ArrayLike<number>, s: AttentionShape, scale: number): number {
  const y = naiveForward64(q, k, v, s, scale);
  let l = 0;
  for (let i = 0; i < y.length; i++) l += w[i] * y[i];
  return l;
}

/** Central finite-difference gradient of `loss64` with respect to q, k and v (float64, step 1e-6). */
export function finiteDifferenceGrads(q: Float32Array, k: Float32Array, v: Float32Array, w: Float32Array, s: AttentionShape, scale: number): Float64Array[] {
  const h = 1e-6;
  const inputs = [Float64Array.from(q), Float64Array.from(k), Float64Array.from(v)];
  return inputs.map((x) => {
    const g = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const x0 = x[i];
      x[i] = x0 + h;
      const up = loss64(inputs[0], inputs[1], inputs[2], w, s, scale);
      x[i] = x0 - h;
      const down = loss64(inputs[0], inputs[1], inputs[2], w, s, scale);
      x[i] = x0;
      g[i] = (up - down) / (2 * h);
    }
    return g;
  });
}
