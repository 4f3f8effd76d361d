import { describe, expect, it } from "vitest";
import type { TimeSeries } from "./types.js";
import { countMissing, possibleTargetRows, validateLayout, validTargetRows } from "./samples.js";

/** A [T, V] series of values t * V + v, with optional segments and missing cells (row, column). */
function series(T: number, V: number, segments?: number[], missing: [number, number][] = []): TimeSeries {
  const data = Float64Array.from({ length: T * V }, (_, i) => i);
  const s: TimeSeries = { variables: Array.from({ length: V }, (_, v) => `x${v}`), length: T, data };
  if (segments) s.segments = segments;
  if (missing.length > 0) {
    s.mask = new Uint8Array(T * V);
    for (const [t, v] of missing) {
      s.mask[t * V + v] = 1;
      data[t * V + v] = NaN;
    }
  }
  return s;
}

describe("validTargetRows", () => {
  it("is maxLag .. T-1 for one recording without missing cells", () => {
    expect(Array.from(validTargetRows(series(6, 2), 2))).toEqual([2, 3, 4, 5]);
  });

  it("never lets a window cross a segment start", () => {
    // segments [0, 4), [4, 9), [9, 11): at maxLag 2 the targets are 2, 3 | 6, 7, 8 | none (2 rows < 3)
    const s = series(11, 2, [0, 4, 9]);
    expect(Array.from(validTargetRows(s, 2))).toEqual([2, 3, 6, 7, 8]);
    expect(possibleTargetRows(s, 2)).toBe(5);
  });

  it("leaves out every target whose window t-maxLag..t touches a missing cell", () => {
    // row 4 of x1 missing, maxLag 2: targets 4, 5, 6 touch it; per pair, only when x1 is used
    const s = series(9, 2, undefined, [[4, 1]]);
    expect(Array.from(validTargetRows(s, 2))).toEqual([2, 3, 7, 8]);
    expect(Array.from(validTargetRows(s, 2, [0]))).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(possibleTargetRows(s, 2)).toBe(7);
    expect(countMissing(s)).toBe(1);
  });

  it("combines segments and missing cells", () => {
    // segments [0, 5), [5, 10), x0 missing at row 6: targets 1..4 | 8, 9 at maxLag 1 (7 touches row 6, 6 is missing)
    const s = series(10, 2, [0, 5], [[6, 0]]);
    expect(Array.from(validTargetRows(s, 1))).toEqual([1, 2, 3, 4, 8, 9]);
  });
});

describe("validateLayout", () => {
  it("accepts a good layout and refuses bad segments and masks, saying why", () => {
    expect(() => validateLayout(series(10, 2, [0, 5], [[6, 0]]))).not.toThrow();
    expect(() => validateLayout(series(10, 2, [1, 5]))).toThrow(/starting with 0/);
    expect(() => validateLayout(series(10, 2, [0, 5, 5]))).toThrow(/segment 3 starts at 5 after 5/);
    expect(() => validateLayout(series(10, 2, [0, 10]))).toThrow(/below T = 10/);
    const s = series(10, 2);
    s.mask = new Uint8Array(20);
    s.mask[3] = 1; // row 2, x1: holds 3, not NaN
    expect(() => validateLayout(s)).toThrow('row 2, column "x1": masked as missing but holds 3');
    expect(() => validateLayout({ ...series(4, 1), segments: [0, 2], segmentNames: ["a"] })).toThrow(/1 names for 2 segments/);
  });
});
