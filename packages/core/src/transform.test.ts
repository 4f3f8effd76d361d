import { describe, expect, it } from "vitest";
import { InputError } from "./errors.js";
import { column, minMax, scaleWarnings, selectVariables, seriesFromColumns, sliceSeries, standardize, zscore } from "./transform.js";
import type { TimeSeries } from "./types.js";

// 5 rows x 2 variables: a = 1..5, b = [2, 4, 4, 4, 6] (hand-checkable).
const s: TimeSeries = { variables: ["a", "b"], length: 5, data: Float64Array.from([1, 2, 2, 4, 3, 4, 4, 4, 5, 6]), time: ["t0", "t1", "t2", "t3", "t4"] };

describe("zscore", () => {
  it("gives each column mean 0 and population std 1, with the mean and std it used", () => {
    const { series: z, offset, scale } = zscore(s);
    expect(Array.from(offset)).toEqual([3, 4]);
    // a: deviations -2..2, variance 10/5 = 2; b: deviations [-2,0,0,0,2], variance 8/5.
    expect(scale[0]).toBeCloseTo(Math.sqrt(2), 15);
    expect(scale[1]).toBeCloseTo(Math.sqrt(8 / 5), 15);
    for (const name of ["a", "b"]) {
      const x = column(z, name);
      const mean = x.reduce((p, v) => p + v, 0) / x.length;
      const variance = x.reduce((p, v) => p + (v - mean) ** 2, 0) / x.length;
      expect(mean).toBeCloseTo(0, 12);
      expect(variance).toBeCloseTo(1, 12);
    }
    expect(column(z, "a")[0]).toBeCloseTo(-2 / Math.sqrt(2), 15);
    // A new series; the input is untouched and the time axis is kept.
    expect(Array.from(s.data)).toEqual([1, 2, 2, 4, 3, 4, 4, 4, 5, 6]);
    expect(z.time).toEqual(s.time);
    expect(z.variables).toEqual(["a", "b"]);
  });

  it("keeps mean 0 / std 1 for a column with a large offset", () => {
    const x = Array.from({ length: 1000 }, (_, t) => 1e9 + Math.sin(t));
    const z = column(zscore(seriesFromColumns(["x"], [x])).series, 0);
    const mean = z.reduce((p, v) => p + v, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(1e-6);
    expect(z.reduce((p, v) => p + v * v, 0) / z.length).toBeCloseTo(1, 6);
  });

  it("rejects a constant column by name, even with values whose mean rounds", () => {
    const c = seriesFromColumns(["ok", "flat"], [[1, 2, 3], [0.1, 0.1, 0.1]]);
    expect(() => zscore(c)).toThrow(InputError);
    expect(() => zscore(c)).toThrow('column "flat" (#2) is constant');
  });
});

describe("zscore at extreme magnitudes", () => {
  const base = Array.from({ length: 200 }, (_, t) => Math.sin(0.3 * t) + 0.1 * Math.cos(1.7 * t) + 0.5);
  const reference = column(zscore(seriesFromColumns(["x"], [base])).series, 0);

  it("standardises x 1e300 and x 1e-300 data to the same values as the original (no overflow to 0 or NaN)", () => {
    for (const factor of [1e300, -1e300, 1e-300, 1e12, 1e-12]) {
      const { series: z, scale } = zscore(seriesFromColumns(["x"], [base.map((v) => v * factor)]));
      const zx = column(z, 0);
      expect(Number.isFinite(scale[0]) && scale[0] > 0).toBe(true);
      for (let t = 0; t < base.length; t++) expect(Math.abs(zx[t] - Math.sign(factor) * reference[t])).toBeLessThan(1e-9);
    }
  });

  it("changes no bit for data scaled by a power of two, and recovers offset and scale in original units", () => {
    const { series: z, offset, scale } = zscore(seriesFromColumns(["x"], [base.map((v) => v * 2 ** 600)]));
    expect(Array.from(column(z, 0))).toEqual(Array.from(reference));
    const plain = zscore(seriesFromColumns(["x"], [base]));
    expect(offset[0]).toBe(plain.offset[0] * 2 ** 600);
    expect(scale[0]).toBe(plain.scale[0] * 2 ** 600);
  });

  it("handles values near the float64 limit with both signs (x - mean would overflow unscaled)", () => {
    const { series: z } = zscore(seriesFromColumns(["x"], [[1.5e308, -1.5e308, 1.5e308, -1.5e308]]));
    expect(Array.from(column(z, 0))).toEqual([1, -1, 1, -1]);
  });
});

describe("standardize and scaleWarnings", () => {
  const a = Array.from({ length: 100 }, (_, t) => Math.sin(t));
  const b = Array.from({ length: 100 }, (_, t) => Math.cos(0.7 * t));

  it("gives no warning for ordinary data, x 1e-12 or + 1000", () => {
    expect(standardize(seriesFromColumns(["a", "b"], [a, b])).warnings).toEqual([]);
    expect(scaleWarnings(seriesFromColumns(["a", "b"], [a.map((v) => v * 1e-12), b.map((v) => v + 1000)]))).toEqual([]);
  });

  it("warns `scale` naming the variables beyond 1e150 or below 1e-150, and standardises them", () => {
    const r = standardize(seriesFromColumns(["a", "b"], [a.map((v) => v * 1e300), b.map((v) => v * 1e-200)]));
    expect(r.warnings.map((w) => w.code)).toEqual(["scale"]);
    expect(r.warnings[0].variables).toEqual(["a", "b"]);
    expect(r.warnings[0].message).toContain("1e+150");
    const za = column(r.series, "a");
    expect(za.reduce((p, v) => p + v * v, 0) / za.length).toBeCloseTo(1, 12);
  });

  it("warns `near_constant` for a variable varying only in its last digits, without NaN", () => {
    const r = standardize(seriesFromColumns(["a", "flat"], [a, b.map((v) => 1e6 + 1e-6 * v)]));
    expect(r.warnings.map((w) => w.code)).toEqual(["near_constant"]);
    expect(r.warnings[0].variables).toEqual(["flat"]);
    expect(Array.from(r.series.data).every(Number.isFinite)).toBe(true);
  });
});

describe("minMax", () => {
  it("maps each column onto [0, 1] with offset = min and scale = max - min", () => {
    const { series: m, offset, scale } = minMax(s);
    expect(Array.from(offset)).toEqual([1, 2]);
    expect(Array.from(scale)).toEqual([4, 4]);
    expect(Array.from(m.data)).toEqual([0, 0, 0.25, 0.5, 0.5, 0.5, 0.75, 0.5, 1, 1]);
    expect(() => minMax(seriesFromColumns(["a", "k"], [[1, 2, 3], [5, 5, 5]]))).toThrow('column "k" (#2) is constant');
  });
});

describe("series helpers", () => {
  it("sliceSeries copies rows [start, end) and the time axis", () => {
    const part = sliceSeries(s, 1, 3);
    expect(part.length).toBe(2);
    expect(Array.from(part.data)).toEqual([2, 4, 3, 4]);
    expect(part.time).toEqual(["t1", "t2"]);
    expect(sliceSeries(s, 3).length).toBe(2);
    part.data[0] = 99;
    expect(s.data[2]).toBe(2);
    expect(() => sliceSeries(s, 3, 3)).toThrow("0 <= start < end <= 5");
    expect(() => sliceSeries(s, -1, 2)).toThrow(InputError);
  });

  it("selectVariables picks named columns in the order given", () => {
    const r = selectVariables(s, ["b", "a"]);
    expect(r.variables).toEqual(["b", "a"]);
    expect(Array.from(r.data.subarray(0, 4))).toEqual([2, 1, 4, 2]);
    expect(() => selectVariables(s, ["c"])).toThrow('unknown variable "c"; the series has a, b');
    expect(() => selectVariables(s, ["a", "a"])).toThrow("selected twice");
  });

  it("seriesFromColumns and column are inverses", () => {
    const built = seriesFromColumns(["a", "b"], [Float64Array.from([1, 2, 3, 4, 5]), [2, 4, 4, 4, 6]]);
    expect(Array.from(built.data)).toEqual(Array.from(s.data));
    expect(Array.from(column(built, "b"))).toEqual([2, 4, 4, 4, 6]);
    expect(Array.from(column(built, 0))).toEqual([1, 2, 3, 4, 5]);
    expect(() => column(built, 2)).toThrow("column index 2 is outside 0..1");
    expect(() => column(built, "z")).toThrow('unknown variable "z"');
    expect(() => seriesFromColumns(["a", "b"], [[1, 2], [1]])).toThrow('column "b" (#2) has 1 values, expected 2');
    expect(() => seriesFromColumns(["a"], [[1, NaN]])).toThrow('column "a" (#1), row 2: the value NaN is not finite');
    expect(() => seriesFromColumns(["a", "a"], [[1], [2]])).toThrow("unique");
  });
});
