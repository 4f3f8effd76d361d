// Node positions for the graph views: a force-directed layout (d3-force) of the summary graph, and
// the lag-unrolled time-series grid (one node per variable and time step, as tigramite draws it).
import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationNodeDatum } from "d3-force";

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  width: number;
  height: number;
  /** Free space kept on every side (node radius, self loops, labels). */
  margin: number;
  /** Extra space at the top (the title). */
  top?: number;
}

interface Node extends SimulationNodeDatum {
  id: string;
}

/**
 * A force-directed layout of `variables` linked by `links` (cause, effect pairs; self-loops and
 * repeats ignored), scaled to fill `box`. Deterministic: the nodes start on a circle in the given
 * order and d3-force's own seeded jitter is the only randomness. Nodes repel and collide at
 * `2 * radius`, linked nodes attract, and a weak pull to the centre keeps unlinked ones in view.
 */
export function forceLayout(variables: string[], links: { cause: string; effect: string }[], box: Box, radius: number): Map<string, Point> {
  const V = variables.length;
  const out = new Map<string, Point>();
  if (V === 0) return out;
  const index = new Map(variables.map((v, i) => [v, i]));
  // Spacing between neighbours in the layout's own units: scaled to the box afterwards.
  const spacing = 6 * radius;
  const nodes: Node[] = variables.map((id, i) => {
    const a = (2 * Math.PI * i) / V - Math.PI / 2;
    const r = (spacing * Math.max(1, V)) / (2 * Math.PI);
    return { id, x: r * Math.cos(a), y: r * Math.sin(a) };
  });
  const seen = new Set<string>();
  const edges: { source: number; target: number }[] = [];
  for (const l of links) {
    const a = index.get(l.cause);
    const b = index.get(l.effect);
    if (a === undefined || b === undefined || a === b) continue;
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push({ source: a, target: b });
  }
  const sim = forceSimulation(nodes)
    .force("charge", forceManyBody().strength(-spacing * 4))
    .force("link", forceLink(edges).distance(spacing * 1.5).strength(0.3))
    .force("collide", forceCollide(spacing / 2))
    .force("x", forceX(0).strength(0.06))
    .force("y", forceY(0).strength(0.06))
    .stop();
  sim.tick(400);
  return fitToBox(
    nodes.map((n) => ({ x: n.x ?? 0, y: n.y ?? 0 })),
    variables,
    box,
  );
}

/** Scale and centre points into `box` (same scale on both axes, never enlarged past 1.6x). */
function fitToBox(points: Point[], names: string[], box: Box): Map<string, Point> {
  const top = box.top ?? 0;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const w = box.width - 2 * box.margin;
  const h = box.height - 2 * box.margin - top;
  const k = Math.min(1.6, x1 > x0 ? w / (x1 - x0) : Infinity, y1 > y0 ? h / (y1 - y0) : Infinity);
  const scale = Number.isFinite(k) ? k : 1;
  const cx = box.width / 2;
  const cy = top + box.margin + h / 2;
  return new Map(names.map((n, i) => [n, { x: cx + (points[i].x - (x0 + x1) / 2) * scale, y: cy + (points[i].y - (y0 + y1) / 2) * scale }]));
}

/** The lag-unrolled grid: columns t - maxLag .. t left to right, one row per variable. */
export interface TimeGrid {
  width: number;
  height: number;
  /** Position of `variable` at time t - `lag` (lag 0 = t, the rightmost column). */
  at(variable: string, lag: number): Point;
  /** x of each column, index = lag. */
  columns: number[];
}

export function timeGrid(variables: string[], maxLag: number, opts: { left: number; top: number; dx: number; dy: number; right: number; bottom: number }): TimeGrid {
  const index = new Map(variables.map((v, i) => [v, i]));
  const columns = Array.from({ length: maxLag + 1 }, (_, lag) => opts.left + (maxLag - lag) * opts.dx);
  return {
    width: opts.left + maxLag * opts.dx + opts.right,
    height: opts.top + Math.max(0, variables.length - 1) * opts.dy + opts.bottom,
    columns,
    at(variable, lag) {
      const i = index.get(variable);
      if (i === undefined) throw new Error(`no variable "${variable}" in the time-series graph`);
      return { x: columns[lag], y: opts.top + i * opts.dy };
    },
  };
}
