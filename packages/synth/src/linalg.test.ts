import { Rng } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { companionMatrix, eigenvalues, spectralRadius, varSpectralRadius } from "./linalg.js";
import { generateVar } from "./var.js";

/** Eigenvalues as sorted [re, im] pairs, for comparison. */
function sortedPairs(e: { re: Float64Array; im: Float64Array }): number[][] {
  return Array.from(e.re, (r, k) => [r, e.im[k]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** Matrix product `[n, n] x [n, n]`. */
function matmul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  }
  return c;
}

/**
 * Gelfand's formula by repeated squaring: ||M^(2^k)||_F^(1/2^k), an upper bound on the spectral
 * radius that converges to it. An independent check of the QR eigenvalue solver.
 */
function gelfand(m: Float64Array, n: number, squarings = 40): number {
  let p: Float64Array = Float64Array.from(m);
  let logNorm = 0; // log ||M^(2^k)||_F
  const frob = (a: Float64Array): number => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
  let f = frob(p);
  if (f === 0) return 0;
  logNorm = Math.log(f);
  p = p.map((v) => v / f);
  for (let k = 1; k <= squarings; k++) {
    p = matmul(p, p, n);
    f = frob(p);
    if (f === 0) return 0;
    logNorm = 2 * logNorm + Math.log(f);
    p = p.map((v) => v / f);
  }
  return Math.exp(logNorm / 2 ** squarings);
}

describe("eigenvalues", () => {
  it("finds a rotation's complex pair", () => {
    const e = eigenvalues(Float64Array.of(0, -2, 2, 0), 2);
    expect(sortedPairs(e)).toEqual([
      [0, -2],
      [0, 2],
    ]);
  });

  it("finds the roots of a polynomial from its companion matrix", () => {
    // (x - 0.5)(x + 0.9)(x^2 - 0.6x + 0.25): roots 0.5, -0.9, 0.3 ± 0.4i.
    // Expanded: x^4 - 0.2x^3 - 0.44x^2 + 0.37x - 0.1125, as the scalar VAR(4)
    // x_t = 0.2 x_{t-1} + 0.44 x_{t-2} - 0.37 x_{t-3} + 0.1125 x_{t-4}.
    const coef = Float64Array.of(0.2, 0.44, -0.37, 0.1125); // [p=4, V=1, V=1]
    const e = eigenvalues(companionMatrix(coef, 1, 4), 4);
    const want = [
      [-0.9, 0],
      [0.3, -0.4],
      [0.3, 0.4],
      [0.5, 0],
    ];
    const got = sortedPairs(e);
    for (let k = 0; k < 4; k++) {
      expect(got[k][0]).toBeCloseTo(want[k][0], 10);
      expect(got[k][1]).toBeCloseTo(want[k][1], 10);
    }
    expect(varSpectralRadius(coef, 1, 4)).toBeCloseTo(0.9, 10);
  });

  it("keeps the trace and matches Gelfand's bound on random matrices", () => {
    const rng = new Rng(7);
    for (const n of [3, 5, 8, 17, 40]) {
      const m = new Float64Array(n * n);
      for (let k = 0; k < m.length; k++) m[k] = rng.normal();
      const e = eigenvalues(m, n);
      let trace = 0;
      for (let i = 0; i < n; i++) trace += m[i * n + i];
      const sumRe = e.re.reduce((s, v) => s + v, 0);
      const sumIm = e.im.reduce((s, v) => s + v, 0);
      expect(sumRe).toBeCloseTo(trace, 8);
      expect(sumIm).toBeCloseTo(0, 8);
      const rho = spectralRadius(m, n);
      const bound = gelfand(m, n);
      expect(bound).toBeGreaterThanOrEqual(rho * (1 - 1e-9));
      expect(Math.abs(bound - rho) / rho).toBeLessThan(1e-3);
    }
  });

  it("handles triangular, nilpotent and zero matrices", () => {
    expect(spectralRadius(Float64Array.of(0.3, 5, 7, 0, -0.8, 1, 0, 0, 0.1), 3)).toBeCloseTo(0.8, 12);
    expect(spectralRadius(Float64Array.of(0, 1, 0, 0, 0, 1, 0, 0, 0), 3)).toBe(0);
    expect(spectralRadius(new Float64Array(16), 4)).toBe(0);
  });

  it("converges on the VAR companion matrices where exceptional shifts about 0 stalled (generateVar V 5, maxLag 3, seeds 408 and 437)", () => {
    for (const seed of [408, 437]) {
      const { coefficients, spectralRadius: rho } = generateVar({ vars: 5, maxLag: 3, length: 50, seed });
      const m = companionMatrix(coefficients, 5, 3);
      expect(Math.abs(gelfand(m, 15) - rho) / rho).toBeLessThan(1e-3);
      // The eigenvalues keep the trace.
      const { re } = eigenvalues(m, 15);
      let trace = 0;
      for (let i = 0; i < 5; i++) trace += m[i * 15 + i];
      expect(re.reduce((a, b) => a + b, 0)).toBeCloseTo(trace, 10);
    }
  });
});

describe("companionMatrix", () => {
  it("stacks [A1 A2; I 0]", () => {
    // V = 2, p = 2, coefficients [l][effect][cause].
    const coef = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    expect(Array.from(companionMatrix(coef, 2, 2))).toEqual([
      1, 2, 5, 6, 3, 4, 7, 8, 1, 0, 0, 0, 0, 1, 0, 0,
    ]);
  });
});
