// @vitest-environment happy-dom
import { selectByPvalue, thresholdEdges, type CausalGraph, type GroundTruth } from "@causeway/core";
import { scoreGraph } from "@causeway/metrics";
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { renderUi } from "../test/render.js";
import { trustFixture } from "../test/trust-graph.js";
import { Results, type ResultTab } from "./Results.js";

afterEach(cleanup);

function Harness({ graph, tab: first = "edges", truth = null }: { graph: CausalGraph; tab?: ResultTab; truth?: GroundTruth | null }) {
  const [threshold, setThreshold] = useState(graph.threshold);
  const [tab, setTab] = useState<ResultTab>(first);
  return <Results graph={graph} truth={truth} threshold={threshold} onThreshold={setThreshold} tab={tab} onTab={setTab} />;
}

const rows = () => screen.queryAllByTestId("edge-row").map((r) => `${r.getAttribute("data-cause")}>${r.getAttribute("data-effect")}@${r.getAttribute("data-lag")}`);
const key = (e: { cause: string; effect: string; lag: number }) => `${e.cause}>${e.effect}@${e.lag}`;

describe("the viewer with a graph that has p-values, lag-0 links and stability (20 variables)", () => {
  const { graph, scores, pvalues, contemporaneous } = trustFixture();

  it("starts at the method's selection (q <= .05, fdr_bh) and the alpha control re-selects as core's selectByPvalue", async () => {
    renderUi(<Harness graph={graph} />);
    expect(screen.getByTestId("selection-mode").getAttribute("data-by")).toBe("alpha");
    expect(rows()).toEqual(graph.edges.map(key));
    for (const alpha of [0.001, 0.2, 1e-5]) {
      fireEvent.change(screen.getByTestId("alpha-input"), { target: { value: String(alpha) } });
      const want = selectByPvalue(scores, pvalues, graph.variables, alpha, "fdr_bh", contemporaneous).edges;
      expect(rows()).toEqual(want.map(key));
      expect(screen.getByTestId("edge-count").textContent).toBe(String(want.filter((e) => e.lag > 0).length));
    }
    // The correction: Bonferroni at 1e-5.
    fireEvent.click(screen.getByTestId("correction-select"));
    fireEvent.click(await screen.findByRole("option", { name: "bonferroni" }));
    expect(rows()).toEqual(selectByPvalue(scores, pvalues, graph.variables, 1e-5, "bonferroni", contemporaneous).edges.map(key));
    // The score slider's exact input switches to selection by score; reset goes back to the method's.
    fireEvent.change(screen.getByTestId("threshold-input"), { target: { value: "4" } });
    expect(screen.getByTestId("selection-mode").getAttribute("data-by")).toBe("score");
    // Lagged edges scoring >= 4 (core's thresholdEdges), and the method's lag-0 links (score 5).
    expect(rows().filter((r) => r.endsWith("@0")).sort()).toEqual(["x0>x5@0", "x2>x7@0", "x4>x9@0"]);
    expect(rows().filter((r) => !r.endsWith("@0"))).toEqual(thresholdEdges(scores, graph.variables, 4).map(key));
    expect(screen.queryAllByTestId("edge-row").every((r) => Number(r.getAttribute("data-score")) >= 4)).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "reset" }));
    expect(screen.getByTestId("selection-mode").getAttribute("data-by")).toBe("alpha");
    expect(rows()).toEqual(graph.edges.map(key));
  });

  it("the edge table shows p, q (adjusted) and stability, and the orientation of lag-0 links", () => {
    renderUi(<Harness graph={graph} />);
    const headers = within(screen.getByTestId("edge-list")).getAllByRole("columnheader").map((h) => h.textContent);
    expect(headers).toEqual(["#", "cause", "effect", "lag", "score", "p", "q (adjusted)", "stability", "lag 0"]);
    const undirected = screen.getAllByTestId("edge-row").find((r) => r.getAttribute("data-cause") === "x2" && r.getAttribute("data-lag") === "0")!;
    expect(undirected.getAttribute("data-orientation")).toBe("undirected");
    expect(undirected.lastElementChild?.textContent).toBe("undirected");
    const first = graph.edges.find((e) => e.lag > 0)!;
    const row = screen.getAllByTestId("edge-row").find((r) => r.getAttribute("data-cause") === first.cause && r.getAttribute("data-effect") === first.effect && r.getAttribute("data-lag") === String(first.lag))!;
    expect(Number(row.getAttribute("data-pvalue"))).toBe(first.pvalue);
    expect(Number(row.getAttribute("data-qvalue"))).toBe(first.qvalue);
    expect(Number(row.getAttribute("data-stability"))).toBe(0.9);
  });

  it("the graph tab offers colour by p-value and stability, and filters by focus", async () => {
    renderUi(<Harness graph={graph} tab="graph" />);
    fireEvent.click(screen.getByTestId("color-by"));
    const options = await screen.findAllByRole("option");
    expect(options.map((o) => o.textContent)).toEqual(["score", "p-value", "stability"]);
    fireEvent.click(options[1]);
    expect(screen.getByTestId("graph-view").getAttribute("data-color-by")).toBe("pvalue");
    // Clicking a node focuses on its edges; clicking it again shows all.
    const all = screen.getAllByTestId("graph-edge").length;
    fireEvent.click(screen.getAllByTestId("graph-node").find((n) => n.getAttribute("data-variable") === "x3")!);
    const focused = screen.getAllByTestId("graph-edge").map((g) => [g.getAttribute("data-cause"), g.getAttribute("data-effect")]);
    expect(focused.length).toBeGreaterThan(0);
    expect(focused.length).toBeLessThan(all);
    expect(focused.every((pair) => pair.includes("x3"))).toBe(true);
    fireEvent.click(screen.getAllByTestId("graph-node").find((n) => n.getAttribute("data-variable") === "x3")!);
    expect(screen.getAllByTestId("graph-edge")).toHaveLength(all);
    // The time-series graph.
    fireEvent.click(within(screen.getByTestId("graph-kind")).getByText("time series graph"));
    expect(screen.getAllByTestId("ts-node")).toHaveLength(20 * 4);
  });

  it("zoom buttons scale the graph's content", () => {
    renderUi(<Harness graph={graph} tab="graph" />);
    const transform = () => screen.getByTestId("graph-viewport").getAttribute("transform");
    expect(transform()).toBe("translate(0 0) scale(1)");
    fireEvent.click(screen.getByTestId("zoom-in"));
    expect(transform()).toMatch(/scale\(1\.25\)$/);
    fireEvent.click(screen.getByTestId("zoom-fit"));
    expect(transform()).toBe("translate(0 0) scale(1)");
  });

  it("the ROC tab scores the lagged edges (lag-0 links are not scored, as formats.md says)", () => {
    const truth: GroundTruth = {
      variables: graph.variables,
      maxLag: 3,
      edges: graph.variables.slice(1).map((effect, i) => ({ cause: graph.variables[i], effect, lag: 1 + (i % 3) })),
      summaryOnly: false,
    };
    renderUi(<Harness graph={graph} truth={truth} tab="roc" />);
    expect(screen.queryByRole("alert")).toBeNull();
    const want = scoreGraph(truth, { ...graph, edges: graph.edges.filter((e) => e.lag > 0) });
    expect(document.querySelector('[data-metric="SHD lagged"]')?.textContent).toBe(String(want.shd));
    expect(Number(screen.getByTestId("roc-curve").getAttribute("data-auc"))).toBeCloseTo(want.aurocLagged!, 12);
  });
});
