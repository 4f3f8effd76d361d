import { describe, expect, it } from "vitest";
import { corrMethod } from "../methods/corr.js";
import { getScore, scoresFromNested } from "../graph.js";
import { Rng } from "../random.js";
import type { TimeSeries } from "../types.js";
import { blockLengthFromAutocov, bootstrapResample, bootstrapStability, optimalBlockLength, seriesBlockLength, withBootstrap } from "./bootstrap.js";

function ar1(n: number, phi: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  x[0] = rng.normal() / Math.sqrt(1 - phi * phi);
  for (let t = 1; t < n; t++) x[t] = phi * x[t - 1] + rng.normal();
  return x;
}

/** x0 AR(.5); x1 = .9 x0(t-1) + noise; x2 independent AR(.5). */
function var3(T: number, seed: number): TimeSeries {
  const rng = new Rng(seed);
  const V = 3;
  const data = new Float64Array(T * V); // [T, V]
  for (let t = 1; t < T; t++) {
    const prev = (v: number) => data[(t - 1) * V + v];
    data[t * V] = 0.5 * prev(0) + rng.normal();
    data[t * V + 1] = 0.9 * prev(0) + 0.3 * prev(1) + rng.normal();
    data[t * V + 2] = 0.5 * prev(2) + rng.normal();
  }
  return { variables: ["x0", "x1", "x2"], length: T, data };
}

describe("block length (Politis & White 2004, Patton-Politis-White 2009)", () => {
  it("equals the hand value (2φ/(1-φ²))^{2/3} n^{1/3} on an AR(1)'s exact autocovariances", () => {
    // AR(1), unit innovations: R(k) = φ^k / (1 - φ²), so G/g = 2φ/(1 - φ²) and b = (G/g)^{2/3} n^{1/3};
    // φ = .5, n = 1000: (4/3)^{2/3} · 10 = 12.1141...
    const phi = 0.5;
    const acv = Float64Array.from({ length: 201 }, (_, k) => phi ** k / (1 - phi * phi));
    expect(blockLengthFromAutocov(acv, 200, 1000)).toBeCloseTo(12.114137, 5);
    expect(blockLengthFromAutocov(acv.map((_, k) => (0.8 ** k) / (1 - 0.64)), 200, 1000)).toBeCloseTo((1.6 / 0.36) ** (2 / 3) * 10, 5);
  });
  it("estimates it from data: AR(.5) near the hand value, white noise near 1, more memory longer blocks", () => {
    const n = 5000;
    const hand = (1 / 0.75) ** (2 / 3) * Math.cbrt(n); // 20.7
    const est = [1, 2, 3].map((seed) => optimalBlockLength(ar1(n, 0.5, seed)));
    const mean = est.reduce((a, b) => a + b, 0) / est.length;
    expect(mean).toBeGreaterThan(0.7 * hand);
    expect(mean).toBeLessThan(1.3 * hand);
    expect(optimalBlockLength(ar1(n, 0, 4))).toBeLessThan(4);
    expect(optimalBlockLength(ar1(n, 0.9, 5))).toBeGreaterThan(2 * mean);
    // capped at ceil(min(3 sqrt n, n / 3))
    expect(optimalBlockLength(Float64Array.from({ length: 60 }, (_, t) => t))).toBeLessThanOrEqual(20);
  });
});

describe("bootstrapResample", () => {
  it("draws blocks of consecutive target rows with their history, each its own segment inside one recording", () => {
    const T = 80;
    const series: TimeSeries = { variables: ["row"], length: T, data: Float64Array.from({ length: T }, (_, t) => t), segments: [0, 30] };
    const s = bootstrapResample(series, 2, 5, new Rng(3));
    const bounds = [...s.segments!, s.length];
    let targets = 0;
    for (let b = 0; b + 1 < bounds.length; b++) {
      const rows = Array.from(s.data.subarray(bounds[b], bounds[b + 1]));
      expect(rows.length).toBeGreaterThanOrEqual(3); // maxLag history + at least one target
      rows.forEach((r, i) => i > 0 && expect(r).toBe(rows[i - 1] + 1));
      expect(rows[0] < 30 === rows[rows.length - 1] < 30).toBe(true); // one recording
      targets += rows.length - 2;
    }
    expect(targets).toBe(28 + 48); // as many target rows as the series has
    expect(bootstrapResample(series, 2, 5, new Rng(3), false).segments).toBeUndefined();
  });
});

describe("bootstrapStability", () => {
  it("on a VAR: a strong true edge is stable (~1), absent ones are not; the interval holds the score", async () => {
    const series = var3(300, 11);
    const graph = await corrMethod.discover(series, { maxLag: 2 });
    const b = await bootstrapStability(series, { resamples: 40, maxLag: 2, seed: 1 }, (s) => corrMethod.discover(s, { maxLag: 2 }), "corr");
    expect(b.blockLength).toBeCloseTo(seriesBlockLength(series), 12);
    expect(getScore(b.stability, 1, 0, 1)).toBeGreaterThanOrEqual(0.95); // x0 -> x1 at lag 1
    for (const [e, c] of [[2, 0], [0, 2], [2, 1], [1, 2]]) for (const l of [1, 2]) expect(getScore(b.stability, e, c, l)).toBeLessThanOrEqual(0.15);
    const observed = getScore(scoresFromNested(graph.scores, 3, 2), 1, 0, 1);
    expect(getScore(b.lower, 1, 0, 1)).toBeLessThan(observed);
    expect(getScore(b.upper, 1, 0, 1)).toBeGreaterThan(observed);
    expect(getScore(b.upper, 1, 0, 1) - getScore(b.lower, 1, 0, 1)).toBeLessThan(0.25);
    const g = withBootstrap(graph, b);
    expect(g.meta.bootstrap).toEqual({ resamples: 40, blockLength: Number(b.blockLength.toFixed(3)) });
    expect(g.edges.find((e) => e.cause === "x0" && e.effect === "x1" && e.lag === 1)?.stability).toBeGreaterThanOrEqual(0.95);
    expect(g.scoreInterval?.level).toBe(0.9);
    expect(g.stability?.[1][0][0]).toBe(getScore(b.stability, 1, 0, 1));
  });
  it("refuses too few resamples", async () => {
    await expect(bootstrapStability(var3(50, 1), { resamples: 1, maxLag: 1 }, (s) => corrMethod.discover(s, { maxLag: 1 }))).rejects.toThrow(/from 2 to/);
  });
});
