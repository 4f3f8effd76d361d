import { describe, expect, it } from "vitest";
import { laggedPearson } from "./lagged-corr.js";

/** `[V, V, maxLag]` of laggedPearson's values. */
function table(data: number[], T: number, V: number, maxLag: number): Float64Array {
  const out = new Float64Array(V * V * maxLag);
  laggedPearson(data, T, V, maxLag, (e, c, l, r) => (out[(e * V + c) * maxLag + l - 1] = r));
  return out;
}

describe("laggedPearson", () => {
  it("gives signed correlations over the rows maxLag..T-1, hand-computed", () => {
    // x0 = 1 2 4 3 5, x1(t) = -x0(t-1) from t = 1 (x1 = 0 -1 -2 -4 -3); T = 5, V = 2, maxLag = 1 -> rows 1..4
    const x0 = [1, 2, 4, 3, 5];
    const x1 = [0, -1, -2, -4, -3];
    const data = x0.flatMap((v, t) => [v, x1[t]]); // [T, V]
    const r = table(data, 5, 2, 1);
    expect(r[(1 * 2 + 0) * 1]).toBeCloseTo(-1, 14); // x0(t-1) -> x1(t): exactly anti-correlated
    // x1(t-1) = 0 -1 -2 -4 (centred 1.75 0.75 -0.25 -2.25) vs x0(t) = 2 4 3 5 (centred -1.5 0.5 -0.5 1.5):
    // Σa'b' = -2.625 + 0.375 + 0.125 - 3.375 = -5.5, Σa'² = 8.75, Σb'² = 5 -> r = -5.5 / √43.75
    expect(r[(0 * 2 + 1) * 1]).toBeCloseTo(-5.5 / Math.sqrt(43.75), 14);
    // x0(t-1) = 1 2 4 3 vs x0(t) = 2 4 3 5: a' = -1.5 -0.5 1.5 0.5, b' = -1.5 0.5 -0.5 1.5 -> Σ = 2.25 - 0.25 - 0.75 + 0.75 = 2, Σa'² = Σb'² = 5
    expect(r[0]).toBeCloseTo(2 / 5, 14);
  });

  it("uses the same target rows at every lag and calls emit lag by lag", () => {
    const T = 6;
    const data = [3, 1, 4, 1, 5, 9]; // V = 1
    const calls: number[][] = [];
    laggedPearson(data, T, 1, 2, (e, c, l, r) => calls.push([e, c, l, r]));
    expect(calls.map(([e, c, l]) => [e, c, l])).toEqual([
      [0, 0, 1],
      [0, 0, 2],
    ]);
    // rows 2..5: x(t) = 4 1 5 9; lag 1: x(t-1) = 1 4 1 5; lag 2: x(t-2) = 3 1 4 1
    const pearson = (a: number[], b: number[]) => {
      const ma = a.reduce((s, x) => s + x) / a.length;
      const mb = b.reduce((s, x) => s + x) / b.length;
      let ab = 0;
      let aa = 0;
      let bb = 0;
      for (let i = 0; i < a.length; i++) {
        ab += (a[i] - ma) * (b[i] - mb);
        aa += (a[i] - ma) ** 2;
        bb += (b[i] - mb) ** 2;
      }
      return ab / Math.sqrt(aa * bb);
    };
    expect(calls[0][3]).toBeCloseTo(pearson([1, 4, 1, 5], [4, 1, 5, 9]), 14);
    expect(calls[1][3]).toBeCloseTo(pearson([3, 1, 4, 1], [4, 1, 5, 9]), 14);
  });

  it("gives 0 where a window is constant, and stops on an aborted signal", () => {
    const data = [1, 2, 1, 3, 1, 5, 1, 4]; // x0 constant, T = 4, V = 2
    const r = table(data, 4, 2, 1);
    expect(r[0]).toBe(0);
    expect(r[(1 * 2 + 0) * 1]).toBe(0);
    const controller = new AbortController();
    controller.abort();
    expect(() => laggedPearson(data, 4, 2, 1, () => {}, controller.signal)).toThrow();
  });
});
