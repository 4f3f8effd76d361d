import type { CausalGraph, GroundTruth, ScoredEdge } from "@causeway/core";
import { forwardRef } from "react";
import { inkOn, viridis } from "../lib/colors.js";

/** What the cells show: the score, the p-value (coloured by -log10 p) or the bootstrap stability. */
export type HeatValue = "score" | "pvalue" | "stability";

export interface HeatmapProps {
  graph: CausalGraph;
  /** Lag shown (1..maxLag), 0 for the summary (max over lags), or "lag0" for the contemporaneous scores. */
  lag: number | "lag0";
  /** The edge list at the current selection: its cells are outlined (summary: a cell with any lag listed). */
  edges: ScoredEdge[];
  range: { min: number; max: number };
  /** When given, cells of true edges get a dot (summary or a summary-only truth: any lag). */
  truth?: GroundTruth | null;
  /** Default "score". */
  value?: HeatValue;
  /** Variable indices in display order (rows and columns alike); default the graph's order. */
  order?: number[];
}

const CELL = 56;
const MIN_CELL = 18;
const P_DARKEST = 8;

/** Variable orders for the heatmap: the file's, by name, or drivers first (summed summary score as a cause). */
export function heatmapOrder(graph: CausalGraph, by: "file" | "name" | "driver"): number[] {
  const idx = graph.variables.map((_, i) => i);
  if (by === "name") return idx.sort((a, b) => graph.variables[a].localeCompare(graph.variables[b], undefined, { numeric: true }));
  if (by === "driver") {
    const out = idx.map((c) => graph.variables.reduce((s, _, e) => s + (e === c ? 0 : Math.max(...graph.scores[e][c])), 0));
    return idx.sort((a, b) => out[b] - out[a] || a - b);
  }
  return idx;
}

/** `scores[effect][cause]` at one lag: rows are effects, columns causes; cells in the edge list are outlined. */
export const Heatmap = forwardRef<SVGSVGElement, HeatmapProps>(function Heatmap({ graph, lag, edges, range, truth, value = "score", order }, ref) {
  const V = graph.variables.length;
  const idx = order ?? graph.variables.map((_, i) => i);
  const cell = V > 12 ? Math.max(MIN_CELL, Math.floor((CELL * 12) / V)) : CELL;
  const rotate = cell < 40;
  const longest = Math.max(...graph.variables.map((v) => v.length));
  const LEFT = Math.max(60, 14 + 7 * longest);
  const TOP = rotate ? 70 + 5 * longest : 84;
  const size = V * cell;
  const W = LEFT + size + 90;
  const H = TOP + size + 20;
  const summary = lag === 0;
  const reach = graph.meta.reach?.maxLag;
  const beyond = typeof lag === "number" && lag > 0 && reach !== undefined && lag > reach;
  const lagKey = (l: number) => (summary ? "" : `\u0000${l}`);
  const listed = new Set(edges.filter((x) => (lag === "lag0" ? x.lag === 0 : x.lag > 0)).map((x) => `${x.effect}\u0000${x.cause}${lagKey(x.lag)}`));
  const anyLag = summary || truth?.summaryOnly;
  const trueCells = new Set((truth?.edges ?? []).filter((x) => anyLag || x.lag === lag).map((x) => `${x.effect}\u0000${x.cause}`));
  const score = (e: number, c: number) => (lag === "lag0" ? (graph.contemporaneous?.[e][c] ?? 0) : summary ? Math.max(...graph.scores[e][c]) : graph.scores[e][c][lag - 1]);
  const shown = (e: number, c: number): number | undefined => {
    if (value === "score" || lag === "lag0") return score(e, c);
    const t = value === "pvalue" ? graph.pvalues : graph.stability;
    if (!t) return undefined;
    return summary ? (value === "pvalue" ? Math.min(...t[e][c]) : Math.max(...t[e][c])) : t[e][c][lag - 1];
  };
  const mode: HeatValue = lag === "lag0" ? "score" : value;
  // Colour coordinate: the score on the range, -log10 p on [0, 8], stability on [0, 1].
  const [lo, hi] = mode === "score" ? [range.min, range.max] : mode === "pvalue" ? [0, P_DARKEST] : [0, 1];
  const coord = (v: number) => (mode === "pvalue" ? -Math.log10(Math.max(v, 1e-300)) : v);
  const fmt = (v: number) => (mode === "pvalue" ? (v < 0.001 ? v.toExponential(0) : v.toFixed(3)) : Math.abs(v) >= 100 ? v.toExponential(1) : v.toFixed(2));
  const legend = Array.from({ length: 40 }, (_, i) => lo + ((hi - lo) * i) / 39);
  const what = lag === "lag0" ? "lag 0 (contemporaneous)" : summary ? (mode === "pvalue" ? "summary (min over lags)" : "summary (max over lags)") : `lag ${lag}`;
  const quantity = mode === "score" ? "scores" : mode === "pvalue" ? "p-values" : "bootstrap stability";
  return (
    <div style={{ overflow: "auto", maxHeight: "calc(100vh - 250px)", maxWidth: "100%" }} data-testid="heatmap-scroll">
      <svg ref={ref} viewBox={`0 0 ${W} ${H}`} width={V > 12 ? W : "100%"} height={V > 12 ? H : undefined} style={{ maxWidth: V > 12 ? undefined : W * 1.2, display: "block" }} role="img" aria-label="score heatmap" data-testid="heatmap" data-lag={lag === "lag0" ? "lag0" : lag} data-value={mode} data-beyond-reach={beyond ? "1" : "0"}>
        <defs>
          <pattern id="not-evidence" patternUnits="userSpaceOnUse" width={8} height={8} patternTransform="rotate(45)">
            <rect width={8} height={8} fill="#e9ecef" />
            <line x1={0} y1={0} x2={0} y2={8} stroke="#868e96" strokeWidth={3} />
          </pattern>
        </defs>
        <text x={LEFT + size / 2} y={16} fontSize={13} textAnchor="middle" fontWeight={600}>
          {graph.method} {quantity}, {what}
        </text>
        <text x={LEFT + size / 2} y={33} fontSize={11} textAnchor="middle" fill="#555">cause (column) → effect (row)</text>
        <text x={LEFT + size / 2} y={48} fontSize={10} textAnchor="middle" fill={beyond ? "#c92a2a" : "#555"}>
          {beyond ? `hatched: lag ${lag} is beyond what ${graph.method} can score (lag ${reach}): not evidence` : `red outline: in the edge list${truth ? " · dot: true edge" : ""}`}
        </text>
        {idx.map((c, j) => {
          const x = LEFT + j * cell + cell / 2;
          return rotate ? (
            <text key={`c${c}`} x={x} y={TOP - 6} fontSize={10} textAnchor="start" transform={`rotate(-60 ${x} ${TOP - 6})`}>{graph.variables[c]}</text>
          ) : (
            <text key={`c${c}`} x={x} y={TOP - 8} fontSize={11} textAnchor="middle">{graph.variables[c]}</text>
          );
        })}
        {idx.map((e, i) => (
          <text key={`e${e}`} x={LEFT - 8} y={TOP + i * cell + cell / 2 + 4} fontSize={rotate ? 10 : 11} textAnchor="end">{graph.variables[e]}</text>
        ))}
        {idx.map((e, i) =>
          idx.map((c, j) => {
            const effect = graph.variables[e];
            const cause = graph.variables[c];
            const s = score(e, c);
            const v = shown(e, c);
            const isTrue = lag !== "lag0" && trueCells.has(`${effect}\u0000${cause}`);
            const on = listed.has(`${effect}\u0000${cause}${typeof lag === "number" ? lagKey(lag) : "\u00000"}`);
            const [x, y] = [LEFT + j * cell, TOP + i * cell];
            const fill = v === undefined ? "#dee2e6" : viridis(coord(v), lo, hi);
            return (
              <g key={`${e}-${c}`} data-testid="heat-cell" data-effect={effect} data-cause={cause} data-lag={lag} data-score={String(s)} data-value={v === undefined ? "" : String(v)} data-over={on ? "1" : "0"} data-truth={isTrue ? "1" : "0"} data-not-evidence={beyond ? "1" : "0"}>
                <title>{`${cause} → ${effect}${typeof lag === "number" && lag > 0 ? ` at lag ${lag}` : lag === "lag0" ? " at lag 0" : ""}: score ${s}${mode !== "score" && v !== undefined ? `, ${mode === "pvalue" ? "p" : "stability"} ${v}` : ""}${beyond ? " (beyond the method's reach: not evidence)" : ""}`}</title>
                <rect x={x} y={y} width={cell} height={cell} fill={beyond ? "url(#not-evidence)" : fill} stroke={on ? "#e03131" : "#fff"} strokeWidth={on ? 3 : 1} />
                {isTrue && <circle cx={x + cell - 8} cy={y + 8} r={Math.max(2.5, cell / 14)} fill="#fff" stroke="#111" strokeWidth={1.2} />}
                {cell >= 32 && v !== undefined && !beyond && (
                  <text x={x + cell / 2} y={y + cell / 2 + 4} fontSize={10} textAnchor="middle" fill={inkOn(coord(v), lo, hi)}>{fmt(v)}</text>
                )}
              </g>
            );
          }),
        )}
        {legend.map((v, i) => (
          <rect key={i} x={LEFT + size + 30} y={TOP + size - ((i + 1) * size) / legend.length} width={14} height={size / legend.length + 0.5} fill={viridis(v, lo, hi)} />
        ))}
        <text x={LEFT + size + 48} y={TOP + 8} fontSize={10}>{mode === "pvalue" ? `1e-${P_DARKEST}` : hi.toPrecision(3)}</text>
        <text x={LEFT + size + 48} y={TOP + size} fontSize={10}>{mode === "pvalue" ? "1" : lo.toPrecision(3)}</text>
      </svg>
    </div>
  );
});
