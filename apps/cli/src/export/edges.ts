// The edges an export draws: the graph's selected `edges` (formats.md), lagged and lag-0 alike.
import type { CausalGraph, ScoredEdge } from "@causeway/core";

/** Whether an edge has a direction: every lagged edge, and lag-0 edges the method oriented. */
export function isDirected(e: ScoredEdge): boolean {
  return e.lag > 0 || e.orientation === "directed";
}

/** The edge's label: "lag 2", or "lag 0" plus the orientation when the method could not orient it. */
export function edgeLabel(e: ScoredEdge): string {
  return e.lag === 0 && e.orientation && e.orientation !== "directed" ? `lag 0 (${e.orientation})` : `lag ${e.lag}`;
}

/** The graph's edges, optionally without self-loops (x -> x at some lag). */
export function exportEdges(graph: CausalGraph, showSelf = true): ScoredEdge[] {
  return graph.edges.filter((e) => showSelf || e.cause !== e.effect);
}

/** Numbers in exports: up to 4 significant digits, exponent form for tiny p-values. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && Math.abs(x) < 1e-4) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

/** XML text/attribute escaping (GraphML, SVG, HTML). */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
