import { InputError } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { column, ols } from "./test-ols.js";
import { varSpectralRadius } from "./linalg.js";
import { generateVar } from "./var.js";

describe("generateVar", () => {
  it("OLS on a long series recovers every coefficient (zeros included)", () => {
    const V = 5;
    const p = 3;
    const T = 20000;
    const { series, coefficients, truth } = generateVar({ vars: V, length: T, maxLag: p, density: 0.4, seed: 3 });
    expect(series.length).toBe(T);
    expect(series.variables).toEqual(["x0", "x1", "x2", "x3", "x4"]);
    const n = T - p;
    // Regressors: every x_c(t - l), l = 1..p, in the order [l][c].
    const regressors: Float64Array[] = [];
    for (let l = 1; l <= p; l++) for (let c = 0; c < V; c++) regressors.push(column(series.data, V, c, p - l, n));
    let worst = 0;
    for (let e = 0; e < V; e++) {
      const fit = ols(regressors, column(series.data, V, e, p, n));
      for (let l = 1; l <= p; l++) {
        for (let c = 0; c < V; c++) {
          const est = fit.beta[(l - 1) * V + c];
          const trueA = coefficients[((l - 1) * V + e) * V + c];
          worst = Math.max(worst, Math.abs(est - trueA));
        }
      }
      // The innovations have sd 1, so the residual variance is ~1.
      expect(fit.residualVariance).toBeGreaterThan(0.95);
      expect(fit.residualVariance).toBeLessThan(1.05);
    }
    // Standard errors are ~1/sqrt(T * var(x)) < 0.007 here; 0.03 is > 4 of them.
    expect(worst).toBeLessThan(0.03);
    // The truth lists exactly the nonzero coefficients.
    const nonzero = coefficients.reduce((s, a) => s + (a !== 0 ? 1 : 0), 0);
    expect(truth.edges.length).toBe(nonzero);
    for (const edge of truth.edges) {
      const e = Number(edge.effect.slice(1));
      const c = Number(edge.cause.slice(1));
      expect(coefficients[((edge.lag - 1) * V + e) * V + c]).not.toBe(0);
    }
    expect(truth.summaryOnly).toBe(false);
    expect(truth.maxLag).toBe(p);
  });

  it("is stable: spectral radius <= 0.95 and the series stays bounded", () => {
    let shrunk = 0;
    for (let seed = 0; seed < 20; seed++) {
      // Dense graphs force the shrinking path.
      const r = generateVar({ vars: 10, length: 2000, maxLag: 3, density: 0.9, maxParents: 9, seed });
      if (r.scale < 1) shrunk++;
      expect(r.spectralRadius).toBeLessThanOrEqual(0.95);
      expect(varSpectralRadius(r.coefficients, 10, 3)).toBeCloseTo(r.spectralRadius, 12);
      let maxAbs = 0;
      for (const v of r.series.data) maxAbs = Math.max(maxAbs, Math.abs(v));
      expect(Number.isFinite(maxAbs)).toBe(true);
      expect(maxAbs).toBeLessThan(100);
    }
    expect(shrunk).toBeGreaterThan(10);
  });

  it("keeps coefficient magnitudes in [0.2, 0.5] when no shrinking is needed", () => {
    const r = generateVar({ vars: 5, length: 100, seed: 11, density: 0.2, maxParents: 1 });
    expect(r.scale).toBe(1);
    for (const a of r.coefficients) if (a !== 0) expect(Math.abs(a)).toBeGreaterThanOrEqual(0.2);
    for (const a of r.coefficients) expect(Math.abs(a)).toBeLessThanOrEqual(0.5);
  });

  it("draws self-loops at lag 1 by default and none when disabled", () => {
    const withSelf = generateVar({ vars: 6, length: 50, seed: 4 });
    for (let j = 0; j < 6; j++) {
      expect(withSelf.truth.edges).toContainEqual({ cause: `x${j}`, effect: `x${j}`, lag: 1 });
    }
    const noSelf = generateVar({ vars: 6, length: 50, seed: 4, selfLoops: false });
    expect(noSelf.truth.edges.filter((e) => e.cause === e.effect)).toEqual([]);
    expect(noSelf.truth.edges.length).toBeGreaterThan(0);
  });

  it("caps parents per variable", () => {
    const r = generateVar({ vars: 20, length: 50, density: 1, maxParents: 2, seed: 9 });
    for (let j = 0; j < 20; j++) {
      const cross = r.truth.edges.filter((e) => e.effect === `x${j}` && e.cause !== e.effect);
      expect(cross.length).toBe(2);
    }
  });

  it("is deterministic by seed, and the graph does not depend on length", () => {
    const a = generateVar({ vars: 4, length: 300, seed: 42 });
    const b = generateVar({ vars: 4, length: 300, seed: 42 });
    expect(Array.from(a.series.data)).toEqual(Array.from(b.series.data));
    expect(a.truth).toEqual(b.truth);
    const c = generateVar({ vars: 4, length: 300, seed: 43 });
    expect(Array.from(c.series.data)).not.toEqual(Array.from(a.series.data));
    const longer = generateVar({ vars: 4, length: 900, seed: 42 });
    expect(longer.truth).toEqual(a.truth);
    expect(Array.from(longer.coefficients)).toEqual(Array.from(a.coefficients));
  });

  it("rejects bad options with InputError", () => {
    expect(() => generateVar({ vars: 0, length: 100 })).toThrow(InputError);
    expect(() => generateVar({ vars: 2.5, length: 100 })).toThrow(/"vars" must be an integer/);
    expect(() => generateVar({ vars: 3, length: 4, maxLag: 3 })).toThrow(/"length" must be an integer >= 5/);
    expect(() => generateVar({ vars: 3, length: 100, density: 1.5 })).toThrow(/"density"/);
    expect(() => generateVar({ vars: 3, length: 100, noise: 0 })).toThrow(/"noise"/);
    expect(() => generateVar({ vars: 3, length: 100, burnIn: -1 })).toThrow(/"burnIn"/);
    expect(() => generateVar({ vars: 3, length: 100, seed: -1 })).toThrow(/"seed"/);
    expect(() => generateVar({ vars: 3, length: 100, maxSpectralRadius: 1 })).toThrow(/"maxSpectralRadius"/);
    expect(() => generateVar({ vars: 3, length: 100, coefRange: [0.5, 0.2] })).toThrow(/"coefRange\[1\]"/);
  });

  it("works for a single variable (an AR(1))", () => {
    const r = generateVar({ vars: 1, length: 100, seed: 1 });
    expect(r.truth.edges).toEqual([{ cause: "x0", effect: "x0", lag: 1 }]);
  });
});
