import type { CausalGraph, GroundTruth, ScoredEdge } from "@causeway/core";
import { forwardRef } from "react";
import { inkOn, viridis } from "../lib/colors.js";

export interface HeatmapProps {
  graph: CausalGraph;
  /** Lag shown (1..maxLag), or 0 for the summary (max over lags). */
  lag: number;
  /** The edge list at the current threshold: its cells are outlined (lag 0: a cell with any lag listed). */
  edges: ScoredEdge[];
  range: { min: number; max: number };
  /** When given, cells of true edges get a dot (lag 0 or a summary-only truth: any lag). */
  truth?: GroundTruth | null;
}

const CELL = 56;
const LEFT = 90;
const TOP = 84;

/** `scores[effect][cause]` at one lag: rows are effects, columns causes; cells in the edge list are outlined. */
export const Heatmap = forwardRef<SVGSVGElement, HeatmapProps>(function Heatmap({ graph, lag, edges, range, truth }, ref) {
  const V = graph.variables.length;
  const cell = V > 12 ? Math.max(18, Math.floor((CELL * 12) / V)) : CELL;
  const size = V * cell;
  const W = LEFT + size + 90;
  const H = TOP + size + 20;
  const listed = new Set(edges.map((x) => (lag === 0 ? `${x.effect}\u0000${x.cause}` : `${x.effect}\u0000${x.cause}\u0000${x.lag}`)));
  const anyLag = lag === 0 || truth?.summaryOnly;
  const trueCells = new Set((truth?.edges ?? []).filter((x) => anyLag || x.lag === lag).map((x) => `${x.effect}\u0000${x.cause}`));
  const value = (e: number, c: number) => (lag === 0 ? Math.max(...graph.scores[e][c]) : graph.scores[e][c][lag - 1]);
  const legend = Array.from({ length: 40 }, (_, i) => range.min + ((range.max - range.min) * i) / 39);
  return (
    <svg ref={ref} viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W * 1.2 }} role="img" aria-label="score heatmap" data-testid="heatmap" data-lag={lag}>
      <text x={LEFT + size / 2} y={16} fontSize={13} textAnchor="middle" fontWeight={600}>
        {graph.method} scores, {lag === 0 ? "summary (max over lags)" : `lag ${lag}`}
      </text>
      <text x={LEFT + size / 2} y={33} fontSize={11} textAnchor="middle" fill="#555">cause (column) → effect (row)</text>
      <text x={LEFT + size / 2} y={48} fontSize={10} textAnchor="middle" fill="#555">
        red outline: in the edge list{truth ? " · dot: true edge" : ""}
      </text>
      {graph.variables.map((name, c) => (
        <text key={`c${c}`} x={LEFT + c * cell + cell / 2} y={TOP - 8} fontSize={11} textAnchor="middle">{name}</text>
      ))}
      {graph.variables.map((name, e) => (
        <text key={`e${e}`} x={LEFT - 8} y={TOP + e * cell + cell / 2 + 4} fontSize={11} textAnchor="end">{name}</text>
      ))}
      {graph.variables.map((effect, e) =>
        graph.variables.map((cause, c) => {
          const s = value(e, c);
          const isTrue = trueCells.has(`${effect}\u0000${cause}`);
          const on = listed.has(lag === 0 ? `${effect}\u0000${cause}` : `${effect}\u0000${cause}\u0000${lag}`);
          return (
            <g key={`${e}-${c}`} data-testid="heat-cell" data-effect={effect} data-cause={cause} data-lag={lag} data-score={String(s)} data-over={on ? "1" : "0"} data-truth={isTrue ? "1" : "0"}>
              <title>{`${cause} → ${effect}${lag ? ` at lag ${lag}` : ""}: ${s}`}</title>
              <rect x={LEFT + c * cell} y={TOP + e * cell} width={cell} height={cell} fill={viridis(s, range.min, range.max)} stroke={on ? "#e03131" : "#fff"} strokeWidth={on ? 3 : 1} />
              {isTrue && <circle cx={LEFT + c * cell + cell - 8} cy={TOP + e * cell + 8} r={Math.max(2.5, cell / 14)} fill="#fff" stroke="#111" strokeWidth={1.2} />}
              {cell >= 32 && (
                <text x={LEFT + c * cell + cell / 2} y={TOP + e * cell + cell / 2 + 4} fontSize={10} textAnchor="middle" fill={inkOn(s, range.min, range.max)}>
                  {Math.abs(s) >= 100 ? s.toExponential(1) : s.toFixed(2)}
                </text>
              )}
            </g>
          );
        }),
      )}
      {legend.map((v, i) => (
        <rect key={i} x={LEFT + size + 30} y={TOP + size - ((i + 1) * size) / legend.length} width={14} height={size / legend.length + 0.5} fill={viridis(v, range.min, range.max)} />
      ))}
      <text x={LEFT + size + 48} y={TOP + 8} fontSize={10}>{range.max.toPrecision(3)}</text>
      <text x={LEFT + size + 48} y={TOP + size} fontSize={10}>{range.min.toPrecision(3)}</text>
    </svg>
  );
});
