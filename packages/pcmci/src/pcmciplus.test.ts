import { describe, expect, it } from "vitest";
import { readFixture } from "./fixtures.js";
import { runPcmciPlus } from "./pcmciplus.js";
import { seriesOf } from "./test-data.js";

const fx = readFixture("pcmciplus_parcorr.json");
const series = seriesOf(fx.data);

describe("PCMCI+ (ParCorr) against tigramite's run_pcmciplus", () => {
  for (const run of fx.runs) {
    it(`${run.label ?? run.args.pc_alpha}: graph, values and p-values`, () => {
      const a = run.args;
      const r = runPcmciPlus(series, { tauMax: a.tau_max, tauMin: a.tau_min, pcAlpha: a.pc_alpha });
      const N = fx.N;
      const K = a.tau_max + 1;
      for (let j = 0; j < N; j++) {
        const want = (run.lagged_parents_pc1[String(j)] as [number, number][]).map(([v, lag]) => [v, -lag]);
        expect(r.parents[j]).toEqual(want);
      }
      for (let i = 0; i < N; i++)
        for (let j = 0; j < N; j++)
          for (let tau = 0; tau < K; tau++) {
            const at = (i * N + j) * K + tau;
            expect([i, j, tau, r.graph[at]]).toEqual([i, j, tau, run.graph[i][j][tau]]);
            expect(Math.abs(r.value[at] - run.val_matrix[i][j][tau])).toBeLessThan(1e-6);
            expect(Math.abs(r.pvalue[at] - run.p_matrix[i][j][tau])).toBeLessThan(1e-6);
          }
      expect(r.ambiguousTriples).toEqual((run.ambiguous_triples as { i: number; lag: number; k: number; j: number }[]).map((t) => [t.i, -t.lag, t.k, t.j]));
    });
  }
});
