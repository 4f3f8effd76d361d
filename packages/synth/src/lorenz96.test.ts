import { InputError } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { generateLorenz96, integrateLorenz96, lorenz96Derivative, lorenz96Step } from "./lorenz96.js";

describe("Lorenz-96", () => {
  it("derivative matches a hand computation", () => {
    // x = [1, 2, 3, 4], F = 8: f_i = (x_{i+1} - x_{i-2}) x_{i-1} - x_i + 8
    // f0 = (2 - 3) * 4 - 1 + 8 = 3;  f1 = (3 - 4) * 1 - 2 + 8 = 5
    // f2 = (4 - 1) * 2 - 3 + 8 = 11; f3 = (1 - 2) * 3 - 4 + 8 = 1
    const out = lorenz96Derivative(Float64Array.of(1, 2, 3, 4), 8, new Float64Array(4));
    expect(Array.from(out)).toEqual([3, 5, 11, 1]);
  });

  it("one RK4 step matches the hand-written Runge-Kutta stages", () => {
    const f = (x: number[]): number[] => x.map((xi, i) => {
      const n = x.length;
      return (x[(i + 1) % n] - x[(i + n - 2) % n]) * x[(i + n - 1) % n] - xi + 8;
    });
    const x0 = [1, 2, 3, 4];
    const h = 0.1;
    const k1 = f(x0);
    const k2 = f(x0.map((v, i) => v + (h / 2) * k1[i]));
    const k3 = f(x0.map((v, i) => v + (h / 2) * k2[i]));
    const k4 = f(x0.map((v, i) => v + h * k3[i]));
    const want = x0.map((v, i) => v + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
    // First stage by hand: k1 = [3, 5, 11, 1]; so the Euler part alone would give [1.3, 2.5, 4.1, 4.1].
    expect(k1).toEqual([3, 5, 11, 1]);
    const x = Float64Array.of(...x0);
    lorenz96Step(x, 8, h);
    for (let i = 0; i < 4; i++) expect(x[i]).toBeCloseTo(want[i], 13);
  });

  it("the integrator is fourth order: halving the step cuts the error ~16x", () => {
    const x0 = Float64Array.from({ length: 8 }, (_, i) => 8 + Math.sin(i));
    const at = (step: number): Float64Array => integrateLorenz96(x0, { forcing: 8, dt: 0.5, samples: 2, step }).slice(8);
    const reference = at(0.0005);
    const err = (step: number): number => Math.max(...at(step).map((v, i) => Math.abs(v - reference[i])));
    const ratio = err(0.02) / err(0.01);
    expect(ratio).toBeGreaterThan(12);
    expect(ratio).toBeLessThan(20);
  });

  it("F = 8 is chaotic but bounded", () => {
    const V = 10;
    const F = 8;
    const x0 = Float64Array.from({ length: V }, (_, i) => F + (i === 0 ? 0.01 : 0));
    const warm = integrateLorenz96(x0, { forcing: F, dt: 0.05, samples: 400 }).slice(399 * V);
    const samples = 1000; // 50 time units
    const a = integrateLorenz96(warm, { forcing: F, dt: 0.05, samples });
    const nudged = Float64Array.from(warm);
    nudged[3] += 1e-9;
    const b = integrateLorenz96(nudged, { forcing: F, dt: 0.05, samples });
    // Bounded: the absorbing ball of Lorenz-96 has sum x_i^2 <= V F^2 (energy argument).
    let maxNorm = 0;
    for (let k = 0; k < samples; k++) {
      let e = 0;
      for (let i = 0; i < V; i++) e += a[k * V + i] ** 2;
      maxNorm = Math.max(maxNorm, Math.sqrt(e));
    }
    expect(maxNorm).toBeLessThanOrEqual(F * Math.sqrt(V));
    // Not a fixed point or a small cycle: every variable keeps moving.
    for (let i = 0; i < V; i++) {
      let m = 0;
      for (let k = 0; k < samples; k++) m += a[k * V + i];
      m /= samples;
      let v = 0;
      for (let k = 0; k < samples; k++) v += (a[k * V + i] - m) ** 2;
      expect(Math.sqrt(v / samples)).toBeGreaterThan(1.5);
    }
    // Chaotic: a 1e-9 nudge grows to an O(1) difference (positive Lyapunov exponent).
    const dist = (k: number): number => Math.hypot(...Array.from({ length: V }, (_, i) => a[k * V + i] - b[k * V + i]));
    expect(dist(0)).toBeCloseTo(1e-9, 15);
    expect(dist(samples - 1)).toBeGreaterThan(0.5);
    // Growth rate over the first 10 time units, while still small: exp(lambda * t) with lambda > 0.5.
    expect(Math.log(dist(200) / dist(0)) / 10).toBeGreaterThan(0.5);
  });

  it("generates the Neural-GC truth: parents i-2, i-1, i, i+1, summary only", () => {
    const { series, truth, clean } = generateLorenz96({ vars: 6, length: 200, seed: 1 });
    expect(series.variables).toEqual(["x0", "x1", "x2", "x3", "x4", "x5"]);
    expect(series.length).toBe(200);
    expect(truth.summaryOnly).toBe(true);
    expect(truth.maxLag).toBe(1);
    expect(truth.edges.length).toBe(24);
    const parentsOf0 = truth.edges.filter((e) => e.effect === "x0").map((e) => e.cause);
    expect(parentsOf0.sort()).toEqual(["x0", "x1", "x4", "x5"]);
    // Noise: the series minus the clean states has sd ~ 0.1.
    let ss = 0;
    for (let k = 0; k < clean.length; k++) ss += (series.data[k] - clean[k]) ** 2;
    expect(Math.sqrt(ss / clean.length)).toBeGreaterThan(0.09);
    expect(Math.sqrt(ss / clean.length)).toBeLessThan(0.11);
  });

  it("samples the clean states every dt with the ODE between them", () => {
    const dt = 0.05;
    const { clean } = generateLorenz96({ vars: 5, length: 50, seed: 2, dt, forcing: 10 });
    // Continue from sample 10 by one dt with a much finer step: sample 11 must match closely.
    const x10 = clean.slice(10 * 5, 11 * 5);
    const next = integrateLorenz96(x10, { forcing: 10, dt, samples: 2, step: dt / 100 }).slice(5);
    // RK4 at the default step 0.01 (5 steps per dt) has a local error of a few 1e-6 here.
    for (let i = 0; i < 5; i++) expect(Math.abs(clean[11 * 5 + i] - next[i])).toBeLessThan(2e-5);
  });

  it("F = 40, V = 20 stays finite and bounded", () => {
    const { series, clean } = generateLorenz96({ vars: 20, length: 1000, forcing: 40, seed: 3 });
    expect(series.data.every((v) => Number.isFinite(v))).toBe(true);
    let maxNorm = 0;
    for (let k = 0; k < 1000; k++) {
      let e = 0;
      for (let i = 0; i < 20; i++) e += clean[k * 20 + i] ** 2;
      maxNorm = Math.max(maxNorm, Math.sqrt(e));
    }
    expect(maxNorm).toBeLessThanOrEqual(40 * Math.sqrt(20));
  });

  it("is deterministic by seed", () => {
    const a = generateLorenz96({ vars: 5, length: 100, seed: 7 });
    const b = generateLorenz96({ vars: 5, length: 100, seed: 7 });
    expect(Array.from(a.series.data)).toEqual(Array.from(b.series.data));
    const c = generateLorenz96({ vars: 5, length: 100, seed: 8 });
    expect(Array.from(c.series.data)).not.toEqual(Array.from(a.series.data));
  });

  it("rejects bad options with InputError", () => {
    expect(() => generateLorenz96({ vars: 3, length: 100 })).toThrow(/"vars" must be an integer >= 4/);
    expect(() => generateLorenz96({ vars: 5, length: 2 })).toThrow(InputError);
    expect(() => generateLorenz96({ vars: 5, length: 100, dt: 0 })).toThrow(/"dt"/);
    expect(() => generateLorenz96({ vars: 5, length: 100, sdNoise: -1 })).toThrow(/"sdNoise"/);
    expect(() => generateLorenz96({ vars: 5, length: 100, step: 0.1 })).toThrow(/"step"/);
    expect(() => generateLorenz96({ vars: 5, length: 100, forcing: Number.NaN })).toThrow(/"forcing"/);
    expect(() => generateLorenz96({ vars: 20, length: 100, forcing: 40, dt: 0.5, step: 0.5 })).toThrow(/diverged/);
  });
});
