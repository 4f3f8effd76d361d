// One self-contained HTML page for a causeway.graph/v1: run parameters, warnings, the graph (our
// SVG, font embedded), a heatmap of the scores (coloured table: summary and per lag) and the
// edge table. No script, no stylesheet or font from the network.
import type { CausalGraph } from "@causeway/core";
import { num, xmlEscape as esc } from "./edges.js";
import { fontFaceCss, FONT_FAMILY } from "./fonts.js";
import { toSvg } from "./svg.js";

/** The report's sections, in order (each an `<section id=...>`). */
export const REPORT_SECTIONS = ["run", "warnings", "graph", "heatmap", "edges"] as const;

export function toReport(graph: CausalGraph, options: { showSelf?: boolean; title?: string } = {}): string {
  const title = options.title ?? `Causeway report: ${graph.method} on ${graph.variables.length} variables`;
  // inline SVG in HTML needs no namespace declaration (and the page then names no URL at all)
  const svg = toSvg(graph, { showSelf: options.showSelf, embedFont: false }).replace(` xmlns="http://www.w3.org/2000/svg"`, "");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>${fontFaceCss()}
body{font-family:"${FONT_FAMILY}",sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
table{border-collapse:collapse;font-size:13px;margin:.5em 0}th,td{border:1px solid #ccc;padding:3px 7px}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f0f3f7}
.heat td{width:3.2em;text-align:center;font-size:11px}.warn{color:#8a4b00}
svg{max-width:100%;height:auto;border:1px solid #eee}details{margin:.4em 0}
</style></head><body>
<h1>${esc(title)}</h1>
${runSection(graph)}
${warningsSection(graph)}
<section id="graph"><h2>Graph</h2>
<p>Arrows point from cause to effect, labelled with the lags at which the edge was selected; width by score. Dashed: lag-0 links the method could not orient.</p>
${svg}</section>
${heatmapSection(graph)}
${edgesSection(graph)}
</body></html>
`;
}

function runSection(graph: CausalGraph): string {
  const m = graph.meta;
  const rows: [string, string][] = [
    ["method", graph.method],
    ["variables", graph.variables.join(", ")],
    ["max lag", String(graph.maxLag)],
    ["edges", String(graph.edges.length)],
    [m.alpha !== undefined ? "alpha (correction)" : "threshold", m.alpha !== undefined ? `${m.alpha} (${m.correction ?? "fdr_bh"})` : num(graph.threshold)],
  ];
  // every meta field as given (params, backend, seconds, seed, bootstrap, surrogates, reach, ...)
  for (const [k, v] of Object.entries(m)) rows.push([`meta.${k}`, typeof v === "string" ? v : JSON.stringify(v)]);
  return `<section id="run"><h2>Run parameters</h2><table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</table></section>`;
}

function warningsSection(graph: CausalGraph): string {
  const w = graph.warnings;
  const body =
    w === undefined
      ? "<p>No checks ran for this graph: nothing is vouched for.</p>"
      : w.length === 0
        ? "<p>Every check ran and passed.</p>"
        : `<ul>${w.map((x) => `<li class="warn"><b>${esc(x.code)}</b>: ${esc(x.message)}</li>`).join("")}</ul>`;
  return `<section id="warnings"><h2>Warnings</h2>${body}</section>`;
}

/** A coloured score table `[effect][cause]`, white (lowest) to blue (highest score of the graph). */
function heatTable(graph: CausalGraph, value: (e: number, c: number) => number, hi: number, lo: number): string {
  const V = graph.variables;
  const head = `<tr><th>effect \\ cause</th>${V.map((v) => `<th>${esc(v)}</th>`).join("")}</tr>`;
  const rows = V.map((ev, e) => {
    const cells = V.map((_, c) => {
      const x = value(e, c);
      const t = hi > lo && Number.isFinite(x) ? Math.max(0, Math.min(1, (x - lo) / (hi - lo))) : 0;
      const bg = `rgb(${Math.round(255 - 224 * t)},${Math.round(255 - 160 * t)},${Math.round(255 - 102 * t)})`;
      return `<td style="background:${bg};color:${t > 0.6 ? "#fff" : "#222"}" title="${esc(`${V[c]} -> ${ev}: ${num(x)}`)}">${num(x)}</td>`;
    });
    return `<tr><th>${esc(ev)}</th>${cells.join("")}</tr>`;
  });
  return `<table class="heat">${head}${rows.join("")}</table>`;
}

function heatmapSection(graph: CausalGraph): string {
  const s = graph.scores;
  let hi = -Infinity;
  let lo = Infinity;
  for (const row of s)
    for (const cell of row)
      for (const x of cell) {
        if (!Number.isFinite(x)) continue;
        hi = Math.max(hi, x);
        lo = Math.min(lo, x);
      }
  const summary = heatTable(graph, (e, c) => Math.max(...s[e][c]), hi, lo);
  const perLag = Array.from({ length: graph.maxLag }, (_, l) => `<details><summary>lag ${l + 1}</summary>${heatTable(graph, (e, c) => s[e][c][l], hi, lo)}</details>`);
  const contemporaneous = graph.contemporaneous ? `<details><summary>lag 0 (contemporaneous)</summary>${heatTable(graph, (e, c) => graph.contemporaneous![e][c], hi, lo)}</details>` : "";
  return `<section id="heatmap"><h2>Scores</h2><p>Rows are effects, columns causes; the summary is the largest score over lags 1..${graph.maxLag}.${graph.meta.lagResolved === false ? " This method finds summary edges only: its scores repeat across lags." : ""}</p>${summary}${contemporaneous}${perLag.join("")}</section>`;
}

function edgesSection(graph: CausalGraph): string {
  const has = (k: "pvalue" | "qvalue" | "stability" | "orientation") => graph.edges.some((e) => e[k] !== undefined);
  const cols = [["pvalue", "p"], ["qvalue", "q"], ["stability", "stability"]].filter(([k]) => has(k as "pvalue")) as ["pvalue" | "qvalue" | "stability", string][];
  const orient = has("orientation");
  const head = `<tr><th>cause</th><th>effect</th><th>lag</th><th>score</th>${cols.map(([, h]) => `<th>${h}</th>`).join("")}${orient ? "<th>orientation</th>" : ""}</tr>`;
  const rows = graph.edges.map(
    (e) =>
      `<tr><td>${esc(e.cause)}</td><td>${esc(e.effect)}</td><td class="n">${e.lag}</td><td class="n">${num(e.score)}</td>` +
      cols.map(([k]) => `<td class="n">${e[k] === undefined ? "" : num(e[k]!)}</td>`).join("") +
      (orient ? `<td>${e.orientation ?? ""}</td>` : "") +
      `</tr>`,
  );
  const body = graph.edges.length === 0 ? "<p>No edge was selected.</p>" : `<table>${head}${rows.join("")}</table>`;
  return `<section id="edges"><h2>Edges (${graph.edges.length})</h2>${body}</section>`;
}
