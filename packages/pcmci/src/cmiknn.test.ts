import { InputError, Rng } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { cmiknnEstimate, cmiknnTest } from "./cmiknn.js";
import { readFixture } from "./fixtures.js";

interface FixtureCase {
  name: string;
  knn: number;
  transform: "ranks" | "standardize";
  tie_noise: number;
  x: number[];
  y: number[];
  z: number[][];
  value: number;
}

describe("cmiknn estimate against tigramite's CMIknn.get_dependence_measure", () => {
  const fixture = readFixture("cmiknn_estimates.json") as { cases: FixtureCase[] };
  for (const c of fixture.cases) {
    it(`${c.name}`, () => {
      const got = cmiknnEstimate(Float64Array.from(c.x), Float64Array.from(c.y), c.z.map((r) => Float64Array.from(r)), 1, {
        knn: c.knn,
        transform: c.transform,
        tieNoise: c.tie_noise,
      });
      expect(Math.abs(got - c.value)).toBeLessThan(1e-12);
    });
  }
});

/** n samples of x, y and one z column from a seeded generator. */
function sample(n: number, seed: number, kind: "independent" | "chain" | "quadratic"): { x: Float64Array; y: Float64Array; z: Float64Array[] } {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.normal();
    if (kind === "chain") {
      z[i] = Math.tanh(x[i]) + 0.3 * rng.normal(); // x -> z -> y
      y[i] = z[i] * z[i] + 0.3 * rng.normal();
    } else {
      z[i] = rng.normal();
      y[i] = kind === "quadratic" ? x[i] * x[i] + 0.5 * rng.normal() : rng.normal();
    }
  }
  return { x, y, z: [z] };
}

describe("cmiknn test", () => {
  it("rejects a quadratic dependence and keeps independence (empty and one-column Z)", () => {
    const test = cmiknnTest({ sigSamples: 49, knn: 0.2 });
    const dep = sample(120, 1, "quadratic");
    const a = test.run(dep.x, dep.y, [], 3);
    expect(a.pvalue).toBe(1 / 50); // no permutation reaches the observed CMI
    expect(a.value).toBeGreaterThan(0.1);
    const b = test.run(dep.x, dep.y, dep.z, 3);
    expect(b.pvalue).toBe(1 / 50);
    // x -> z -> y: dependent marginally, independent given z
    const chain = sample(150, 2, "chain");
    expect(test.run(chain.x, chain.y, [], 4).pvalue).toBe(1 / 50);
    expect(test.run(chain.x, chain.y, chain.z, 4).pvalue).toBeGreaterThan(0.05);
  });

  it("p-values are near uniform on independent data (rejection rate at .05 over 60 seeds)", () => {
    const test = cmiknnTest({ sigSamples: 19, knn: 10 });
    let rejected = 0;
    let sum = 0;
    for (let s = 0; s < 60; s++) {
      const d = sample(60, 100 + s, s % 2 === 0 ? "independent" : "chain");
      const p = test.run(d.x, d.y, s % 2 === 0 ? [] : d.z, s).pvalue;
      if (p <= 0.05) rejected++;
      sum += p;
    }
    // binomial(60, .05): P(X > 9) < .001; mean of a uniform p on the 1/20 grid is .525
    expect(rejected).toBeLessThanOrEqual(9);
    expect(sum / 60).toBeGreaterThan(0.38);
    expect(sum / 60).toBeLessThan(0.67);
  });

  it("is reproducible for a seed, and the seed moves only the permutations", () => {
    const d = sample(80, 5, "chain");
    const test = cmiknnTest({ sigSamples: 29 });
    const a = test.run(d.x, d.y, d.z, 11);
    expect(test.run(d.x, d.y, d.z, 11)).toEqual(a);
    const b = test.run(d.x, d.y, d.z, 12);
    expect(b.value).toBe(a.value); // tie-free input: the noise cannot change a rank
    expect(cmiknnTest({ sigSamples: 29, permute: "y" }).run(d.x, d.y, d.z, 11).value).toBe(a.value);
  });

  it("handles ties through the noise, and rejects bad input with InputError", () => {
    const rng = new Rng(9);
    const x = Float64Array.from({ length: 100 }, () => rng.int(4));
    const y = Float64Array.from(x, (v) => v + rng.int(2));
    const r = cmiknnTest({ sigSamples: 19 }).run(x, y, [], 1);
    expect(r.pvalue).toBe(1 / 20);
    expect(() => cmiknnTest({ knn: 10 }).run(x.subarray(0, 10), y.subarray(0, 10), [], 1)).toThrow(InputError);
    expect(() => cmiknnTest().run(x, y.subarray(1), [], 1)).toThrow(InputError);
    expect(() => cmiknnTest().run(Float64Array.of(1, NaN, 3), Float64Array.of(1, 2, 3), [], 1)).toThrow(InputError);
    expect(() => cmiknnTest({ knn: 0 })).toThrow(InputError);
    expect(() => cmiknnTest({ sigSamples: 1.5 })).toThrow(InputError);
  });
});
