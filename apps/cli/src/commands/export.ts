// `causeway export GRAPH --to dot|mermaid|svg|png|graphml` and `causeway report GRAPH --out FILE`.
import { writeFile } from "node:fs/promises";
import { readGraph } from "@causeway/core/node";
import { parse } from "../args.js";
import { svgToPng } from "../export/png.js";
import { toReport } from "../export/report.js";
import { toSvg } from "../export/svg.js";
import { toDot, toGraphml, toMermaid } from "../export/text.js";
import { UsageError, type CliIO } from "../io.js";

export const EXPORT_FORMATS = ["dot", "mermaid", "svg", "png", "graphml"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const exportHelp = `Usage: causeway export <graph.json> --to dot|mermaid|svg|png|graphml [--out FILE]

Write a discovered graph (causeway.graph/v1, from \`discover --out\`) for papers and docs: its
selected edges, one per (cause, effect, lag) labelled with the lag; lag-0 links directed only
where the method oriented them; score, p, q and stability as attributes (DOT, GraphML).
svg and png are drawn here (variables on a circle, DejaVu Sans embedded: the same on every machine).

Options:
      --to <format>       dot | mermaid | graphml (text) | svg | png (default: the --out extension)
  -o, --out <file>        write to a file (default: stdout; png needs --out)
      --hide-self         leave out self-loops (x -> x)
  -h, --help              this help
`;

export const reportHelp = `Usage: causeway report <graph.json> --out report.html

Write one self-contained HTML page (no network needed) with the run parameters, the warnings, the
graph, a heatmap of the scores (summary and per lag) and the edge table (p, q and stability when
the graph has them).

Options:
  -o, --out <file>        the HTML file to write (required)
      --title <text>      the page title (default: method and number of variables)
      --hide-self         leave self-loops out of the drawing
  -h, --help              this help
`;

/** The format from `--to`, or from the `--out` file's extension. */
export function exportFormat(to: string | undefined, out: string | undefined): ExportFormat {
  const ext = out?.match(/\.([a-z]+)$/i)?.[1].toLowerCase();
  const f = to ?? (ext === "gv" ? "dot" : ext === "mmd" ? "mermaid" : ext);
  if (f === undefined) throw new UsageError(`export needs --to ${EXPORT_FORMATS.join("|")} (see \`causeway export --help\`)`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--to must be one of ${EXPORT_FORMATS.join(", ")}, got "${f}"`);
  return f as ExportFormat;
}

export async function exportCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(argv, { to: { type: "string" }, out: { type: "string", short: "o" }, "hide-self": { type: "boolean" } }, "export");
  if (values.help) return void io.out(exportHelp), 0;
  if (positionals.length !== 1) throw new UsageError("export needs one graph file (see `causeway export --help`)");
  const format = exportFormat(values.to, values.out);
  if (format === "png" && !values.out) throw new UsageError("--to png writes binary data: give --out FILE.png");
  const graph = await readGraph(positionals[0]);
  const showSelf = !values["hide-self"];
  let content: string | Uint8Array;
  if (format === "dot") content = toDot(graph, showSelf);
  else if (format === "mermaid") content = toMermaid(graph, showSelf);
  else if (format === "graphml") content = toGraphml(graph, showSelf);
  else if (format === "svg") content = toSvg(graph, { showSelf });
  else content = await svgToPng(toSvg(graph, { showSelf, embedFont: false }));
  if (!values.out) return void io.out(content as string), 0;
  await writeFile(values.out, content);
  io.err(`${format} written to ${values.out}\n`);
  return 0;
}

export async function reportCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(argv, { out: { type: "string", short: "o" }, title: { type: "string" }, "hide-self": { type: "boolean" } }, "report");
  if (values.help) return void io.out(reportHelp), 0;
  if (positionals.length !== 1) throw new UsageError("report needs one graph file (see `causeway report --help`)");
  if (!values.out) throw new UsageError("report needs --out FILE.html");
  const graph = await readGraph(positionals[0]);
  await writeFile(values.out, toReport(graph, { showSelf: !values["hide-self"], title: values.title }));
  io.err(`report written to ${values.out}\n`);
  return 0;
}
