import { InputError } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { evaluateTerm, generateNonlinear, NONLINEAR_FUNCTIONS, type NonlinearResult } from "./nonlinear.js";
import { column, ols } from "./test-ols.js";

/** Term values `[n]` of every term of variable j's equation over rows from..from+n-1. */
function termColumns(r: NonlinearResult, j: number, from: number, n: number): Float64Array[] {
  const V = r.series.variables.length;
  const d = r.series.data;
  return r.equations[j].terms.map((term) => {
    const unit = { ...term, weight: 1 };
    const out = new Float64Array(n);
    for (let t = 0; t < n; t++) out[t] = evaluateTerm(unit, (c, l) => d[(from + t - l) * V + c], r.inputScale);
    return out;
  });
}

function variance(x: Float64Array): number {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  return s / x.length;
}

describe("generateNonlinear", () => {
  it("the series satisfies its equations: residuals are the N(0, noise^2) noise", () => {
    const noise = 0.3;
    const r = generateNonlinear({ vars: 6, length: 5000, seed: 5, noise });
    const V = 6;
    const L = r.truth.maxLag;
    const n = 5000 - L;
    for (let j = 0; j < V; j++) {
      const y = column(r.series.data, V, j, L, n);
      const cols = termColumns(r, j, L, n);
      const resid = new Float64Array(n);
      let maxSignal = 0;
      for (let t = 0; t < n; t++) {
        let signal = 0;
        r.equations[j].terms.forEach((term, k) => (signal += term.weight * cols[k][t]));
        maxSignal = Math.max(maxSignal, Math.abs(signal));
        resid[t] = y[t] - signal;
      }
      // sd of a sample variance of n normals is sqrt(2/n) ~ 2%: allow 8%.
      expect(variance(resid) / noise ** 2).toBeGreaterThan(0.92);
      expect(variance(resid) / noise ** 2).toBeLessThan(1.08);
      // The bound on sum |w| holds at every step.
      expect(maxSignal).toBeLessThanOrEqual(2 + 1e-12);
    }
  });

  it("OLS on the true terms explains most variance and recovers the weights", () => {
    const V = 10;
    const r = generateNonlinear({ vars: V, length: 5000, seed: 2 });
    const L = r.truth.maxLag;
    const n = 5000 - L;
    const r2: number[] = [];
    for (let j = 0; j < V; j++) {
      const fit = ols(termColumns(r, j, L, n), column(r.series.data, V, j, L, n));
      r2.push(fit.r2);
      // What is left is the noise (sd 0.3).
      expect(fit.residualVariance / 0.09).toBeGreaterThan(0.92);
      expect(fit.residualVariance / 0.09).toBeLessThan(1.08);
      r.equations[j].terms.forEach((term, k) => expect(Math.abs(fit.beta[k] - term.weight)).toBeLessThan(0.1));
    }
    r2.sort((a, b) => a - b);
    expect(r2[V / 2]).toBeGreaterThan(0.6);
  });

  it("dropping a true parent's term raises the residual variance; dropping a non-parent's does not", () => {
    const V = 5;
    const T = 4000;
    const r = generateNonlinear({ vars: V, length: T, seed: 8 });
    const L = r.truth.maxLag;
    const n = T - L;
    const d = r.series.data;
    let checkedParents = 0;
    let checkedOthers = 0;
    for (let j = 0; j < V; j++) {
      const y = column(d, V, j, L, n);
      const trueCols = termColumns(r, j, L, n);
      // Nuisance regressors: u_c(t - l) and u_c(t - l)^2 for every (c, l) that is not a parent.
      const isParent = (c: number, l: number): boolean =>
        r.truth.edges.some((e) => e.effect === `x${j}` && e.cause === `x${c}` && e.lag === l);
      const others: Float64Array[] = [];
      for (let c = 0; c < V; c++) {
        for (let l = 1; l <= L; l++) {
          if (isParent(c, l)) continue;
          const u = column(d, V, c, L - l, n).map((v) => Math.tanh(v / r.inputScale));
          others.push(u, u.map((v) => v * v));
        }
      }
      const full = ols([...trueCols, ...others], y);
      // F statistic for removing q regressors: ((RSS_0 - RSS) / q) / (RSS / (n - k)).
      const fStat = (reduced: Float64Array[], q: number): number => {
        const fit = ols(reduced, y);
        const k = trueCols.length + others.length + 1;
        return ((fit.residualVariance - full.residualVariance) / q) / (full.residualVariance / (n - k));
      };
      for (let k = 0; k < trueCols.length; k++) {
        const without = [...trueCols.filter((_, q) => q !== k), ...others];
        expect(fStat(without, 1)).toBeGreaterThan(15); // p < 1e-4
        checkedParents++;
      }
      for (let k = 0; k < others.length; k += 2) {
        const without = [...trueCols, ...others.filter((_, q) => q !== k && q !== k + 1)];
        expect(fStat(without, 2)).toBeLessThan(9.2); // p > 1e-4 for F(2, n - k)
        checkedOthers++;
      }
    }
    expect(checkedParents).toBeGreaterThanOrEqual(V);
    expect(checkedOthers).toBeGreaterThan(20);
  });

  it("an interaction term's two inputs are both causes in the truth", () => {
    const r = generateNonlinear({ vars: 6, length: 100, seed: 1, density: 0.8, functions: ["interaction"] });
    let interactions = 0;
    for (const eq of r.equations) {
      for (const term of eq.terms) {
        if (term.kind !== "interaction") continue;
        interactions++;
        expect(term.inputs.length).toBe(2);
        for (const { cause, lag } of term.inputs) {
          expect(r.truth.edges).toContainEqual({ cause: `x${cause}`, effect: `x${eq.effect}`, lag });
        }
      }
    }
    expect(interactions).toBeGreaterThan(6);
  });

  it("the truth lists exactly the inputs of the equations", () => {
    const r = generateNonlinear({ vars: 10, length: 100, seed: 4 });
    const fromEquations = new Set<string>();
    for (const eq of r.equations) {
      for (const term of eq.terms) for (const p of term.inputs) fromEquations.add(`x${p.cause}>x${eq.effect}@${p.lag}`);
    }
    const fromTruth = new Set(r.truth.edges.map((e) => `${e.cause}>${e.effect}@${e.lag}`));
    expect(fromTruth).toEqual(fromEquations);
  });

  it("stays finite and bounded for every function alone and for huge noise", () => {
    for (const f of NONLINEAR_FUNCTIONS) {
      const r = generateNonlinear({ vars: 8, length: 2000, seed: 3, functions: [f], density: 0.6 });
      expect(r.equations.every((eq) => eq.terms.every((t) => t.kind === f || t.kind === "linear"))).toBe(true);
      let maxAbs = 0;
      for (const v of r.series.data) maxAbs = Math.max(maxAbs, Math.abs(v)); // NaN would make this NaN
      expect(maxAbs).toBeLessThan(2 + 0.3 * 6); // |signal| <= bound 2, plus at most 6 sd of noise
    }
    const loud = generateNonlinear({ vars: 4, length: 500, seed: 3, noise: 1e6 });
    expect(loud.series.data.every((v) => Number.isFinite(v))).toBe(true);
    expect(loud.series.data.some((v) => Math.abs(v) > 1e5)).toBe(true);
  });

  it("is deterministic by seed", () => {
    const a = generateNonlinear({ vars: 5, length: 300, seed: 21 });
    const b = generateNonlinear({ vars: 5, length: 300, seed: 21 });
    expect(Array.from(a.series.data)).toEqual(Array.from(b.series.data));
    expect(a.equations).toEqual(b.equations);
    const c = generateNonlinear({ vars: 5, length: 300, seed: 22 });
    expect(Array.from(c.series.data)).not.toEqual(Array.from(a.series.data));
  });

  it("rejects bad options with InputError", () => {
    expect(() => generateNonlinear({ vars: 0, length: 100 })).toThrow(InputError);
    expect(() => generateNonlinear({ vars: 3, length: 3, maxLag: 2 })).toThrow(/"length"/);
    expect(() => generateNonlinear({ vars: 3, length: 100, functions: [] })).toThrow(/"functions"/);
    expect(() => generateNonlinear({ vars: 3, length: 100, functions: ["cosh" as "sin"] })).toThrow(/unknown function "cosh"/);
    expect(() => generateNonlinear({ vars: 3, length: 100, noise: -1 })).toThrow(/"noise"/);
    expect(() => generateNonlinear({ vars: 3, length: 100, bound: 0 })).toThrow(/"bound"/);
  });
});
