import type { ScoredEdge } from "@causeway/core";
import { forwardRef } from "react";
import { arrowColor, colorLegend, filterEdges, NO_FILTERS, type ColorBy, type GraphFilters } from "../lib/graph-model.js";
import { timeGrid } from "../lib/layout.js";

export interface TimeSeriesGraphProps {
  variables: string[];
  maxLag: number;
  /** The selected edges; each lagged edge cause(t - lag) → effect(t) is drawn into every column it fits, as tigramite does. */
  edges: ScoredEdge[];
  title: string;
  colorBy?: Exclude<ColorBy, "truth">;
  widthByStability?: boolean;
  filters?: GraphFilters;
  transform?: string;
}

const DX = 150;
const DY = 46;
const R = 9;

const gridOf = (variables: string[], maxLag: number) => timeGrid(variables, maxLag, { left: 90, top: 84, dx: DX, dy: DY, right: 60, bottom: 30 });

/** The figure's viewBox size for V variables and maxLag. */
export function timeSeriesSize(variables: string[], maxLag: number): { W: number; H: number } {
  const g = gridOf(variables, maxLag);
  return { W: g.width, H: g.height };
}

/** The lag-unrolled graph: a node per variable and time step t - maxLag .. t, links across time. */
export const TimeSeriesGraph = forwardRef<SVGSVGElement, TimeSeriesGraphProps>(function TimeSeriesGraph(
  { variables, maxLag, edges, title, colorBy = "score", widthByStability = false, filters = NO_FILTERS, transform },
  ref,
) {
  const grid = gridOf(variables, maxLag);
  const shown = filterEdges(edges, filters);
  const maxAbs = Math.max(1e-12, ...shown.map((e) => Math.abs(e.score)));
  const links: { key: string; e: ScoredEdge; from: number; to: number }[] = [];
  for (const e of shown) for (let to = 0; to + e.lag <= maxLag; to++) links.push({ key: `${e.cause}-${e.effect}-${e.lag}-${to}`, e, from: to + e.lag, to });
  return (
    <svg ref={ref} viewBox={`0 0 ${grid.width} ${grid.height}`} width="100%" style={{ maxWidth: grid.width * 1.3, display: "block" }} role="img" aria-label="time series graph" data-testid="time-series-graph">
      <text x={grid.width / 2} y={20} fontSize={13} textAnchor="middle" fontWeight={600}>{title}</text>
      <text x={grid.width / 2} y={38} fontSize={11} textAnchor="middle" fill="#555">
        {colorLegend(colorBy, shown.some((e) => e.qvalue !== undefined))}
        {shown.some((e) => e.lag === 0) ? " · vertical: lag 0 (no head: undirected)" : ""}
      </text>
      <clipPath id="ts-content">
        <rect x={0} y={48} width={grid.width} height={grid.height - 48} />
      </clipPath>
      <g clipPath="url(#ts-content)">
        <g transform={transform}>
          {grid.columns.map((x, lag) => (
            <text key={lag} x={x} y={66} fontSize={11} textAnchor="middle" fill="#555">{lag === 0 ? "t" : `t-${lag}`}</text>
          ))}
          {variables.map((v) => (
            <text key={v} x={grid.columns[maxLag] - 18} y={grid.at(v, maxLag).y + 4} fontSize={11} textAnchor="end">{v}</text>
          ))}
          {links.map(({ key, e, from, to }) => {
            const a = grid.at(e.cause, from);
            const b = grid.at(e.effect, to);
            const color = arrowColor({ ...e, lags: [e.lag] }, colorBy, maxAbs, false);
            const width = widthByStability ? 1 + 4 * (e.stability ?? 0) : 1 + 2.5 * Math.min(1, Math.abs(e.score) / maxAbs);
            const directed = e.lag > 0 || (e.orientation ?? "directed") === "directed";
            // A lag-0 link between rows of one column bows right; a self-link across one step is
            // straight, across more it arcs below the nodes it would cross.
            const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
            const [ux, uy] = [(b.x - a.x) / len, (b.y - a.y) / len];
            const bend = e.lag === 0 ? 0.3 * len : e.cause === e.effect ? (e.lag > 1 ? 0.15 * len : 0) : 0.08 * len;
            const m = { x: (a.x + b.x) / 2 - uy * bend, y: (a.y + b.y) / 2 + ux * bend };
            const into = Math.atan2(b.y - m.y, b.x - m.x);
            const tip = { x: b.x - Math.cos(into) * (R + 1), y: b.y - Math.sin(into) * (R + 1) };
            const back = (s: number) => ({ x: tip.x - Math.cos(into + s) * 8, y: tip.y - Math.sin(into + s) * 8 });
            const [h1, h2] = [back(0.4), back(-0.4)];
            return (
              <g key={key} data-testid="ts-link" data-cause={e.cause} data-effect={e.effect} data-lag={e.lag} data-from={from} data-to={to} data-head={directed ? "1" : "0"}>
                <title>{`${e.cause}(t-${from}) → ${e.effect}${to ? `(t-${to})` : "(t)"}, lag ${e.lag}, score ${e.score}`}</title>
                <path d={`M ${a.x} ${a.y} Q ${m.x} ${m.y} ${tip.x} ${tip.y}`} fill="none" stroke={color} strokeWidth={width} strokeDasharray={e.orientation === "conflict" ? "5 3" : undefined} opacity={0.8} />
                {directed && <path d={`M ${tip.x} ${tip.y} L ${h1.x} ${h1.y} L ${h2.x} ${h2.y} z`} fill={color} />}
              </g>
            );
          })}
          {variables.flatMap((v) =>
            grid.columns.map((_, lag) => {
              const p = grid.at(v, lag);
              return <circle key={`${v}-${lag}`} cx={p.x} cy={p.y} r={R} fill="#f1f3f5" stroke="#343a40" strokeWidth={1.2} data-testid="ts-node" />;
            }),
          )}
        </g>
      </g>
    </svg>
  );
});
