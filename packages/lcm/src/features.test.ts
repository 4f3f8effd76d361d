import { Rng } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { PAD_STD, buildInput, coveringSubsets, laggedCrossCorrelation, minMaxNormalize, windowStarts } from "./features.js";

describe("minMaxNormalize", () => {
  it("maps each column to [0, 1] and a constant column to 0.5", () => {
    const data = [1, 5, 3, 5, 2, 5]; // [T=3, V=2]
    expect(Array.from(minMaxNormalize(data, 3, 2))).toEqual([0, 0.5, 1, 0.5, 0.5, 0.5]);
  });
});

describe("laggedCrossCorrelation", () => {
  it("matches a hand-computed Pearson correlation at lag 1, signed", () => {
    // x1(t) = -x0(t-1): corr(x0(t-1), x1(t)) = -1 over t = 1..T-1.
    const x0 = [0.3, -1.2, 2.0, 0.7, -0.4, 1.1];
    const data: number[] = [];
    x0.forEach((v, t) => data.push(v, t > 0 ? -x0[t - 1] : 0));
    const r = laggedCrossCorrelation(data, 6, 2, 1); // [V, V, 1]
    expect(r[(1 * 2 + 0) * 1]).toBeCloseTo(-1, 6); // effect 1, cause 0
    // r[effect 0][cause 0] at lag 1 = autocorrelation of x0 over the same window, by hand:
    const a = x0.slice(0, 5);
    const b = x0.slice(1, 6);
    const ma = a.reduce((s, v) => s + v, 0) / 5;
    const mb = b.reduce((s, v) => s + v, 0) / 5;
    let num = 0;
    let da = 0;
    let db = 0;
    for (let i = 0; i < 5; i++) {
      num += (a[i] - ma) * (b[i] - mb);
      da += (a[i] - ma) ** 2;
      db += (b[i] - mb) ** 2;
    }
    expect(r[0]).toBeCloseTo(num / Math.sqrt(da * db), 6);
  });
});

describe("buildInput (masking and padding)", () => {
  const rng = new Rng(3);
  const T = 20;
  const V = 3;
  const data = Float64Array.from({ length: T * V }, () => rng.normal());

  it("puts the normalised series at the end of the window and noise elsewhere", () => {
    const lMax = 64;
    const vMax = 5;
    const { x, corr } = buildInput(data, T, V, { lMax, vMax, maxLag: 2 }, new Rng(1));
    expect(x.length).toBe(lMax * vMax);
    expect(corr.length).toBe(vMax * vMax * 2);
    const norm = minMaxNormalize(data, T, V);
    for (let t = 0; t < T; t++) for (let v = 0; v < V; v++) expect(x[(lMax - T + t) * vMax + v]).toBeCloseTo(norm[t * V + v], 6);
    // Padding: rows before the series and the columns V..vMax-1, N(0, 0.01).
    const pad: number[] = [];
    for (let t = 0; t < lMax; t++) for (let v = 0; v < vMax; v++) if (t < lMax - T || v >= V) pad.push(x[t * vMax + v]);
    const mean = pad.reduce((s, p) => s + p, 0) / pad.length;
    const sd = Math.sqrt(pad.reduce((s, p) => s + (p - mean) ** 2, 0) / pad.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(sd).toBeGreaterThan(PAD_STD * 0.85);
    expect(sd).toBeLessThan(PAD_STD * 1.15);
    // Correlations of padded variables are 0.
    for (let e = 0; e < vMax; e++) for (let c = 0; c < vMax; c++) if (e >= V || c >= V) expect(corr[(e * vMax + c) * 2]).toBe(0);
  });

  it("takes the last lMax steps of a longer series, correlations over the whole series", () => {
    const { x, corr } = buildInput(data, T, V, { lMax: 8, vMax: 3, maxLag: 1 }, new Rng(1));
    const norm = minMaxNormalize(data, T, V);
    for (let t = 0; t < 8; t++) for (let v = 0; v < V; v++) expect(x[t * 3 + v]).toBeCloseTo(norm[(T - 8 + t) * V + v], 6);
    expect(Array.from(corr)).toEqual(Array.from(laggedCrossCorrelation(norm, T, V, 1)));
  });

  it("places variable order[i] in slot i", () => {
    const order = [2, 0];
    const { x, corr } = buildInput(data, T, V, { lMax: T, vMax: 2, maxLag: 1 }, new Rng(1), { order });
    const norm = minMaxNormalize(data, T, V);
    const full = laggedCrossCorrelation(norm, T, V, 1);
    expect(x[5 * 2 + 0]).toBeCloseTo(norm[5 * V + 2], 6);
    expect(corr[(0 * 2 + 1) * 1]).toBeCloseTo(full[(2 * V + 0) * 1], 6); // effect slot 0 = var 2, cause slot 1 = var 0
  });

  it("rejects too many variables and too short series", () => {
    expect(() => buildInput(data, T, V, { lMax: 32, vMax: 2, maxLag: 1 }, new Rng(1))).toThrow(/vMax/);
    expect(() => buildInput(data, 2, V, { lMax: 32, vMax: 4, maxLag: 1 }, new Rng(1))).toThrow(/at least/);
  });
});

describe("windows and covering subsets", () => {
  it("spreads windows from the first to the last step", () => {
    expect(windowStarts(100, 128, 4)).toEqual([0]);
    expect(windowStarts(500, 128, 1)).toEqual([372]);
    expect(windowStarts(500, 128, 3)).toEqual([0, 186, 372]);
  });

  it("covers every pair with C(G, 2) subsets of at most vMax variables", () => {
    for (const [V, vMax] of [[50, 12], [13, 12], [7, 4]]) {
      const subsets = coveringSubsets(V, vMax);
      const G = Math.ceil(V / Math.floor(vMax / 2));
      expect(subsets.length).toBe((G * (G - 1)) / 2);
      for (const s of subsets) expect(s.length).toBeLessThanOrEqual(vMax);
      for (let a = 0; a < V; a++) for (let b = 0; b < V; b++) expect(subsets.some((s) => s.includes(a) && s.includes(b))).toBe(true);
    }
    expect(coveringSubsets(5, 12)).toEqual([[0, 1, 2, 3, 4]]);
  });
});
