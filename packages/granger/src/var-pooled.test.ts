// var and corr on several recordings (segments) and on missing cells (mask).
import { corrMethod, Rng, sliceSeries, type CausalGraph, type TimeSeries } from "@causeway/core";
import { maskAtRandom } from "@causeway/test-utils";
import { scoreGraph } from "@causeway/metrics";
import { generateVar } from "@causeway/synth";
import { describe, expect, it } from "vitest";
import { rssOf } from "./test-ols.js";
import { varGranger, varMethod } from "./var.js";

/**
 * x0(t) = 0.5 x0(t-1) + e, x1(t) = 0.4 x1(t-1) + 0.6 x0(t-1) + e, x2(t) = 0.3 x2(t-1) - 0.5 x1(t-2) + e:
 * one recording of `T` rows from its own seed, `[T, 3]` row-major.
 */
function recording(T: number, seed: number): number[][] {
  const rng = new Rng(seed);
  const x: number[][] = [];
  for (let t = 0; t < T + 50; t++) {
    const p1 = x[t - 1] ?? [0, 0, 0];
    const p2 = x[t - 2] ?? [0, 0, 0];
    x.push([0.5 * p1[0] + rng.normal(), 0.4 * p1[1] + 0.6 * p1[0] + rng.normal(), 0.3 * p1[2] - 0.5 * p2[1] + rng.normal()]);
  }
  return x.slice(50); // burn-in dropped
}

function concatenate(recordings: number[][][]): TimeSeries {
  const rows = recordings.flat();
  const segments: number[] = [];
  let start = 0;
  for (const r of recordings) {
    segments.push(start);
    start += r.length;
  }
  return { variables: ["x0", "x1", "x2"], length: rows.length, data: Float64Array.from(rows.flat()), segments };
}


/** Granger F of cause -> effect at order p on the samples stacked by hand from each recording. */
function stackedF(recordings: number[][][], p: number, effect: number, cause: number): { f: number; n: number } {
  const y: number[] = [];
  const design: number[][] = []; // one row per sample: [1, x(t-1), ..., x(t-p)]
  for (const r of recordings)
    for (let t = p; t < r.length; t++) {
      y.push(r[t][effect]);
      const row = [1];
      for (let l = 1; l <= p; l++) row.push(...r[t - l]);
      design.push(row);
    }
  const cols = design[0].map((_, j) => design.map((row) => row[j]));
  const full = rssOf(y, cols);
  const restricted = rssOf(
    y,
    cols.filter((_, j) => j === 0 || (j - 1) % 3 !== cause),
  );
  const n = y.length;
  const K = cols.length;
  return { f: (restricted - full) / p / (full / (n - K)), n };
}

const auroc = (g: CausalGraph, truth: Parameters<typeof scoreGraph>[0]) => scoreGraph(truth, g).aurocLagged ?? NaN;

describe("var on several recordings", () => {
  it("gives the F-tests of OLS on the samples stacked by hand, not those of naive concatenation", () => {
    const recs = [recording(150, 1), recording(120, 2)];
    const series = concatenate(recs);
    const r = varGranger(series, { maxLag: 2 });
    expect(r.nobs).toBe(148 + 118);
    expect(r.dfResid).toBe(266 - 7);
    const naive = varGranger({ ...series, segments: undefined }, { maxLag: 2 });
    expect(naive.nobs).toBe(268);
    let largestNaiveGap = 0;
    for (let e = 0; e < 3; e++)
      for (let c = 0; c < 3; c++) {
        const { f } = stackedF(recs, 2, e, c);
        expect(r.fStat[e * 3 + c]).toBeCloseTo(f, 8);
        largestNaiveGap = Math.max(largestNaiveGap, Math.abs(naive.fStat[e * 3 + c] - f) / f);
      }
    // the false window across the border changes the tests
    expect(largestNaiveGap).toBeGreaterThan(1e-3);
  });

  it("chooses the order on the common sample of every segment and refits on the longest", () => {
    const series = concatenate([recording(150, 1), recording(120, 2)]);
    const r = varGranger(series, { maxLag: 4, ic: "bic" });
    expect(r.order).toBe(2); // x1 -> x2 at lag 2
    expect(r.nobs).toBe(148 + 118);
    expect(r.fStat).toEqual(varGranger(series, { maxLag: 2 }).fStat);
  });

  it("pools 4 short segments to recover a graph that no segment alone recovers", async () => {
    const { series, truth } = generateVar({ vars: 5, length: 4 * 40, maxLag: 3, seed: 3 });
    const pooled = await varMethod.discover({ ...series, segments: [0, 40, 80, 120] }, { maxLag: 3 });
    const alone = await Promise.all([0, 40, 80, 120].map((s) => varMethod.discover(sliceSeries(series, s, s + 40), { maxLag: 3 })));
    // 40 rows give 37 samples for 16 regressors per equation: each alone scores .59-.81, pooled (148 samples) .97
    expect(auroc(pooled, truth)).toBeGreaterThan(0.95);
    for (const g of alone) expect(auroc(g, truth)).toBeLessThan(0.85);
    expect(pooled.meta.nobs).toBe(4 * 37);
  });
});

describe("var and corr with missing cells", () => {
  it("keep the lagged AUROC within .05 of the full data's with 10% of cells masked", async () => {
    const { series, truth } = generateVar({ vars: 5, length: 3000, maxLag: 3, seed: 5 });
    const holes = maskAtRandom(series, 0.1, 9);
    for (const method of [varMethod, corrMethod]) {
      const full = auroc(await method.discover(series, { maxLag: 3 }), truth); // var 1, corr .997
      const g = await method.discover(holes, { maxLag: 3 });
      // 12% of the windows of 4 rows x 5 variables miss no cell: 381 of 2997 samples remain (corr, per pair, keeps more)
      expect(Math.abs(auroc(g, truth) - full)).toBeLessThan(0.05);
      expect(auroc(g, truth)).toBeGreaterThan(0.95);
      expect(g.warnings).toContainEqual({
        code: "missing_values",
        message: "1478 of 15000 cells are missing; 2616 of 2997 lagged samples (windows of 4 rows) touch one and were left out",
      });
    }
  });
});
