import { InputError } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { doubleGammaHrf, generateBold } from "./bold.js";

function corr(x: Float64Array, V: number, a: number, b: number): number {
  const T = x.length / V;
  let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let t = 0; t < T; t++) {
    const p = x[t * V + a];
    const q = x[t * V + b];
    sa += p; sb += q; saa += p * p; sbb += q * q; sab += p * q;
  }
  const cov = sab / T - (sa / T) * (sb / T);
  return cov / Math.sqrt((saa / T - (sa / T) ** 2) * (sbb / T - (sb / T) ** 2));
}

describe("generateBold", () => {
  it("uses the canonical double-gamma HRF: peak near 5 s, undershoot after 10 s, area 5/6", () => {
    let area = 0;
    let peak = 0;
    for (let t = 0; t < 40; t += 0.01) {
      area += doubleGammaHrf(t) * 0.01;
      if (doubleGammaHrf(t) > doubleGammaHrf(peak)) peak = t;
    }
    expect(area).toBeCloseTo(5 / 6, 3);
    expect(peak).toBeGreaterThan(4.7);
    expect(peak).toBeLessThan(5.3);
    expect(doubleGammaHrf(15)).toBeLessThan(0);
  });

  it("has a summary truth: the neural couplings plus self-loops, all at lag 1", () => {
    const V = 8;
    const r = generateBold({ vars: V, length: 200, seed: 3 });
    expect(r.truth.summaryOnly).toBe(true);
    expect(r.truth.maxLag).toBe(1);
    const expected: string[] = [];
    for (let i = 0; i < V; i++) {
      expected.push(`x${i}>x${i}`);
      for (let j = 0; j < V; j++) if (r.couplingMatrix[i * V + j] !== 0) expected.push(`x${j}>x${i}`);
    }
    expect(r.truth.edges.every((e) => e.lag === 1)).toBe(true);
    expect(r.truth.edges.map((e) => `${e.cause}>${e.effect}`).sort()).toEqual(expected.sort());
    for (let i = 0; i < V; i++) {
      let row = 0;
      for (let j = 0; j < V; j++) row += Math.abs(r.couplingMatrix[i * V + j]);
      expect(row).toBeLessThanOrEqual(0.9 + 1e-12);
    }
  });

  it("coupled regions correlate more than uncoupled ones, and BOLD lags the neural signal by the HRF", () => {
    const V = 8;
    const r = generateBold({ vars: V, length: 800, tr: 1, seed: 5, density: 0.25 });
    const adjacent = (i: number, j: number): boolean => r.couplingMatrix[i * V + j] !== 0 || r.couplingMatrix[j * V + i] !== 0;
    let inside = 0, nIn = 0, outside = 0, nOut = 0;
    for (let i = 0; i < V; i++)
      for (let j = i + 1; j < V; j++) {
        const c = corr(r.series.data, V, i, j);
        if (adjacent(i, j)) { inside += c; nIn++; } else { outside += c; nOut++; }
      }
    expect(inside / nIn).toBeGreaterThan(outside / nOut + 0.1);
    // the BOLD of region 0 follows its own neural state about 5 s later (HRF peak), not at once
    const shifted = (lag: number): number => {
      const T = 800 - lag;
      const both = new Float64Array(T * 2);
      for (let t = 0; t < T; t++) { both[2 * t] = r.neural[t * V]; both[2 * t + 1] = r.series.data[(t + lag) * V]; }
      return corr(both, 2, 0, 1);
    };
    expect(shifted(5)).toBeGreaterThan(shifted(0) + 0.1);
  });

  it("is deterministic and rejects bad options", () => {
    const a = generateBold({ vars: 4, length: 100, seed: 1, neural: "nonlinear" });
    const b = generateBold({ vars: 4, length: 100, seed: 1, neural: "nonlinear" });
    expect(Array.from(a.series.data)).toEqual(Array.from(b.series.data));
    expect(a.series.data.every(Number.isFinite)).toBe(true);
    expect(() => generateBold({ vars: 4, length: 100, tr: 0 })).toThrow(InputError);
    expect(() => generateBold({ vars: 4, length: 100, neural: "balloon" as never })).toThrow(/neural/);
  });
});
