/**
 * Discrete Fourier transforms of any length: iterative radix-2 Cooley-Tukey for powers of two,
 * Bluestein's chirp-z algorithm (a power-of-two circular convolution) for every other length.
 * O(n log n) either way. Used by the phase-randomised surrogates (trust/surrogates.ts).
 */

/** A complex vector as two `[n]` arrays. */
export interface ComplexArray {
  re: Float64Array;
  im: Float64Array;
}

/**
 * Forward DFT `X[k] = Σ_t x[t] e^{-2πi k t / n}` (`inverse`: `x[t] = (1/n) Σ_k X[k] e^{+2πi k t / n}`).
 * Returns new arrays; the input is unchanged.
 *
 * @example const X = fft({ re: Float64Array.from([1, 2, 3]), im: new Float64Array(3) });
 */
export function fft(x: ComplexArray, inverse = false): ComplexArray {
  const n = x.re.length;
  if (x.im.length !== n) throw new RangeError(`fft: re has ${n} values but im has ${x.im.length}`);
  const re = Float64Array.from(x.re);
  const im = Float64Array.from(x.im);
  if (n <= 1) return { re, im };
  if ((n & (n - 1)) === 0) radix2InPlace(re, im, inverse);
  else bluestein(re, im, inverse);
  if (inverse)
    for (let i = 0; i < n; i++) {
      re[i] /= n;
      im[i] /= n;
    }
  return { re, im };
}

/** DFT of a real `[n]` signal (all n bins; `X[n-k]` is the conjugate of `X[k]`). */
export function realFft(x: ArrayLike<number>): ComplexArray {
  return fft({ re: Float64Array.from(x), im: new Float64Array(x.length) });
}

/** The real part of the inverse DFT (the signal, when the spectrum is Hermitian). */
export function inverseRealFft(X: ComplexArray): Float64Array {
  return fft(X, true).re;
}

/** In-place iterative radix-2 transform (n a power of two), without the 1/n of the inverse. */
function radix2InPlace(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  // bit-reversal permutation
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = (sign * 2 * Math.PI) / size;
    for (let k = 0; k < half; k++) {
      // twiddle w = e^{sign 2πi k / size}, computed directly (no accumulated rounding)
      const wr = Math.cos(step * k);
      const wi = Math.sin(step * k);
      for (let start = 0; start < n; start += size) {
        const a = start + k;
        const b = a + half;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

/** Bluestein (1970): X[k] = conj(w_k) Σ_t (x_t conj(w_t)) w_{k-t}, w_j = e^{sign πi j² / n}, a circular convolution of length m >= 2n - 1. */
function bluestein(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const sign = inverse ? 1 : -1;
  // chirp w_j = e^{-sign πi j²/n}; j² mod 2n keeps the angle small and exact
  const cr = new Float64Array(n);
  const ci = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const angle = (Math.PI * ((j * j) % (2 * n))) / n;
    cr[j] = Math.cos(angle);
    ci[j] = -sign * Math.sin(angle);
  }
  // a = x · conj(w) padded to m; b = w at ±j (circular)
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    ar[j] = re[j] * cr[j] + im[j] * ci[j];
    ai[j] = im[j] * cr[j] - re[j] * ci[j];
  }
  const br = new Float64Array(m);
  const bi = new Float64Array(m);
  br[0] = cr[0];
  bi[0] = ci[0];
  for (let j = 1; j < n; j++) {
    br[j] = br[m - j] = cr[j];
    bi[j] = bi[m - j] = ci[j];
  }
  radix2InPlace(ar, ai, false);
  radix2InPlace(br, bi, false);
  for (let k = 0; k < m; k++) {
    const r = ar[k] * br[k] - ai[k] * bi[k];
    ai[k] = ar[k] * bi[k] + ai[k] * br[k];
    ar[k] = r;
  }
  radix2InPlace(ar, ai, true);
  for (let k = 0; k < n; k++) {
    // (a * b)[k] / m, times conj(w_k)
    const r = ar[k] / m;
    const i = ai[k] / m;
    re[k] = r * cr[k] + i * ci[k];
    im[k] = i * cr[k] - r * ci[k];
  }
}
