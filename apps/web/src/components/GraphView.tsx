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
const H = 560;
const R = 22;

function truthPairs(truth: GroundTruth | null | undefined): Set<string> {
  return new Set((truth?.edges ?? []).map((e) => `${e.cause}\u0000${e.effect}`));
}

/** The summary graph on a circle: one arrow per (cause, effect), labelled with the lags that pass the threshold. */
export const GraphView = forwardRef<SVGSVGElement, GraphViewProps>(function GraphView({ variables, edges, truth, title }, ref) {
  const V = variables.length;
  const radius = Math.min(W, H - 60) / 2 - 50;
  const cx = W / 2;
  const cy = (H + 30) / 2;
  const pos = new Map(variables.map((v, i) => [v, { x: cx + radius * Math.cos((2 * Math.PI * i) / V - Math.PI / 2), y: cy + radius * Math.sin((2 * Math.PI * i) / V - Math.PI / 2) }]));
  const present = new Set(edges.map((e) => `${e.cause}\u0000${e.effect}`));
  const inTruth = truthPairs(truth);
  const missed = truth ? [...inTruth].filter((k) => !present.has(k)).map((k) => k.split("\u0000") as [string, string]) : [];
  const maxScore = Math.max(1e-12, ...edges.map((e) => Math.abs(e.score)));

  const arrow = (cause: string, effect: string) => {
    const a = pos.get(cause)!;
    const b = pos.get(effect)!;
    if (cause === effect) {
      // Self loop: a small circle outside the node, away from the centre.
      const dx = a.x - cx;
      const dy = a.y - cy;
      const n = Math.hypot(dx, dy) || 1;
      const lx = a.x + (dx / n) * (R + 12);
      const ly = a.y + (dy / n) * (R + 12);
      return { d: `M ${a.x + (dx / n) * R - (dy / n) * 8} ${a.y + (dy / n) * R + (dx / n) * 8} A 13 13 0 1 1 ${a.x + (dx / n) * R + (dy / n) * 8} ${a.y + (dy / n) * R - (dx / n) * 8}`, lx: lx + (dx / n) * 16, ly: ly + (dy / n) * 16 };
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
    const sx = a.x + ux * R;
    const sy = a.y + uy * R;
    // End on the node's rim, approached from the control point.
    const ex = b.x - ((b.x - mx) / Math.hypot(b.x - mx, b.y - my)) * (R + 2);
    const ey = b.y - ((b.y - my) / Math.hypot(b.x - mx, b.y - my)) * (R + 2);
    return { d: `M ${sx} ${sy} Q ${mx} ${my} ${ex} ${ey}`, lx: (a.x + b.x) / 2 - uy * bend * 0.55, ly: (a.y + b.y) / 2 + ux * bend * 0.55 };
  };

  return (
    <svg ref={ref} viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W * 1.3 }} role="img" aria-label="summary graph" data-testid="graph-view">
      <defs>
        {["#1c7ed6", "#2f9e44", "#e03131", "#adb5bd"].map((c) => (
          <marker key={c} id={`head-${c.slice(1)}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
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
