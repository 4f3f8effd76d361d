// `discover`'s terminal summary: the run line and the strongest (cause, effect) pairs, one line
// per pair at its best lag (a method that repeats one edge per lag, cLSTM, shows it once), with the
// sign of the effect where the method has one, self-loops hidden unless asked for.
import { laggedPearson, type CausalGraph, type TimeSeries } from "@causeway/core";
import { varGranger } from "@causeway/granger";
import { table } from "./format.js";
import { trustSummary } from "./commands/trust.js";

/** `[effect][cause][lag - 1]` signs (+1, -1; 0 unknown) of the lagged effects. */
export type Signs = number[][][];

export interface PairRow {
  cause: string;
  effect: string;
  /** The lag with the largest score (the first, for a summary-only method). */
  lag: number;
  score: number;
  sign?: "+" | "-";
  p?: number;
  stability?: number;
  /** Whether the pair is in the graph's selected `edges` at some lag. */
  selected: boolean;
}

/**
 * One row per (cause, effect) pair, strongest first: its best lag's score, p, stability and sign.
 * Self-loops (x -> x) are left out unless `showSelf`.
 */
export function pairRows(graph: CausalGraph, options: { top?: number; showSelf?: boolean; signs?: Signs } = {}): PairRow[] {
  const V = graph.variables.length;
  const selected = new Set(graph.edges.filter((e) => e.lag > 0).map((e) => `${e.cause}\u0000${e.effect}`));
  const rows: PairRow[] = [];
  for (let e = 0; e < V; e++)
    for (let c = 0; c < V; c++) {
      if (e === c && !options.showSelf) continue;
      const s = graph.scores[e][c];
      let best = 0;
      for (let l = 1; l < s.length; l++) if (s[l] > s[best]) best = l;
      if (!Number.isFinite(s[best])) continue;
      const row: PairRow = { cause: graph.variables[c], effect: graph.variables[e], lag: best + 1, score: s[best], selected: selected.has(`${graph.variables[c]}\u0000${graph.variables[e]}`) };
      const sign = options.signs?.[e]?.[c]?.[best];
      if (sign) row.sign = sign > 0 ? "+" : "-";
      if (graph.pvalues) row.p = graph.pvalues[e][c][best];
      if (graph.stability) row.stability = graph.stability[e][c][best];
      rows.push(row);
    }
  rows.sort((a, b) => b.score - a.score || (a.p ?? 1) - (b.p ?? 1));
  return rows.slice(0, options.top ?? rows.length);
}

/**
 * Signs of the lagged effects for the methods that have one: `var` (the VAR coefficient of the
 * cause's lag in the effect's equation) and `corr` (the lagged correlation); undefined otherwise.
 */
export function edgeSigns(graph: CausalGraph, series: TimeSeries): Signs | undefined {
  const V = series.variables.length;
  const P = graph.maxLag;
  const signs: Signs = Array.from({ length: V }, () => Array.from({ length: V }, () => new Array<number>(P).fill(0)));
  if (graph.method === "corr") {
    laggedPearson(series.data, series.length, V, P, (e, c, l, r) => (signs[e][c][l - 1] = Number.isFinite(r) ? Math.sign(r) : 0));
    return signs;
  }
  if (graph.method === "var") {
    const ic = graph.meta.params.ic;
    const fit = varGranger(series, { maxLag: P, ic: typeof ic === "string" ? (ic as "none") : "none" });
    for (let e = 0; e < V; e++) for (let c = 0; c < V; c++) for (let l = 1; l <= fit.order; l++) signs[e][c][l - 1] = Math.sign(fit.coef[(e * V + c) * fit.order + l - 1]);
    return signs;
  }
  return undefined;
}

/** Human summary of a graph: method, timing, edges selected and the strongest (cause, effect) pairs. */
export function describeGraph(graph: CausalGraph, top = 10, options: { showSelf?: boolean; signs?: Signs } = {}): string {
  const V = graph.variables.length;
  const m = graph.meta;
  let s = `method ${graph.method} | ${V} variables, max lag ${graph.maxLag} | backend ${m.backend} | ${m.seconds.toFixed(2)} s | seed ${m.seed}\n`;
  s += `${graph.edges.length} edges${m.alpha === undefined ? ` at threshold ${graph.threshold}` : ""}${trustSummary(graph)}${m.lagResolved === false ? " (summary only: scores repeat across lags)" : ""}\n`;
  if (top <= 0) return s;
  const rows = pairRows(graph, { top, showSelf: options.showSelf, signs: options.signs });
  const pairs = options.showSelf ? V * V : V * (V - 1);
  s += `\nstrongest ${rows.length} of ${pairs} (cause, effect) pairs${options.showSelf ? "" : ", self-loops hidden (--show-self)"}; lag: the pair's best lag${m.lagResolved === false ? " (summary method: any)" : ""}:\n`;
  const withSign = rows.some((r) => r.sign !== undefined);
  const head = ["cause", "effect", "lag", "score", ...(withSign ? ["sign"] : []), ...(graph.pvalues ? ["p"] : []), ...(graph.stability ? ["stability"] : []), "edge"];
  s += table(
    head,
    rows.map((r) => [
      r.cause,
      r.effect,
      m.lagResolved === false ? "-" : r.lag,
      r.score,
      ...(withSign ? [r.sign ?? ""] : []),
      ...(graph.pvalues ? [r.p!] : []),
      ...(graph.stability ? [r.stability!] : []),
      r.selected ? "yes" : "",
    ]),
  );
  return s;
}
