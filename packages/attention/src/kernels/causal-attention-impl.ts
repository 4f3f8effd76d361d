/**
 * Pure typed-array reference implementation of blocked (flash-style) causal attention,
 * forward and backward. It is the ground truth the tests hold every other variant to, and the
 * fallback kernel for `cpu`/`wasm` where WebAssembly SIMD is missing.
 *
 * Forward: FlashAttention-2 (Dao 2023, Algorithm 1): query tiles against key tiles with a
 * running max `m` and running sum `l` per row, tiles wholly in the future skipped, no `T x T`
 * matrix. Backward: FlashAttention-2 Algorithm 2: scores recomputed tile by tile from the saved
 * logsumexp `L = m + log(l)`, with `D = rowsum(dO * O)`.
 */

/** Shape of a packed attention operand: `[batch, heads, time, dHead]`, row-major. */
export interface AttentionShape {
  batch: number;
  heads: number;
  time: number;
  dHead: number;
}

/** Rows (queries) and columns (keys) per tile of the reference kernel. */
export const REFERENCE_TILE = 32;

/** Forward result: the attention output and the per-row logsumexp saved for the backward pass. */
export interface CausalAttentionForward {
  /** `[batch, heads, time, dHead]` */
  out: Float32Array;
  /** `[batch, heads, time]`: `L_i = log sum_{j<=i} exp(s_ij)` with `s = scale * q k^T`. */
  lse: Float32Array;
}

/** Backward result: gradients of the loss with respect to q, k and v, each `[batch, heads, time, dHead]`. */
export interface CausalAttentionGrads {
  dq: Float32Array;
  dk: Float32Array;
  dv: Float32Array;
}

function checkSizes(shape: AttentionShape, arrays: Record<string, ArrayLike<number>>): void {
  const n = shape.batch * shape.heads * shape.time * shape.dHead;
  for (const [name, a] of Object.entries(arrays)) {
    if (a.length !== n) throw new Error(`causal attention: ${name} has ${a.length} values, expected ${n} for shape [${shape.batch}, ${shape.heads}, ${shape.time}, ${shape.dHead}]`);
  }
}

/**
 * Causal attention forward, `O = softmax(scale * Q K^T + causal mask) V`, one head at a time.
 *
 * @param q `[batch, heads, time, dHead]`
 * @param k `[batch, heads, time, dHead]`
 * @param v `[batch, heads, time, dHead]`
 * @param scale score scale, usually `1 / sqrt(dHead)`
 * @example
 * const { out, lse } = causalAttentionImpl(q, k, v, { batch: 1, heads: 2, time: 8, dHead: 4 }, 0.5);
 */
export function causalAttentionImpl(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  shape: AttentionShape,
  scale: number,
  tile: number = REFERENCE_TILE,
): CausalAttentionForward {
  checkSizes(shape, { q, k, v });
  const { time: T, dHead: d } = shape;
  const BH = shape.batch * shape.heads;
  const out = new Float32Array(BH * T * d);
  const lse = new Float32Array(BH * T);
  const m = new Float64Array(tile); // running max per query row of the tile
  const l = new Float64Array(tile); // running sum of exp(s - m) per row
  const acc = new Float64Array(tile * d); // running unnormalised output per row
  const s = new Float64Array(tile); // scores of one row against one key tile
  for (let bh = 0; bh < BH; bh++) {
    const base = bh * T * d;
    for (let i0 = 0; i0 < T; i0 += tile) {
      const rows = Math.min(tile, T - i0);
      m.fill(-Infinity);
      l.fill(0);
      acc.fill(0);
      // key tiles j0 <= last query of this tile; tiles wholly in the future are never visited
      for (let j0 = 0; j0 < i0 + rows; j0 += tile) {
        for (let r = 0; r < rows; r++) {
          const i = i0 + r;
          const jEnd = Math.min(j0 + tile, i + 1); // causal: keys j <= i
          if (jEnd <= j0) continue;
          const qo = base + i * d;
          // S_ij = scale * q_i . k_j (FlashAttention-2 Alg. 1, line 8)
          let mNew = m[r];
          for (let j = j0; j < jEnd; j++) {
            const ko = base + j * d;
            let dot = 0;
            for (let e = 0; e < d; e++) dot += q[qo + e] * k[ko + e];
            const sc = dot * scale;
            s[j - j0] = sc;
            if (sc > mNew) mNew = sc;
          }
          // rescale the running sum and output by exp(m_old - m_new) (Alg. 1, lines 9-10)
          const corr = m[r] === -Infinity ? 0 : Math.exp(m[r] - mNew);
          let sum = l[r] * corr;
          const ao = r * d;
          for (let e = 0; e < d; e++) acc[ao + e] *= corr;
          for (let j = j0; j < jEnd; j++) {
            const p = Math.exp(s[j - j0] - mNew);
            sum += p;
            const vo = base + j * d;
            for (let e = 0; e < d; e++) acc[ao + e] += p * v[vo + e];
          }
          l[r] = sum;
          m[r] = mNew;
        }
      }
      // O_i = acc / l, L_i = m + log(l) (Alg. 1, lines 12-13)
      for (let r = 0; r < rows; r++) {
        const i = i0 + r;
        const inv = 1 / l[r];
        for (let e = 0; e < d; e++) out[base + i * d + e] = acc[r * d + e] * inv;
        lse[bh * T + i] = m[r] + Math.log(l[r]);
      }
    }
  }
  return { out, lse };
}

/**
 * Causal attention backward (FlashAttention-2, Dao 2023, Algorithm 2): for each key tile, walk
 * the query tiles at or after it, recompute `P = exp(S - L)` from the saved logsumexp and
 * accumulate `dV += P^T dO`, `dS = P * (dO V^T - D)`, `dQ += scale dS K`, `dK += scale dS^T Q`.
 *
 * @param out forward output `[batch, heads, time, dHead]`
 * @param lse forward logsumexp `[batch, heads, time]`
 * @param dOut gradient of the loss with respect to `out`, `[batch, heads, time, dHead]`
 */
export function causalAttentionGradImpl(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  out: ArrayLike<number>,
  lse: ArrayLike<number>,
  dOut: ArrayLike<number>,
  shape: AttentionShape,
  scale: number,
  tile: number = REFERENCE_TILE,
): CausalAttentionGrads {
  checkSizes(shape, { q, k, v, out, dOut });
  const { time: T, dHead: d } = shape;
  const BH = shape.batch * shape.heads;
  if (lse.length !== BH * T) throw new Error(`causal attention: lse has ${lse.length} values, expected ${BH * T}`);
  const dq = new Float64Array(BH * T * d);
  const dk = new Float64Array(BH * T * d);
  const dv = new Float64Array(BH * T * d);
  // D_i = rowsum(dO_i * O_i) (Alg. 2, line 4)
  const D = new Float64Array(BH * T);
  for (let row = 0; row < BH * T; row++) {
    let acc = 0;
    for (let e = 0; e < d; e++) acc += dOut[row * d + e] * out[row * d + e];
    D[row] = acc;
  }
  for (let bh = 0; bh < BH; bh++) {
    const base = bh * T * d;
    for (let j0 = 0; j0 < T; j0 += tile) {
      const jEnd = Math.min(j0 + tile, T);
      // query tiles from the diagonal onwards; earlier queries never see these keys
      for (let i0 = j0; i0 < T; i0 += tile) {
        const iEnd = Math.min(i0 + tile, T);
        for (let i = Math.max(i0, j0); i < iEnd; i++) {
          const qo = base + i * d;
          const Li = lse[bh * T + i];
          const Di = D[bh * T + i];
          for (let j = j0; j < Math.min(jEnd, i + 1); j++) {
            const ko = base + j * d;
            // recompute S_ij and P_ij = exp(S_ij - L_i) (Alg. 2, lines 9-10)
            let dot = 0;
            for (let e = 0; e < d; e++) dot += q[qo + e] * k[ko + e];
            const p = Math.exp(dot * scale - Li);
            // dP_ij = dO_i . v_j (line 12), dS_ij = P_ij (dP_ij - D_i) (line 13)
            let dp = 0;
            for (let e = 0; e < d; e++) dp += dOut[qo + e] * v[ko + e];
            const ds = p * (dp - Di) * scale;
            for (let e = 0; e < d; e++) {
              dv[ko + e] += p * dOut[qo + e]; // line 11
              dq[qo + e] += ds * k[ko + e]; // line 14
              dk[ko + e] += ds * q[qo + e]; // line 15
            }
          }
        }
      }
    }
  }
  return { dq: Float32Array.from(dq), dk: Float32Array.from(dk), dv: Float32Array.from(dv) };
}
