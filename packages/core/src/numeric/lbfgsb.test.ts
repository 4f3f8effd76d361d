import { describe, expect, it } from "vitest";
import { minimizeBounded } from "./lbfgsb.js";

describe("minimizeBounded", () => {
  it("finds the unconstrained minimum of the Rosenbrock function", () => {
    const r = minimizeBounded(
      (x, g) => {
        g[0] = -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2);
        g[1] = 200 * (x[1] - x[0] ** 2);
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2;
      },
      new Float64Array([-1.2, 1]),
      new Float64Array([-Infinity, -Infinity]),
      new Float64Array([Infinity, Infinity]),
      { ftol: 1e-15, pgtol: 1e-9 },
    );
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
  });

  it("stops on the bounds where the gradient pushes out (KKT), and keeps fixed variables", () => {
    // min Σ (x_i - c_i)² with 0 <= x <= 1 and x_3 fixed at 0.5: x = clip(c) except x_3
    const c = [2, -1, 0.3, 0.7];
    const r = minimizeBounded(
      (x, g) => {
        let f = 0;
        for (let i = 0; i < 4; i++) {
          g[i] = 2 * (x[i] - c[i]);
          f += (x[i] - c[i]) ** 2;
        }
        return f;
      },
      new Float64Array([0.5, 0.5, 0.5, 0.5]),
      new Float64Array([0, 0, 0, 0.5]),
      new Float64Array([1, 1, 1, 0.5]),
      { ftol: 1e-15, pgtol: 1e-10 },
    );
    expect(Array.from(r.x).map((v) => +v.toFixed(8))).toEqual([1, 0, 0.3, 0.5]);
  });

  it("solves a non-negative lasso through the split w = w⁺ - w⁻ as its closed form says", () => {
    // min ½ Σ (w_i - z_i)² + λ |w|_1 has the soft-threshold solution sign(z) max(|z| - λ, 0)
    const z = [1.5, -0.4, 0.05, -2];
    const lambda = 0.3;
    const n = z.length;
    const r = minimizeBounded(
      (x, g) => {
        let f = 0;
        for (let i = 0; i < n; i++) {
          const w = x[i] - x[n + i];
          f += 0.5 * (w - z[i]) ** 2 + lambda * (x[i] + x[n + i]);
          g[i] = w - z[i] + lambda;
          g[n + i] = -(w - z[i]) + lambda;
        }
        return f;
      },
      new Float64Array(2 * n),
      new Float64Array(2 * n),
      new Float64Array(2 * n).fill(Infinity),
      { ftol: 1e-15, pgtol: 1e-10 },
    );
    for (let i = 0; i < n; i++) expect(r.x[i] - r.x[n + i]).toBeCloseTo(Math.sign(z[i]) * Math.max(Math.abs(z[i]) - lambda, 0), 8);
  });
});
