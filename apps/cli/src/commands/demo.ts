import { getMethod, listMethods, resolveBackend, useBackend, type LaggedEdge } from "@causeway/core";
import { scoreGraph } from "@causeway/metrics";
import { intFlag, parse } from "../args.js";
import { table } from "../format.js";
import { UsageError, type CliIO } from "../io.js";
import { progressPrinter } from "../progress.js";
import { GENERATORS, generate, type GeneratorKind } from "./generate.js";
import { formatScore } from "./score.js";

export const demoHelp = `Usage: causeway demo [options]

The quick start: generate a series with known ground truth, discover its causal graph, and print
the scores and the strongest edges (true ones marked). Nothing is read or written on disk.

Options:
      --system <kind>     ${GENERATORS.join("|")} (default: var — a 5-variable VAR(3))
  -m, --method <name>     discovery method (default: var if registered, else corr)
  -n, --vars <n>          number of variables (default: 5)
  -T, --length <n>        time steps (default: 1000)
  -l, --max-lag <n>       max lag (default: 3)
  -s, --seed <n>          seed, an integer 0..2147483647 (default: 0)
  -b, --backend <name>    tensor backend (default: auto)
  -h, --help              this help
`;

export async function demoCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(
    argv,
    {
      system: { type: "string" },
      method: { type: "string", short: "m" },
      vars: { type: "string", short: "n" },
      length: { type: "string", short: "T" },
      "max-lag": { type: "string", short: "l" },
      seed: { type: "string", short: "s" },
      backend: { type: "string", short: "b" },
    },
    "demo",
  );
  if (values.help) return void io.out(demoHelp), 0;
  const kind = (values.system ?? "var") as GeneratorKind;
  if (!(GENERATORS as readonly string[]).includes(kind)) throw new UsageError(`--system must be one of ${GENERATORS.join(", ")}, got "${kind}"`);
  const maxLag = intFlag(values["max-lag"], "max-lag", 3, 1, 50);
  const spec = { kind, vars: intFlag(values.vars, "vars", 5, 2, 200), length: intFlag(values.length, "length", 1000, 50, 1_000_000), maxLag, seed: intFlag(values.seed, "seed", 0, 0, 2 ** 31 - 1) };
  const methodName = values.method ?? (listMethods().some((m) => m.name === "var") ? "var" : "corr");
  const method = getMethod(methodName);
  // the caller chooses the backend; a tensor method runs on the active one
  const backend = await resolveBackend(values.backend ?? "auto");
  if (method.usesTensors) await useBackend(backend);

  const { series, truth } = generate(spec);
  io.out(`generated ${kind}: ${series.variables.length} variables x ${series.length} steps, ${truth.edges.length} true ${truth.summaryOnly ? "summary" : "lagged"} edges (seed ${spec.seed})\n`);
  const progress = progressPrinter(io);
  const graph = await method.discover(series, { maxLag, seed: spec.seed, onProgress: progress.onProgress });
  progress.done();
  io.out(`discovered with ${graph.method} ${graph.meta.backend === "none" ? "(plain typed arrays)" : `on ${graph.meta.backend}`} in ${graph.meta.seconds.toFixed(2)} s\n\n`);
  const score = scoreGraph(truth, graph);
  io.out(formatScore(score, truth.summaryOnly) + "\n");

  const isTrue = (e: LaggedEdge) => truth.edges.some((t) => t.cause === e.cause && t.effect === e.effect && (truth.summaryOnly || t.lag === e.lag));
  const shown = graph.edges.slice(0, 12);
  io.out(`strongest edges over the threshold ${graph.threshold} (${graph.edges.length} in all; * = in the ground truth):\n`);
  io.out(table(["cause", "effect", "lag", "score", "true"], shown.map((e) => [e.cause, e.effect, e.lag, e.score, isTrue(e) ? "*" : ""])));
  io.out(`\nnext: \`pnpm causeway generate ${kind} --out data/demo\`, then \`pnpm causeway discover data/demo/data.csv --method ${graph.method} --out graph.json\` and \`pnpm causeway score data/demo/truth.json graph.json\`\n`);
  return 0;
}
