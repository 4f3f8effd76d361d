// @vitest-environment happy-dom
import type { CausalGraph, GroundTruth } from "@causeway/core";
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { handGraph, handTruth, renderUi } from "../test/render.js";
import { Results, type ResultTab } from "./Results.js";

afterEach(cleanup);

/** Results with its state held as the App holds it. */
function Harness({ graph, truth, tab: first = "heatmap" }: { graph: CausalGraph; truth: GroundTruth | null; tab?: ResultTab }) {
  const [threshold, setThreshold] = useState(graph.threshold);
  const [tab, setTab] = useState<ResultTab>(first);
  return <Results graph={graph} truth={truth} threshold={threshold} onThreshold={setThreshold} tab={tab} onTab={setTab} />;
}

const rows = () =>
  screen.queryAllByTestId("edge-row").map((r) => `${r.getAttribute("data-cause")}>${r.getAttribute("data-effect")}@${r.getAttribute("data-lag")}`);

function setThreshold(value: string): void {
  fireEvent.change(screen.getByTestId("threshold-input"), { target: { value } });
}

describe("Results", () => {
  it("the edge list follows the threshold", () => {
    renderUi(<Harness graph={handGraph()} truth={null} tab="edges" />);
    expect(rows()).toEqual(["a>b@1", "b>c@2"]);
    expect(screen.getByTestId("threshold-value").textContent).toBe("0.5000");
    setThreshold("0.25");
    expect(screen.getByTestId("threshold-value").textContent).toBe("0.2500");
    expect(rows()).toEqual(["a>b@1", "b>c@2", "a>c@1", "b>b@1"]);
    expect(screen.getByTestId("edge-count").textContent).toBe("4");
    setThreshold("0.95");
    expect(rows()).toEqual([]);
    expect(screen.getByTestId("edge-list-empty")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "reset" }));
    expect(rows()).toEqual(["a>b@1", "b>c@2"]);
  });

  it("shows the graph's warnings, one line each with its code, and nothing when there are none", () => {
    const warned: CausalGraph = {
      ...handGraph(),
      warnings: [
        { code: "short_series", message: "T=40 rows for 3 variables x 2 lags: fewer than 10 samples per parameter", variables: [] },
        { code: "near_constant", message: "c is constant; its scores are 0", variables: ["c"] },
      ],
    };
    renderUi(<Harness graph={warned} truth={null} />);
    expect(screen.getByTestId("warnings").textContent).toContain("2 warnings");
    expect(screen.getAllByTestId("warning").map((w) => [w.getAttribute("data-code"), w.textContent])).toEqual([
      ["short_series", "short_series: T=40 rows for 3 variables x 2 lags: fewer than 10 samples per parameter"],
      ["near_constant", "near_constant: c is constant; its scores are 0"],
    ]);
    cleanup();
    renderUi(<Harness graph={{ ...handGraph(), warnings: [] }} truth={null} />);
    expect(screen.queryByTestId("warnings")).toBeNull();
  });

  it("the lag selector switches the heatmap's lag; the outlined cells follow the threshold", () => {
    renderUi(<Harness graph={handGraph()} truth={null} />);
    const over = () => [...document.querySelectorAll("[data-testid=heat-cell][data-over='1']")].map((c) => `${c.getAttribute("data-cause")}>${c.getAttribute("data-effect")}`);
    expect(screen.getByTestId("heatmap").getAttribute("data-lag")).toBe("1");
    expect(over()).toEqual(["a>b"]);
    fireEvent.click(within(screen.getByTestId("lag-selector")).getByText("lag 2"));
    expect(screen.getByTestId("heatmap").getAttribute("data-lag")).toBe("2");
    expect(over()).toEqual(["b>c"]);
    setThreshold("0.15");
    expect(over().sort()).toEqual(["a>b", "a>c", "b>c"]);
    fireEvent.click(within(screen.getByTestId("lag-selector")).getByText("max over lags"));
    expect(screen.getByTestId("heatmap").getAttribute("data-lag")).toBe("0");
  });

  it("the graph view draws one arrow per pair, labelled with its lags", () => {
    renderUi(<Harness graph={handGraph()} truth={handTruth()} tab="graph" />);
    setThreshold("0.15");
    const arrows = screen.getAllByTestId("graph-edge").map((g) => `${g.getAttribute("data-cause")}>${g.getAttribute("data-effect")}:${g.getAttribute("data-lags")}`);
    // a → b passes at lags 1 (0.9) and 2 (0.2), a → c at 1 (0.4) and 2 (0.15); b → b at lag 1 only (0.3).
    expect(arrows.sort()).toEqual(["a>b:1,2", "a>c:1,2", "b>b:1", "b>c:2"]);
    expect(screen.getAllByTestId("graph-node")).toHaveLength(3);
  });

  it("ROC and metrics against hand-computed values", () => {
    renderUi(<Harness graph={handGraph()} truth={handTruth()} tab="roc" />);
    const auc = Number(screen.getByTestId("roc-curve").getAttribute("data-auc"));
    expect(auc).toBeCloseTo(40 / 45, 12);
    const metric = (name: string) => document.querySelector(`[data-metric="${name}"]`)?.textContent;
    expect(metric("AUROC lagged")).toBe((40 / 45).toFixed(3));
    expect(metric("AUROC summary")).toBe((16 / 18).toFixed(3));
    // At 0.5: a → b and b → c found, c → a missed: precision 1, recall 2/3, F1 0.8, SHD 1.
    expect(metric("precision / recall / F1 (lagged)")).toBe("1.000 / 0.667 / 0.800");
    expect(metric("SHD lagged")).toBe("1");
    setThreshold("0.05");
    // Now 13 of the 18 scores pass (≥ 0.05): the 3 true edges and 10 false ones: precision 3/13,
    // recall 1, F1 = 2 · (3/13) / (1 + 3/13) = 6/16, SHD 10.
    expect(metric("precision / recall / F1 (lagged)")).toBe(`${(3 / 13).toFixed(3)} / 1.000 / ${(6 / 16).toFixed(3)}`);
    expect(metric("SHD lagged")).toBe("10");
  });

  it("the ROC tab is off without a truth", () => {
    renderUi(<Harness graph={handGraph()} truth={null} />);
    expect(screen.getByTestId("tab-roc").hasAttribute("disabled") || screen.getByTestId("tab-roc").getAttribute("data-disabled") === "true").toBe(true);
  });

  it("a truth naming other variables gives a clear error in the ROC tab", () => {
    renderUi(<Harness graph={handGraph()} truth={{ ...handTruth(), variables: ["a", "b", "z"], edges: [] }} tab="roc" />);
    expect(screen.getByRole("alert").textContent).toMatch(/no variable "z"/);
  });

  it("exports the graph JSON at the chosen threshold", async () => {
    const saved: { name: string; blob: Blob }[] = [];
    vi.spyOn(URL, "createObjectURL").mockImplementation(() => "blob:test");
    vi.spyOn(URL, "revokeObjectURL").mockImplementation(() => undefined);
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, blob: (URL.createObjectURL as unknown as { mock: { calls: [Blob][] } }).mock.calls.at(-1)![0] });
    });
    renderUi(<Harness graph={handGraph()} truth={null} />);
    setThreshold("0.25");
    fireEvent.click(screen.getByTestId("export"));
    fireEvent.click(await screen.findByTestId("export-json"));
    expect(saved.map((s) => s.name)).toEqual(["hand-graph.json"]);
    const json = JSON.parse(await saved[0].blob.text()) as CausalGraph;
    expect(json.format).toBe("causeway.graph/v1");
    expect(json.threshold).toBe(0.25);
    expect(json.edges).toHaveLength(4);
    expect(json.scores).toEqual(handGraph().scores);
    click.mockRestore();
    vi.restoreAllMocks();
  });
});
