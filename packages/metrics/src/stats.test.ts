import { InputError } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { erfc } from "@causeway/core";
import { normalSf, studentTQuantile } from "./distributions.js";
import { mean, meanCi95, median, std } from "./stats.js";

describe("summary statistics", () => {
  it("mean, std, median", () => {
    expect(mean([1, 2, 6])).toBe(3);
    // deviations -2, -1, 3 -> sum of squares 14; / (n - 1) = 7
    expect(std([1, 2, 6])).toBeCloseTo(Math.sqrt(7), 15);
    expect(std([1, 2, 6], 0)).toBeCloseTo(Math.sqrt(14 / 3), 15);
    expect(median([3, 1, 4, 2])).toBe(2.5);
    expect(median([10, -1, 3])).toBe(3);
  });

  it("meanCi95 uses Student's t with n - 1 degrees of freedom", () => {
    // t_{0.975, 2} = 0.95 / sqrt(2 * 0.975 * 0.025) = 4.302652729749464 (closed form for df 2);
    // half width = t * sqrt(7) / sqrt(3) = 6.572410607728432 (scipy's t.ppf gives 6.5724106079756, 2e-10 off).
    const ci = meanCi95([1, 2, 6]);
    expect(ci.mean).toBe(3);
    expect(ci.halfWidth).toBeCloseTo(6.572410607728432, 11);
    expect(ci.low).toBeCloseTo(3 - 6.572410607728432, 11);
    expect(ci.high).toBeCloseTo(3 + 6.572410607728432, 11);
    expect(ci.n).toBe(3);
  });

  it("errors on input too short to define the figure, or non-finite", () => {
    expect(() => mean([])).toThrow(InputError);
    expect(() => median([])).toThrow(InputError);
    expect(() => std([1])).toThrow("std needs at least 2 values, got 1");
    expect(() => meanCi95([0.5])).toThrow(InputError);
    expect(() => mean([1, NaN])).toThrow("value 1 is not a finite number");
  });
});

describe("distributions", () => {
  it("normalSf matches scipy.stats.norm.sf into the far tail", () => {
    // scipy.stats.norm.sf(z)
    const cases: [number, number][] = [
      [0, 0.5],
      [0.5, 0.3085375387259869],
      [1.96, 0.024997895148220435],
      [3, 0.0013498980316300933],
      [5, 2.866515718791933e-7],
      [8, 6.22096057427174e-16],
      [12, 1.776482112077653e-33],
      [20, 2.7536241186061556e-89],
      [-2, 0.9772498680518208],
    ];
    for (const [z, want] of cases) expect(Math.abs(normalSf(z) - want) / want).toBeLessThan(1e-12);
  });

  it("erfc is continuous where the series hands over to the continued fraction", () => {
    // Python math.erfc(2) = 0.004677734981047266
    expect(Math.abs(erfc(2) - 0.004677734981047266) / 0.004677734981047266).toBeLessThan(1e-13);
    expect(Math.abs(erfc(2 - 1e-12) - erfc(2))).toBeLessThan(1e-13);
  });

  it("studentTQuantile matches closed forms (df 1, 2) and scipy (df 5, 30, 1000)", () => {
    // Closed forms: df 1 -> tan(pi (p - 1/2)); df 2 -> (2p - 1) / sqrt(2 p (1 - p)).
    // (scipy's t.ppf is ~1e-9 off for small df, e.g. 12.706204736432095 vs tan(0.475 pi) = 12.706204736174696.)
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(Math.tan(0.475 * Math.PI), 11);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(0.95 / Math.sqrt(2 * 0.975 * 0.025), 12);
    // df 5: root of the closed-form CDF 1/2 + (th + sin th cos th (1 + 2/3 cos^2 th)) / pi, th = atan(t / sqrt 5),
    // found by bisection in Python: 2.570581835636314 (scipy.stats.t.cdf there = 0.975 exactly; its ppf says 2.5705818366).
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.570581835636314, 12);
    expect(studentTQuantile(0.025, 5)).toBeCloseTo(-2.570581835636314, 12);
    // scipy.stats.t.ppf(0.975, df), accurate for larger df
    const cases: [number, number][] = [
      [30, 2.0422724563012373],
      [1000, 1.9623390808264074],
    ];
    for (const [df, want] of cases) expect(studentTQuantile(0.975, df)).toBeCloseTo(want, 12);
  });
});
