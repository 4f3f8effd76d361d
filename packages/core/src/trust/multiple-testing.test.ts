import { describe, expect, it } from "vitest";
import { adjustPvalues, checkAlpha } from "./multiple-testing.js";

describe("adjustPvalues", () => {
  const p = [0.01, 0.04, 0.03, 0.005, 0.5];
  it("Benjamini-Hochberg q-values (hand computed: m = 5)", () => {
    // sorted: .005 (k1) .01 (k2) .03 (k3) .04 (k4) .5 (k5) -> m p / k: .025 .025 .05 .05 .5; running min from the top
    expect(Array.from(adjustPvalues(p, "fdr_bh")).map((x) => +x.toFixed(12))).toEqual([0.025, 0.05, 0.05, 0.025, 0.5]);
  });
  it("Bonferroni caps at 1; none copies; NaN entries are not tests", () => {
    expect(Array.from(adjustPvalues(p, "bonferroni")).map((x) => +x.toFixed(12))).toEqual([0.05, 0.2, 0.15, 0.025, 1]);
    expect(Array.from(adjustPvalues(p, "none"))).toEqual(p);
    const q = adjustPvalues([0.01, Number.NaN, 0.02], "bonferroni");
    expect(q[0]).toBeCloseTo(0.02, 15);
    expect(Number.isNaN(q[1])).toBe(true);
    expect(q[2]).toBeCloseTo(0.04, 15);
  });
  it("refuses p-values outside [0, 1] and bad alpha / correction", () => {
    expect(() => adjustPvalues([1.5], "fdr_bh")).toThrow(/outside/);
    expect(() => checkAlpha(0, "fdr_bh")).toThrow(/alpha/);
    expect(() => checkAlpha(0.05, "holm")).toThrow(/correction/);
    expect(checkAlpha(0.05, "none")).toBe("none");
  });
});
