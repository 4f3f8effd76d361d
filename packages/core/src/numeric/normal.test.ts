import { describe, expect, it } from "vitest";
import { erfc, normalCdf, normalSf } from "./normal.js";

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
});
