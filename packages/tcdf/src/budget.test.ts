import { Rng, type CausalGraph, type TimeSeries } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { trainingPart, validationInputs } from "./early-stop.js";
import { tcdfMethod } from "./method.js";
import { paddedRecordings } from "./tcdf.js";

/** [T, 5]: x1 <- sin(x0 @ 2), x2 <- tanh(x1 @ 1), x3 <- x0² @ 1, x4 <- tanh(x3 @ 2) + 0.5 x2 @ 1, noise 0.3. TRUTH: effect, cause, lag. */
function planted(T: number, seed: number): TimeSeries {
  const rng = new Rng(seed);
  const V = 5;
  const x = new Float64Array((T + 20) * V);
  for (let t = 2; t < T + 20; t++) {
    const p = (l: number, v: number): number => x[(t - l) * V + v];
    x[t * V] = rng.normal();
    x[t * V + 1] = Math.sin(1.5 * p(2, 0)) + 0.3 * rng.normal();
    x[t * V + 2] = Math.tanh(2 * p(1, 1)) + 0.3 * rng.normal();
    x[t * V + 3] = p(1, 0) ** 2 - 1 + 0.3 * rng.normal();
    x[t * V + 4] = Math.tanh(p(2, 3)) + 0.5 * p(1, 2) + 0.3 * rng.normal();
  }
  return { variables: ["x0", "x1", "x2", "x3", "x4"], length: T, data: x.slice(20 * V) };
}
const TRUTH = new Set(["1,0,2", "2,1,1", "3,0,1", "4,3,2", "4,2,1"]);

/** Lagged AUROC (Mann-Whitney) of the scores against TRUTH, every (effect, cause, lag 1..2), ties half. */
function auroc(g: CausalGraph): number {
  const pos: number[] = [];
  const neg: number[] = [];
  g.scores.forEach((row, e) => row.forEach((lags, c) => lags.forEach((s, l) => (TRUTH.has(`${e},${c},${l + 1}`) ? pos : neg).push(s))));
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

const series = planted(300, 0);

describe("tcdf budgets and early stopping", () => {
  it("early stopping ends before the epochs on validation, AUROC at most 0.03 below the full run", async () => {
    const full = await tcdfMethod.discover(series, { maxLag: 2, params: { earlyStop: false } });
    const early = await tcdfMethod.discover(series, { maxLag: 2, params: { earlyStop: true } });
    expect(full.meta).toMatchObject({ epochs: 1000, stopped: "epochs" });
    expect(early.meta.stopped).toBe("validation");
    expect(early.meta.epochs as number).toBeLessThan(1000);
    const a = auroc(full);
    const b = auroc(early);
    // measured: full .849 (1000 epochs), early stopping .929 (210 epochs): never more than 0.03 worse
    expect(a).toBeGreaterThan(0.8);
    expect(b).toBeGreaterThan(a - 0.03);
  });

  it("fast trains 200 epochs; a seconds budget stops at its deadline with budget_exhausted", async () => {
    const fast = await tcdfMethod.discover(series, { maxLag: 2, budget: "fast", params: { earlyStop: false } });
    expect(fast.meta).toMatchObject({ epochs: 200, budget: { name: "fast", applied: { epochs: 200 } } });
    const cut = await tcdfMethod.discover(series, { maxLag: 2, budget: 0.001, params: { epochs: 100_000, engine: "js" } });
    expect(cut.meta.stopped).toBe("deadline");
    expect(cut.meta.budget).toMatchObject({ name: "seconds", cut: true });
    expect(cut.warnings!.find((w) => w.code === "budget_exhausted")?.message).toMatch(/tcdf: the 0.001 s budget ran out before training converged \(epoch \d+ of 100000\)/);
  });

  it("holds out the last 20% of each recording; validation counts only those rows", () => {
    const two = { ...series, segments: [0, 100] }; // recordings of 100 and 200 rows
    const { train, cuts } = trainingPart(two);
    expect(cuts).toEqual([80, 260]);
    expect(train.length).toBe(240);
    expect(train.segments).toEqual([0, 80]);
    expect(Array.from(train.data.subarray(80 * 5, 81 * 5))).toEqual(Array.from(series.data.subarray(100 * 5, 101 * 5)));
    const R = 4;
    const val = validationInputs(two, cuts, R, paddedRecordings(two, R), 4, true, [0, 1, 2, 3, 4])!;
    // rows 80..99 of the first recording and 260..299 of the second (after R gap rows), all past their receptive field
    expect(val.count).toBe(20 + 40);
    expect(val.weight![79]).toBe(0);
    expect(val.weight![80]).toBe(1);
    expect(val.weight![260 + R - 1]).toBe(0);
    expect(val.weight![260 + R]).toBe(1);
  });
});
