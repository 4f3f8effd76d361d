// Shared pieces of the causal attention kernel (see causal-attention.ts): the tile size and the
// f32x4 vector helpers (splat, horizontal sum and max, exp), the transpose and the diagonal tile's width.

/** Queries and keys per tile; `tp` must be a multiple of it. */
export const TILE: i32 = 64;

/** TILE, for the caller (which pads the time axis to a multiple of it). */
export function tile(): i32 {
  return TILE;
}

// --- vector helpers ---------------------------------------------------------------------------

// @ts-ignore: decorator
@inline export function splat(x: f32): v128 {
  return f32x4.splat(x);
}

// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

// @ts-ignore: decorator
@inline export function hmax(v: v128): f32 {
  const m = f32x4.pmax(v, i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7));
  return max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1));
}

/**
 * exp(x) on four lanes: x = n ln2 + r with |r| <= ln2/2, e^r by the Cephes expf polynomial,
 * 2^n built in the exponent bits. Lanes at or below -87.3 (including -inf) give exactly 0.
 * Rounding to n uses the 1.5 * 2^23 trick and clamping uses pmin/pmax (one instruction each;
 * f32x4.min/max/nearest and trunc_sat expand to several on x86).
 */
// @ts-ignore: decorator
@inline export function vexp(x: v128): v128 {
  const lo = splat(-87.3);
  const xc = f32x4.pmax(f32x4.pmin(x, splat(88.0)), lo);
  const magic = splat(12582912.0); // 1.5 * 2^23: adding it rounds to an integer in the low mantissa bits
  const t = f32x4.add(f32x4.mul(xc, splat(1.44269504088896341)), magic);
  const n = f32x4.sub(t, magic);
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
  // 2^n: n sits in the low bits of t's mantissa (t's bits minus magic's bits), shifted into the exponent
  const pow2 = i32x4.shl(i32x4.add(i32x4.sub(t, magic), i32x4.splat(127)), 23);
  return v128.and(f32x4.mul(p, pow2), f32x4.gt(x, lo));
}

/** dst[e][j] = src[j][e] for a `[rows][dp]` block into a `[dp][rows]` block. */
export function transpose(src: usize, dst: usize, rows: i32, dp: i32): void {
  for (let j = 0; j < rows; j++) {
    const s = src + (<usize>(j * dp) << 2);
    for (let e = 0; e < dp; e++) store<f32>(dst + (<usize>(e * rows + j) << 2), load<f32>(s + (<usize>e << 2)));
  }
}

/** Columns of a diagonal tile row `r` that can be unmasked, rounded up to whole 16-column chunks. */
// @ts-ignore: decorator
@inline export function diagCols(r: i32): i32 {
  return ((r >> 4) + 1) << 4;
}
