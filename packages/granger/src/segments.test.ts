// Several recordings, one graph: cmlp and clstm train on every segment, no window crossing a border.
import { InputError, useBackend, type TimeSeries } from "@causeway/core";
import { scoreGraph } from "@causeway/metrics";
import { generateLorenz96 } from "@causeway/synth";
import { describe, expect, it } from "vitest";
import { cmlpMethod, fitCmlp, laggedDesign } from "./cmlp.js";
import { fitClstm, lstmWindows, windowStarts } from "./clstm.js";
import { validTargetRows } from "@causeway/core";
import { resolveTargets } from "./neural/targets.js";

import "@causeway/test-utils"; // registers the wasm backend

await useBackend("wasm");

/** data[t, j] = 100·t + j, segments at 0, 7, 15 (T = 20), x1 missing at row 17. */
function coded(): TimeSeries {
  const T = 20;
  const V = 2;
  const data = Float64Array.from({ length: T * V }, (_, i) => 100 * Math.floor(i / V) + (i % V));
  const mask = new Uint8Array(T * V);
  mask[17 * V + 1] = 1;
  data[17 * V + 1] = NaN;
  return { variables: ["x0", "x1"], length: T, data, segments: [0, 7, 15], mask };
}

const segmentOf = (t: number) => (t < 7 ? 0 : t < 15 ? 1 : 2);

describe("training windows over several recordings", () => {
  it("cMLP's lagged design never crosses a segment border or a missing cell", () => {
    const s = coded();
    const K = 3;
    const rows = validTargetRows(s, K);
    expect(Array.from(rows)).toEqual([3, 4, 5, 6, 10, 11, 12, 13, 14, 18, 19].filter((t) => t < 17 || t - K > 17));
    const d = laggedDesign(s.data, s.length, 2, K, rows);
    for (let r = 0; r < d.n; r++) {
      const t = Math.floor(d.Y[r * 2] / 100);
      for (let c = 0; c < K * 2; c++) {
        const v = d.X[r * K * 2 + c];
        expect(Number.isFinite(v)).toBe(true);
        expect(segmentOf(Math.floor(v / 100))).toBe(segmentOf(t));
      }
    }
  });

  it("cLSTM's windows stay inside one segment, `stride` apart", () => {
    const s = coded();
    const starts = windowStarts(s, 3, 2); // rows s..s+3 in one segment, no missing cell
    expect(Array.from(starts)).toEqual([0, 2, 7, 9, 11]);
    const w = lstmWindows(s.data, s.length, 2, 3, 2, starts);
    expect(w.B).toBe(5);
    for (let b = 0; b < w.B; b++)
      for (let t = 0; t < 3; t++) {
        const x = Math.floor(w.X[(b * 3 + t) * 2] / 100);
        const y = Math.floor(w.Y[(0 * 3 + t) * w.B + b] / 100);
        expect(y).toBe(x + 1);
        expect(segmentOf(y)).toBe(segmentOf(starts[b]));
      }
    // one segment, no mask: the old layout (starts 0, stride, ...)
    const one = { variables: ["a"], length: 9, data: new Float64Array(9) };
    expect(Array.from(windowStarts(one, 3, 2))).toEqual([0, 2, 4]);
  });

  it("resolves targets by index or name and rejects unknown ones", () => {
    expect(resolveTargets("", ["a", "b", "c"])).toEqual([0, 1, 2]);
    expect(resolveTargets("c, 0", ["a", "b", "c"])).toEqual([0, 2]);
    expect(resolveTargets([1], ["a", "b", "c"])).toEqual([1]);
    expect(() => resolveTargets("3", ["a", "b", "c"])).toThrow(InputError);
  });
});

/** Four short Lorenz-96 recordings (different seeds), stacked. */
function recordings(L: number) {
  const parts = [11, 12, 13, 14].map((seed) => generateLorenz96({ vars: 8, length: L, forcing: 10, sdNoise: 0.5, seed }));
  const V = 8;
  const data = new Float64Array(4 * L * V);
  parts.forEach((p, i) => data.set(p.series.data, i * L * V));
  const base = { variables: parts[0].series.variables, length: 4 * L, data };
  return { parts, truth: parts[0].truth, pooled: { ...base, segments: [0, L, 2 * L, 3 * L] } as TimeSeries, joined: base as TimeSeries };
}

describe("cmlp on several recordings", () => {
  const QUICK = { hidden: 8, lambdaFactor: 2, pathSteps: 8, warmupIters: 80, stepIters: 15 };

  it("pooling 4 short segments beats each segment alone and matches or beats the joined concatenation", async () => {
    const { parts, truth, pooled, joined } = recordings(25);
    const auc = async (s: TimeSeries) => scoreGraph(truth, await cmlpMethod.discover(s, { maxLag: 2, seed: 1, params: QUICK })).aurocSummary ?? NaN;
    const single = [];
    for (const p of parts) single.push(await auc(p.series));
    const pool = await auc(pooled);
    const join = await auc(joined);
    console.log(`cmlp AUROC: singles ${single.map((x) => x.toFixed(3)).join(" ")}, pooled ${pool.toFixed(3)}, joined ${join.toFixed(3)}`);
    expect(pool).toBeGreaterThan(Math.max(...single));
    expect(pool).toBeGreaterThanOrEqual(join);
  });

  it("a fit on a subset of targets equals those rows of the full fit (other rows 0)", async () => {
    const { pooled } = recordings(40);
    // tol 1e-12 and a short path: every λ runs its full iterations, so no stopping rule couples targets
    const o = { maxLag: 2, seed: 5, ...QUICK, pathSteps: 3, tol: 1e-12 };
    const full = await fitCmlp(pooled, o);
    const part = await fitCmlp(pooled, { ...o, targets: "1,3" });
    const row = 8 * 2;
    for (let i = 0; i < 8; i++) {
      const a = Array.from(full.scores.subarray(i * row, (i + 1) * row));
      const b = Array.from(part.scores.subarray(i * row, (i + 1) * row));
      if (i === 1 || i === 3) b.forEach((x, k) => expect(x).toBeCloseTo(a[k], 5));
      else expect(b.every((x) => x === 0)).toBe(true);
    }
  });

  it("cLSTM: a fit on a subset of targets equals those rows of the full fit", async () => {
    const { pooled } = recordings(40);
    const o = { maxLag: 1, seed: 2, hidden: 4, context: 5, lambdaFactor: 2, pathSteps: 3, warmupIters: 20, stepIters: 5, tol: 1e-12 };
    const full = await fitClstm(pooled, o);
    const part = await fitClstm(pooled, { ...o, targets: "x2" });
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++) {
        const x = part.scores[i * 8 + j];
        if (i === 2) expect(x).toBeCloseTo(full.scores[i * 8 + j], 5);
        else expect(x).toBe(0);
      }
    expect(Array.from(full.groupNorms.subarray(16, 24)).some((x) => x > 0)).toBe(true);
  });
});
