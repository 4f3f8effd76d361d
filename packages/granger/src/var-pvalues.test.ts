import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { getScore, logFSurvival, type TimeSeries } from "@causeway/core";
import { scoreGraph } from "@causeway/metrics";
import { generateVar } from "@causeway/synth";
import { describe, expect, it } from "vitest";
import { pairwiseGranger } from "./var-pairwise.js";
import { minusLog10, varGranger, varMethod, varPvalues, varScores } from "./var.js";

// statsmodels 0.13.5 grangercausalitytests(data[:, [target, source]], maxlag=4) (fixtures/reference/README.md)
interface Test {
  stat: number;
  pvalue: number;
  df_denom: number;
  df_num: number;
}
interface Fixture {
  maxlag: number;
  series: {
    name: string;
    T: number;
    V: number;
    data: number[][];
    pairs: { target: number; source: number; lags: { lag: number; ssr_ftest: Test; nobs: number; ssr_restricted: number; ssr_unrestricted: number }[] }[];
  }[];
}
const FIXTURE = JSON.parse(readFileSync(fileURLToPath(new URL("../../../fixtures/reference/granger_statsmodels.json", import.meta.url)), "utf8")) as Fixture;

function seriesOf(rows: number[][]): TimeSeries {
  const V = rows[0].length;
  return { variables: Array.from({ length: V }, (_, v) => `x${v}`), length: rows.length, data: Float64Array.from(rows.flat()) };
}

/** |a - b| <= tol · max(1, |b|): 1e-8 relative for large numbers, absolute for small ones. */
function expectNear(a: number, b: number, tol: number, what: string): void {
  expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
}

describe("var p-values against statsmodels' grangercausalitytests (ssr F-test)", () => {
  it("pairwise mode equals the ssr F-test at every lag order, for every pair of every fixture series", () => {
    let checked = 0;
    for (const s of FIXTURE.series) {
      const series = seriesOf(s.data);
      const r = pairwiseGranger(series, { maxLag: FIXTURE.maxlag });
      const P = FIXTURE.maxlag;
      for (const pair of s.pairs)
        for (const lag of pair.lags) {
          const L = lag.lag;
          const k = (pair.target * s.V + pair.source) * P + (L - 1);
          const want = lag.ssr_ftest;
          const what = `${s.name} ${pair.source} -> ${pair.target} L=${L}`;
          expect(r.nobs[L - 1]).toBe(lag.nobs);
          expect(r.dfDenom[L - 1]).toBe(want.df_denom);
          expect(want.df_num).toBe(L);
          expectNear(r.fStat[k], want.stat, 1e-8, `${what} F`);
          const p = Math.exp(r.logP[k]);
          expectNear(p, want.pvalue, 1e-8, `${what} p`);
          if (want.pvalue > 1e-300) expect(Math.abs(p / want.pvalue - 1), what).toBeLessThan(1e-8); // relative, even for tiny p
          expectNear(r.ssrUnrestricted[k], lag.ssr_unrestricted, 1e-8, `${what} SSR_u`);
          expectNear(r.ssrRestricted[k], lag.ssr_restricted, 1e-8, `${what} SSR_r`);
          checked++;
        }
    }
    expect(checked).toBe(4 * (2 + 2 + 2 + 6));
  });

  it("the method's pvalues are those tests; the maxLag entry is the joint test of all lags", async () => {
    const s = FIXTURE.series.find((x) => x.name === "triv_T200_chain")!;
    const g = await varMethod.discover(seriesOf(s.data), { maxLag: 4, params: { test: "pairwise" } });
    expect(g.meta.test).toBe("pairwise");
    for (const pair of s.pairs)
      for (const lag of pair.lags) {
        const p = g.pvalues![pair.target][pair.source][lag.lag - 1];
        expect(Math.abs(p / lag.ssr_ftest.pvalue - 1)).toBeLessThan(1e-8);
        expectNear(g.scores[pair.target][pair.source][lag.lag - 1], -Math.log10(lag.ssr_ftest.pvalue), 1e-8, "score = -log10 p");
      }
  });

  it("pairwise mode refuses ic, and pools segments with each order's own valid rows", async () => {
    const s = FIXTURE.series.find((x) => x.name === "biv_T200_x1_causes_x0_lag1")!;
    const series = seriesOf(s.data);
    await expect(varMethod.discover(series, { maxLag: 2, params: { test: "pairwise", ic: "bic" } })).rejects.toThrow(/drop ic/);
    // two recordings: rows 0..99 and 100..199; order L uses the rows t with t - L in the same recording
    const r = pairwiseGranger({ ...series, segments: [0, 100] }, { maxLag: 2 });
    expect(Array.from(r.nobs)).toEqual([198, 196]);
    expect(Array.from(r.dfDenom)).toEqual([198 - 3, 196 - 5]);
    expect(Math.exp(r.logP[(0 * 2 + 1) * 2])).toBeLessThan(1e-10); // x1 -> x0 still found
  });

  it("conditional mode on two variables: the joint test of a VAR(L) is statsmodels' order-L test", () => {
    for (const s of FIXTURE.series.filter((x) => x.V === 2))
      for (let L = 1; L <= FIXTURE.maxlag; L++) {
        const r = varGranger(seriesOf(s.data), { maxLag: L });
        for (const pair of s.pairs) {
          const want = pair.lags[L - 1].ssr_ftest;
          const i = pair.target * 2 + pair.source;
          expect(r.dfResid).toBe(want.df_denom);
          expectNear(r.fStat[i], want.stat, 1e-8, `${s.name} L=${L} F`);
          expectNear(r.pValue[i], want.pvalue, 1e-8, `${s.name} L=${L} p`);
          if (want.pvalue > 1e-300) expect(Math.abs(r.pValue[i] / want.pvalue - 1)).toBeLessThan(1e-8);
        }
      }
  });

  it("conditional per-lag entries are the t² = F(1, df) test of that lag's coefficient", () => {
    const s = FIXTURE.series.find((x) => x.name === "biv_T1000_feedback_lag2_lag3")!;
    const r = varGranger(seriesOf(s.data), { maxLag: 4 });
    const p = varPvalues(r);
    const sc = varScores(r);
    for (let e = 0; e < 2; e++)
      for (let c = 0; c < 2; c++)
        for (let l = 1; l <= 4; l++) {
          const t = r.tStats[(e * 2 + c) * 4 + l - 1];
          const lp = logFSurvival(t * t, 1, r.dfResid);
          expect(getScore(p, e, c, l)).toBeCloseTo(Math.exp(lp), 15);
          // the score: the joint test's -log10 p shared out by t² (the largest |t| gets all of it)
          const t2 = [1, 2, 3, 4].map((k) => r.tStats[(e * 2 + c) * 4 + k - 1] ** 2);
          expect(getScore(sc, e, c, l)).toBeCloseTo((-Math.log10(r.pValue[e * 2 + c]) * t * t) / Math.max(...t2), 9);
        }
    // x1 -> x0 at lag 2 and x0 -> x1 at lag 3 (the generator's links) are the strongest cross lags
    expect(getScore(p, 0, 1, 2)).toBeLessThan(1e-12);
    expect(getScore(p, 1, 0, 3)).toBeLessThan(1e-3);
    expect(getScore(p, 0, 1, 4)).toBeGreaterThan(0.01);
  });
});

describe("var scores never saturate", () => {
  it("-log10 p is exact in log space around p = 1e-400 (mpmath, 50 digits)", () => {
    // -log10 P(F(1, 1000) > t²), mpmath.betainc(500, 0.5, 0, 1000 / (1000 + t²), regularized=True)
    const cases: [number, number][] = [
      [2500, 273.5592998681929],
      [3000, 302.56583916399643],
      [3000.001, 302.56589346884743],
      [5264, 399.9863574020171],
      [5264.01, 399.98670412650796],
      [5300, 401.230992639409],
      [8000, 478.69390113216326],
    ];
    let previous = 0;
    for (const [t2, want] of cases) {
      const got = minusLog10(logFSurvival(t2, 1, 1000));
      expect(Math.abs(got - want) / want).toBeLessThan(1e-11);
      expect(got).toBeGreaterThan(previous); // orders even where p itself is 0 in float64
      previous = got;
    }
    expect(Math.exp(logFSurvival(5300, 1, 1000))).toBe(0); // the p-value underflows, its score does not
  });

  it("a VAR with strong edges: the top decile of the scores is all distinct, and FDR-selected edges recover the truth", async () => {
    const { series, truth } = generateVar({ vars: 6, length: 3000, maxLag: 2, coefRange: [0.4, 0.6], seed: 5 });
    const g = await varMethod.discover(series, { maxLag: 2 });
    const flat = g.scores.flat(2).sort((a, b) => b - a);
    const top = flat.slice(0, Math.ceil(flat.length / 10));
    expect(top[top.length - 1]).toBeGreaterThan(16); // p < 1e-16: 1 - p would have tied at 1
    expect(new Set(top).size).toBe(top.length);
    const score = scoreGraph(truth, g);
    expect(score.aurocLagged).toBeGreaterThan(0.99);
    expect(score.recall).toBe(1);
    expect(score.precision).toBeGreaterThan(0.9);
    expect(g.meta.alpha).toBe(0.05);
    expect(g.meta.correction).toBe("fdr_bh");
    for (const e of g.edges) expect(e.qvalue).toBeLessThanOrEqual(0.05);
  });
});
