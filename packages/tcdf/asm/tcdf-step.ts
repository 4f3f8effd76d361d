// AssemblyScript source of the WebAssembly SIMD training step behind `@causeway/tcdf`'s
// default network shape (no hidden layers, kernel size 4).
//
// Regenerate the committed module (src/tcdf-step-wasm.ts) after editing:
//   node scripts/build-wasm.mjs
//
// One call handles one target j: the forward pass of its V channels, the loss, and (when
// `withGrad` is set) the backward pass. Everything is f32, four time steps per vector. Rows are
// zero-padded: 3 zeros in front of x(0) and zeros up to a multiple of 4 after x(T-1), so the
// taps x(t-1..t-3) of t = 0 and the lanes past T read zeros. The caller gets, per channel,
// the sums from which `kernel.ts` assembles the gradients (the same formulas as its fast path).

// @ts-ignore: decorator
@inline function splat(x: f32): v128 {
  return f32x4.splat(x);
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** First byte free for the caller's buffers. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

/**
 * Forward (and backward) of target j's network.
 *  rows:   byte address of row 0; row r starts at rows + r * stride * 4, x(0) at index 3
 *  sel:    i32 [V], the row each channel reads
 *  par:    f32 [V][8] per channel: w0', w1', w2', w3' (gated taps; tap m multiplies x(t-3+m)), b, alpha, p, 0
 *  target: f32 [T4] x_j(t), zero past T
 *  y, dy:  f32 [T4] scratch: prediction and dLoss/dy
 *  acc:    f32 [V][8] out per channel: s0..s3 = sum dz x(t-3+m), sb = sum dz, sz = sum dy z, saz = sum dy |z|
 * Returns sum_t (y - x_j)^2 over the T real steps.
 */
export function targetStep(rows: usize, stride: i32, sel: usize, par: usize, V: i32, T: i32, T4: i32, target: usize, y: usize, dy: usize, outBias: f32, acc: usize, withGrad: i32): f32 {
  const ob = splat(outBias);
  for (let t = 0; t < T4; t += 4) v128.store(y + (<usize>t << 2), ob);
  // --- forward: y += p * PReLU(b + sum_m w_m' x(t-3+m)), PReLU(z) = ((1+a) z + (1-a) |z|) / 2
  for (let i = 0; i < V; i++) {
    const row = rows + (<usize>(load<i32>(sel + (<usize>i << 2)) * stride + 3) << 2);
    const q = par + (<usize>i << 5);
    const w0 = splat(load<f32>(q)), w1 = splat(load<f32>(q, 4)), w2 = splat(load<f32>(q, 8)), w3 = splat(load<f32>(q, 12));
    const b = splat(load<f32>(q, 16));
    const alpha = load<f32>(q, 20), p = load<f32>(q, 24);
    const pc1 = splat(0.5 * p * (1 + alpha)), pc2 = splat(0.5 * p * (1 - alpha));
    for (let t = 0; t < T4; t += 4) {
      const a = row + (<usize>t << 2);
      const x0 = v128.load(a), x1 = v128.load(a - 4), x2 = v128.load(a - 8), x3 = v128.load(a - 12);
      const z = f32x4.add(f32x4.add(f32x4.add(b, f32x4.mul(w3, x0)), f32x4.add(f32x4.mul(w2, x1), f32x4.mul(w1, x2))), f32x4.mul(w0, x3));
      const ya = y + (<usize>t << 2);
      v128.store(ya, f32x4.add(v128.load(ya), f32x4.add(f32x4.mul(pc1, z), f32x4.mul(pc2, f32x4.abs(z)))));
    }
  }
  // --- loss and dLoss/dy = 2 (y - x) / T, zero past T
  let lossv = splat(0);
  const scale = splat(<f32>2 / <f32>T);
  const full = T & ~3; // steps in whole vectors
  for (let t = 0; t < T4; t += 4) {
    const off = <usize>t << 2;
    const e = f32x4.sub(v128.load(y + off), v128.load(target + off));
    if (t < full) lossv = f32x4.add(lossv, f32x4.mul(e, e));
    v128.store(dy + off, f32x4.mul(e, scale));
  }
  let loss = hsum(lossv);
  for (let t = full; t < T4; t++) {
    const at = dy + (<usize>t << 2);
    if (t < T) {
      const e = load<f32>(y + (<usize>t << 2)) - load<f32>(target + (<usize>t << 2));
      loss += e * e;
    } else store<f32>(at, 0);
  }
  if (!withGrad) return loss;
  // --- backward: dz = dy * p * (z > 0 ? 1 : alpha)
  for (let i = 0; i < V; i++) {
    const row = rows + (<usize>(load<i32>(sel + (<usize>i << 2)) * stride + 3) << 2);
    const q = par + (<usize>i << 5);
    const w0 = splat(load<f32>(q)), w1 = splat(load<f32>(q, 4)), w2 = splat(load<f32>(q, 8)), w3 = splat(load<f32>(q, 12));
    const b = splat(load<f32>(q, 16));
    const alpha = load<f32>(q, 20), p = load<f32>(q, 24);
    const pos = splat(p), neg = splat(p * alpha), zero = splat(0);
    let s0 = splat(0), s1 = splat(0), s2 = splat(0), s3 = splat(0), sb = splat(0), sz = splat(0), saz = splat(0);
    for (let t = 0; t < T4; t += 4) {
      const a = row + (<usize>t << 2);
      const x0 = v128.load(a), x1 = v128.load(a - 4), x2 = v128.load(a - 8), x3 = v128.load(a - 12);
      const z = f32x4.add(f32x4.add(f32x4.add(b, f32x4.mul(w3, x0)), f32x4.add(f32x4.mul(w2, x1), f32x4.mul(w1, x2))), f32x4.mul(w0, x3));
      const e = v128.load(dy + (<usize>t << 2));
      const dz = f32x4.mul(e, v128.bitselect(pos, neg, f32x4.gt(z, zero)));
      sz = f32x4.add(sz, f32x4.mul(e, z));
      saz = f32x4.add(saz, f32x4.mul(e, f32x4.abs(z)));
      s3 = f32x4.add(s3, f32x4.mul(dz, x0));
      s2 = f32x4.add(s2, f32x4.mul(dz, x1));
      s1 = f32x4.add(s1, f32x4.mul(dz, x2));
      s0 = f32x4.add(s0, f32x4.mul(dz, x3));
      sb = f32x4.add(sb, dz);
    }
    const o = acc + (<usize>i << 5);
    store<f32>(o, hsum(s0));
    store<f32>(o, hsum(s1), 4);
    store<f32>(o, hsum(s2), 8);
    store<f32>(o, hsum(s3), 12);
    store<f32>(o, hsum(sb), 16);
    store<f32>(o, hsum(sz), 20);
    store<f32>(o, hsum(saz), 24);
  }
  return loss;
}
