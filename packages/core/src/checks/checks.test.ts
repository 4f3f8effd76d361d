import { describe, expect, it } from "vitest";
import { createScores } from "../graph.js";
import { defineMethod, param } from "../define-method.js";
import { InputError } from "../errors.js";
import { prepareRun } from "../limits.js";
import { Rng } from "../random.js";
import { scaleWarnings } from "../transform.js";
import type { TimeSeries } from "../types.js";
import { dataWarnings, stationarityReports } from "./index.js";

/**
 * A stable VAR(2) `[T, V]`: x_v(t) = 0.5 x_v(t-1) + 0.3 x_{v-1}(t-2) - 0.2 x_{v+2}(t-1) + e (row sums of
 * |coefficients| 1.0 at most, companion radius below 1), after 200 steps of burn-in.
 */
function stableVar(T: number, V: number, seed: number): TimeSeries {
  const rng = new Rng(seed);
  const burn = 200;
  const x = new Float64Array((T + burn) * V);
  for (let t = 2; t < T + burn; t++)
    for (let v = 0; v < V; v++) {
      const prev = (u: number, lag: number) => x[(t - lag) * V + ((u + V) % V)];
      x[t * V + v] = 0.5 * prev(v, 1) + 0.3 * prev(v - 1, 2) - 0.2 * prev(v + 2, 1) + rng.normal();
    }
  return { variables: Array.from({ length: V }, (_, v) => `x${v}`), length: T, data: x.slice(burn * V) };
}

/** The stable VAR with a random walk with drift added to x0, a level shift to x2 at row 600 and a tripled x4 from row 400. */
function driftAndRegimes(seed: number): TimeSeries {
  const s = stableVar(1000, 5, seed);
  const rng = new Rng(seed + 100);
  let walk = 0;
  for (let t = 0; t < 1000; t++) {
    walk += 0.05 + 0.3 * rng.normal();
    s.data[t * 5] += walk;
    if (t >= 600) s.data[t * 5 + 2] += 3;
    if (t >= 400) s.data[t * 5 + 4] *= 3;
  }
  return s;
}

describe("dataWarnings", () => {
  it("says nothing on a stationary VAR (several seeds and lengths)", () => {
    for (const T of [300, 1000]) for (const seed of [1, 2, 3, 4, 5]) expect(dataWarnings(stableVar(T, 5, seed)), `T ${T} seed ${seed}`).toEqual([]);
  });

  it("names the drifting variable and the two regime switches, with the statistics and what to do", () => {
    for (const seed of [1, 2, 3]) {
      const w = dataWarnings(driftAndRegimes(seed));
      expect(w.map((x) => x.code)).toEqual(["nonstationary"]);
      expect(w[0].variables).toEqual(["x0", "x2", "x4"]);
      expect(w[0].message).toMatch(/x0 drifts: ADF p = [\d.]+ \(a unit root not rejected\), KPSS [\d.]+, p < 0.01/);
      expect(w[0].message).toMatch(/x2 .*shifts level near row (59\d|60\d|61\d): sup-LM/);
      expect(w[0].message).toMatch(/x4 changes variance near row (3[5-9]\d|4[0-4]\d): κ2/);
      expect(w[0].message).toMatch(/difference drifting series .* split series at a break and pass the pieces as segments/);
    }
  });

  it("tests each variable on its longest stretch without a missing cell or a segment start", () => {
    const s = driftAndRegimes(1);
    s.mask = new Uint8Array(5000);
    for (const t of [100, 101, 700]) {
      s.mask[t * 5] = 1;
      s.data[t * 5] = NaN;
    }
    s.segments = [0, 300];
    const reports = stationarityReports(s);
    expect([reports[0].start, reports[0].end]).toEqual([300, 700]);
    expect([reports[1].start, reports[1].end]).toEqual([300, 1000]);
    expect(reports[0].reasons[0]).toMatch(/^drifts/);
    // a stretch shorter than 30 rows is not tested
    const short = stationarityReports({ ...stableVar(60, 2, 1), segments: [0, 25, 50] });
    expect(short[0].adf).toBeUndefined();
    expect(short[0].reasons).toEqual([]);
  });

  it("gives the same findings at 1e300 and 1e-300 as at unit scale (exact power-of-two rescaling inside)", () => {
    const s = driftAndRegimes(2);
    const at = (f: number) => dataWarnings({ ...s, data: s.data.map((v) => v * f) });
    const base = dataWarnings(s);
    expect(base.map((w) => w.variables)).toEqual([["x0", "x2", "x4"]]);
    expect(at(2 ** 990)).toEqual(base);
    expect(at(2 ** -990)).toEqual(base);
  });

  it("warns near_constant on a masked series too (missing cells skipped), and not without the flat variable", () => {
    const s = stableVar(200, 3, 1);
    for (let t = 0; t < 200; t++) s.data[t * 3 + 1] = 1e6 + 1e-6 * s.data[t * 3 + 1];
    s.mask = new Uint8Array(600);
    s.mask[10 * 3 + 1] = 1;
    s.data[10 * 3 + 1] = NaN;
    expect(scaleWarnings(s).map((w) => [w.code, w.variables])).toEqual([["near_constant", ["x1"]]]);
    expect(dataWarnings(s).find((w) => w.code === "near_constant")?.variables).toEqual(["x1"]);
    const fine = stableVar(200, 3, 1);
    fine.mask = s.mask;
    fine.data[10 * 3 + 1] = NaN;
    expect(scaleWarnings(fine)).toEqual([]);
  });

  it("warns collinear for duplicated and for nearly dependent variables", () => {
    const s = stableVar(400, 4, 2);
    const V = 4;
    const data = new Float64Array(400 * 6); // [T, 6]: x0..x3, a copy of x1, x0 + x2 plus 1% noise
    const rng = new Rng(9);
    for (let t = 0; t < 400; t++) {
      for (let v = 0; v < V; v++) data[t * 6 + v] = s.data[t * V + v];
      data[t * 6 + 4] = 3 * s.data[t * V + 1] - 2;
      data[t * 6 + 5] = s.data[t * V] + s.data[t * V + 2] + 0.01 * rng.normal();
    }
    const w = dataWarnings({ variables: ["x0", "x1", "x2", "x3", "copy", "sum"], length: 400, data });
    expect(w.map((x) => x.code)).toEqual(["collinear", "collinear"]);
    expect(w[0].message).toMatch(/^x1 and copy are duplicates \(r = 1.000000\).*drop one of each pair/);
    expect([...w[1].variables!].sort()).toEqual(["sum", "x0", "x2"]);
    expect(w[1].message).toMatch(/are nearly linear combinations of one another \(condition number [\d.]+e\+\d, index \d+, over 30\)/);
  });
});

/** A method that can score lags 1..3 of at most 4 variables. */
const bounded = defineMethod({
  name: "bounded",
  description: "test method with a reach",
  usesTensors: false,
  lagResolved: true,
  defaultThreshold: 0.5,
  params: { depth: param.integer({ default: 3, min: 1, max: 10, description: "lags it scores" }) },
  reach: (p) => ({ maxLag: p.depth, variables: 4 }),
  run: ({ series, maxLag, warnings }) => {
    warnings.push(...scaleWarnings(series)); // repeats prepareRun's near_constant, if any
    return { scores: createScores(series.variables.length, maxLag) };
  },
});

describe("reach", () => {
  it("warns lag_beyond_reach and too_many_variables, and nothing within reach", () => {
    const w = prepareRun(bounded, stableVar(400, 5, 1), { maxLag: 5 }).warnings;
    expect(w.map((x) => x.code)).toEqual(["lag_beyond_reach", "too_many_variables"]);
    expect(w[0].message).toMatch(/^bounded scores lags 1..3 with these settings, but maxLag is 5: scores at lags 4..5 are not evidence .* lower maxLag to 3/);
    expect(w[1].message).toMatch(/trained for at most 4 variables and the series has 5/);
    expect(prepareRun(bounded, stableVar(400, 4, 1), { maxLag: 4, params: { depth: 4 } }).warnings).toEqual([]);
    expect(prepareRun(bounded, stableVar(400, 4, 1), { maxLag: 4 }).warnings[0].message).toMatch(/scores at lag 4 are not evidence/);
  });

  it("refuses instead with strict", async () => {
    expect(() => prepareRun(bounded, stableVar(400, 4, 1), { maxLag: 5, strict: true })).toThrow(InputError);
    await expect(bounded.discover(stableVar(400, 4, 1), { maxLag: 5, strict: true })).rejects.toThrow(/lags 4..5 are not evidence.*\(strict: refused instead of warned\)/);
    expect((await bounded.discover(stableVar(400, 4, 1), { maxLag: 3, strict: true })).warnings).toEqual([]);
  });

  it("lists a warning that a method repeats from prepareRun once, and records the reach in meta", async () => {
    const s = stableVar(300, 3, 1);
    for (let t = 0; t < 300; t++) s.data[t * 3 + 1] = 1e6 + 1e-6 * s.data[t * 3 + 1];
    const g = await bounded.discover(s, { maxLag: 2 });
    expect(g.warnings!.map((w) => w.code)).toEqual(["near_constant"]);
    expect(g.meta.reach).toEqual({ maxLag: 3, variables: 4 });
  });
});
