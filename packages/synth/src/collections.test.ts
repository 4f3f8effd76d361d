import { InputError } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { COLLECTIONS, generateCollection } from "./collections.js";
import { generateVar } from "./var.js";

describe("collections", () => {
  it("lists the standard benchmark configurations", () => {
    expect(COLLECTIONS.map((c) => c.name)).toEqual([
      "var-v5-l3",
      "var-v10-l3",
      "nonlinear-v5-l3",
      "nonlinear-v10-l3",
      "lorenz96-v10-f10",
      "lorenz96-v20-f40",
      "kuramoto-v5",
      "kuramoto-v10",
      "nonlinear-v12-l3",
      "nonlinear-v20-l3",
      "longlag-v6-l8",
      "regime-v6",
      "hetero-v8",
      "spiking-v8",
      "bold-v8",
      "confounded-v8",
      "lorenz96-v20-f10",
    ]);
  });

  it("every collection yields N finite data sets of the configured shape, one per seed", () => {
    for (const spec of COLLECTIONS) {
      const items = generateCollection(spec.name, { count: 2, seed: 10 });
      expect(items.map((d) => d.seed)).toEqual([10, 11]);
      for (const { series, truth, collection } of items) {
        expect(collection).toBe(spec.name);
        expect(series.length).toBe(1000);
        expect(series.variables.length).toBe(spec.options.vars);
        expect(series.data.length).toBe(1000 * spec.options.vars);
        expect(series.data.every((v) => Number.isFinite(v))).toBe(true);
        expect(truth.variables).toEqual(series.variables);
        expect(truth.edges.length).toBeGreaterThan(0);
        expect(truth.summaryOnly).toBe(["lorenz96", "kuramoto", "bold"].includes(spec.generator));
      }
      expect(Array.from(items[0].series.data)).not.toEqual(Array.from(items[1].series.data));
    }
  });

  it("is the generator itself with the seed: deterministic and reproducible", () => {
    const [item] = generateCollection("var-v5-l3", { count: 1, seed: 4 });
    const direct = generateVar({ vars: 5, length: 1000, maxLag: 3, seed: 4 });
    expect(Array.from(item.series.data)).toEqual(Array.from(direct.series.data));
    const short = generateCollection("kuramoto-v5", { count: 1, length: 64 });
    expect(short[0].series.length).toBe(64);
  });

  it("rejects unknown names and bad counts", () => {
    expect(() => generateCollection("var-v7")).toThrow(/unknown collection "var-v7"; valid: var-v5-l3/);
    expect(() => generateCollection("var-v5-l3", { count: 0 })).toThrow(InputError);
  });
});
