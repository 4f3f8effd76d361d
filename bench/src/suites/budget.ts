// `pnpm bench budget`: what the training budgets buy. The neural methods (cmlp, clstm, tcdf,
// transformer) on the same seeded nonlinear series with --budget fast / default / thorough (the
// method's default earlyStop), the default budget with early stopping flipped, and a seconds budget:
// seconds and AUROC per run (issue 20 item 5).
import { useBackend, type Budget, type Discoverer } from "@causeway/core";
import { ALL_METHODS } from "@causeway/methods";
import { scoreGraph } from "@causeway/metrics";
import { generateNonlinear } from "@causeway/synth";
import { f3 } from "../format.js";
import type { BenchContext, BenchReport, BenchSuite } from "../types.js";
import "../backends.js";

const METHODS = ["cmlp", "clstm", "tcdf", "transformer"] as const;
const BUDGETS: Budget[] = ["fast", "default", "thorough"];
const MAX_LAG = 2;
/** The wall-clock budget row: seconds given to every method. */
const SECONDS = 1.5;

interface Row {
  method: string;
  seed: number;
  budget: string;
  earlyStop: boolean;
  seconds: number;
  aurocLagged: number;
  aurocSummary: number;
  /** Training iterations/epochs run (the method's own count), and why the dense fit / training ended. */
  trained: string;
  cut: boolean;
}

/** What the graph says about how long it trained. */
function trained(method: string, meta: Record<string, unknown>): string {
  if (method === "tcdf") return `${String(meta.epochs)} ep (${String(meta.stopped)})`;
  if (method === "transformer") return `${String(meta.epochs)} ep`;
  return `${String(meta.iterations)} it, dense ${String(meta.denseIterations)} (${String(meta.denseStopped)})`;
}

export const suite: BenchSuite = {
  name: "budget",
  description: "neural methods with --budget fast/default/thorough, early stopping on/off and a seconds budget: seconds and AUROC on one nonlinear family",
  async run(ctx: BenchContext): Promise<BenchReport> {
    await useBackend("wasm");
    const V = 5;
    const T = ctx.quick ? 200 : 300;
    const seeds = ctx.quick ? [0] : [0, 1];
    const rows: Row[] = [];
    // --methods a,b: a subset (for a quick look; the committed table has all four)
    const pick = ctx.args.find((a) => a.startsWith("--methods="))?.slice("--methods=".length).split(",");
    for (const name of METHODS.filter((m) => !pick || pick.includes(m))) {
      const method: Discoverer | undefined = ALL_METHODS.find((m) => m.name === name);
      if (!method) throw new Error(`budget: ${name} is not registered in @causeway/methods`);
      const esDefault = method.params.find((p) => p.name === "earlyStop")?.default === true;
      for (const seed of seeds) {
        const { series, truth } = generateNonlinear({ vars: V, length: T, maxLag: MAX_LAG, seed });
        // each budget with the method's default earlyStop, the default budget with it flipped too, and the seconds budget
        const runs: { budget: Budget; earlyStop: boolean }[] = [
          ...BUDGETS.flatMap((b) => [{ budget: b, earlyStop: esDefault }, ...(b === "default" ? [{ budget: b, earlyStop: !esDefault }] : [])]),
          { budget: SECONDS, earlyStop: esDefault },
        ];
        for (const { budget, earlyStop } of runs) {
          const t0 = performance.now();
          const g = await method.discover(series, { maxLag: MAX_LAG, seed: 0, budget, backend: "wasm", params: { earlyStop } });
          const seconds = (performance.now() - t0) / 1000;
          const score = scoreGraph(truth, g);
          const row: Row = {
            method: name,
            seed,
            budget: typeof budget === "number" ? `${budget} s` : budget,
            earlyStop,
            seconds,
            aurocLagged: score.aurocLagged ?? NaN,
            aurocSummary: score.aurocSummary ?? NaN,
            trained: trained(name, g.meta),
            cut: g.meta.budget?.cut === true,
          };
          rows.push(row);
          ctx.log(`${name} #${seed} ${row.budget} earlyStop ${earlyStop}: ${seconds.toFixed(2)} s, AUROC lagged ${f3(row.aurocLagged)} summary ${f3(row.aurocSummary)}, ${row.trained}${row.cut ? ", cut" : ""}`);
        }
      }
    }
    if (ctx.json) for (const r of rows) process.stdout.write(JSON.stringify(r) + "\n");
    return { rows: rows.map((r) => ({ ...r })), markdown: markdown(rows, { V, T, seeds }), file: "budget" };
  },
};

function markdown(rows: Row[], o: { V: number; T: number; seeds: number[] }): string {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const lines = [
    "## Training budgets: seconds and AUROC per `--budget` and early stopping",
    "",
    `generateNonlinear V = ${o.V}, T = ${o.T}, maxLag ${MAX_LAG} (defaults otherwise), seeds ${o.seeds.join(", ")}; every method on the wasm backend, one thread,`,
    `method seed 0, its defaults apart from the budget's preset and \`earlyStop\` (each budget with the method's default earlyStop, the default budget`,
    `with it flipped as well). "${SECONDS} s": a seconds budget (the default preset, training stopped at`,
    "the deadline; `cut` counts runs it stopped before convergence). AUROC: lagged (every effect, cause, lag 1..2, self-loops included) and summary",
    "(clstm scores summaries only: its lagged figure repeats them). Seconds: the whole `discover` call on the shared 2-core machine (noisy under load).",
    "Reproduce: `npx -y pnpm@9.15.9 bench budget`.",
    "",
    "| method | budget | earlyStop | seconds | AUROC lagged | AUROC summary | trained (seed 0) | cut |",
    "|---|---|---|---|---|---|---|---|",
  ];
  const keys = [...new Set(rows.map((r) => `${r.method}|${r.budget}|${r.earlyStop}`))];
  for (const k of keys) {
    const of = rows.filter((r) => `${r.method}|${r.budget}|${r.earlyStop}` === k);
    const [r] = of;
    lines.push(
      `| ${r.method} | ${r.budget} | ${r.earlyStop ? "on" : "off"} | ${mean(of.map((x) => x.seconds)).toFixed(2)} | ${f3(mean(of.map((x) => x.aurocLagged)))} | ${f3(mean(of.map((x) => x.aurocSummary)))} | ${r.trained} | ${of.filter((x) => x.cut).length}/${of.length} |`,
    );
  }
  lines.push("", "Per seed (lagged AUROC):", "", "| method | budget | earlyStop | " + o.seeds.map((s) => `seed ${s}`).join(" | ") + " |", "|---|---|---|" + o.seeds.map(() => "---|").join(""));
  for (const k of keys) {
    const of = rows.filter((r) => `${r.method}|${r.budget}|${r.earlyStop}` === k);
    lines.push(`| ${of[0].method} | ${of[0].budget} | ${of[0].earlyStop ? "on" : "off"} | ${of.map((x) => f3(x.aurocLagged)).join(" | ")} |`);
  }
  lines.push("");
  return lines.join("\n");
}
