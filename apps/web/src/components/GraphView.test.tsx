// @vitest-environment happy-dom
import { cleanup } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { arrowsOf } from "../lib/graph-model.js";
import { handGraph, handTruth, renderUi } from "../test/render.js";
import { trustGraph, V20 } from "../test/trust-graph.js";
import { graphSize, GraphView } from "./GraphView.js";
import { TimeSeriesGraph } from "./TimeSeriesGraph.js";

afterEach(cleanup);

const arrowKeys = (c: HTMLElement, id = "graph-edge") => [...c.querySelectorAll(`[data-testid=${id}]`)].map((g) => `${g.getAttribute("data-cause")}>${g.getAttribute("data-effect")}`).sort();

describe("GraphView at 20 variables", () => {
  const graph = trustGraph();
  const { W, H, R } = graphSize(20);

  it("gives every node its own place inside the figure, two radii apart at least", () => {
    const { container } = renderUi(<GraphView variables={V20} edges={graph.edges} title="t" />);
    const nodes = [...container.querySelectorAll("[data-testid=graph-node]")].map((n) => ({ v: n.getAttribute("data-variable"), x: Number(n.getAttribute("data-x")), y: Number(n.getAttribute("data-y")) }));
    expect(nodes.map((n) => n.v)).toEqual(V20);
    for (const n of nodes) {
      expect(n.x - R).toBeGreaterThanOrEqual(0);
      expect(n.x + R).toBeLessThanOrEqual(W);
      expect(n.y - R).toBeGreaterThanOrEqual(40); // below the title and legend
      expect(n.y + R).toBeLessThanOrEqual(H);
    }
    for (let i = 0; i < nodes.length; i++)
      for (let j = i + 1; j < nodes.length; j++) expect(Math.hypot(nodes[i].x - nodes[j].x, nodes[i].y - nodes[j].y)).toBeGreaterThan(2 * R);
  });

  it("draws one arrow per lagged pair and each lag-0 link, with its lags", () => {
    const { container } = renderUi(<GraphView variables={V20} edges={graph.edges} title="t" />);
    const pairs = new Set(graph.edges.filter((e) => e.lag > 0).map((e) => `${e.cause}>${e.effect}`));
    expect(arrowKeys(container)).toEqual([...pairs].sort());
    expect(arrowKeys(container, "graph-link0")).toEqual(["x0>x5", "x2>x7", "x4>x9"]);
    const x3x4 = container.querySelector("[data-testid=graph-edge][data-cause=x3][data-effect=x4]");
    expect(x3x4?.getAttribute("data-lags")).toBe("1"); // x3 -> x4 planted at lag 1 + 3 % 3
  });

  it("lag-0 links: directed with an arrowhead, undirected without, conflict marked", () => {
    const { container } = renderUi(<GraphView variables={V20} edges={graph.edges} title="t" />);
    const link = (cause: string) => container.querySelector(`[data-testid=graph-link0][data-cause=${cause}]`)!;
    expect(link("x0").getAttribute("data-orientation")).toBe("directed");
    expect(link("x0").querySelectorAll("[data-testid=arrowhead]")).toHaveLength(1);
    expect(link("x2").getAttribute("data-orientation")).toBe("undirected");
    expect(link("x2").querySelectorAll("[data-testid=arrowhead]")).toHaveLength(0);
    expect(link("x4").getAttribute("data-orientation")).toBe("conflict");
    expect(link("x4").querySelectorAll("[data-testid=arrowhead]")).toHaveLength(0);
    expect(link("x4").querySelector("[data-testid=conflict-mark]")?.textContent).toBe("×");
    // Every lagged arrow has its head.
    expect([...container.querySelectorAll("[data-testid=graph-edge]")].every((g) => g.querySelectorAll("[data-testid=arrowhead]").length === 1)).toBe(true);
  });

  it("hide self-loops removes exactly the self-loops; focus keeps the edges into or out of one variable", () => {
    const all = renderUi(<GraphView variables={V20} edges={graph.edges} title="t" />);
    const every = arrowKeys(all.container);
    all.unmount();
    const noSelf = renderUi(<GraphView variables={V20} edges={graph.edges} title="t" filters={{ focus: null, hideSelfLoops: true }} />);
    expect(arrowKeys(noSelf.container)).toEqual(every.filter((k) => k.split(">")[0] !== k.split(">")[1]));
    expect(every.length - arrowKeys(noSelf.container).length).toBe(new Set(graph.edges.filter((e) => e.lag > 0 && e.cause === e.effect).map((e) => e.cause)).size);
    noSelf.unmount();
    const focus = renderUi(<GraphView variables={V20} edges={graph.edges} title="t" filters={{ focus: "x4", hideSelfLoops: false }} />);
    expect(arrowKeys(focus.container)).toEqual(every.filter((k) => k.split(">").includes("x4")));
    expect(arrowKeys(focus.container, "graph-link0")).toEqual(["x4>x9"]);
  });

  it("the layout stays put when the selection changes (it follows layoutEdges)", () => {
    const where = (c: HTMLElement) => [...c.querySelectorAll("[data-testid=graph-node]")].map((n) => `${n.getAttribute("data-x")},${n.getAttribute("data-y")}`);
    const a = renderUi(<GraphView variables={V20} edges={graph.edges} layoutEdges={graph.edges} title="t" />);
    const before = where(a.container);
    a.unmount();
    const b = renderUi(<GraphView variables={V20} edges={graph.edges.slice(0, 4)} layoutEdges={graph.edges} title="t" />);
    expect(where(b.container)).toEqual(before);
  });

  it("colour by p-value darkens with smaller q; width follows stability", () => {
    const { container } = renderUi(<GraphView variables={V20} edges={graph.edges} title="t" colorBy="pvalue" widthByStability />);
    const arrows = arrowsOf(graph.edges).filter((a) => !a.orientation);
    const darkness = (cause: string, effect: string) => {
      const m = container.querySelector(`[data-testid=graph-edge][data-cause=${cause}][data-effect=${effect}]`)!.getAttribute("data-color")!.match(/\d+/g)!.map(Number);
      return -(m[0] + m[1] + m[2]);
    };
    const byQ = [...arrows].sort((a, b) => a.qvalue! - b.qvalue!);
    const first = byQ[0];
    const last = byQ[byQ.length - 1];
    expect(first.qvalue!).toBeLessThan(last.qvalue!);
    expect(darkness(first.cause, first.effect)).toBeGreaterThan(darkness(last.cause, last.effect));
    for (const a of arrows) {
      const g = container.querySelector(`[data-testid=graph-edge][data-cause=${a.cause}][data-effect=${a.effect}]`)!;
      expect(Number(g.getAttribute("data-width"))).toBeCloseTo(1 + 5 * a.stability!, 3);
    }
  });

  it("with a truth: true arrows green, others red, missed true edges dashed", () => {
    const { container } = renderUi(<GraphView variables={["a", "b", "c"]} edges={handGraph().edges} truth={handTruth()} title="t" />);
    expect([...container.querySelectorAll("[data-testid=graph-edge]")].map((g) => g.getAttribute("data-color"))).toEqual(["#2f9e44", "#2f9e44"]);
    expect(arrowKeys(container, "graph-missed")).toEqual(["c>a"]);
  });
});

describe("TimeSeriesGraph", () => {
  const graph = trustGraph();

  it("a node per variable and time step; each edge drawn into every window it fits, lag 0 within a column", () => {
    const { container } = renderUi(<TimeSeriesGraph variables={V20} maxLag={3} edges={graph.edges} title="t" />);
    expect(container.querySelectorAll("[data-testid=ts-node]")).toHaveLength(20 * 4);
    const links = [...container.querySelectorAll("[data-testid=ts-link]")];
    expect(links).toHaveLength(graph.edges.reduce((n, e) => n + (3 - e.lag + 1), 0));
    for (const l of links) expect(Number(l.getAttribute("data-from")) - Number(l.getAttribute("data-to"))).toBe(Number(l.getAttribute("data-lag")));
    const heads = (cause: string) => links.filter((l) => l.getAttribute("data-lag") === "0" && l.getAttribute("data-cause") === cause).map((l) => l.getAttribute("data-head"));
    expect(heads("x0")).toEqual(["1", "1", "1", "1"]);
    expect(heads("x2")).toEqual(["0", "0", "0", "0"]);
  });

  it("the focus filter keeps the edges of one variable", () => {
    const { container } = renderUi(<TimeSeriesGraph variables={V20} maxLag={3} edges={graph.edges} title="t" filters={{ focus: "x7", hideSelfLoops: true }} />);
    const links = [...container.querySelectorAll("[data-testid=ts-link]")];
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) {
      expect([l.getAttribute("data-cause"), l.getAttribute("data-effect")]).toContain("x7");
      expect(l.getAttribute("data-cause")).not.toBe(l.getAttribute("data-effect"));
    }
  });
});
