// AssemblyScript source of the WebAssembly SIMD causal attention kernel (forward and backward)
// behind `@causeway/attention`'s `cpu`/`wasm` CausalAttention kernels.
//
// Regenerate the committed module (src/kernels/causal-attention-wasm.ts) after editing:
//   node scripts/build-wasm.mjs
//
// One call handles one (batch, head) slice. Every operand is f32, row-major `[tp][dp]`, with the
// time padded to a multiple of TILE (`tp`) and the head width padded to a multiple of 4 (`dp`);
// the caller zero-fills the padding, which leaves the real rows' results unchanged.
// Forward: FlashAttention-2 (Dao 2023) Algorithm 1; backward: Algorithm 2.

/** Queries and keys per tile; `tp` must be a multiple of it. */
const TILE: i32 = 64;

export function tile(): i32 {
  return TILE;
}

// --- vector helpers ---------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function splat(x: f32): v128 {
  return f32x4.splat(x);
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

// @ts-ignore: decorator
@inline function hmax(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

/**
 * exp(x) on four lanes: x = n ln2 + r with |r| <= ln2/2, e^r by the Cephes expf polynomial,
 * 2^n built in the exponent bits. Lanes at or below -87.3 (including -inf) give exactly 0.
 */
// @ts-ignore: decorator
@inline function vexp(x: v128): v128 {
  const lo = splat(-87.3);
  const xc = f32x4.max(f32x4.min(x, splat(88.0)), lo);
  const n = f32x4.nearest(f32x4.mul(xc, splat(1.44269504088896341)));
  // r = x - n ln2, with ln2 split in two for precision (Cephes C1, C2)
  let r = f32x4.sub(xc, f32x4.mul(n, splat(0.693359375)));
  r = f32x4.add(r, f32x4.mul(n, splat(2.12194440e-4)));
  let p = splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), splat(1.0));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return v128.and(f32x4.mul(p, pow2), f32x4.gt(x, lo));
}

/** dst[e][j] = src[j][e] for a `[rows][dp]` block into a `[dp][rows]` block. */
function transpose(src: usize, dst: usize, rows: i32, dp: i32): void {
  for (let j = 0; j < rows; j++) {
    const s = src + (<usize>(j * dp) << 2);
    for (let e = 0; e < dp; e++) store<f32>(dst + (<usize>(e * rows + j) << 2), load<f32>(s + (<usize>e << 2)));
  }
}

/** Columns of a diagonal tile row `r` that can be unmasked, rounded up to whole 16-column chunks. */
// @ts-ignore: decorator
@inline function diagCols(r: i32): i32 {
  return ((r >> 4) + 1) << 4;
}

// --- forward ----------------------------------------------------------------------------------

/**
 * O = softmax(scale Q K^T + causal mask) V and L = logsumexp of each score row.
 * Scratch: kt `[dp][tp]`, row `[TILE]`, acc `[TILE][dp]`, ml `[2 TILE]`.
 */
export function forward(q: usize, k: usize, v: usize, o: usize, lse: usize, kt: usize, row: usize, acc: usize, ml: usize, tp: i32, dp: i32, scale: f32): void {
  transpose(k, kt, tp, dp);
  const mArr = ml;
  const lArr = ml + (<usize>TILE << 2);
  const dp16 = dp & ~15;
  for (let i0 = 0; i0 < tp; i0 += TILE) {
    for (let r = 0; r < TILE; r++) {
      store<f32>(mArr + (<usize>r << 2), -Infinity);
      store<f32>(lArr + (<usize>r << 2), 0);
    }
    memory.fill(acc, 0, <usize>(TILE * dp) << 2);
    // key tiles up to the diagonal one; later tiles are all in the future and never visited
    for (let j0 = 0; j0 <= i0; j0 += TILE) {
      const diag = j0 == i0;
      for (let r = 0; r < TILE; r++) {
        const i = i0 + r;
        const ncol = diag ? diagCols(r) : TILE;
        const qRow = q + (<usize>(i * dp) << 2);
        // S_i,tile = scale q_i K_tile^T (Alg. 1, line 8), 16 keys at a time
        let vmax = splat(-Infinity);
        for (let c0 = 0; c0 < ncol; c0 += 16) {
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
          let kp = kt + (<usize>(j0 + c0) << 2);
          const kStep = <usize>tp << 2;
          for (let e = 0; e < dp; e++) {
            const qs = splat(load<f32>(qRow + (<usize>e << 2)));
            a0 = f32x4.add(a0, f32x4.mul(qs, v128.load(kp)));
            a1 = f32x4.add(a1, f32x4.mul(qs, v128.load(kp, 16)));
            a2 = f32x4.add(a2, f32x4.mul(qs, v128.load(kp, 32)));
            a3 = f32x4.add(a3, f32x4.mul(qs, v128.load(kp, 48)));
            kp += kStep;
          }
          const sc = splat(scale);
          a0 = f32x4.mul(a0, sc);
          a1 = f32x4.mul(a1, sc);
          a2 = f32x4.mul(a2, sc);
          a3 = f32x4.mul(a3, sc);
          const sp = row + (<usize>c0 << 2);
          v128.store(sp, a0);
          v128.store(sp, a1, 16);
          v128.store(sp, a2, 32);
          v128.store(sp, a3, 48);
        }
        // causal mask inside the diagonal tile: keys after the query get -inf
        if (diag) for (let c = r + 1; c < ncol; c++) store<f32>(row + (<usize>c << 2), -Infinity);
        for (let c0 = 0; c0 < ncol; c0 += 4) vmax = f32x4.max(vmax, v128.load(row + (<usize>c0 << 2)));
        // running max and rescaling of the running sum and output (Alg. 1, lines 9-10)
        const mOld = load<f32>(mArr + (<usize>r << 2));
        const mNew = max(mOld, hmax(vmax));
        const corr: f32 = mOld == -Infinity ? 0 : Mathf.exp(mOld - mNew);
        const mv = splat(mNew);
        let vsum = f32x4.splat(0);
        for (let c0 = 0; c0 < ncol; c0 += 4) {
          const p = vexp(f32x4.sub(v128.load(row + (<usize>c0 << 2)), mv));
          v128.store(row + (<usize>c0 << 2), p);
          vsum = f32x4.add(vsum, p);
        }
        store<f32>(lArr + (<usize>r << 2), load<f32>(lArr + (<usize>r << 2)) * corr + hsum(vsum));
        store<f32>(mArr + (<usize>r << 2), mNew);
        // acc_i = corr acc_i + P_i,tile V_tile
        const cv = splat(corr);
        const aRow = acc + (<usize>(r * dp) << 2);
        const vTile = v + (<usize>(j0 * dp) << 2);
        const vStep = <usize>dp << 2;
        for (let e0 = 0; e0 < dp16; e0 += 16) {
          const ap = aRow + (<usize>e0 << 2);
          let a0 = f32x4.mul(v128.load(ap), cv);
          let a1 = f32x4.mul(v128.load(ap, 16), cv);
          let a2 = f32x4.mul(v128.load(ap, 32), cv);
          let a3 = f32x4.mul(v128.load(ap, 48), cv);
          let vp = vTile + (<usize>e0 << 2);
          for (let c = 0; c < ncol; c++) {
            const ps = v128.load32_splat(row + (<usize>c << 2));
            a0 = f32x4.add(a0, f32x4.mul(ps, v128.load(vp)));
            a1 = f32x4.add(a1, f32x4.mul(ps, v128.load(vp, 16)));
            a2 = f32x4.add(a2, f32x4.mul(ps, v128.load(vp, 32)));
            a3 = f32x4.add(a3, f32x4.mul(ps, v128.load(vp, 48)));
            vp += vStep;
          }
          v128.store(ap, a0);
          v128.store(ap, a1, 16);
          v128.store(ap, a2, 32);
          v128.store(ap, a3, 48);
        }
        for (let e0 = dp16; e0 < dp; e0 += 4) {
          const ap = aRow + (<usize>e0 << 2);
          let a0 = f32x4.mul(v128.load(ap), cv);
          let vp = vTile + (<usize>e0 << 2);
          for (let c = 0; c < ncol; c++) {
            a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(row + (<usize>c << 2)), v128.load(vp)));
            vp += vStep;
          }
          v128.store(ap, a0);
        }
      }
    }
    // O_i = acc_i / l_i, L_i = m_i + log(l_i) (Alg. 1, lines 12-13)
    for (let r = 0; r < TILE; r++) {
      const i = i0 + r;
      const l = load<f32>(lArr + (<usize>r << 2));
      const inv = splat(1 / l);
      const aRow = acc + (<usize>(r * dp) << 2);
      const oRow = o + (<usize>(i * dp) << 2);
      for (let e0 = 0; e0 < dp; e0 += 4) v128.store(oRow + (<usize>e0 << 2), f32x4.mul(v128.load(aRow + (<usize>e0 << 2)), inv));
      store<f32>(lse + (<usize>i << 2), load<f32>(mArr + (<usize>r << 2)) + Mathf.log(l));
    }
  }
}

// --- backward ---------------------------------------------------------------------------------

/**
 * dQ, dK, dV from dO with the scores recomputed from the saved logsumexp (Alg. 2).
 * Scratch: kt, vt `[dp][tp]`, dvec `[tp]`, pt and dst `[TILE][TILE]`, dka and dva `[TILE][dp]`.
 * dq is accumulated in place and must come in zeroed.
 */
export function backward(
  q: usize, k: usize, v: usize, o: usize, lse: usize, dout: usize,
  dq: usize, dk: usize, dv: usize,
  kt: usize, vt: usize, dvec: usize, pt: usize, dst: usize, dka: usize, dva: usize,
  tp: i32, dp: i32, scale: f32,
): void {
  transpose(k, kt, tp, dp);
  transpose(v, vt, tp, dp);
  const dp16 = dp & ~15;
  // D_i = rowsum(dO_i * O_i) (Alg. 2, line 4)
  for (let i = 0; i < tp; i++) {
    let s = f32x4.splat(0);
    const base = <usize>(i * dp) << 2;
    for (let e0 = 0; e0 < dp; e0 += 4) s = f32x4.add(s, f32x4.mul(v128.load(dout + base + (<usize>e0 << 2)), v128.load(o + base + (<usize>e0 << 2))));
    store<f32>(dvec + (<usize>i << 2), hsum(s));
  }
  const kStep = <usize>tp << 2;
  const rowStep = <usize>dp << 2;
  const lane = i32x4(0, 1, 2, 3);
  for (let j0 = 0; j0 < tp; j0 += TILE) {
    memory.fill(dka, 0, <usize>(TILE * dp) << 2);
    memory.fill(dva, 0, <usize>(TILE * dp) << 2);
    // query tiles from the diagonal on: earlier queries never attend to these keys
    for (let i0 = j0; i0 < tp; i0 += TILE) {
      const diag = i0 == j0;
      for (let r = 0; r < TILE; r++) {
        const i = i0 + r;
        const ncol = diag ? diagCols(r) : TILE;
        const qRow = q + (<usize>(i * dp) << 2);
        const gRow = dout + (<usize>(i * dp) << 2);
        const li = splat(load<f32>(lse + (<usize>i << 2)));
        const di = splat(load<f32>(dvec + (<usize>i << 2)));
        const sc = splat(scale);
        const pRow = pt + (<usize>(r * TILE) << 2);
        const sRow = dst + (<usize>(r * TILE) << 2);
        for (let c0 = 0; c0 < ncol; c0 += 8) {
          // S = scale q_i K^T and dP = dO_i V^T for 8 keys (Alg. 2, lines 9 and 12)
          let s0 = f32x4.splat(0), s1 = f32x4.splat(0), g0 = f32x4.splat(0), g1 = f32x4.splat(0);
          let kp = kt + (<usize>(j0 + c0) << 2);
          let vp = vt + (<usize>(j0 + c0) << 2);
          for (let e = 0; e < dp; e++) {
            const qs = v128.load32_splat(qRow + (<usize>e << 2));
            const gs = v128.load32_splat(gRow + (<usize>e << 2));
            s0 = f32x4.add(s0, f32x4.mul(qs, v128.load(kp)));
            s1 = f32x4.add(s1, f32x4.mul(qs, v128.load(kp, 16)));
            g0 = f32x4.add(g0, f32x4.mul(gs, v128.load(vp)));
            g1 = f32x4.add(g1, f32x4.mul(gs, v128.load(vp, 16)));
            kp += kStep;
            vp += kStep;
          }
          // P = exp(S - L_i) (line 10), zero after the query on the diagonal tile
          let p0 = vexp(f32x4.sub(f32x4.mul(s0, sc), li));
          let p1 = vexp(f32x4.sub(f32x4.mul(s1, sc), li));
          if (diag) {
            const cr = i32x4.splat(r - c0);
            p0 = v128.and(p0, i32x4.le_s(lane, cr));
            p1 = v128.and(p1, i32x4.le_s(i32x4.add(lane, i32x4.splat(4)), cr));
          }
          // dS = P (dP - D_i) (line 13), with the score scale folded in
          const d0 = f32x4.mul(f32x4.mul(p0, f32x4.sub(g0, di)), sc);
          const d1 = f32x4.mul(f32x4.mul(p1, f32x4.sub(g1, di)), sc);
          v128.store(pRow + (<usize>c0 << 2), p0);
          v128.store(pRow + (<usize>c0 << 2), p1, 16);
          v128.store(sRow + (<usize>c0 << 2), d0);
          v128.store(sRow + (<usize>c0 << 2), d1, 16);
        }
        for (let c = ncol; c < TILE; c++) {
          store<f32>(pRow + (<usize>c << 2), 0);
          store<f32>(sRow + (<usize>c << 2), 0);
        }
        // dQ_i += dS_i K_tile (line 14)
        const dqRow = dq + (<usize>(i * dp) << 2);
        const kTile = k + (<usize>(j0 * dp) << 2);
        for (let e0 = 0; e0 < dp16; e0 += 16) {
          const ap = dqRow + (<usize>e0 << 2);
          let a0 = v128.load(ap), a1 = v128.load(ap, 16), a2 = v128.load(ap, 32), a3 = v128.load(ap, 48);
          let kp = kTile + (<usize>e0 << 2);
          for (let c = 0; c < ncol; c++) {
            const ds = v128.load32_splat(sRow + (<usize>c << 2));
            a0 = f32x4.add(a0, f32x4.mul(ds, v128.load(kp)));
            a1 = f32x4.add(a1, f32x4.mul(ds, v128.load(kp, 16)));
            a2 = f32x4.add(a2, f32x4.mul(ds, v128.load(kp, 32)));
            a3 = f32x4.add(a3, f32x4.mul(ds, v128.load(kp, 48)));
            kp += rowStep;
          }
          v128.store(ap, a0);
          v128.store(ap, a1, 16);
          v128.store(ap, a2, 32);
          v128.store(ap, a3, 48);
        }
        for (let e0 = dp16; e0 < dp; e0 += 4) {
          const ap = dqRow + (<usize>e0 << 2);
          let a0 = v128.load(ap);
          let kp = kTile + (<usize>e0 << 2);
          for (let c = 0; c < ncol; c++) {
            a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(sRow + (<usize>c << 2)), v128.load(kp)));
            kp += rowStep;
          }
          v128.store(ap, a0);
        }
      }
      // dV_tile += P^T dO_tile, dK_tile += dS^T Q_tile (lines 11 and 15)
      const qTile = q + (<usize>(i0 * dp) << 2);
      const gTile = dout + (<usize>(i0 * dp) << 2);
      for (let c = 0; c < TILE; c++) {
        const r0 = diag ? c : 0; // on the diagonal tile, rows before the key have P = 0
        const dvRow = dva + (<usize>(c * dp) << 2);
        const dkRow = dka + (<usize>(c * dp) << 2);
        for (let e0 = 0; e0 < dp16; e0 += 16) {
          const vp0 = dvRow + (<usize>e0 << 2);
          const kp0 = dkRow + (<usize>e0 << 2);
          let v0 = v128.load(vp0), v1 = v128.load(vp0, 16), v2 = v128.load(vp0, 32), v3 = v128.load(vp0, 48);
          let k0 = v128.load(kp0), k1 = v128.load(kp0, 16), k2 = v128.load(kp0, 32), k3 = v128.load(kp0, 48);
          let gp = gTile + (<usize>(r0 * dp + e0) << 2);
          let qp = qTile + (<usize>(r0 * dp + e0) << 2);
          for (let r = r0; r < TILE; r++) {
            const ps = v128.load32_splat(pt + (<usize>(r * TILE + c) << 2));
            const ds = v128.load32_splat(dst + (<usize>(r * TILE + c) << 2));
            v0 = f32x4.add(v0, f32x4.mul(ps, v128.load(gp)));
            v1 = f32x4.add(v1, f32x4.mul(ps, v128.load(gp, 16)));
            v2 = f32x4.add(v2, f32x4.mul(ps, v128.load(gp, 32)));
            v3 = f32x4.add(v3, f32x4.mul(ps, v128.load(gp, 48)));
            k0 = f32x4.add(k0, f32x4.mul(ds, v128.load(qp)));
            k1 = f32x4.add(k1, f32x4.mul(ds, v128.load(qp, 16)));
            k2 = f32x4.add(k2, f32x4.mul(ds, v128.load(qp, 32)));
            k3 = f32x4.add(k3, f32x4.mul(ds, v128.load(qp, 48)));
            gp += rowStep;
            qp += rowStep;
          }
          v128.store(vp0, v0);
          v128.store(vp0, v1, 16);
          v128.store(vp0, v2, 32);
          v128.store(vp0, v3, 48);
          v128.store(kp0, k0);
          v128.store(kp0, k1, 16);
          v128.store(kp0, k2, 32);
          v128.store(kp0, k3, 48);
        }
        for (let e0 = dp16; e0 < dp; e0 += 4) {
          const vp0 = dvRow + (<usize>e0 << 2);
          const kp0 = dkRow + (<usize>e0 << 2);
          let v0 = v128.load(vp0);
          let k0 = v128.load(kp0);
          let gp = gTile + (<usize>(r0 * dp + e0) << 2);
          let qp = qTile + (<usize>(r0 * dp + e0) << 2);
          for (let r = r0; r < TILE; r++) {
            v0 = f32x4.add(v0, f32x4.mul(v128.load32_splat(pt + (<usize>(r * TILE + c) << 2)), v128.load(gp)));
            k0 = f32x4.add(k0, f32x4.mul(v128.load32_splat(dst + (<usize>(r * TILE + c) << 2)), v128.load(qp)));
            gp += rowStep;
            qp += rowStep;
          }
          v128.store(vp0, v0);
          v128.store(kp0, k0);
        }
      }
    }
    memory.copy(dk + (<usize>(j0 * dp) << 2), dka, <usize>(TILE * dp) << 2);
    memory.copy(dv + (<usize>(j0 * dp) << 2), dva, <usize>(TILE * dp) << 2);
  }
}
