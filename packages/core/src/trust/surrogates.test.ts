import { describe, expect, it } from "vitest";
import { corrMethod } from "../methods/corr.js";
import { getScore } from "../graph.js";
import { realFft } from "../numeric/fft.js";
import { Rng } from "../random.js";
import type { TimeSeries } from "../types.js";
import { checkSurrogateRun, surrogatePvalues, surrogateSeries, withSurrogatePvalues } from "./surrogates.js";

/** V AR(1) series x_v(t) = phi x_v(t-1) + e, plus `coupling` x0(t-1) into x1 (0: independent). */
function arSeries(T: number, V: number, seed: number, phi = 0.8, coupling = 0): TimeSeries {
  const rng = new Rng(seed);
  const data = new Float64Array(T * V); // [T, V]
  for (let t = 1; t < T; t++)
    for (let v = 0; v < V; v++) {
      data[t * V + v] = phi * data[(t - 1) * V + v] + rng.normal();
      if (v === 1) data[t * V + v] += coupling * data[(t - 1) * V];
    }
  return { variables: Array.from({ length: V }, (_, v) => `x${v}`), length: T, data };
}

const corr = (maxLag: number) => (s: TimeSeries) => corrMethod.discover(s, { maxLag });

function column(s: TimeSeries, v: number, from = 0, to = s.length): Float64Array {
  const V = s.variables.length;
  return Float64Array.from({ length: to - from }, (_, t) => s.data[(from + t) * V + v]);
}

describe("surrogate p-values", () => {
  it("are about uniform on independent autocorrelated series (rejection rate at .05 near .05), both kinds", async () => {
    for (const kind of ["shift", "phase"] as const) {
      const ps: number[] = [];
      for (let seed = 0; seed < 40; seed++) {
        const series = arSeries(150, 2, 100 + seed);
        const observed = await corrMethod.discover(series, { maxLag: 2 });
        const p = await surrogatePvalues(observed, series, { count: 19, kind, maxLag: 2, seed }, corr(2));
        for (const [e, c] of [[0, 1], [1, 0]]) for (const l of [1, 2]) ps.push(getScore(p, e, c, l));
      }
      const rate = ps.filter((p) => p <= 0.05).length / ps.length;
      const mean = ps.reduce((a, b) => a + b, 0) / ps.length;
      // 160 tests; under the null P(p <= .05) = 1/20 and E[p] = .525 (uniform on 1/20..1)
      expect(rate).toBeGreaterThan(0.005);
      expect(rate).toBeLessThan(0.11);
      expect(mean).toBeGreaterThan(0.42);
      expect(mean).toBeLessThan(0.63);
    }
  });

  it("without them, corr's threshold is fooled by independent autocorrelated series (why surrogates)", async () => {
    // the reason for surrogates: |r| of independent AR(.8) series at T = 150 often exceeds
    // corr's default threshold .3 (spurious), while their surrogate p-values stay uniform above
    let over = 0;
    for (let seed = 0; seed < 40; seed++) {
      const g = await corrMethod.discover(arSeries(150, 2, 100 + seed, 0.95), { maxLag: 1 });
      if (g.edges.some((e) => e.cause !== e.effect)) over++;
    }
    expect(over).toBeGreaterThan(4);
  });

  it("are small for a strong true edge and large in the other direction; self-links untested", async () => {
    const series = arSeries(200, 3, 5, 0.5, 0.8);
    const observed = await corrMethod.discover(series, { maxLag: 2 });
    const p = await surrogatePvalues(observed, series, { count: 99, kind: "shift", maxLag: 2, seed: 1 }, corr(2));
    expect(getScore(p, 1, 0, 1)).toBe(0.01); // x0 -> x1 at lag 1: no surrogate reaches it
    expect(getScore(p, 0, 1, 1)).toBeGreaterThan(0.05);
    expect(getScore(p, 0, 0, 1)).toBe(1);
    const g = withSurrogatePvalues(observed, p, { count: 99, kind: "shift", correction: "none" });
    expect(g.meta).toMatchObject({ surrogates: { count: 99, kind: "shift" }, alpha: 0.05, correction: "none" });
    expect(g.edges.map((e) => `${e.cause}->${e.effect}@${e.lag}`)).toContain("x0->x1@1");
    expect(g.edges.every((e) => e.cause !== e.effect)).toBe(true);
    expect(g.pvalues?.[1][0][0]).toBe(0.01);
  });
});

describe("surrogateSeries", () => {
  it("phase surrogates keep the amplitude spectrum of the cause and change nothing else", () => {
    const series = arSeries(101, 3, 9); // odd length: Bluestein
    const s = surrogateSeries(series, 1, "phase", 2, new Rng(3));
    const [a, b] = [realFft(column(series, 1)), realFft(column(s, 1))];
    for (let k = 0; k < 101; k++) expect(Math.hypot(b.re[k], b.im[k])).toBeCloseTo(Math.hypot(a.re[k], a.im[k]), 8);
    expect(column(s, 0)).toEqual(column(series, 0));
    expect(column(s, 2)).toEqual(column(series, 2));
    // yet a different series: its lag-0 correlation with the original is weak
    const x = column(series, 1);
    const y = column(s, 1);
    const r = x.reduce((acc, v, t) => acc + v * y[t], 0) / Math.sqrt(x.reduce((acc, v) => acc + v * v, 0) * y.reduce((acc, v) => acc + v * v, 0));
    expect(Math.abs(r)).toBeLessThan(0.5);
  });

  it("shifts within each segment by more than maxLag, moving missing cells with their values", () => {
    const T = 60;
    const data = Float64Array.from({ length: T * 2 }, (_, i) => (i % 2 === 0 ? Math.floor(i / 2) : -1)); // x0 = row index
    data[5 * 2] = Number.NaN;
    const mask = new Uint8Array(T * 2);
    mask[5 * 2] = 1;
    const series: TimeSeries = { variables: ["x0", "x1"], length: T, data, segments: [0, 20], mask };
    const s = surrogateSeries(series, 0, "shift", 3, new Rng(1));
    for (const [from, to] of [[0, 20], [20, 60]]) {
      const col = column(s, 0, from, to);
      const d = (((col[1] - from - 1) % (to - from)) + (to - from)) % (to - from); // col[t] = from + (t + d) mod n
      expect(d).toBeGreaterThanOrEqual(4);
      expect(d).toBeLessThanOrEqual(to - from - 4);
      col.forEach((v, t) => {
        const src = from + ((t + d) % (to - from));
        if (src === 5) {
          expect(v).toBeNaN();
          expect(s.mask![(from + t) * 2]).toBe(1);
        } else expect(v).toBe(src);
      });
    }
    expect(s.mask!.reduce((a, b) => a + b, 0)).toBe(1);
    expect(column(s, 1)).toEqual(column(series, 1));
    expect(() => surrogateSeries({ ...series, segments: [0, 50] }, 0, "shift", 5, new Rng(1))).toThrow(/2·maxLag \+ 2 = 12 rows.*segment 2 has 10/);
  });
});

describe("checkSurrogateRun", () => {
  it("prices N·V + 1 runs and refuses a test over the flop limit with the estimate", () => {
    const shape = { T: 1000, V: 10, maxLag: 5 };
    const ok = checkSurrogateRun(corrMethod, shape, {}, 19);
    expect(ok.runs).toBe(191);
    expect(ok.flops).toBeCloseTo(191 * ok.perRun.flops, 0);
    expect(() => checkSurrogateRun(corrMethod, shape, {}, 999, { limits: { maxFlops: 1e9 } })).toThrow(/--surrogates 999 \(999 x 10 causes \+ the observed run\) costs 9991 runs of corr on 1000 x 10 with maxLag 5, ~\S+ floating-point operations in all/);
  });
});
