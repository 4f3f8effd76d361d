import { InputError } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { EVALUATION_SEED_START, MIXTURE_FAMILIES, sampleMixture } from "./mixture.js";

describe("sampleMixture", () => {
  it("draws every family with randomised V, T and finite data whose truth names its variables", () => {
    const seen = new Map<string, number>();
    const lengths: number[] = [];
    const vars = new Set<number>();
    for (let seed = 0; seed < 120; seed++) {
      const item = sampleMixture(seed, { length: [100, 300] });
      seen.set(item.family, (seen.get(item.family) ?? 0) + 1);
      const { series, truth } = item;
      expect(series.data.length).toBe(series.length * series.variables.length);
      expect(series.data.every(Number.isFinite)).toBe(true);
      expect(truth.variables).toEqual(series.variables);
      expect(truth.edges.length).toBeGreaterThan(0);
      expect(truth.maxLag).toBeLessThanOrEqual(10);
      for (const e of truth.edges) expect(e.lag).toBeLessThanOrEqual(truth.maxLag);
      if (item.family === "spiking") expect(truth.edges.every((e) => e.cause !== e.effect)).toBe(true);
      if (item.family === "longlag") expect(truth.edges.some((e) => e.cause !== e.effect && e.lag >= 4)).toBe(true);
      expect(truth.summaryOnly).toBe(["lorenz96", "kuramoto", "bold"].includes(item.generator));
      lengths.push(series.length);
      vars.add(series.variables.length);
    }
    expect([...seen.keys()].sort()).toEqual([...MIXTURE_FAMILIES].sort());
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...lengths)).toBeGreaterThan(200);
    expect(vars.size).toBeGreaterThan(10);
  });

  it("is deterministic for a seed, differs between seeds, and keeps the splits apart", () => {
    const a = sampleMixture(42, { length: [100, 200] });
    const b = sampleMixture(42, { length: [100, 200] });
    expect(b.family).toBe(a.family);
    expect(b.params).toEqual(a.params);
    expect(Array.from(b.series.data)).toEqual(Array.from(a.series.data));
    expect(Array.from(sampleMixture(43, { length: [100, 200] }).series.data)).not.toEqual(Array.from(a.series.data));
    expect(() => sampleMixture(EVALUATION_SEED_START, { split: "train" })).toThrow(InputError);
    expect(() => sampleMixture(5, { split: "eval" })).toThrow(/training seed/);
    const ev = sampleMixture(EVALUATION_SEED_START + 3, { split: "eval", families: ["spiking"], length: [100, 100] });
    expect(ev.family).toBe("spiking");
    expect(ev.series.length).toBe(100);
    expect(() => sampleMixture(1, { families: ["garch" as never] })).toThrow(/families/);
  });
});
