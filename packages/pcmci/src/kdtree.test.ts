import { Rng } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { KdTree } from "./kdtree.js";

/** d columns of n points: continuous, or integer grid values with many ties. */
function points(n: number, d: number, seed: number, grid = 0): Float64Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: d }, () => Float64Array.from({ length: n }, () => (grid > 0 ? rng.int(grid) : rng.normal())));
}

function dist(cols: Float64Array[], i: number, j: number): number {
  let m = 0;
  for (const c of cols) m = Math.max(m, Math.abs(c[i] - c[j]));
  return m;
}

describe("KdTree (max-norm)", () => {
  for (const [n, d, grid] of [[300, 1, 0], [400, 3, 0], [257, 5, 0], [300, 2, 6], [200, 3, 4]] as const) {
    it(`equals brute force: n=${n}, d=${d}${grid ? `, integer grid ${grid} (ties)` : ""}`, () => {
      const cols = points(n, d, 7 + n + d, grid);
      const tree = new KdTree(cols);
      const rng = new Rng(3);
      for (const k of [1, 2, 5, Math.floor(n / 5), n]) {
        // k-th nearest distance counting the point itself
        const eps = new Float64Array(n);
        tree.kthDistances(k, eps);
        const all = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) all[j] = dist(cols, i, j);
          const sorted = Float64Array.from(all).sort();
          expect(eps[i]).toBe(sorted[k - 1]);
        }
      }
      // strict-radius counts at each point's own radius (some radii equal a neighbour distance exactly)
      const radius = new Float64Array(n);
      for (let i = 0; i < n; i++) radius[i] = rng.bernoulli(0.5) ? dist(cols, i, rng.int(n)) : rng.range(0, 2);
      const counts = new Float64Array(n);
      tree.countAll(radius, counts);
      for (let i = 0; i < n; i++) {
        let c = 0;
        for (let j = 0; j < n; j++) if (dist(cols, i, j) < radius[i]) c++;
        expect(counts[i]).toBe(c);
      }
      // nearest indices: sorted by (distance, index)
      const k = 5;
      const nn = tree.nearestAll(k);
      for (let i = 0; i < n; i++) {
        const want = Array.from({ length: n }, (_, j) => j)
          .sort((a, b) => dist(cols, i, a) - dist(cols, i, b) || a - b)
          .slice(0, k);
        expect(Array.from(nn.subarray(i * k, i * k + k))).toEqual(want);
      }
    });
  }

  it("rejects bad k and ragged columns", () => {
    const tree = new KdTree(points(10, 2, 1));
    expect(() => tree.kthDistances(0, new Float64Array(10))).toThrow(RangeError);
    expect(() => tree.kthDistances(11, new Float64Array(10))).toThrow(RangeError);
    expect(() => new KdTree([new Float64Array(3), new Float64Array(4)])).toThrow(RangeError);
  });
});
