import { readGraph, readTruth } from "@causeway/core/node";
import { scoreGraph, type GraphScore } from "@causeway/metrics";
import { numFlag, parse } from "../args.js";
import { fmt, table } from "../format.js";
import { UsageError, type CliIO } from "../io.js";

export const scoreHelp = `Usage: causeway score <truth> <graph.json> [options]

Score a discovered graph against ground truth: lagged and summary AUROC, AUPRC, F1 and SHD.
<truth> is formats.md ground-truth JSON, a TCDF \`cause,effect,delay\` file (column indices of the
graph's variables) or an LCM CDML \`_target.csv\`.

Options:
      --order <o>         TCDF file column order: cause-effect (default) | effect-cause
  -t, --threshold <x>     re-threshold the graph's scores instead of using its edge list
      --json              print the scores as JSON on stdout
  -h, --help              this help
`;

export async function scoreCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { json: { type: "boolean" }, order: { type: "string" }, threshold: { type: "string", short: "t" } },
    "score",
  );
  if (values.help) return void io.out(scoreHelp), 0;
  if (positionals.length !== 2) throw new UsageError("score needs <truth> and <graph.json> (see `causeway score --help`)");
  if (values.order !== undefined && values.order !== "cause-effect" && values.order !== "effect-cause")
    throw new UsageError(`--order must be cause-effect or effect-cause, got "${values.order}"`);
  const graph = await readGraph(positionals[1]);
  const truth = await readTruth(positionals[0], { variables: graph.variables, order: values.order as "cause-effect" | "effect-cause" | undefined });
  const result = scoreGraph(truth, graph, { threshold: numFlag(values.threshold, "threshold") });
  if (values.json) io.out(JSON.stringify(result) + "\n");
  else io.out(formatScore(result, truth.summaryOnly));
  return 0;
}

export function formatScore(s: GraphScore, summaryOnly: boolean): string {
  const rows: (string | number)[][] = [
    ["AUROC", summaryOnly ? "-" : fmt(s.aurocLagged), fmt(s.aurocSummary)],
    ["AUROC (no self pairs)", "-", fmt(s.aurocSummaryNoSelf)],
    ["AUROC (skeleton, undirected)", "-", fmt(s.aurocSkeleton)],
    ["AUPRC", summaryOnly ? "-" : fmt(s.auprcLagged), fmt(s.auprcSummary)],
    ["F1 at threshold", summaryOnly ? "-" : fmt(s.f1), fmt(s.f1Summary)],
    ["SHD", summaryOnly ? "-" : fmt(s.shd), fmt(s.shdSummary)],
  ];
  return table(["metric", "lagged", "summary"], rows);
}
