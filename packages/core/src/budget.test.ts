import { describe, expect, it } from "vitest";
import { budgetPreset, checkBudget, Deadline, EarlyStopping, parseBudget, validationSplit } from "./budget.js";
import { defineMethod, param } from "./define-method.js";
import { InputError } from "./errors.js";
import { createScores } from "./graph.js";
import { validTargetRows } from "./samples.js";
import type { TimeSeries } from "./types.js";

// [T = 12, V = 1], two recordings of 6 rows
const two: TimeSeries = { variables: ["x"], length: 12, data: Float64Array.from({ length: 12 }, (_, t) => Math.sin(t)), segments: [0, 6] };

/** A "training" method: `epochs` iterations of 1 ms each, stopping at the deadline; the score is the iterations run. */
const trained = defineMethod({
  name: "trained",
  description: "test method that trains",
  usesTensors: false,
  lagResolved: true,
  defaultThreshold: 0.5,
  supports: { segments: true, mask: false },
  params: {
    epochs: param.integer({ default: 40, min: 1, max: 1e6, description: "epochs" }),
    rate: param.number({ default: 0.1, min: 0, max: 1, description: "rate" }),
  },
  budgets: { fast: { epochs: 5 }, thorough: { epochs: 400, rate: 0.05 } },
  async run({ series, maxLag, params, deadline, onProgress }) {
    const V = series.variables.length;
    let epoch = 0;
    while (epoch < params.epochs && !deadline.expired()) {
      epoch++;
      onProgress?.({ method: "trained", stage: "train", fraction: epoch / params.epochs });
      await new Promise((r) => setTimeout(r, 1));
    }
    const scores = createScores(V, maxLag);
    scores.data[0] = epoch;
    return { scores, meta: { epochs: epoch }, ...(deadline.hit ? { cutAt: `epoch ${epoch} of ${params.epochs}` } : {}) };
  },
});

const plain = defineMethod({ name: "untrained", description: "no training", usesTensors: false, lagResolved: true, defaultThreshold: 0, params: {}, run: ({ maxLag }) => ({ scores: createScores(1, maxLag) }) });

describe("budgets", () => {
  it("parse names and positive seconds, refuse the rest with the valid values", () => {
    expect(parseBudget("fast")).toBe("fast");
    expect(parseBudget("30")).toBe(30);
    expect(parseBudget("2.5s")).toBe(2.5);
    expect(parseBudget(12)).toBe(12);
    for (const bad of ["quick", "0", -3, "", "1e400", null]) expect(() => parseBudget(bad)).toThrow(/budget must be one of fast, default, thorough or a number of seconds > 0/);
  });

  it("a preset fills the params not given; explicit params win; meta.budget records what was applied", async () => {
    const fast = await trained.discover(two, { maxLag: 1, budget: "fast" });
    expect(fast.meta.epochs).toBe(5);
    expect(fast.meta.params).toMatchObject({ epochs: 5, rate: 0.1 });
    expect(fast.meta.budget).toEqual({ name: "fast", applied: { epochs: 5 } });
    const thorough = await trained.discover(two, { maxLag: 1, budget: "thorough", params: { epochs: 7 } });
    expect(thorough.meta.params).toMatchObject({ epochs: 7, rate: 0.05 });
    expect(thorough.meta.budget).toEqual({ name: "thorough", applied: { rate: 0.05 } });
    const none = await trained.discover(two, { maxLag: 1 });
    expect(none.meta.epochs).toBe(40);
    expect(none.meta.budget).toBeUndefined();
    expect(budgetPreset(trained.budgets, "default")).toEqual({});
    expect(budgetPreset(trained.budgets, 3)).toEqual({});
  });

  it("a seconds budget stops training at the deadline and warns budget_exhausted", async () => {
    const cut = await trained.discover(two, { maxLag: 1, budget: 0.05, params: { epochs: 1e6 } });
    expect(cut.meta.epochs as number).toBeLessThan(1e6);
    expect(cut.meta.budget).toEqual({ name: "seconds", seconds: 0.05, applied: {}, cut: true });
    const w = cut.warnings!.find((x) => x.code === "budget_exhausted");
    expect(w?.message).toMatch(/the 0.05 s budget ran out before training converged \(epoch \d+ of 1000000\)/);
    // a budget that is not reached: no warning, no cut
    const done = await trained.discover(two, { maxLag: 1, budget: 60, params: { epochs: 3 } });
    expect(done.meta.epochs).toBe(3);
    expect(done.meta.budget).toEqual({ name: "seconds", seconds: 60, applied: {} });
    expect(done.warnings!.some((x) => x.code === "budget_exhausted")).toBe(false);
  });

  it("with a seconds budget, progress is at least the share of the budget spent", async () => {
    const fractions: number[] = [];
    await trained.discover(two, { maxLag: 1, budget: 0.05, params: { epochs: 1e6 }, onProgress: (e) => fractions.push(e.fraction) });
    // the method's own fraction stays below 1e-3 (epochs / 1e6); the budget's share reaches ~1
    expect(Math.max(...fractions)).toBeGreaterThan(0.5);
    expect(Math.max(...fractions)).toBeLessThanOrEqual(0.99);
    const own: number[] = [];
    await trained.discover(two, { maxLag: 1, params: { epochs: 10 }, onProgress: (e) => own.push(e.fraction) });
    expect(own).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) / 10));
  });

  it("a method without training refuses a budget, naming those that take one", async () => {
    await expect(plain.discover(two, { maxLag: 1, budget: "fast" })).rejects.toThrow(InputError);
    expect(() => checkBudget(plain, "fast", [plain, trained])).toThrow("untrained has no training to budget; --budget applies to trained");
    expect(checkBudget(trained, "7", [plain, trained])).toBe(7);
  });

  it("Deadline expires only after its seconds and remembers it was hit", () => {
    const never = new Deadline();
    expect(never.expired()).toBe(false);
    expect(never.secondsLeft()).toBe(Infinity);
    const past = new Deadline(1, Date.now() - 2000);
    expect(past.hit).toBe(false);
    expect(past.expired()).toBe(true);
    expect(past.hit).toBe(true);
  });
});

describe("validationSplit", () => {
  it("holds out the last 20% of each recording's target rows", () => {
    const rows = validTargetRows(two, 1); // 1..5 and 7..11
    const { train, validation } = validationSplit(two, rows);
    expect(Array.from(train)).toEqual([1, 2, 3, 4, 7, 8, 9, 10]);
    expect(Array.from(validation)).toEqual([5, 11]);
    const tenth = validationSplit({ ...two, segments: undefined }, validTargetRows({ ...two, segments: undefined }, 2), 0.1);
    expect(Array.from(tenth.validation)).toEqual([11]);
  });
});

describe("EarlyStopping", () => {
  it("stops after patience evaluations without improvement and keeps the best", () => {
    const es = new EarlyStopping(2);
    const best = [3, 2, 2.5, 1.5, 1.6, 1.7].map((l) => es.update(l));
    expect(best).toEqual([true, true, false, true, false, false]);
    expect(es.stop).toBe(true);
    expect(es.best).toBe(1.5);
    expect(() => new EarlyStopping(0)).toThrow(InputError);
  });
});
