// @vitest-environment happy-dom
import { cleanup } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { edgesAt } from "../lib/analysis.js";
import { handGraph, handTruth, renderUi } from "../test/render.js";
import { trustFixture } from "../test/trust-graph.js";
import { Heatmap, heatmapOrder } from "./Heatmap.js";

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

describe("Heatmap with the trust fields", () => {
  const { graph } = trustFixture();
  const range = { min: 0, max: 10 };
  const cells = (c: HTMLElement) => [...c.querySelectorAll("[data-testid=heat-cell]")];

  it("hatches the lags beyond meta.reach as not evidence, and only those", () => {
    for (const lag of [2, 3]) {
      const { container, unmount } = renderUi(<Heatmap graph={graph} lag={lag} edges={graph.edges} range={range} />);
      const marked = cells(container).filter((c) => c.getAttribute("data-not-evidence") === "1").length;
      expect(marked).toBe(lag > 2 ? 400 : 0);
      if (lag > 2) {
        expect(container.querySelector("[data-testid=heat-cell] rect")?.getAttribute("fill")).toBe("url(#not-evidence)");
        expect(container.textContent).toContain("beyond what ptest can score (lag 2): not evidence");
      }
      unmount();
    }
  });

  it("shows p-values (summary: the smallest over lags) and stability", () => {
    const { container, unmount } = renderUi(<Heatmap graph={graph} lag={0} edges={graph.edges} range={range} value="pvalue" />);
    const c = cells(container).find((x) => x.getAttribute("data-effect") === "x4" && x.getAttribute("data-cause") === "x3")!;
    expect(Number(c.getAttribute("data-value"))).toBe(Math.min(...graph.pvalues![4][3]));
    expect(Number(c.getAttribute("data-score"))).toBe(Math.max(...graph.scores[4][3]));
    unmount();
    const s = renderUi(<Heatmap graph={graph} lag={1} edges={graph.edges} range={range} value="stability" />);
    expect(cells(s.container).filter((x) => x.getAttribute("data-value") === "0.9").length).toBe(graph.stability!.flat().filter((cell) => cell[0] === 0.9).length);
  });

  it("the lag-0 view shows the contemporaneous scores and outlines the lag-0 links", () => {
    const { container } = renderUi(<Heatmap graph={graph} lag="lag0" edges={graph.edges} range={range} />);
    const over = cells(container).filter((c) => c.getAttribute("data-over") === "1").map((c) => `${c.getAttribute("data-cause")}>${c.getAttribute("data-effect")}`);
    expect(over.sort()).toEqual(["x0>x5", "x2>x7", "x4>x9"]);
    expect(cells(container).find((c) => c.getAttribute("data-cause") === "x7" && c.getAttribute("data-effect") === "x2")?.getAttribute("data-score")).toBe("5");
  });

  it("orders rows and columns by name (numeric-aware) or drivers first", () => {
    const g = { ...graph, variables: ["x10", "x2", "x1", ...graph.variables.slice(3)] };
    expect(heatmapOrder(g, "name").slice(0, 3).map((i) => g.variables[i])).toEqual(["x1", "x2", "x3"]);
    const { container } = renderUi(<Heatmap graph={g} lag={1} edges={[]} range={range} order={heatmapOrder(g, "name")} />);
    expect(cells(container).slice(0, 3).map((c) => c.getAttribute("data-cause"))).toEqual(["x1", "x2", "x3"]);
    const drivers = heatmapOrder(graph, "driver");
    const out = (c: number) => graph.variables.reduce((s, _, e) => s + (e === c ? 0 : Math.max(...graph.scores[e][c])), 0);
    for (let i = 1; i < drivers.length; i++) expect(out(drivers[i - 1])).toBeGreaterThanOrEqual(out(drivers[i]));
  });
});
