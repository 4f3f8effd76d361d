import { describe, expect, it } from "vitest";
import { Rng } from "../random.js";
import { fft, inverseRealFft, realFft } from "./fft.js";

/** Direct O(n²) DFT, the definition. */
function directDft(re: Float64Array, im: Float64Array, inverse = false): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const out = { re: new Float64Array(n), im: new Float64Array(n) };
  const sign = inverse ? 1 : -1;
  for (let k = 0; k < n; k++)
    for (let t = 0; t < n; t++) {
      const a = (sign * 2 * Math.PI * ((k * t) % n)) / n;
      out.re[k] += re[t] * Math.cos(a) - im[t] * Math.sin(a);
      out.im[k] += re[t] * Math.sin(a) + im[t] * Math.cos(a);
    }
  if (inverse)
    for (let k = 0; k < n; k++) {
      out.re[k] /= n;
      out.im[k] /= n;
    }
  return out;
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe("fft", () => {
  const rng = new Rng(7);
  // powers of two (radix-2), odd, prime and composite lengths (Bluestein)
  for (const n of [1, 2, 8, 64, 3, 5, 12, 97, 100, 255]) {
    it(`equals the direct DFT and inverts, n = ${n}`, () => {
      const re = Float64Array.from({ length: n }, () => rng.normal());
      const im = Float64Array.from({ length: n }, () => rng.normal());
      const X = fft({ re, im });
      const D = directDft(re, im);
      expect(maxDiff(X.re, D.re)).toBeLessThan(1e-9 * n);
      expect(maxDiff(X.im, D.im)).toBeLessThan(1e-9 * n);
      const back = fft(X, true);
      expect(maxDiff(back.re, re)).toBeLessThan(1e-12 * n);
      expect(maxDiff(back.im, im)).toBeLessThan(1e-12 * n);
      expect(maxDiff(fft(D, true).re, directDft(D.re, D.im, true).re)).toBeLessThan(1e-9 * n);
    });
  }
  it("a real signal has a Hermitian spectrum and comes back from inverseRealFft", () => {
    const x = Float64Array.from({ length: 30 }, (_, t) => Math.sin(t) + 0.1 * t);
    const X = realFft(x);
    for (let k = 1; k < 30; k++) {
      expect(X.re[30 - k]).toBeCloseTo(X.re[k], 10);
      expect(X.im[30 - k]).toBeCloseTo(-X.im[k], 10);
    }
    expect(maxDiff(inverseRealFft(X), x)).toBeLessThan(1e-12);
    // X[0] is the sum
    expect(X.re[0]).toBeCloseTo(x.reduce((a, b) => a + b, 0), 10);
  });
});
