// Text exports of a causeway.graph/v1: Graphviz DOT, Mermaid flowchart and GraphML. Each lagged
// edge is one edge labelled with its lag; lag-0 edges are directed only where the method oriented
// them; score, p, q and stability go along as attributes.
import type { CausalGraph, ScoredEdge } from "@causeway/core";
import { edgeLabel, exportEdges, isDirected, num, xmlEscape } from "./edges.js";

const dotId = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/** Graphviz DOT: `digraph`, one edge per (cause, effect, lag); lag-0 unoriented edges with `dir=none`. */
export function toDot(graph: CausalGraph, showSelf = true): string {
  const lines = [`digraph causeway {`, `  // method ${graph.method}, max lag ${graph.maxLag}${graph.meta.alpha !== undefined ? `, alpha ${graph.meta.alpha} (${graph.meta.correction ?? "fdr_bh"})` : `, threshold ${num(graph.threshold)}`}`];
  lines.push(`  node [shape=ellipse, fontname="DejaVu Sans"];`, `  edge [fontname="DejaVu Sans", fontsize=10];`);
  for (const v of graph.variables) lines.push(`  ${dotId(v)};`);
  for (const e of exportEdges(graph, showSelf)) {
    const attrs = [`label=${dotId(edgeLabel(e))}`, `lag=${e.lag}`, `score="${num(e.score)}"`, ...stats(e).map(([k, v]) => `${k}="${v}"`)];
    if (!isDirected(e)) attrs.push("dir=none", `orientation=${e.orientation}`);
    attrs.push(`penwidth=${num(1 + 2 * strength(graph, e))}`);
    lines.push(`  ${dotId(e.cause)} -> ${dotId(e.effect)} [${attrs.join(", ")}];`);
  }
  return lines.join("\n") + "\n}\n";
}

/** Mermaid flowchart: nodes n0..n{V-1} labelled with the variable names, `-->` directed, `---` unoriented lag 0. */
export function toMermaid(graph: CausalGraph, showSelf = true): string {
  const id = new Map(graph.variables.map((v, i) => [v, `n${i}`]));
  const label = (s: string) => s.replace(/"/g, "#quot;");
  const lines = ["flowchart LR"];
  graph.variables.forEach((v, i) => lines.push(`  n${i}["${label(v)}"]`));
  for (const e of exportEdges(graph, showSelf)) {
    const text = [edgeLabel(e), `score ${num(e.score)}`, ...(e.pvalue !== undefined ? [`p ${num(e.pvalue)}`] : [])].join(", ");
    lines.push(`  ${id.get(e.cause)} ${isDirected(e) ? "-->" : "---"}|"${label(text)}"| ${id.get(e.effect)}`);
  }
  return lines.join("\n") + "\n";
}

const GRAPHML_KEYS: [string, string, "edge" | "graph" | "node"][] = [
  ["name", "string", "node"],
  ["lag", "int", "edge"],
  ["score", "double", "edge"],
  ["pvalue", "double", "edge"],
  ["qvalue", "double", "edge"],
  ["stability", "double", "edge"],
  ["orientation", "string", "edge"],
  ["method", "string", "graph"],
  ["maxLag", "int", "graph"],
];

/** GraphML (XML): a directed graph; lag-0 unoriented edges carry `directed="false"`. */
export function toGraphml(graph: CausalGraph, showSelf = true): string {
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<graphml xmlns="http://graphml.graphdrawing.org/xmlns">`,
    ...GRAPHML_KEYS.map(([k, type, on]) => `  <key id="${k}" for="${on}" attr.name="${k}" attr.type="${type}"/>`),
    `  <graph id="causeway" edgedefault="directed">`,
    `    <data key="method">${xmlEscape(graph.method)}</data>`,
    `    <data key="maxLag">${graph.maxLag}</data>`,
  ];
  const nodeId = new Map(graph.variables.map((v, i) => [v, `n${i}`]));
  graph.variables.forEach((v, i) => lines.push(`    <node id="n${i}"><data key="name">${xmlEscape(v)}</data></node>`));
  exportEdges(graph, showSelf).forEach((e, i) => {
    const data = [["lag", String(e.lag)], ["score", String(e.score)], ...stats(e).map(([k, v]) => [k, String(v)]), ...(e.orientation ? [["orientation", e.orientation]] : [])];
    lines.push(
      `    <edge id="e${i}" source="${nodeId.get(e.cause)}" target="${nodeId.get(e.effect)}"${isDirected(e) ? "" : ` directed="false"`}>` +
        data.map(([k, v]) => `<data key="${k}">${xmlEscape(v)}</data>`).join("") +
        `</edge>`,
    );
  });
  lines.push(`  </graph>`, `</graphml>`);
  return lines.join("\n") + "\n";
}

/** p, q and stability of an edge, where present. */
function stats(e: ScoredEdge): [string, string][] {
  const out: [string, string][] = [];
  if (e.pvalue !== undefined) out.push(["pvalue", num(e.pvalue)]);
  if (e.qvalue !== undefined) out.push(["qvalue", num(e.qvalue)]);
  if (e.stability !== undefined) out.push(["stability", num(e.stability)]);
  return out;
}

/** An edge's score relative to the graph's edges: 0 (weakest selected) .. 1 (strongest). */
export function strength(graph: CausalGraph, e: ScoredEdge): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of graph.edges) {
    lo = Math.min(lo, x.score);
    hi = Math.max(hi, x.score);
  }
  return hi > lo ? (e.score - lo) / (hi - lo) : 1;
}
