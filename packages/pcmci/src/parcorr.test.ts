import { describe, expect, it } from "vitest";
import { normalScores, parCorr, robustParCorr } from "./parcorr.js";
import { readFixture } from "./fixtures.js";

const fx = readFixture("ci_tests_parcorr.json");
const data: number[][] = fx.dataframe_data.data;

/** The column of node [v, -lag] over tigramite's samples t = 2 tau_max .. T-1. */
function nodeColumn([v, lag]: [number, number], tauMax: number): Float64Array {
  const T = data.length;
  const out = new Float64Array(T - 2 * tauMax);
  for (let t = 2 * tauMax; t < T; t++) out[t - 2 * tauMax] = data[t + lag][v];
  return out;
}

describe("ParCorr against tigramite", () => {
  for (const [name, test] of [["parcorr", parCorr], ["robust_parcorr", robustParCorr]] as const) {
    it(`${name}.run_test: value and p-value to 1e-6`, () => {
      for (const c of fx[name].run_test) {
        const col = (node: [number, number]) => nodeColumn(node, c.tau_max);
        const r = test.run(col(c.X[0]), col(c.Y[0]), c.Z.map(col), 0);
        expect(r.value).toBeCloseTo(c.val, 6);
        expect(Math.abs(r.pvalue - c.pval)).toBeLessThan(1e-6);
        if (c.pval > 0) expect(Math.abs(r.logPvalue - Math.log(c.pval))).toBeLessThan(1e-6 * Math.max(1, Math.abs(Math.log(c.pval))));
      }
    });
    it(`${name}.run_test_raw on explicit arrays (perfect correlation included)`, () => {
      const arr = (k: string) => Float64Array.from(fx.raw_arrays[k] as number[]);
      for (const c of fx[name].run_test_raw) {
        const r = test.run(arr(c.x), arr(c.y), (c.z as string[]).map(arr), 0);
        expect(Math.abs(r.value - c.val)).toBeLessThan(1e-6);
        expect(Math.abs(r.pvalue - c.pval)).toBeLessThan(1e-6);
      }
    });
  }

  it("normal scores equal tigramite's trafo2normal (max ranks for ties, 1 - 1e-5 at the top)", () => {
    const t = fx.robust_parcorr.trafo2normal;
    for (const k of ["x", "x_ties"]) {
      const got = normalScores(fx.raw_arrays[k] as number[]);
      const want = t[k] as number[];
      expect(got.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-7);
    }
  });
});
