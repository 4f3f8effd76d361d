// The graph as SVG, drawn here (no layout library): variables on a circle, one arrow per
// (cause, effect) labelled with its lags, width by score, self-loops as small loops outside the
// circle, unoriented lag-0 links dashed without arrowheads. The DejaVu Sans subset is embedded.
import type { CausalGraph, ScoredEdge } from "@causeway/core";
import { exportEdges, isDirected, num, xmlEscape } from "./edges.js";
import { FONT_FAMILY, fontFaceCss } from "./fonts.js";
import { strength } from "./text.js";

export interface SvgOptions {
  showSelf?: boolean;
  /** Embed the WOFF2 font (default true; the PNG rasteriser gets the TTF instead). */
  embedFont?: boolean;
}

interface Point {
  x: number;
  y: number;
}

const FONT_SIZE = 13;
/** Approximate advance of a DejaVu Sans character, in ems. */
const CHAR_EM = 0.62;

/** One drawn arrow: every selected lag of a (cause, effect) pair, or one lag-0 link. */
interface Arrow {
  cause: string;
  effect: string;
  directed: boolean;
  lags: number[];
  edges: ScoredEdge[];
  strength: number;
}

/** Groups the edges into arrows: one per ordered pair (lagged and oriented lag-0 edges), one per unoriented lag-0 link. */
export function arrows(graph: CausalGraph, showSelf = true): Arrow[] {
  const byKey = new Map<string, Arrow>();
  for (const e of exportEdges(graph, showSelf)) {
    const directed = isDirected(e);
    const key = `${directed ? "d" : "u"}\u0000${e.cause}\u0000${e.effect}`;
    const a = byKey.get(key) ?? { cause: e.cause, effect: e.effect, directed, lags: [], edges: [], strength: 0 };
    a.lags.push(e.lag);
    a.edges.push(e);
    a.strength = Math.max(a.strength, strength(graph, e));
    byKey.set(key, a);
  }
  for (const a of byKey.values()) a.lags.sort((x, y) => x - y);
  return [...byKey.values()];
}

/** Draws the graph as a standalone SVG document. */
export function toSvg(graph: CausalGraph, options: SvgOptions = {}): string {
  const V = graph.variables.length;
  const width = (s: string) => s.length * CHAR_EM * FONT_SIZE;
  const nodeW = graph.variables.map((v) => Math.max(36, width(v) + 18));
  const nodeH = FONT_SIZE + 14;
  const R = V <= 1 ? 0 : Math.max(110, (V * (Math.max(...nodeW) + 24)) / (2 * Math.PI));
  const margin = Math.max(...nodeW) / 2 + 60;
  const size = 2 * (R + margin);
  const c = size / 2;
  const pos = new Map<string, Point>(graph.variables.map((v, i) => [v, { x: c + R * Math.sin((2 * Math.PI * i) / V), y: c - R * Math.cos((2 * Math.PI * i) / V) }]));
  const halfW = new Map(graph.variables.map((v, i) => [v, nodeW[i] / 2]));

  const parts: string[] = [];
  for (const a of arrows(graph, options.showSelf ?? true)) {
    const stroke = a.directed ? "#1f5f99" : "#7a4d99";
    const w = 1 + 3 * a.strength;
    const label = a.directed ? `lag ${a.lags.join(",")}` : `lag 0 (${a.edges[0].orientation ?? "undirected"})`;
    const title = a.edges.map((e) => `${e.cause} -> ${e.effect} lag ${e.lag}: score ${num(e.score)}${e.pvalue !== undefined ? `, p ${num(e.pvalue)}` : ""}${e.stability !== undefined ? `, stability ${num(e.stability)}` : ""}`).join("\n");
    const p = pos.get(a.cause)!;
    let d: string;
    let lp: Point;
    if (a.cause === a.effect) {
      // a loop outside the circle, away from the centre
      const ux = V > 1 ? (p.x - c) / R : 0;
      const uy = V > 1 ? (p.y - c) / R : -1;
      const s = { x: p.x + ux * (nodeH / 2) - uy * 10, y: p.y + uy * (nodeH / 2) + ux * 10 };
      const t = { x: p.x + ux * (nodeH / 2) + uy * 10, y: p.y + uy * (nodeH / 2) - ux * 10 };
      const k1 = { x: s.x + ux * 45 - uy * 25, y: s.y + uy * 45 + ux * 25 };
      const k2 = { x: t.x + ux * 45 + uy * 25, y: t.y + uy * 45 - ux * 25 };
      d = `M${f(s.x)},${f(s.y)} C${f(k1.x)},${f(k1.y)} ${f(k2.x)},${f(k2.y)} ${f(t.x)},${f(t.y)}`;
      lp = { x: p.x + ux * 62, y: p.y + uy * 62 };
    } else {
      const q = pos.get(a.effect)!;
      const from = boundary(p, q, halfW.get(a.cause)!, nodeH / 2);
      const to = boundary(q, p, halfW.get(a.effect)! + (a.directed ? 4 : 0), nodeH / 2 + (a.directed ? 4 : 0));
      // directed arrows bend to their right, so a -> b and b -> a stay apart
      const bend = a.directed ? 0.12 : 0;
      const mx = (from.x + to.x) / 2 - (to.y - from.y) * bend;
      const my = (from.y + to.y) / 2 + (to.x - from.x) * bend;
      d = `M${f(from.x)},${f(from.y)} Q${f(mx)},${f(my)} ${f(to.x)},${f(to.y)}`;
      lp = { x: (from.x + 2 * mx + to.x) / 4, y: (from.y + 2 * my + to.y) / 4 };
    }
    parts.push(
      `<g class="edge"><title>${xmlEscape(title)}</title>` +
        `<path d="${d}" fill="none" stroke="${stroke}" stroke-width="${f(w)}" stroke-opacity="${f(0.45 + 0.5 * a.strength)}"${a.directed ? ` marker-end="url(#arrow)"` : ` stroke-dasharray="6 4"`}/>` +
        `<text x="${f(lp.x)}" y="${f(lp.y)}" font-size="10" text-anchor="middle" fill="#333" stroke="#fff" stroke-width="3" paint-order="stroke">${xmlEscape(label)}</text></g>`,
    );
  }
  graph.variables.forEach((v, i) => {
    const p = pos.get(v)!;
    parts.push(
      `<g class="node" data-variable="${xmlEscape(v)}"><rect x="${f(p.x - nodeW[i] / 2)}" y="${f(p.y - nodeH / 2)}" width="${f(nodeW[i])}" height="${nodeH}" rx="${nodeH / 2}" fill="#f4f7fb" stroke="#1f3b57" stroke-width="1.5"/>` +
        `<text x="${f(p.x)}" y="${f(p.y + FONT_SIZE * 0.36)}" font-size="${FONT_SIZE}" font-weight="700" text-anchor="middle" fill="#1f3b57">${xmlEscape(v)}</text></g>`,
    );
  });
  const subtitle = `${graph.method}, max lag ${graph.maxLag}, ${graph.edges.length} edges${graph.meta.alpha !== undefined ? ` at alpha ${graph.meta.alpha}` : ` at threshold ${num(graph.threshold)}`}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f(size)}" height="${f(size + 24)}" viewBox="0 0 ${f(size)} ${f(size + 24)}" font-family="${FONT_FAMILY}, sans-serif">`,
    ...(options.embedFont ?? true ? [`<style>${fontFaceCss()}</style>`] : []),
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#1f5f99"/></marker></defs>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="12" y="18" font-size="12" fill="#555">${xmlEscape(subtitle)}</text>`,
    `<g transform="translate(0,24)">`,
    ...parts,
    `</g>`,
    `</svg>`,
  ].join("\n") + "\n";
}

/** Where the segment from node centre `p` towards `q` leaves p's box (half sizes hw, hh). */
function boundary(p: Point, q: Point, hw: number, hh: number): Point {
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const t = Math.min(hw / Math.max(Math.abs(dx), 1e-9), hh / Math.max(Math.abs(dy), 1e-9));
  return { x: p.x + dx * Math.min(t, 1), y: p.y + dy * Math.min(t, 1) };
}

const f = (x: number) => String(Math.round(x * 10) / 10);
