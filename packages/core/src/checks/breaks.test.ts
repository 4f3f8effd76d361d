import { describe, expect, it } from "vitest";
import { Rng } from "../random.js";
import { kolmogorovSf, levelBreakTest, supWaldP, varianceBreakTest } from "./breaks.js";
import { adfTest } from "./stationarity.js";

/** AR(1) `[n]` with coefficient phi, N(0, 1) innovations scaled by `sd(t)`, plus `shift(t)`. */
function ar1(n: number, phi: number, seed: number, shift = (_t: number) => 0, sd = (_t: number) => 1): Float64Array {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  let u = 0;
  for (let t = 0; t < n; t++) {
    u = phi * u + sd(t) * rng.normal();
    x[t] = u + shift(t);
  }
  return x;
}

/** x row (0-based) of a break found at regression row `at`. */
const xRow = (at: number, usedLag: number) => at + usedLag + 1;

describe("break p-values", () => {
  it("supWaldP reproduces Andrews' (1993) critical values for one parameter, π0 = 0.15", () => {
    // Andrews (1993) Table 1, p = 1, π0 = .15: 10% 7.12, 5% 8.68, 1% 12.16
    expect(supWaldP(7.12)).toBeGreaterThan(0.09);
    expect(supWaldP(7.12)).toBeLessThan(0.12);
    expect(supWaldP(8.68)).toBeGreaterThan(0.045);
    expect(supWaldP(8.68)).toBeLessThan(0.06);
    expect(supWaldP(12.16)).toBeGreaterThan(0.009);
    expect(supWaldP(12.16)).toBeLessThan(0.013);
    expect(supWaldP(2)).toBe(1);
  });

  it("kolmogorovSf gives the Kolmogorov distribution's 5% and 1% points", () => {
    expect(kolmogorovSf(1.3581)).toBeCloseTo(0.05, 4);
    expect(kolmogorovSf(1.6276)).toBeCloseTo(0.01, 4);
    expect(kolmogorovSf(0.1)).toBe(1);
  });
});

describe("levelBreakTest", () => {
  it("finds a one-standard-deviation shift in level of an AR(0.5) at its row, and nothing without it", () => {
    const shifted = adfTest(ar1(800, 0.5, 3, (t) => (t >= 500 ? 1.2 : 0)))!;
    const found = levelBreakTest(shifted.regression)!;
    expect(found.pvalue).toBeLessThan(1e-6);
    expect(Math.abs(xRow(found.at, shifted.usedLag) - 500)).toBeLessThan(15);
    for (const seed of [1, 2, 3]) {
      const plain = adfTest(ar1(800, 0.5, seed))!;
      expect(levelBreakTest(plain.regression)!.pvalue, `seed ${seed}`).toBeGreaterThan(0.01);
    }
  });
});

describe("varianceBreakTest", () => {
  it("finds a doubling of the innovation sd at its row, and nothing without it", () => {
    const changed = adfTest(ar1(800, 0.3, 5, undefined, (t) => (t >= 300 ? 2 : 1)))!;
    const found = varianceBreakTest(changed.regression)!;
    expect(found.pvalue).toBeLessThan(1e-6);
    expect(Math.abs(xRow(found.at, changed.usedLag) - 300)).toBeLessThan(25);
    for (const seed of [1, 2, 3]) {
      const plain = adfTest(ar1(800, 0.3, seed))!;
      expect(varianceBreakTest(plain.regression)!.pvalue, `seed ${seed}`).toBeGreaterThan(0.01);
    }
  });
});
