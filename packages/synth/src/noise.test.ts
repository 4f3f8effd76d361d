import { InputError, Rng } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { generateNonlinear } from "./nonlinear.js";
import { gammaDraw, unitNoise, type NoiseDistribution } from "./noise.js";
import { generateVar } from "./var.js";

function moments(xs: ArrayLike<number>): { mean: number; variance: number; kurtosis: number } {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i];
  m /= n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (xs[i] - m) ** 2;
    m2 += d;
    m4 += d * d;
  }
  return { mean: m, variance: m2 / n, kurtosis: m4 / n / (m2 / n) ** 2 };
}

/** The innovations e_t = x_t - sum_l A_l x_{t-l} of a generateVar result, `[T - maxLag, V]` flattened per variable. */
function varResiduals(r: ReturnType<typeof generateVar>, V: number, p: number): Float64Array[] {
  const { data, length: T } = r.series;
  return Array.from({ length: V }, (_, e) => {
    const out = new Float64Array(T - p);
    for (let t = p; t < T; t++) {
      let v = data[t * V + e];
      for (let l = 1; l <= p; l++) for (let c = 0; c < V; c++) v -= r.coefficients[((l - 1) * V + e) * V + c] * data[(t - l) * V + c];
      out[t - p] = v;
    }
    return out;
  });
}

describe("noise distributions", () => {
  it("every distribution has mean 0 and variance 1, with its own kurtosis", () => {
    const expected: Record<NoiseDistribution, number> = { gaussian: 3, laplace: 6, uniform: 1.8, "student-t": 3 + 6 / (8 - 4) };
    for (const d of Object.keys(expected) as NoiseDistribution[]) {
      const rng = new Rng(7);
      const xs = Float64Array.from({ length: 100_000 }, () => unitNoise(rng, d, 8));
      const { mean, variance, kurtosis } = moments(xs);
      expect(Math.abs(mean)).toBeLessThan(0.015);
      expect(Math.abs(variance - 1)).toBeLessThan(0.03);
      const tolerance = { gaussian: 0.1, uniform: 0.05, laplace: 0.3, "student-t": 0.8 }[d];
      expect(Math.abs(kurtosis - expected[d])).toBeLessThan(tolerance);
    }
  });

  it("gamma draws have mean and variance equal to the shape", () => {
    for (const shape of [0.5, 2.5, 10]) {
      const rng = new Rng(3);
      const { mean, variance } = moments(Float64Array.from({ length: 50_000 }, () => gammaDraw(rng, shape)));
      expect(Math.abs(mean - shape) / shape).toBeLessThan(0.03);
      expect(Math.abs(variance - shape) / shape).toBeLessThan(0.06);
    }
  });
});

describe("generateVar / generateNonlinear noise and lag options", () => {
  it("Laplace VAR innovations have sd `noise` and Laplace kurtosis; the truth is unchanged by the noise kind", () => {
    const base = generateVar({ vars: 4, length: 6000, seed: 2, noise: 0.5 });
    const lap = generateVar({ vars: 4, length: 6000, seed: 2, noise: 0.5, noiseDistribution: "laplace" });
    expect(lap.truth).toEqual(base.truth);
    for (const e of varResiduals(lap, 4, 3)) {
      const { variance, kurtosis } = moments(e);
      expect(Math.sqrt(variance)).toBeCloseTo(0.5, 1);
      expect(kurtosis).toBeGreaterThan(4.5);
    }
  });

  it("level heteroscedasticity makes shock size follow the own previous level; envelope makes it vary in time", () => {
    const r = generateVar({ vars: 3, length: 8000, seed: 5, heteroscedastic: { kind: "level", strength: 3 } });
    const [e0] = varResiduals(r, 3, 3);
    const x = r.series.data;
    let big = 0;
    let nBig = 0;
    let small = 0;
    let nSmall = 0;
    for (let t = 0; t < e0.length; t++) {
      const prev = Math.abs(x[(t + 2) * 3]); // x_0(t - 1) for residual row t (rows start at lag 3)
      if (prev > 1.5) {
        big += e0[t] ** 2;
        nBig++;
      }
      if (prev < 0.3) {
        small += e0[t] ** 2;
        nSmall++;
      }
    }
    expect(big / nBig / (small / nSmall)).toBeGreaterThan(2);

    const env = generateVar({ vars: 2, length: 8000, seed: 5, heteroscedastic: { kind: "envelope", strength: 1 } });
    const [f0] = varResiduals(env, 2, 3);
    const windows = Array.from({ length: 8 }, (_, w) => moments(f0.subarray(w * 990, (w + 1) * 990)).variance);
    expect(Math.max(...windows) / Math.min(...windows)).toBeGreaterThan(3);
  });

  it("`lags: [6]` puts every cross edge at lag 6 and the VAR still generates them", () => {
    const r = generateVar({ vars: 6, length: 500, seed: 1, lags: [6], density: 0.5 });
    expect(r.truth.maxLag).toBe(6);
    const cross = r.truth.edges.filter((e) => e.cause !== e.effect);
    expect(cross.length).toBeGreaterThan(3);
    expect(cross.every((e) => e.lag === 6)).toBe(true);
    for (const e of cross) expect(r.coefficients[(5 * 6 + Number(e.effect.slice(1))) * 6 + Number(e.cause.slice(1))]).not.toBe(0);
    const nl = generateNonlinear({ vars: 6, length: 300, seed: 1, lags: [4, 8], noiseDistribution: "mixed" });
    expect(nl.truth.maxLag).toBe(8);
    expect(nl.truth.edges.filter((e) => e.cause !== e.effect).every((e) => e.lag === 4 || e.lag === 8)).toBe(true);
    expect(nl.series.data.every(Number.isFinite)).toBe(true);
  });

  it("defaults reproduce the Gaussian generators exactly, and bad options are InputErrors", () => {
    const a = generateNonlinear({ vars: 3, length: 100, seed: 9 });
    const b = generateNonlinear({ vars: 3, length: 100, seed: 9, noiseDistribution: "gaussian" });
    expect(Array.from(b.series.data)).toEqual(Array.from(a.series.data));
    expect(() => generateVar({ vars: 3, length: 100, df: 2, noiseDistribution: "student-t" })).toThrow(InputError);
    expect(() => generateVar({ vars: 3, length: 100, lags: [4], maxLag: 3 })).toThrow(/lags/);
    expect(() => generateVar({ vars: 3, length: 100, noiseDistribution: "cauchy" as never })).toThrow(/noiseDistribution/);
  });
});
