import type { GroundTruth } from "@causeway/core";
import { forwardRef } from "react";
import type { SummaryEdge } from "../lib/analysis.js";

export interface GraphViewProps {
  variables: string[];
  edges: SummaryEdge[];
  /** When given, arrows in the truth are drawn green and the others red; missed true edges dashed grey. */
  truth?: GroundTruth | null;
  title: string;
}

const W = 640;
const H = 580;
const R = 22;

function truthPairs(truth: GroundTruth | null | undefined): Set<string> {
  return new Set((truth?.edges ?? []).map((e) => `${e.cause}\u0000${e.effect}`));
}

/** The summary graph on a circle: one arrow per (cause, effect), labelled with the lags that pass the threshold. */
export const GraphView = forwardRef<SVGSVGElement, GraphViewProps>(function GraphView({ variables, edges, truth, title }, ref) {
  const V = variables.length;
  const radius = Math.min(W, H - 100) / 2 - 60; // room outside the circle for self loops
  const cx = W / 2;
  const cy = H / 2 + 25;
  const pos = new Map(variables.map((v, i) => [v, { x: cx + radius * Math.cos((2 * Math.PI * i) / V - Math.PI / 2), y: cy + radius * Math.sin((2 * Math.PI * i) / V - Math.PI / 2) }]));
  const present = new Set(edges.map((e) => `${e.cause}\u0000${e.effect}`));
  const inTruth = truthPairs(truth);
  const missed = truth ? [...inTruth].filter((k) => !present.has(k)).map((k) => k.split("\u0000") as [string, string]) : [];
  const maxScore = Math.max(1e-12, ...edges.map((e) => Math.abs(e.score)));

  /** Point at `dist` from `c` in direction `angle` (radians). */
  const polar = (c: { x: number; y: number }, angle: number, dist: number) => ({ x: c.x + dist * Math.cos(angle), y: c.y + dist * Math.sin(angle) });

  const arrow = (cause: string, effect: string) => {
    const a = pos.get(cause)!;
    const b = pos.get(effect)!;
    if (cause === effect) {
      // Self loop: a teardrop outside the node, pointing away from the centre, ending on the rim.
      const out = Math.atan2(a.y - cy, a.x - cx);
      const spread = 0.5;
      const p0 = polar(a, out - spread, R);
      const p3 = polar(a, out + spread, R + 2);
      const c1 = polar(a, out - 0.6, R + 48);
      const c2 = polar(a, out + 0.6, R + 48);
      const label = polar(a, out, R + 44);
      return { d: `M ${p0.x} ${p0.y} C ${c1.x} ${c1.y} ${c2.x} ${c2.y} ${p3.x} ${p3.y}`, lx: label.x, ly: label.y };
    }
    // Curve to the right of the direction of travel, so that a <-> b gives two separate arrows.
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy);
    const ux = dx / len;
    const uy = dy / len;
    const bend = 0.12 * len;
    const mx = (a.x + b.x) / 2 - uy * bend;
    const my = (a.y + b.y) / 2 + ux * bend;
    // Start and end on the nodes' rims, leaving towards / arriving from the control point.
    const toM = Math.hypot(mx - a.x, my - a.y);
    const sx = a.x + ((mx - a.x) / toM) * R;
    const sy = a.y + ((my - a.y) / toM) * R;
    const fromM = Math.hypot(b.x - mx, b.y - my);
    const ex = b.x - ((b.x - mx) / fromM) * (R + 2);
    const ey = b.y - ((b.y - my) / fromM) * (R + 2);
    // The label sits on the curve's midpoint (a quadratic Bezier passes halfway to its control point).
    return { d: `M ${sx} ${sy} Q ${mx} ${my} ${ex} ${ey}`, lx: (a.x + b.x) / 2 - uy * bend * 0.5, ly: (a.y + b.y) / 2 + ux * bend * 0.5 };
  };

  return (
    <svg ref={ref} viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W * 1.3, maxHeight: "calc(100vh - 230px)", display: "block" }} role="img" aria-label="summary graph" data-testid="graph-view">
      <defs>
        {["#1c7ed6", "#2f9e44", "#e03131", "#adb5bd"].map((c) => (
          <marker key={c} id={`head-${c.slice(1)}`} viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill={c} />
          </marker>
        ))}
      </defs>
      <text x={W / 2} y={20} fontSize={13} textAnchor="middle" fontWeight={600}>{title}</text>
      {truth && (
        <text x={W / 2} y={38} fontSize={11} textAnchor="middle" fill="#555">green: in the ground truth · red: not · dashed grey: true edge missed</text>
      )}
      {missed.map(([cause, effect]) => {
        const { d } = arrow(cause, effect);
        return <path key={`m-${cause}-${effect}`} d={d} fill="none" stroke="#adb5bd" strokeWidth={1.5} strokeDasharray="5 4" markerEnd="url(#head-adb5bd)" />;
      })}
      {edges.map((e) => {
        const { d, lx, ly } = arrow(e.cause, e.effect);
        const color = truth ? (inTruth.has(`${e.cause}\u0000${e.effect}`) ? "#2f9e44" : "#e03131") : "#1c7ed6";
        const label = `${e.lags.join(",")}`;
        return (
          <g key={`${e.cause}-${e.effect}`} data-testid="graph-edge" data-cause={e.cause} data-effect={e.effect} data-lags={label}>
            <title>{`${e.cause} → ${e.effect}, lags ${label}, best score ${e.score}`}</title>
            <path d={d} fill="none" stroke={color} strokeWidth={1.2 + 3 * Math.min(1, Math.abs(e.score) / maxScore)} markerEnd={`url(#head-${color.slice(1)})`} opacity={0.85} />
            <rect x={lx - 4 - 3.2 * label.length} y={ly - 9} width={8 + 6.4 * label.length} height={15} rx={4} fill="white" stroke={color} strokeWidth={0.8} />
            <text x={lx} y={ly + 2} fontSize={10} textAnchor="middle" fill="#222">{label}</text>
          </g>
        );
      })}
      {variables.map((v) => {
        const p = pos.get(v)!;
        return (
          <g key={v} data-testid="graph-node">
            <circle cx={p.x} cy={p.y} r={R} fill="#f1f3f5" stroke="#343a40" strokeWidth={1.5} />
            <text x={p.x} y={p.y + 4} fontSize={12} textAnchor="middle" fontWeight={600}>{v}</text>
          </g>
        );
      })}
    </svg>
  );
});
