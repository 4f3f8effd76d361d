import type { GroundTruth, ScoredEdge } from "@causeway/core";
import { forwardRef, useMemo } from "react";
import { arrowColor, arrowsOf, arrowWidth, colorLegend, filterEdges, NO_FILTERS, type Arrow, type ColorBy, type GraphFilters } from "../lib/graph-model.js";
import { forceLayout, type Point } from "../lib/layout.js";

export interface GraphViewProps {
  variables: string[];
  /** The selected edges (lagged and lag 0); drawn as one arrow per pair, labelled with its lags. */
  edges: ScoredEdge[];
  /** Edges that place the nodes (the graph's own list): the layout stays put while the selection changes. */
  layoutEdges?: ScoredEdge[];
  /** With `colorBy: "truth"`, arrows in the truth are green and the others red; missed true edges dashed grey. */
  truth?: GroundTruth | null;
  title: string;
  colorBy?: ColorBy;
  /** Width by bootstrap stability instead of |score|. */
  widthByStability?: boolean;
  filters?: GraphFilters;
  /** Pan and zoom of the content, `translate(...) scale(...)`. */
  transform?: string;
  onNodeClick?(variable: string): void;
}

/** Figure size and node radius for V variables. */
export function graphSize(V: number): { W: number; H: number; R: number } {
  if (V <= 10) return { W: 640, H: 580, R: 22 };
  return { W: 960, H: 760, R: V > 25 ? 15 : 19 };
}

const TOP = 48;

/** Point at `dist` from `c` in direction `angle` (radians). */
const polar = (c: Point, angle: number, dist: number): Point => ({ x: c.x + dist * Math.cos(angle), y: c.y + dist * Math.sin(angle) });

/** An arrowhead at `tip` pointing along `angle`, `size` long. */
function head(tip: Point, angle: number, size: number): string {
  const a = polar(tip, angle + Math.PI - 0.4, size);
  const b = polar(tip, angle + Math.PI + 0.4, size);
  return `M ${tip.x} ${tip.y} L ${a.x} ${a.y} L ${b.x} ${b.y} z`;
}

interface Geometry {
  d: string;
  /** Label position. */
  label: Point;
  /** Arrowhead path at the effect's end (absent for undirected and conflicting lag-0 links). */
  head?: string;
  mid: Point;
}

/** The summary graph, force-directed: one arrow per (cause, effect) labelled with its lags; lag-0 links straight (undirected: no head). */
export const GraphView = forwardRef<SVGSVGElement, GraphViewProps>(function GraphView(
  { variables, edges, layoutEdges, truth, title, colorBy = truth ? "truth" : "score", widthByStability = false, filters = NO_FILTERS, transform, onNodeClick },
  ref,
) {
  const V = variables.length;
  const { W, H, R } = graphSize(V);
  const placing = layoutEdges ?? edges;
  const layoutKey = `${variables.join("\u0001")}|${placing.map((e) => `${e.cause}\u0000${e.effect}`).join("\u0001")}`;
  // The key names every input of the layout.
  const pos = useMemo(() => forceLayout(variables, placing, { width: W, height: H, margin: R + 46, top: TOP - 20 }, R), [layoutKey, W, H, R]);
  const centre = useMemo(() => {
    const ps = [...pos.values()];
    return { x: ps.reduce((s, p) => s + p.x, 0) / Math.max(1, ps.length), y: ps.reduce((s, p) => s + p.y, 0) / Math.max(1, ps.length) };
  }, [pos]);

  const arrows = filterEdges(arrowsOf(edges), filters);
  const present = new Set(arrows.map((a) => `${a.cause}\u0000${a.effect}`));
  const inTruth = new Set((truth?.edges ?? []).map((e) => `${e.cause}\u0000${e.effect}`));
  const missed = colorBy === "truth" && truth ? filterEdges([...inTruth].filter((k) => !present.has(k)).map((k) => { const [cause, effect] = k.split("\u0000"); return { cause, effect }; }), filters) : [];
  const maxAbs = Math.max(1e-12, ...arrows.map((a) => Math.abs(a.score)));
  const usesQ = arrows.some((a) => a.qvalue !== undefined);

  const geometry = (a: { cause: string; effect: string; lags?: number[]; orientation?: Arrow["orientation"] }, width: number): Geometry => {
    const p = pos.get(a.cause)!;
    const q = pos.get(a.effect)!;
    const size = 7 + 1.5 * width;
    if (a.cause === a.effect) {
      // Self loop: a teardrop outside the node, pointing away from the layout's centre, ending on the rim.
      const out = Math.atan2(p.y - centre.y, p.x - centre.x) || -Math.PI / 2;
      const p0 = polar(p, out - 0.5, R);
      const p3 = polar(p, out + 0.5, R + 1);
      const c1 = polar(p, out - 0.6, R + 44);
      const c2 = polar(p, out + 0.6, R + 44);
      const into = Math.atan2(p3.y - c2.y, p3.x - c2.x);
      const label = polar(p, out, R + 40);
      return { d: `M ${p0.x} ${p0.y} C ${c1.x} ${c1.y} ${c2.x} ${c2.y} ${p3.x} ${p3.y}`, label, head: head(p3, into, size), mid: label };
    }
    const dx = q.x - p.x;
    const dy = q.y - p.y;
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    if (a.orientation) {
      // Lag 0: a straight link between the rims.
      const s = { x: p.x + ux * R, y: p.y + uy * R };
      const e = { x: q.x - ux * (R + 1), y: q.y - uy * (R + 1) };
      const mid = { x: (s.x + e.x) / 2, y: (s.y + e.y) / 2 };
      return { d: `M ${s.x} ${s.y} L ${e.x} ${e.y}`, label: mid, mid, head: a.orientation === "directed" ? head(e, Math.atan2(uy, ux), size) : undefined };
    }
    // Lagged: curve to the right of the direction of travel, so that a <-> b gives two arrows.
    const bend = 0.12 * len;
    const m = { x: (p.x + q.x) / 2 - uy * bend, y: (p.y + q.y) / 2 + ux * bend };
    const toM = Math.hypot(m.x - p.x, m.y - p.y);
    const s = { x: p.x + ((m.x - p.x) / toM) * R, y: p.y + ((m.y - p.y) / toM) * R };
    const fromM = Math.hypot(q.x - m.x, q.y - m.y);
    const e = { x: q.x - ((q.x - m.x) / fromM) * (R + 1), y: q.y - ((q.y - m.y) / fromM) * (R + 1) };
    // A quadratic Bezier passes halfway to its control point at its middle.
    const label = { x: (p.x + q.x) / 2 - uy * bend * 0.5, y: (p.y + q.y) / 2 + ux * bend * 0.5 };
    return { d: `M ${s.x} ${s.y} Q ${m.x} ${m.y} ${e.x} ${e.y}`, label, mid: label, head: head(e, Math.atan2(q.y - m.y, q.x - m.x), size) };
  };

  return (
    <svg ref={ref} viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W * 1.3, maxHeight: "calc(100vh - 330px)", display: "block" }} role="img" aria-label="summary graph" data-testid="graph-view" data-color-by={colorBy}>
      <text x={W / 2} y={20} fontSize={13} textAnchor="middle" fontWeight={600}>{title}</text>
      <text x={W / 2} y={38} fontSize={11} textAnchor="middle" fill="#555">
        {colorLegend(colorBy, usesQ)}
        {widthByStability ? " · width: bootstrap stability" : " · width: |score|"}
        {arrows.some((a) => a.orientation) ? " · straight: lag 0 (no head: undirected, ×: conflict)" : ""}
      </text>
      {/* Zoomed and panned content stays below the title and legend. */}
      <clipPath id="graph-content">
        <rect x={0} y={TOP} width={W} height={H - TOP} />
      </clipPath>
      <g clipPath="url(#graph-content)">
        <g transform={transform} data-testid="graph-viewport">
          {missed.map(({ cause, effect }) => {
            const g = geometry({ cause, effect }, 1.5);
            return (
              <g key={`m-${cause}-${effect}`} data-testid="graph-missed" data-cause={cause} data-effect={effect}>
                <path d={g.d} fill="none" stroke="#adb5bd" strokeWidth={1.5} strokeDasharray="5 4" />
                {g.head && <path d={g.head} fill="#adb5bd" />}
              </g>
            );
          })}
          {arrows.map((a) => {
            const width = arrowWidth(a, widthByStability, maxAbs);
            const g = geometry(a, width);
            const color = arrowColor(a, colorBy, maxAbs, inTruth.has(`${a.cause}\u0000${a.effect}`));
            const lag0 = a.orientation !== undefined;
            const label = a.lags.join(",");
            const trust = [a.pvalue !== undefined ? `p ${a.pvalue.toPrecision(3)}` : "", a.qvalue !== undefined ? `q ${a.qvalue.toPrecision(3)}` : "", a.stability !== undefined ? `stability ${a.stability.toFixed(2)}` : ""].filter(Boolean).join(", ");
            const what = lag0 ? `${a.cause} ${a.orientation === "directed" ? "→" : a.orientation === "undirected" ? "—" : "×"} ${a.effect} at lag 0 (${a.orientation})` : `${a.cause} → ${a.effect}, lags ${label}`;
            return (
              <g
                key={`${a.cause}-${a.effect}-${lag0 ? "0" : "l"}`}
                data-testid={lag0 ? "graph-link0" : "graph-edge"}
                data-cause={a.cause}
                data-effect={a.effect}
                data-lags={label}
                data-orientation={a.orientation}
                data-color={color}
                data-width={width.toFixed(3)}
                data-head={g.head ? "1" : "0"}
              >
                <title>{`${what}, best score ${a.score}${trust ? `, ${trust}` : ""}`}</title>
                <path d={g.d} fill="none" stroke={color} strokeWidth={width} strokeDasharray={a.orientation === "conflict" ? "6 3" : undefined} opacity={0.85} />
                {g.head && <path d={g.head} fill={color} data-testid="arrowhead" />}
                {a.orientation === "conflict" && (
                  <text x={g.mid.x} y={g.mid.y + 5} fontSize={15} textAnchor="middle" fill="#e8590c" fontWeight={700} data-testid="conflict-mark">×</text>
                )}
                {!lag0 && (
                  <>
                    <rect x={g.label.x - 4 - 3.2 * label.length} y={g.label.y - 9} width={8 + 6.4 * label.length} height={15} rx={4} fill="white" stroke={color} strokeWidth={0.8} />
                    <text x={g.label.x} y={g.label.y + 2} fontSize={10} textAnchor="middle" fill="#222">{label}</text>
                  </>
                )}
              </g>
            );
          })}
          {variables.map((v) => {
            const p = pos.get(v)!;
            const dim = filters.focus !== null && filters.focus !== v;
            return (
              <g key={v} data-testid="graph-node" data-variable={v} data-x={p.x.toFixed(2)} data-y={p.y.toFixed(2)} opacity={dim ? 0.55 : 1} onClick={onNodeClick ? () => onNodeClick(v) : undefined} style={onNodeClick ? { cursor: "pointer" } : undefined}>
                <title>{onNodeClick ? `${v} (click: focus on its edges)` : v}</title>
                <circle cx={p.x} cy={p.y} r={R} fill={filters.focus === v ? "#fff3bf" : "#f1f3f5"} stroke="#343a40" strokeWidth={1.5} />
                <text x={p.x} y={p.y + 4} fontSize={V > 25 ? 10 : 12} textAnchor="middle" fontWeight={600}>{v}</text>
              </g>
            );
          })}
        </g>
      </g>
    </svg>
  );
});
