import { describe, expect, it } from "vitest";
import { registerMethod, type Discoverer } from "../discoverer.js";
import { getScore } from "../graph.js";
import { prepareRun } from "../limits.js";
import { Rng } from "../random.js";
import type { TimeSeries } from "../types.js";
import { corrMethod, laggedCorrelation } from "./corr.js";
import { laggedCorrelationOnRows } from "./corr-rows.js";

/** x1(t) = 0.9 x0(t-2) + 0.3 noise; x0 white noise: `[T, 2]`. */
function planted(T: number, seed = 7): TimeSeries {
  const rng = new Rng(seed);
  const data = new Float64Array(T * 2);
  for (let t = 0; t < T; t++) {
    data[t * 2] = rng.normal();
    data[t * 2 + 1] = (t >= 2 ? 0.9 * data[(t - 2) * 2] : 0) + 0.3 * rng.normal();
  }
  return { variables: ["x0", "x1"], length: T, data };
}

function pearson(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b) / x.length;
  const my = y.reduce((a, b) => a + b) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe("corr over segments and missing cells", () => {
  it("equals laggedCorrelation on one recording without missing cells", () => {
    const s = planted(300);
    const a = laggedCorrelation(s, 3);
    const b = laggedCorrelationOnRows(s, 3);
    for (let i = 0; i < a.data.length; i++) expect(b.data[i]).toBeCloseTo(a.data[i], 12);
  });

  it("correlates the stacked pairs of each segment, never across a start", () => {
    // two segments [0, 4), [4, 8) of a = 1..8, b = squares; maxLag 1: targets 1, 2, 3 | 5, 6, 7
    const a = [1, 2, 3, 4, 5, 6, 7, 8];
    const b = [0, 1, 4, 9, 16, 25, 36, 49];
    const s: TimeSeries = { variables: ["a", "b"], length: 8, data: Float64Array.from(a.flatMap((x, t) => [x, b[t]])), segments: [0, 4] };
    const cause = [1, 2, 3, 5, 6, 7]; // a(t - 1)
    const effect = [1, 4, 9, 25, 36, 49]; // b(t)
    expect(getScore(laggedCorrelationOnRows(s, 1), 1, 0, 1)).toBeCloseTo(Math.abs(pearson(cause, effect)), 12);
    // naive concatenation pairs a(3) = 4 with b(4) = 16 across the border: a different number
    expect(Math.abs(getScore(laggedCorrelation({ ...s, segments: undefined }, 1), 1, 0, 1) - getScore(laggedCorrelationOnRows(s, 1), 1, 0, 1))).toBeGreaterThan(1e-4);
  });

  it("leaves out the pairs a missing cell touches and says so in a missing_values warning", async () => {
    const s = planted(2000);
    const rng = new Rng(3);
    s.mask = new Uint8Array(s.data.length);
    for (let i = 0; i < s.data.length; i++)
      if (rng.uniform() < 0.1) {
        s.mask[i] = 1;
        s.data[i] = NaN;
      }
    const graph = await corrMethod.discover(s, { maxLag: 3 });
    expect(graph.edges[0]).toMatchObject({ cause: "x0", effect: "x1", lag: 2 });
    const full = await corrMethod.discover(planted(2000), { maxLag: 3 });
    expect(Math.abs(graph.scores[1][0][1] - full.scores[1][0][1])).toBeLessThan(0.03);
    const w = graph.warnings?.find((x) => x.code === "missing_values");
    expect(w?.message).toMatch(/^\d+ of 4000 cells are missing; \d+ of 1997 lagged samples \(windows of 4 rows\) touch one and were left out$/);
  });
});

describe("prepareRun with segments and missing cells", () => {
  const fake: Discoverer = {
    name: "fake",
    description: "",
    usesTensors: false,
    lagResolved: true,
    defaultThreshold: 0.5,
    params: [],
    discover: () => Promise.reject(new Error("unused")),
  };

  it("refuses a method that cannot use them, naming the methods that can", () => {
    registerMethod(corrMethod);
    const s = { ...planted(100), segments: [0, 50] };
    expect(() => prepareRun(fake, s, { maxLag: 2 })).toThrow(/^fake cannot use several recordings \(segments\); methods that can: (.*, )?corr\b/);
    const m = planted(100);
    m.mask = new Uint8Array(200);
    m.mask[10] = 1;
    m.data[10] = NaN;
    expect(() => prepareRun(fake, m, { maxLag: 2 })).toThrow(/^fake cannot use missing cells \(--missing mask\); methods that can: (.*, )?corr\b/);
    // one segment and a mask with nothing missing are a plain series
    expect(prepareRun(fake, { ...planted(100), segments: [0], mask: new Uint8Array(200) }, { maxLag: 2 }).warnings).toEqual([]);
  });

  it("counts the valid lagged samples for the minimum", () => {
    // 4 segments of 12 rows at maxLag 3: 4 x 9 = 36 samples = 39 rows' worth; corr needs maxLag + 10 = 13
    const s = { ...planted(48), segments: [0, 12, 24, 36] };
    expect(() => prepareRun(corrMethod, s, { maxLag: 3 })).not.toThrow();
    // 16 segments of 3 rows: no window of 4 rows fits in any
    expect(() => prepareRun(corrMethod, { ...s, segments: Array.from({ length: 16 }, (_, i) => 3 * i) }, { maxLag: 3 })).toThrow(
      "no lagged window of 4 rows lies inside one segment; lower maxLag",
    );
    // 4 segments of 5 rows: 4 x 2 = 8 samples = 11 rows' worth, under 13
    expect(() => prepareRun(corrMethod, { ...planted(20), segments: [0, 5, 10, 15] }, { maxLag: 3 })).toThrow(
      "corr needs at least 13 rows for 2 variables at maxLag 3 (10 pairs per correlation); the series has T = 20 rows but only 8 usable lagged samples (as many as 11 rows of one complete recording)",
    );
  });
});
