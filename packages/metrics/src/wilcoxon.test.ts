import { InputError } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { bonferroni, compareMethods, wilcoxonSignedRank } from "./wilcoxon.js";

// Reference values below come from Debian's scipy 1.10 (`/usr/bin/python3 -c "from scipy.stats
// import wilcoxon; ..."`) or, where scipy does not compute an exact p-value (tied ranks), from a
// brute-force enumeration of all 2^n sign patterns in Python.

describe("wilcoxonSignedRank", () => {
  it("gives the exact p-value for a hand-checkable case", () => {
    // d = a - b = 0.3, 0.1, 0.2, -0.05, 0.45 -> ranks 4, 2, 3, 1, 5; W- = 1, W+ = 14.
    // P(W+ <= 1) = #{ {}, {1} } / 2^5 = 2/32; two-sided p = 4/32 = 0.125 (scipy: statistic=1.0, pvalue=0.125).
    const r = wilcoxonSignedRank([0.9, 0.8, 0.85, 0.7, 0.95], [0.6, 0.7, 0.65, 0.75, 0.5]);
    expect(r).toEqual({ statistic: 1, pValue: 0.125, n: 5, wPlus: 14, wMinus: 1, method: "exact" });
  });

  it("matches scipy's exact p-value without ties (n = 10)", () => {
    // scipy.stats.wilcoxon(a, b, method="exact") -> statistic=21.0, pvalue=0.556640625
    const a = [0.904, 0.444, 0.742, 0.643, 0.655, 0.678, 0.498, 0.677, 0.613, 1.032];
    const b = [0.673, 0.615, 0.622, 0.583, 0.544, 0.611, 0.698, 0.626, 0.746, 0.63];
    const r = wilcoxonSignedRank(a, b);
    expect(r.statistic).toBe(21);
    expect(r.pValue).toBeCloseTo(0.556640625, 14);
    expect(r.wPlus + r.wMinus).toBe(55); // 10 * 11 / 2
  });

  it("drops zero differences and gives tied ranks their average, exactly", () => {
    // d = 2, 0, -1, 3, 2, 0, 3, 0, 4, -1 -> 7 non-zero; |d| ranks: 1,1 -> 1.5; 2,2 -> 3.5; 3,3 -> 5.5; 4 -> 7.
    // W- = 1.5 + 1.5 = 3. Brute force over 2^7 sign patterns: P(W+ <= 3) = 4/128 -> p = 0.0625.
    // (scipy falls back to the normal approximation with ties: 0.0616.)
    const r = wilcoxonSignedRank([3, 5, 2, 7, 4, 4, 6, 1, 8, 5], [1, 5, 3, 4, 2, 4, 3, 1, 4, 6]);
    expect(r).toMatchObject({ statistic: 3, n: 7, wMinus: 3, wPlus: 25, method: "exact" });
    expect(r.pValue).toBeCloseTo(0.0625, 14);
  });

  it("uses the tie- and continuity-corrected normal approximation beyond n = 25", () => {
    // 30 pairs with one zero difference (n = 29) and many ties.
    // scipy wilcoxon(a, b, method="approx", correction=True, zero_method="wilcox") -> 171.0, 0.3185651286394534
    const a = [9, 0, 0, 9, 9, 2, 1, 3, 0, 8, 6, 5, 2, 4, 1, 7, 4, 0, 2, 7, 5, 3, 2, 0, 6, 6, 5, 9, 9, 2];
    const b = [6, 6, 2, 2, 4, 7, 2, 7, 6, 2, 3, 8, 8, 6, 0, 6, 2, 8, 9, 4, 9, 7, 3, 8, 3, 1, 5, 8, 6, 3];
    const r = wilcoxonSignedRank(a, b);
    expect(r).toMatchObject({ statistic: 171, n: 29, method: "normal" });
    expect(r.pValue).toBeCloseTo(0.3185651286394534, 12);
  });

  it("is symmetric in its arguments", () => {
    const a = [1, 2, 3, 4, 5, 6];
    const b = [2, 1, 5, 1, 0, 9];
    const ab = wilcoxonSignedRank(a, b);
    const ba = wilcoxonSignedRank(b, a);
    expect([ba.statistic, ba.pValue, ba.wPlus, ba.wMinus]).toEqual([ab.statistic, ab.pValue, ab.wMinus, ab.wPlus]);
  });

  it("errors on degenerate input instead of returning NaN", () => {
    expect(() => wilcoxonSignedRank([1, 2], [1, 2])).toThrow("all 2 differences are zero");
    expect(() => wilcoxonSignedRank([], [])).toThrow(InputError);
    expect(() => wilcoxonSignedRank([1, 2], [1])).toThrow("2 vs 1 values");
    expect(() => wilcoxonSignedRank([1, NaN], [1, 2])).toThrow("a[1] is not a finite number");
  });
});

describe("bonferroni", () => {
  it("multiplies by the number of tests and caps at 1", () => {
    expect(bonferroni([0.01, 0.04, 0.5])).toEqual([0.03, 0.12, 1]);
    expect(bonferroni([])).toEqual([]);
    expect(() => bonferroni([0.1, 1.5])).toThrow("p-value 1 must be in [0, 1]");
    expect(() => bonferroni([NaN])).toThrow(InputError);
  });
});

describe("compareMethods", () => {
  it("tests every pair and corrects for the number of pairs", () => {
    const rows = compareMethods({
      a: [0.9, 0.8, 0.85, 0.7, 0.95],
      b: [0.6, 0.7, 0.65, 0.75, 0.5],
      c: [0.9, 0.8, 0.85, 0.7, 0.95],
    });
    expect(rows.map((r) => `${r.a}-${r.b}`)).toEqual(["a-b", "a-c", "b-c"]);
    // a vs b: p = 0.125 (above) -> x3 = 0.375.
    expect(rows[0]).toMatchObject({ statistic: 1, n: 5, pairs: 5, pValue: 0.125, pAdjusted: 0.375 });
    expect(rows[0].meanDifference).toBeCloseTo(0.2, 14);
    // a vs c: identical -> no test possible, reported as p = 1.
    expect(rows[1]).toMatchObject({ statistic: 0, n: 0, pValue: 1, pAdjusted: 1, meanDifference: 0 });
    // b vs c mirrors a vs b.
    expect(rows[2]).toMatchObject({ statistic: 1, pValue: 0.125, pAdjusted: 0.375 });
  });

  it("needs two methods with one value per data set each", () => {
    expect(() => compareMethods({ a: [1, 2] })).toThrow("at least 2");
    expect(() => compareMethods({ a: [1, 2], b: [1] })).toThrow('method "b" has 1 results but "a" has 2');
    expect(() => compareMethods({ a: [], b: [] })).toThrow("at least one data set");
  });
});
