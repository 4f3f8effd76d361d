import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { adfTest, kpssPValue, kpssTailP, kpssTest, mackinnonP } from "./stationarity.js";

// statsmodels 0.13.5 adfuller(x) and kpss(x, nlags="auto") on 27 series (fixtures/reference/gen_stationarity.py)
interface Case {
  name: string;
  x: number[];
  adf: { stat: number; pvalue: number; usedLag: number; nobs: number };
  kpss: { stat: number; pvalue: number; lags: number };
}
const FIXTURE = JSON.parse(readFileSync(fileURLToPath(new URL("../../../../fixtures/reference/stationarity_statsmodels.json", import.meta.url)), "utf8")) as {
  cases: Case[];
  mackinnon: { tau: number; pvalue: number }[];
};

const close = (got: number, want: number, tol = 1e-6) => Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));

describe("adfTest", () => {
  it("equals statsmodels' adfuller (AIC lag, statistic, MacKinnon p-value) on every fixture series", () => {
    for (const c of FIXTURE.cases) {
      const r = adfTest(c.x)!;
      expect(r.usedLag, c.name).toBe(c.adf.usedLag);
      expect(r.nobs, c.name).toBe(c.adf.nobs);
      expect(close(r.stat, c.adf.stat), `${c.name}: ${r.stat} vs ${c.adf.stat}`).toBe(true);
      expect(close(r.pvalue, c.adf.pvalue), `${c.name}: ${r.pvalue} vs ${c.adf.pvalue}`).toBe(true);
    }
  });

  it("gives MacKinnon's p-values on both sides of τ* and clips beyond the surface", () => {
    for (const { tau, pvalue } of FIXTURE.mackinnon) expect(close(mackinnonP(tau), pvalue, 1e-9), `τ = ${tau}`).toBe(true);
    expect(mackinnonP(-2.86)).toBeCloseTo(0.05, 2); // the 5% critical value with a constant
  });

  it("is undefined for a constant or too short series", () => {
    expect(adfTest(new Float64Array(100).fill(3))).toBeUndefined();
    expect(adfTest([1, 2, 3])).toBeUndefined();
  });
});

describe("kpssTest", () => {
  it("equals statsmodels' kpss (automatic bandwidth, statistic, table p-value) on every fixture series", () => {
    for (const c of FIXTURE.cases) {
      const r = kpssTest(c.x)!;
      expect(r.lags, c.name).toBe(c.kpss.lags);
      expect(close(r.stat, c.kpss.stat), `${c.name}: ${r.stat} vs ${c.kpss.stat}`).toBe(true);
      expect(close(r.pvalue, c.kpss.pvalue), `${c.name}: ${r.pvalue} vs ${c.kpss.pvalue}`).toBe(true);
    }
  });

  it("interpolates the table, clips at .01 and .10, and its tail beyond the table falls from ~.01", () => {
    expect(kpssPValue(0.2)).toBe(0.1);
    expect(kpssPValue(0.463)).toBeCloseTo(0.05, 12);
    expect(kpssPValue(2)).toBe(0.01);
    // Cramér-von Mises limit: 1% at 0.743, 0.1% at 1.168 (Anderson & Darling 1952)
    expect(kpssTailP(0.743)).toBeGreaterThan(0.009);
    expect(kpssTailP(0.743)).toBeLessThan(0.012);
    expect(kpssTailP(1.168)).toBeGreaterThan(0.0009);
    expect(kpssTailP(1.168)).toBeLessThan(0.0011);
  });
});
