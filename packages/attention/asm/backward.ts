// The backward pass of the causal attention kernel (FlashAttention-2, Dao 2023, Algorithm 2); see
// causal-attention.ts for the operand layout.
import { TILE, splat, hsum, vexp, transpose, diagCols } from "./common";

// --- backward ---------------------------------------------------------------------------------

/**
 * For a pair of query rows and 8 keys at a time: S = scale q K^T and dP = dO V^T
 * (Alg. 2, lines 9 and 12), P = exp(S - L) (line 10, zeroed after the query on the diagonal
 * tile) and dS = scale P (dP - D) (line 13, with the score scale folded in), stored in
 * the P and dS tile rows.
 */
// @ts-ignore: decorator
@inline function gradScores2(
  qa: usize, ga: usize, ktp: usize, vtp: usize, tp: i32, dp: i32, ncol: i32, scale: f32,
  la: f32, lb: f32, da: f32, db: f32, diag: bool, r: i32,
  pRowA: usize, pRowB: usize, sRowA: usize, sRowB: usize,
): void {
  const kStep = <usize>tp << 2;
  const qb = qa + (<usize>dp << 2);
  const gb = ga + (<usize>dp << 2);
  const sc = splat(scale);
  const lane = i32x4(0, 1, 2, 3);
  for (let c0 = 0; c0 < ncol; c0 += 8) {
    let sa0 = f32x4.splat(0), sa1 = f32x4.splat(0), sb0 = f32x4.splat(0), sb1 = f32x4.splat(0);
    let ga0 = f32x4.splat(0), ga1 = f32x4.splat(0), gb0 = f32x4.splat(0), gb1 = f32x4.splat(0);
    let kp = ktp + (<usize>c0 << 2);
    let vp = vtp + (<usize>c0 << 2);
    for (let e = 0; e < dp; e++) {
      const off = <usize>e << 2;
      const k0 = v128.load(kp), k1 = v128.load(kp, 16);
      const qsa = v128.load32_splat(qa + off);
      const qsb = v128.load32_splat(qb + off);
      sa0 = f32x4.add(sa0, f32x4.mul(qsa, k0));
      sa1 = f32x4.add(sa1, f32x4.mul(qsa, k1));
      sb0 = f32x4.add(sb0, f32x4.mul(qsb, k0));
      sb1 = f32x4.add(sb1, f32x4.mul(qsb, k1));
      const v0 = v128.load(vp), v1 = v128.load(vp, 16);
      const gsa = v128.load32_splat(ga + off);
      const gsb = v128.load32_splat(gb + off);
      ga0 = f32x4.add(ga0, f32x4.mul(gsa, v0));
      ga1 = f32x4.add(ga1, f32x4.mul(gsa, v1));
      gb0 = f32x4.add(gb0, f32x4.mul(gsb, v0));
      gb1 = f32x4.add(gb1, f32x4.mul(gsb, v1));
      kp += kStep;
      vp += kStep;
    }
    const lva = splat(la), lvb = splat(lb);
    let pa0 = vexp(f32x4.sub(f32x4.mul(sa0, sc), lva));
    let pa1 = vexp(f32x4.sub(f32x4.mul(sa1, sc), lva));
    let pb0 = vexp(f32x4.sub(f32x4.mul(sb0, sc), lvb));
    let pb1 = vexp(f32x4.sub(f32x4.mul(sb1, sc), lvb));
    if (diag) {
      const ca = i32x4.splat(r - c0);
      const cb = i32x4.splat(r + 1 - c0);
      const lane4 = i32x4.add(lane, i32x4.splat(4));
      pa0 = v128.and(pa0, i32x4.le_s(lane, ca));
      pa1 = v128.and(pa1, i32x4.le_s(lane4, ca));
      pb0 = v128.and(pb0, i32x4.le_s(lane, cb));
      pb1 = v128.and(pb1, i32x4.le_s(lane4, cb));
    }
    const dva = splat(da), dvb = splat(db);
    const off = <usize>c0 << 2;
    v128.store(pRowA + off, pa0);
    v128.store(pRowA + off, pa1, 16);
    v128.store(pRowB + off, pb0);
    v128.store(pRowB + off, pb1, 16);
    v128.store(sRowA + off, f32x4.mul(f32x4.mul(pa0, f32x4.sub(ga0, dva)), sc));
    v128.store(sRowA + off, f32x4.mul(f32x4.mul(pa1, f32x4.sub(ga1, dva)), sc), 16);
    v128.store(sRowB + off, f32x4.mul(f32x4.mul(pb0, f32x4.sub(gb0, dvb)), sc));
    v128.store(sRowB + off, f32x4.mul(f32x4.mul(pb1, f32x4.sub(gb1, dvb)), sc), 16);
  }
}

/** dQ_a += dS_a K_tile and dQ_b += dS_b K_tile over the first ncol keys (Alg. 2, line 14). */
// @ts-ignore: decorator
@inline function gradQuery2(dqa: usize, sRowA: usize, sRowB: usize, kTile: usize, dp: i32, ncol: i32): void {
  const rowStep = <usize>dp << 2;
  const dp16 = dp & ~15;
  const dqb = dqa + rowStep;
  for (let e0 = 0; e0 < dp16; e0 += 16) {
    const pa = dqa + (<usize>e0 << 2);
    const pb = dqb + (<usize>e0 << 2);
    let a0 = v128.load(pa), a1 = v128.load(pa, 16), a2 = v128.load(pa, 32), a3 = v128.load(pa, 48);
    let b0 = v128.load(pb), b1 = v128.load(pb, 16), b2 = v128.load(pb, 32), b3 = v128.load(pb, 48);
    let kp = kTile + (<usize>e0 << 2);
    for (let c = 0; c < ncol; c++) {
      const sa = v128.load32_splat(sRowA + (<usize>c << 2));
      const sb = v128.load32_splat(sRowB + (<usize>c << 2));
      const k0 = v128.load(kp), k1 = v128.load(kp, 16), k2 = v128.load(kp, 32), k3 = v128.load(kp, 48);
      a0 = f32x4.add(a0, f32x4.mul(sa, k0));
      a1 = f32x4.add(a1, f32x4.mul(sa, k1));
      a2 = f32x4.add(a2, f32x4.mul(sa, k2));
      a3 = f32x4.add(a3, f32x4.mul(sa, k3));
      b0 = f32x4.add(b0, f32x4.mul(sb, k0));
      b1 = f32x4.add(b1, f32x4.mul(sb, k1));
      b2 = f32x4.add(b2, f32x4.mul(sb, k2));
      b3 = f32x4.add(b3, f32x4.mul(sb, k3));
      kp += rowStep;
    }
    v128.store(pa, a0);
    v128.store(pa, a1, 16);
    v128.store(pa, a2, 32);
    v128.store(pa, a3, 48);
    v128.store(pb, b0);
    v128.store(pb, b1, 16);
    v128.store(pb, b2, 32);
    v128.store(pb, b3, 48);
  }
  for (let e0 = dp16; e0 < dp; e0 += 4) {
    const pa = dqa + (<usize>e0 << 2);
    const pb = dqb + (<usize>e0 << 2);
    let a0 = v128.load(pa);
    let b0 = v128.load(pb);
    let kp = kTile + (<usize>e0 << 2);
    for (let c = 0; c < ncol; c++) {
      const k0 = v128.load(kp);
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(sRowA + (<usize>c << 2)), k0));
      b0 = f32x4.add(b0, f32x4.mul(v128.load32_splat(sRowB + (<usize>c << 2)), k0));
      kp += rowStep;
    }
    v128.store(pa, a0);
    v128.store(pb, b0);
  }
}

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
  const rowStep = <usize>dp << 2;
  for (let j0 = 0; j0 < tp; j0 += TILE) {
    memory.fill(dka, 0, <usize>(TILE * dp) << 2);
    memory.fill(dva, 0, <usize>(TILE * dp) << 2);
    const kTile = k + (<usize>(j0 * dp) << 2);
    // query tiles from the diagonal on: earlier queries never attend to these keys
    for (let i0 = j0; i0 < tp; i0 += TILE) {
      const diag = i0 == j0;
      for (let r = 0; r < TILE; r += 2) {
        const i = i0 + r;
        const ncol = diag ? diagCols(r) : TILE;
        const pRowA = pt + (<usize>(r * TILE) << 2);
        const sRowA = dst + (<usize>(r * TILE) << 2);
        const pRowB = pRowA + (<usize>TILE << 2);
        const sRowB = sRowA + (<usize>TILE << 2);
        gradScores2(
          q + (<usize>(i * dp) << 2), dout + (<usize>(i * dp) << 2), kt + (<usize>j0 << 2), vt + (<usize>j0 << 2), tp, dp, ncol, scale,
          load<f32>(lse + (<usize>i << 2)), load<f32>(lse + (<usize>(i + 1) << 2)),
          load<f32>(dvec + (<usize>i << 2)), load<f32>(dvec + (<usize>(i + 1) << 2)), diag, r,
          pRowA, pRowB, sRowA, sRowB,
        );
        for (let c = ncol; c < TILE; c++) {
          store<f32>(pRowA + (<usize>c << 2), 0);
          store<f32>(sRowA + (<usize>c << 2), 0);
          store<f32>(pRowB + (<usize>c << 2), 0);
          store<f32>(sRowB + (<usize>c << 2), 0);
        }
        gradQuery2(dq + (<usize>(i * dp) << 2), sRowA, sRowB, kTile, dp, ncol);
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
