import { describe, expect, it } from "vitest";
import { readFixture } from "./fixtures.js";
import { runPcmci } from "./pcmci.js";
import { seriesOf } from "./test-data.js";

const FILES = ["pcmci_parcorr_a_linear_var.json", "pcmci_parcorr_b_nonlinear_nongaussian.json", "pcmci_parcorr_c_confounder.json"];

describe("PCMCI (ParCorr) against tigramite's run_pcmci", () => {
  for (const file of FILES) {
    const fx = readFixture(file);
    const series = seriesOf(fx.data);
    for (const run of fx.runs) {
      it(`${fx.name}: ${run.label}`, () => {
        const a = run.args;
        const r = runPcmci(series, { tauMax: a.tau_max, tauMin: a.tau_min, pcAlpha: a.pc_alpha, maxCombinations: a.max_combinations });
        const N = fx.N;
        const K = a.tau_max + 1;
        // PC1 parents, in tigramite's order
        for (let j = 0; j < N; j++) {
          const want = (run.pc1.parents[String(j)] as [number, number][]).map(([v, lag]) => [v, -lag]);
          expect(r.parents[j]).toEqual(want);
          if (run.pc1.optimal_pc_alpha) expect(r.pcAlpha[j]).toBe(run.pc1.optimal_pc_alpha[String(j)]);
        }
        // MCI values and p-values, every entry (lag 0 symmetrised)
        for (let i = 0; i < N; i++)
          for (let j = 0; j < N; j++)
            for (let tau = 0; tau < K; tau++) {
              const at = (i * N + j) * K + tau;
              expect(Math.abs(r.value[at] - run.val_matrix[i][j][tau])).toBeLessThan(1e-6);
              expect(Math.abs(r.pvalue[at] - run.p_matrix[i][j][tau])).toBeLessThan(1e-6);
            }
        expect(r.tests).toBe(run.mci_tests.length);
      });
    }
  }
});
