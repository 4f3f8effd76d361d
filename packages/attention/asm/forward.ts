// The forward pass of the causal attention kernel (FlashAttention-2, Dao 2023, Algorithm 1); see
// causal-attention.ts for the operand layout.
import { TILE, splat, hsum, hmax, vexp, transpose, diagCols } from "./common";

// --- forward ---------------------------------------------------------------------------------
// Rows are processed in pairs (TILE is even) so that every key/value vector loaded feeds two
// accumulators: without fused multiply-add, loads are what limits these loops.

/** rowA/rowB[c] = scale q_a/q_b . k_(j0+c) for c < ncol (a multiple of 16); ktp = &Kt[0][j0]. */
// @ts-ignore: decorator
@inline function scores2(qa: usize, qb: usize, ktp: usize, tp: i32, dp: i32, ncol: i32, scale: f32, rowA: usize, rowB: usize): void {
  const kStep = <usize>tp << 2;
  const sc = splat(scale);
  for (let c0 = 0; c0 < ncol; c0 += 16) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
    let kp = ktp + (<usize>c0 << 2);
    for (let e = 0; e < dp; e++) {
      const sa = v128.load32_splat(qa + (<usize>e << 2));
      const sb = v128.load32_splat(qb + (<usize>e << 2));
      const k0 = v128.load(kp), k1 = v128.load(kp, 16), k2 = v128.load(kp, 32), k3 = v128.load(kp, 48);
      a0 = f32x4.add(a0, f32x4.mul(sa, k0));
      a1 = f32x4.add(a1, f32x4.mul(sa, k1));
      a2 = f32x4.add(a2, f32x4.mul(sa, k2));
      a3 = f32x4.add(a3, f32x4.mul(sa, k3));
      b0 = f32x4.add(b0, f32x4.mul(sb, k0));
      b1 = f32x4.add(b1, f32x4.mul(sb, k1));
      b2 = f32x4.add(b2, f32x4.mul(sb, k2));
      b3 = f32x4.add(b3, f32x4.mul(sb, k3));
      kp += kStep;
    }
    const pa = rowA + (<usize>c0 << 2);
    const pb = rowB + (<usize>c0 << 2);
    v128.store(pa, f32x4.mul(a0, sc));
    v128.store(pa, f32x4.mul(a1, sc), 16);
    v128.store(pa, f32x4.mul(a2, sc), 32);
    v128.store(pa, f32x4.mul(a3, sc), 48);
    v128.store(pb, f32x4.mul(b0, sc));
    v128.store(pb, f32x4.mul(b1, sc), 16);
    v128.store(pb, f32x4.mul(b2, sc), 32);
    v128.store(pb, f32x4.mul(b3, sc), 48);
  }
}

/**
 * Online softmax step for one score row (Alg. 1, lines 9-10): new running max m, P = exp(S - m)
 * in place, l = l * exp(m_old - m) + rowsum(P). Returns the rescaling factor exp(m_old - m).
 */
// @ts-ignore: decorator
@inline function softmaxRow(row: usize, ncol: i32, mp: usize, lp: usize): f32 {
  let vmax = splat(-Infinity);
  for (let c0 = 0; c0 < ncol; c0 += 4) vmax = f32x4.pmax(vmax, v128.load(row + (<usize>c0 << 2)));
  const mOld = load<f32>(mp);
  const mNew = max(mOld, hmax(vmax));
  const corr: f32 = mOld == -Infinity ? 0 : Mathf.exp(mOld - mNew);
  const mv = splat(mNew);
  let vsum = f32x4.splat(0);
  for (let c0 = 0; c0 < ncol; c0 += 4) {
    const p = vexp(f32x4.sub(v128.load(row + (<usize>c0 << 2)), mv));
    v128.store(row + (<usize>c0 << 2), p);
    vsum = f32x4.add(vsum, p);
  }
  store<f32>(lp, load<f32>(lp) * corr + hsum(vsum));
  store<f32>(mp, mNew);
  return corr;
}

/** accA = ca accA + P_a V_tile, accB = cb accB + P_b V_tile over the first ncol keys of the tile. */
// @ts-ignore: decorator
@inline function accumulate2(accA: usize, accB: usize, rowA: usize, rowB: usize, vTile: usize, dp: i32, ncol: i32, ca: f32, cb: f32): void {
  const vStep = <usize>dp << 2;
  const dp16 = dp & ~15;
  const cva = splat(ca);
  const cvb = splat(cb);
  for (let e0 = 0; e0 < dp16; e0 += 16) {
    const pa = accA + (<usize>e0 << 2);
    const pb = accB + (<usize>e0 << 2);
    let a0 = f32x4.mul(v128.load(pa), cva), a1 = f32x4.mul(v128.load(pa, 16), cva);
    let a2 = f32x4.mul(v128.load(pa, 32), cva), a3 = f32x4.mul(v128.load(pa, 48), cva);
    let b0 = f32x4.mul(v128.load(pb), cvb), b1 = f32x4.mul(v128.load(pb, 16), cvb);
    let b2 = f32x4.mul(v128.load(pb, 32), cvb), b3 = f32x4.mul(v128.load(pb, 48), cvb);
    let vp = vTile + (<usize>e0 << 2);
    for (let c = 0; c < ncol; c++) {
      const sa = v128.load32_splat(rowA + (<usize>c << 2));
      const sb = v128.load32_splat(rowB + (<usize>c << 2));
      const v0 = v128.load(vp), v1 = v128.load(vp, 16), v2 = v128.load(vp, 32), v3 = v128.load(vp, 48);
      a0 = f32x4.add(a0, f32x4.mul(sa, v0));
      a1 = f32x4.add(a1, f32x4.mul(sa, v1));
      a2 = f32x4.add(a2, f32x4.mul(sa, v2));
      a3 = f32x4.add(a3, f32x4.mul(sa, v3));
      b0 = f32x4.add(b0, f32x4.mul(sb, v0));
      b1 = f32x4.add(b1, f32x4.mul(sb, v1));
      b2 = f32x4.add(b2, f32x4.mul(sb, v2));
      b3 = f32x4.add(b3, f32x4.mul(sb, v3));
      vp += vStep;
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
    const pa = accA + (<usize>e0 << 2);
    const pb = accB + (<usize>e0 << 2);
    let a0 = f32x4.mul(v128.load(pa), cva);
    let b0 = f32x4.mul(v128.load(pb), cvb);
    let vp = vTile + (<usize>e0 << 2);
    for (let c = 0; c < ncol; c++) {
      const v0 = v128.load(vp);
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(rowA + (<usize>c << 2)), v0));
      b0 = f32x4.add(b0, f32x4.mul(v128.load32_splat(rowB + (<usize>c << 2)), v0));
      vp += vStep;
    }
    v128.store(pa, a0);
    v128.store(pb, b0);
  }
}

/**
 * O = softmax(scale Q K^T + causal mask) V and L = logsumexp of each score row.
 * Scratch: kt `[dp][tp]`, row `[2][TILE]`, acc `[TILE][dp]`, ml `[2 TILE]`.
 */
export function forward(q: usize, k: usize, v: usize, o: usize, lse: usize, kt: usize, row: usize, acc: usize, ml: usize, tp: i32, dp: i32, scale: f32): void {
  transpose(k, kt, tp, dp);
  const mArr = ml;
  const lArr = ml + (<usize>TILE << 2);
  const rowA = row;
  const rowB = row + (<usize>TILE << 2);
  for (let i0 = 0; i0 < tp; i0 += TILE) {
    for (let r = 0; r < TILE; r++) {
      store<f32>(mArr + (<usize>r << 2), -Infinity);
      store<f32>(lArr + (<usize>r << 2), 0);
    }
    memory.fill(acc, 0, <usize>(TILE * dp) << 2);
    // key tiles up to the diagonal one; later tiles are all in the future and never visited
    for (let j0 = 0; j0 <= i0; j0 += TILE) {
      const diag = j0 == i0;
      for (let r = 0; r < TILE; r += 2) {
        // rows r and r + 1 share a 16-column chunk, hence ncol
        const ncol = diag ? diagCols(r) : TILE;
        const qa = q + (<usize>((i0 + r) * dp) << 2);
        // S = scale q K_tile^T (Alg. 1, line 8)
        scores2(qa, qa + (<usize>dp << 2), kt + (<usize>j0 << 2), tp, dp, ncol, scale, rowA, rowB);
        if (diag) {
          // causal mask inside the diagonal tile: keys after the query get -inf
          for (let c = r + 1; c < ncol; c++) store<f32>(rowA + (<usize>c << 2), -Infinity);
          for (let c = r + 2; c < ncol; c++) store<f32>(rowB + (<usize>c << 2), -Infinity);
        }
        const ca = softmaxRow(rowA, ncol, mArr + (<usize>r << 2), lArr + (<usize>r << 2));
        const cb = softmaxRow(rowB, ncol, mArr + (<usize>(r + 1) << 2), lArr + (<usize>(r + 1) << 2));
        // acc = corr acc + P V_tile (Alg. 1, line 10)
        const accA = acc + (<usize>(r * dp) << 2);
        accumulate2(accA, accA + (<usize>dp << 2), rowA, rowB, v + (<usize>(j0 * dp) << 2), dp, ncol, ca, cb);
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
