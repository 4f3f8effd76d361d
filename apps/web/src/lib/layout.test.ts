import { describe, expect, it } from "vitest";
import { forceLayout, timeGrid } from "./layout.js";

/** The smallest distance between two of the points. */
function minDistance(points: { x: number; y: number }[]): number {
  let d = Infinity;
  for (let i = 0; i < points.length; i++) for (let j = i + 1; j < points.length; j++) d = Math.min(d, Math.hypot(points[i].x - points[j].x, points[i].y - points[j].y));
  return d;
}

describe("forceLayout", () => {
  const box = { width: 960, height: 760, margin: 60, top: 28 };

  for (const V of [20, 50]) {
    it(`places ${V} variables apart (two radii at least) and inside the box, the same way every time`, () => {
      const vars = Array.from({ length: V }, (_, i) => `v${i}`);
      // A chain, a hub and some cross links: the shapes causal graphs take.
      const links = [...vars.slice(1).map((v, i) => ({ cause: vars[i], effect: v })), ...vars.slice(2, 12).map((v) => ({ cause: vars[0], effect: v })), { cause: vars[5], effect: vars[5] }];
      const pos = forceLayout(vars, links, box, 16);
      const points = vars.map((v) => pos.get(v)!);
      expect(points.every(Boolean)).toBe(true);
      expect(minDistance(points)).toBeGreaterThan(2 * 16);
      for (const p of points) {
        expect(p.x).toBeGreaterThanOrEqual(box.margin - 1e-9);
        expect(p.x).toBeLessThanOrEqual(box.width - box.margin + 1e-9);
        expect(p.y).toBeGreaterThanOrEqual(box.top + box.margin - 1e-9);
        expect(p.y).toBeLessThanOrEqual(box.height - box.margin + 1e-9);
      }
      expect(forceLayout(vars, links, box, 16)).toEqual(pos);
    });
  }

  it("pulls linked variables closer than unlinked ones", () => {
    const vars = Array.from({ length: 12 }, (_, i) => `v${i}`);
    const pos = forceLayout(vars, [{ cause: "v0", effect: "v1" }, { cause: "v1", effect: "v2" }], box, 16);
    const d = (a: string, b: string) => Math.hypot(pos.get(a)!.x - pos.get(b)!.x, pos.get(a)!.y - pos.get(b)!.y);
    const unlinked = vars.slice(3).map((v) => d("v0", v));
    expect(d("v0", "v1")).toBeLessThan(Math.min(...unlinked));
  });

  it("one variable sits in the middle of the box", () => {
    expect(forceLayout(["a"], [], { width: 200, height: 100, margin: 10 }, 10).get("a")).toEqual({ x: 100, y: 50 });
  });
});

describe("timeGrid", () => {
  it("puts t on the right, t - maxLag on the left, one row per variable", () => {
    const g = timeGrid(["a", "b", "c"], 2, { left: 10, top: 20, dx: 100, dy: 30, right: 5, bottom: 7 });
    expect(g.at("a", 0)).toEqual({ x: 210, y: 20 });
    expect(g.at("c", 2)).toEqual({ x: 10, y: 80 });
    expect([g.width, g.height]).toEqual([215, 87]);
    expect(() => g.at("z", 0)).toThrow(/no variable "z"/);
  });
});
