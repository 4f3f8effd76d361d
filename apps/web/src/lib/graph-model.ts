// The arrows the graph views draw: lagged edges grouped per (cause, effect) with their lags and
// what the trust layer says of them, lag-0 edges with their orientation; filters and colours.
import type { Orientation, ScoredEdge } from "@causeway/core";
import { blues, diverging } from "./colors.js";

/** One arrow of the summary graph: a (cause, effect) pair and its listed lags, or one lag-0 link. */
export interface Arrow {
  cause: string;
  effect: string;
  /** Listed lags, ascending; `[0]` for a contemporaneous link. */
  lags: number[];
  /** The listed score of largest magnitude (signed). */
  score: number;
  /** Smallest p-value / q-value over the listed lags, when the edges carry them. */
  pvalue?: number;
  qvalue?: number;
  /** Largest bootstrap stability over the listed lags. */
  stability?: number;
  /** Lag-0 links only: how the method oriented it. */
  orientation?: Orientation;
}

/** Lagged edges grouped into one arrow per pair (strongest first), then the lag-0 links. */
export function arrowsOf(edges: ScoredEdge[]): Arrow[] {
  const byPair = new Map<string, Arrow>();
  const lag0: Arrow[] = [];
  const minOf = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
  for (const e of edges) {
    if (e.lag === 0) {
      lag0.push({ cause: e.cause, effect: e.effect, lags: [0], score: e.score, pvalue: e.pvalue, qvalue: e.qvalue, stability: e.stability, orientation: e.orientation ?? "directed" });
      continue;
    }
    const key = `${e.cause}\u0000${e.effect}`;
    const a = byPair.get(key) ?? { cause: e.cause, effect: e.effect, lags: [], score: 0 };
    a.lags.push(e.lag);
    if (a.lags.length === 1 || Math.abs(e.score) > Math.abs(a.score)) a.score = e.score;
    a.pvalue = minOf(a.pvalue, e.pvalue);
    a.qvalue = minOf(a.qvalue, e.qvalue);
    if (e.stability !== undefined) a.stability = Math.max(a.stability ?? 0, e.stability);
    byPair.set(key, a);
  }
  for (const a of byPair.values()) a.lags.sort((x, y) => x - y);
  const strength = (a: Arrow, b: Arrow) => Math.abs(b.score) - Math.abs(a.score);
  return [...[...byPair.values()].sort(strength), ...lag0.sort(strength)];
}

/** What the graph views leave out: edges not touching the focus variable, self-loops. */
export interface GraphFilters {
  /** Keep only edges into or out of this variable. */
  focus: string | null;
  hideSelfLoops: boolean;
}

export const NO_FILTERS: GraphFilters = { focus: null, hideSelfLoops: false };

/** The edges that pass `f`. */
export function filterEdges<E extends { cause: string; effect: string }>(edges: E[], f: GraphFilters): E[] {
  return edges.filter((e) => !(f.hideSelfLoops && e.cause === e.effect) && (f.focus === null || e.cause === f.focus || e.effect === f.focus));
}

/** What the arrows' colour shows. */
export type ColorBy = "truth" | "score" | "sign" | "pvalue" | "stability";

export const COLOR_BY_LABELS: Record<ColorBy, string> = {
  truth: "in the truth",
  score: "score",
  sign: "sign",
  pvalue: "p-value",
  stability: "stability",
};

/** -log10 p where the scale saturates (p <= 1e-8 is darkest). */
const P_DARKEST = 8;

/** The colour of an arrow under `by`; `maxAbs` is the largest |score| on show, `inTruth` whether the pair is a true edge. */
export function arrowColor(a: Arrow, by: ColorBy, maxAbs: number, inTruth: boolean): string {
  switch (by) {
    case "truth":
      return inTruth ? "#2f9e44" : "#e03131";
    case "score":
      return blues(0.25 + 0.75 * Math.min(1, Math.abs(a.score) / (maxAbs || 1)));
    case "sign":
      return diverging(a.score, maxAbs || 1);
    case "pvalue": {
      const p = a.qvalue ?? a.pvalue;
      if (p === undefined) return "#adb5bd";
      return blues(0.2 + 0.8 * Math.min(1, -Math.log10(Math.max(p, 1e-300)) / P_DARKEST));
    }
    case "stability":
      return a.stability === undefined ? "#adb5bd" : blues(0.15 + 0.85 * a.stability);
  }
}

/** The legend line for a colouring. */
export function colorLegend(by: ColorBy, usesQ: boolean): string {
  switch (by) {
    case "truth":
      return "green: in the ground truth · red: not · dashed grey: true edge missed";
    case "score":
      return "darker: stronger score";
    case "sign":
      return "red: positive score · blue: negative";
    case "pvalue":
      return `darker: smaller ${usesQ ? "q-value (adjusted p)" : "p-value"}, darkest at 1e-${P_DARKEST} · grey: untested`;
    case "stability":
      return "darker: selected in more bootstrap resamples";
  }
}

/** Stroke width: the bootstrap stability when the graph has it (1 to 6 px), else |score| (1.2 to 4.2 px). */
export function arrowWidth(a: Arrow, byStability: boolean, maxAbs: number): number {
  if (byStability) return 1 + 5 * (a.stability ?? 0);
  return 1.2 + 3 * Math.min(1, Math.abs(a.score) / (maxAbs || 1));
}
