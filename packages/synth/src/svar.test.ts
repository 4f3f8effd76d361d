import { describe, expect, it } from "vitest";
import { generateSvar } from "./svar.js";

/** The structural shocks e_t = x_t - B0 x_t - Σ_l B_l x_{t-l}, recomputed from the returned coefficients. */
function shocks(r: ReturnType<typeof generateSvar>, maxLag: number): number[][] {
  const V = r.series.variables.length;
  const x = r.series.data;
  const out: number[][] = Array.from({ length: V }, () => []);
  for (let t = maxLag; t < r.series.length; t++)
    for (let e = 0; e < V; e++) {
      let s = x[t * V + e];
      for (let c = 0; c < V; c++) s -= r.B0[e * V + c] * x[t * V + c];
      for (let l = 1; l <= maxLag; l++) for (let c = 0; c < V; c++) s -= r.coefficients[((l - 1) * V + e) * V + c] * x[(t - l) * V + c];
      out[e].push(s);
    }
  return out;
}

function moments(v: number[]): { variance: number; excessKurtosis: number } {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const m2 = v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
  const m4 = v.reduce((a, b) => a + (b - m) ** 4, 0) / v.length;
  return { variance: m2, excessKurtosis: m4 / (m2 * m2) - 3 };
}

describe("generateSvar", () => {
  it("has a DAG B0 along its causal order, truth matching its coefficients, and unit-variance shocks of the asked kind", () => {
    for (const [noise, lo, hi] of [
      ["laplace", 2, 4],
      ["uniform", -1.4, -1],
      ["gaussian", -0.3, 0.3],
    ] as const) {
      const r = generateSvar({ vars: 5, length: 20000, maxLag: 2, seed: 3, noise, instantaneousDensity: 0.5 });
      const V = 5;
      const pos = new Map(r.causalOrder.map((v, i) => [v, i]));
      for (let e = 0; e < V; e++) for (let c = 0; c < V; c++) if (r.B0[e * V + c] !== 0) expect(pos.get(c)!).toBeLessThan(pos.get(e)!);
      expect(r.contemporaneous.length).toBe(r.B0.filter((b) => b !== 0).length);
      expect(r.contemporaneous.length).toBeGreaterThan(0);
      for (const edge of r.truth.edges) expect(r.coefficients[((edge.lag - 1) * V + Number(edge.effect.slice(1))) * V + Number(edge.cause.slice(1))]).not.toBe(0);
      expect(r.coefficients.filter((b) => b !== 0).length).toBe(r.truth.edges.length);
      for (const e of shocks(r, 2)) {
        const { variance, excessKurtosis } = moments(e);
        expect(variance).toBeGreaterThan(0.95);
        expect(variance).toBeLessThan(1.05);
        expect(excessKurtosis).toBeGreaterThan(lo); // Laplace 3, uniform -1.2, Gaussian 0
        expect(excessKurtosis).toBeLessThan(hi);
      }
    }
  });

  it("is reproducible from its seed", () => {
    const a = generateSvar({ vars: 4, length: 300, seed: 9 });
    const b = generateSvar({ vars: 4, length: 300, seed: 9 });
    expect(Array.from(a.series.data)).toEqual(Array.from(b.series.data));
    expect(Array.from(generateSvar({ vars: 4, length: 300, seed: 10 }).series.data)).not.toEqual(Array.from(a.series.data));
  });
});
