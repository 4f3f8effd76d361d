import { describe, expect, it } from "vitest";
import { svgToPng } from "./png.js";
import { REPORT_SECTIONS, toReport } from "./report.js";
import { toSvg } from "./svg.js";
import { parseXml, sampleGraph } from "./test-fixtures.js";
import { toDot, toGraphml, toMermaid } from "./text.js";

const graph = sampleGraph();
const idOf = (v: string) => graph.variables.indexOf(v);

describe("text exports", () => {
  it("DOT has every node and every edge with its lag, lag-0 unoriented links without direction", () => {
    const dot = toDot(graph);
    expect(dot).toMatch(/^digraph causeway \{\n[\s\S]*\}\n$/);
    const unquote = (s: string) => s.slice(1, -1).replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    const edges = [...dot.matchAll(/^ {2}("(?:[^"\\]|\\.)*") -> ("(?:[^"\\]|\\.)*") \[(.*)\];$/gm)].map((m) => ({ cause: unquote(m[1]), effect: unquote(m[2]), attrs: m[3] }));
    expect(edges).toHaveLength(graph.edges.length);
    for (const e of graph.edges) {
      const d = edges.find((x) => x.cause === e.cause && x.effect === e.effect && x.attrs.includes(`lag=${e.lag},`));
      expect(d, `${e.cause} -> ${e.effect} lag ${e.lag}`).toBeDefined();
      expect(d!.attrs).toContain(e.lag === 0 && e.orientation === "undirected" ? "dir=none" : `label="lag ${e.lag}"`);
      if (e.pvalue !== undefined) expect(d!.attrs).toContain(`pvalue="${e.pvalue.toExponential(2)}"`);
    }
    expect(edges.filter((x) => x.attrs.includes("dir=none"))).toHaveLength(1);
    // every attribute value is a DOT ID: a quoted string or a plain number (4.21e-38 is not one)
    for (const x of edges) for (const [, v] of x.attrs.matchAll(/\w+=("(?:[^"\\]|\\.)*"|[^,\s]+)/g)) expect(v).toMatch(/^("[\s\S]*"|-?\d+(\.\d+)?|[a-z]+)$/);
  });

  it("hides self-loops when asked", () => {
    expect(toDot(graph, false)).not.toContain('"c" -> "c"');
    expect(toDot(graph)).toContain('"c" -> "c"');
  });

  it("Mermaid: one node line per variable, one edge line per edge, --- for an unoriented link", () => {
    const lines = toMermaid(graph).trimEnd().split("\n");
    expect(lines[0]).toBe("flowchart LR");
    const nodes = lines.filter((l) => /^ {2}n\d+\["/.test(l));
    expect(nodes).toEqual(graph.variables.map((v, i) => `  n${i}["${v}"]`));
    const edges = lines.slice(1 + nodes.length).map((l) => l.match(/^ {2}n(\d+) (-->|---)\|"([^"]*)"\| n(\d+)$/));
    expect(edges.every(Boolean)).toBe(true);
    expect(edges).toHaveLength(graph.edges.length);
    graph.edges.forEach((e, i) => {
      const [, c, arrow, label, ef] = edges[i]!;
      expect([Number(c), Number(ef)]).toEqual([idOf(e.cause), idOf(e.effect)]);
      expect(arrow).toBe(e.orientation === "undirected" ? "---" : "-->");
      expect(label.startsWith(`lag ${e.lag}`)).toBe(true);
    });
  });

  it("GraphML is well-formed XML with every node and edge and their attributes", () => {
    const els = parseXml(toGraphml(graph));
    expect(els[0].name).toBe("graphml");
    const keys = new Map(els.filter((x) => x.name === "key").map((k) => [k.attrs.id, k.attrs["attr.type"]]));
    expect(keys.get("lag")).toBe("int");
    expect(keys.get("pvalue")).toBe("double");
    const nodes = els.filter((x) => x.name === "node");
    expect(nodes.map((n) => n.attrs.id)).toEqual(["n0", "n1", "n2"]);
    const names = els.filter((x) => x.name === "data" && x.attrs.key === "name").map((d) => d.text);
    expect(names).toEqual(["a", "b &lt;c&amp;d&gt;", "c"]); // escaped in the file
    const edgeIdx = els.flatMap((x, i) => (x.name === "edge" ? [i] : []));
    expect(edgeIdx).toHaveLength(graph.edges.length);
    graph.edges.forEach((e, k) => {
      const el = els[edgeIdx[k]];
      expect([el.attrs.source, el.attrs.target]).toEqual([`n${idOf(e.cause)}`, `n${idOf(e.effect)}`]);
      const data = Object.fromEntries(els.slice(edgeIdx[k] + 1, (edgeIdx[k + 1] ?? els.length)).filter((d) => d.name === "data").map((d) => [d.attrs.key, d.text]));
      expect(Number(data.lag)).toBe(e.lag);
      expect(Number(data.score)).toBe(e.score);
      if (e.stability !== undefined) expect(Number(data.stability)).toBe(e.stability);
      expect(el.attrs.directed).toBe(e.orientation === "undirected" ? "false" : undefined);
    });
  });
});

describe("svg and png", () => {
  it("SVG is well-formed, draws every variable and one arrow per (cause, effect), font embedded", () => {
    const svg = toSvg(graph);
    const els = parseXml(svg);
    expect(els[0].name).toBe("svg");
    const nodes = els.filter((x) => x.name === "g" && x.attrs.class === "node").map((x) => x.attrs["data-variable"]);
    expect(nodes).toEqual(["a", "b &lt;c&amp;d&gt;", "c"]);
    // a -> b at lags 1 and 2 is one arrow labelled "lag 1,2"; the self-loop, b -> c, a - c, b -> a
    expect(els.filter((x) => x.name === "g" && x.attrs.class === "edge")).toHaveLength(5);
    expect(svg).toContain(">lag 1,2</text>");
    expect(svg).toContain(">lag 0 (undirected)</text>");
    expect(svg).toMatch(/@font-face\{font-family:"DejaVu Sans";font-weight:400;src:url\(data:font\/woff2;base64,[A-Za-z0-9+/=]{1000,}\)/);
    expect(toSvg(graph, { showSelf: false }).match(/class="edge"/g)).toHaveLength(4);
  });

  it("PNG: a valid image twice the SVG's size", async () => {
    const svg = toSvg(graph, { embedFont: false });
    const png = await svgToPng(svg, 2);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    const width = Number(svg.match(/width="([\d.]+)"/)![1]);
    expect(view.getUint32(16)).toBe(Math.round(2 * width)); // IHDR width
    expect(png.length).toBeGreaterThan(5000); // drawn, not blank
  });
});

describe("report", () => {
  it("has every section, every edge with p, q and stability, the warnings and the run parameters, and no URL", () => {
    const html = toReport(graph);
    for (const id of REPORT_SECTIONS) expect(html).toContain(`<section id="${id}">`);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/);
    expect(html).not.toMatch(/url\((?!data:|#)/); // fonts inline, markers by fragment
    const edgeRows = [...html.slice(html.indexOf('<section id="edges">')).matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td><td class="n">(\d+)<\/td>(.*?)<\/tr>/g)];
    expect(edgeRows).toHaveLength(graph.edges.length);
    expect(edgeRows[0].slice(1, 4)).toEqual(["a", "b &lt;c&amp;d&gt;", "1"]);
    expect(edgeRows[0][4]).toBe('<td class="n">9.5</td><td class="n">1.00e-12</td><td class="n">1.00e-11</td><td class="n">1</td><td></td>'); // score, p, q, stability, orientation
    expect(html).toContain("short_series</b>: 200 samples for 3 variables x 2 lags is short");
    expect(html).toContain("<th>meta.params</th><td>{&quot;ic&quot;:&quot;none&quot;}</td>");
    expect(html).toContain("<th>alpha (correction)</th><td>0.05 (fdr_bh)</td>");
    // the heatmap: summary, lag 0 and one table per lag, V x V cells each
    const heat = html.slice(html.indexOf('<section id="heatmap">'), html.indexOf('<section id="edges">'));
    expect(heat.match(/<table class="heat">/g)).toHaveLength(1 + 1 + graph.maxLag);
    expect(heat.match(/<td style/g)).toHaveLength((2 + graph.maxLag) * 9);
  });
});
