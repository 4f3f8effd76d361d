// @vitest-environment happy-dom
import { cleanup } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { edgesAt } from "../lib/analysis.js";
import { handGraph, handTruth, renderUi } from "../test/render.js";
import { Heatmap } from "./Heatmap.js";

afterEach(cleanup);

function cells(container: HTMLElement): Map<string, { score: number; over: boolean; fill: string | null }> {
  const out = new Map<string, { score: number; over: boolean; fill: string | null }>();
  for (const g of container.querySelectorAll("[data-testid=heat-cell]")) {
    out.set(`${g.getAttribute("data-effect")}|${g.getAttribute("data-cause")}`, {
      score: Number(g.getAttribute("data-score")),
      over: g.getAttribute("data-over") === "1",
      fill: g.querySelector("rect")?.getAttribute("fill") ?? null,
    });
  }
  return out;
}

describe("Heatmap", () => {
  const graph = handGraph();
  const range = { min: 0, max: 0.9 };

  it("shows scores[effect][cause] at the chosen lag, rows effects and columns causes", () => {
    const { container } = renderUi(<Heatmap graph={graph} lag={2} edges={edgesAt(graph, 0.5)} range={range} />);
    const c = cells(container);
    expect(c.size).toBe(9);
    expect(c.get("c|b")?.score).toBe(0.8); // b → c at lag 2
    expect(c.get("b|a")?.score).toBe(0.2); // a → b at lag 2
    expect(c.get("a|c")?.score).toBe(0);
    expect([...c.values()].filter((x) => x.over).map((x) => x.score)).toEqual([0.8]);
    expect(container.querySelector("[data-testid=heatmap]")?.textContent).toContain("hand scores, lag 2");
  });

  it("outlines the method's own edge list at its threshold, even where a score passes that it left out", () => {
    const g = { ...graph, edges: [graph.edges[0]] }; // as if the method had rejected b → c at lag 2
    const { container } = renderUi(<Heatmap graph={g} lag={2} edges={edgesAt(g, g.threshold)} range={range} />);
    expect([...cells(container).values()].filter((x) => x.over)).toEqual([]);
  });

  it("dots the cells of true edges: at their lag, or at any lag in the summary", () => {
    const dotted = (lag: number) => {
      const { container, unmount } = renderUi(<Heatmap graph={graph} lag={lag} edges={[]} range={range} truth={handTruth()} />);
      const keys = [...container.querySelectorAll("[data-testid=heat-cell][data-truth='1']")].map((c) => `${c.getAttribute("data-cause")}>${c.getAttribute("data-effect")}`);
      expect(container.querySelectorAll("[data-testid=heat-cell][data-truth='1'] circle")).toHaveLength(keys.length);
      unmount();
      return keys.sort();
    };
    expect(dotted(1)).toEqual(["a>b", "c>a"]);
    expect(dotted(2)).toEqual(["b>c"]);
    expect(dotted(0)).toEqual(["a>b", "b>c", "c>a"]);
  });

  it("lag 0 is the summary: the max over lags", () => {
    const { container } = renderUi(<Heatmap graph={graph} lag={0} edges={edgesAt(graph, 0.25)} range={range} />);
    const c = cells(container);
    expect(c.get("c|a")?.score).toBe(0.4);
    expect(c.get("b|b")?.score).toBe(0.3);
    expect(c.get("a|a")?.score).toBe(0.05);
    expect([...c.entries()].filter(([, x]) => x.over).map(([k]) => k).sort()).toEqual(["b|a", "b|b", "c|a", "c|b"]);
  });

  it("colours run from the scale's bottom (viridis purple) to its top (yellow)", () => {
    const { container } = renderUi(<Heatmap graph={graph} lag={1} edges={[]} range={range} />);
    const c = cells(container);
    expect(c.get("b|a")?.fill).toBe("rgb(253, 231, 37)"); // 0.9 = max
    expect(c.get("c|c")?.fill).not.toBe(c.get("b|a")?.fill);
    const { container: c2 } = renderUi(<Heatmap graph={graph} lag={2} edges={[]} range={range} />);
    expect(cells(c2).get("a|c")?.fill).toBe("rgb(68, 1, 84)"); // 0 = min
  });
});
