import { describe, expect, it } from "vitest";
import { erfc, normalCdf, normalQuantile, normalSf } from "./normal.js";

describe("normal distribution", () => {
  it("matches scipy.stats.norm in the centre and both tails", () => {
    // scipy 1.10.1: norm.cdf(z)
    const cases: [number, number][] = [
      [-8, 6.22096057427174e-16], [-3.5, 0.00023262907903552502], [-1.2, 0.11506967022170822], [0, 0.5],
      [0.3, 0.6179114221889526], [2.5, 0.9937903346742238],
    ];
    for (const [z, want] of cases) expect(Math.abs(normalCdf(z) - want) / want).toBeLessThan(1e-12);
    expect(Math.abs(normalSf(8) - 6.22096057427174e-16) / 6.22096057427174e-16).toBeLessThan(1e-12);
    // Python math.erfc(2) = 0.004677734981047266: continuous where the series hands over
    expect(Math.abs(erfc(2) - 0.004677734981047266) / 0.004677734981047266).toBeLessThan(1e-13);
    expect(Math.abs(erfc(2 - 1e-12) - erfc(2))).toBeLessThan(1e-13);
  });

  it("normalQuantile inverts the CDF to Acklam's 1.2e-9 (scipy norm.ppf(0.975) = 1.959963984540054)", () => {
    expect(Math.abs(normalQuantile(0.975) - 1.959963984540054) / 1.959963984540054).toBeLessThan(1.2e-9);
    // upper tail through the lower one: Φ(z) near 1 keeps only 1e-16 of 1 - p
    for (const z of [-7, -3, -1.5, -0.2, 0, 0.4, 1.9, 3.3]) expect(Math.abs(normalQuantile(normalCdf(z)) - z)).toBeLessThan(1.2e-9 * Math.max(1, Math.abs(z)));
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
  });
});
