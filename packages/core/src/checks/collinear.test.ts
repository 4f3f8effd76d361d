import { describe, expect, it } from "vitest";
import { Rng } from "../random.js";
import { seriesFromColumns } from "../transform.js";
import { collinearity, COLLINEAR_CONDITION } from "./collinear.js";

function noise(n: number, seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => rng.normal());
}

describe("collinearity", () => {
  it("names an affine copy as a duplicate and judges the rest without it", () => {
    const x = noise(300, 1);
    const s = seriesFromColumns(["x", "copy", "z"], [x, x.map((v) => 2 * v + 1), noise(300, 2)]);
    const c = collinearity(s);
    expect(c.duplicates.map(([a, b]) => [a, b])).toEqual([[0, 1]]);
    expect(c.duplicates[0][2]).toBeCloseTo(1, 12);
    expect(c.condition!).toBeLessThan(2);
    expect(c.group).toEqual([]);
  });

  it("finds a sum of two variables (plus 1% noise) and names the three, but not independent ones", () => {
    const x = noise(400, 3);
    const y = noise(400, 4);
    const e = noise(400, 5);
    const s = seriesFromColumns(["a", "x", "y", "sum", "b"], [noise(400, 6), x, y, x.map((v, i) => v + y[i] + 0.01 * e[i]), noise(400, 7)]);
    const c = collinearity(s);
    expect(c.condition!).toBeGreaterThan(COLLINEAR_CONDITION);
    expect([...c.group].sort()).toEqual([1, 2, 3]);
    const independent = collinearity(seriesFromColumns(["a", "b", "c", "d", "e"], [1, 2, 3, 4, 5].map((k) => noise(400, 10 + k))));
    expect(independent.condition!).toBeLessThan(2);
    expect(independent.group).toEqual([]);
    expect(independent.duplicates).toEqual([]);
  });

  it("skips rows with a missing cell, and does not judge κ on fewer than 5 rows per variable", () => {
    const x = noise(200, 8);
    const s = seriesFromColumns(["x", "y", "z"], [x, x.map((v, i) => v + 1e-4 * Math.sin(i)), noise(200, 9)]);
    s.mask = new Uint8Array(600);
    s.mask[3 * 10 + 2] = 1;
    s.data[3 * 10 + 2] = NaN;
    const c = collinearity(s);
    expect(c.group.slice().sort()).toEqual([0, 1]);
    const short = seriesFromColumns(["x", "y", "z"], [x.slice(0, 12), noise(12, 1), noise(12, 2)]);
    expect(collinearity(short).condition).toBeUndefined();
  });
});
