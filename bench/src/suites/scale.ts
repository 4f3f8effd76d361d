import { listMethods, useBackend, type Discoverer, type TimeSeries } from "@causeway/core";
import { scoreGraph } from "@causeway/metrics";
import { registerAllMethods } from "@causeway/methods";
import { generateLorenz96, generateVar } from "@causeway/synth";
import { f3 } from "../format.js";
import type { BenchContext, BenchReport, BenchSuite } from "../types.js";

/** The transforms applied to the whole series; a scale-free method scores them all alike. */
const TRANSFORMS: { name: string; f: (x: number) => number }[] = [
  { name: "original", f: (x) => x },
  { name: "x1e-12", f: (x) => x * 1e-12 },
  { name: "x1e12", f: (x) => x * 1e12 },
  { name: "+1000", f: (x) => x + 1000 },
  { name: "x1e300", f: (x) => x * 1e300 },
  { name: "x1e-300", f: (x) => x * 1e-300 },
];

/** Small, cheap settings for the slow methods, so the suite runs in minutes on 2 cores. */
function settings(name: string, quick: boolean): Record<string, unknown> {
  switch (name) {
    case "cmlp":
      return { hidden: 8, pathSteps: quick ? 3 : 6, warmupIters: quick ? 30 : 100, stepIters: quick ? 10 : 20 };
    case "clstm":
      return { hidden: 6, context: 5, pathSteps: quick ? 2 : 4, warmupIters: quick ? 15 : 40, stepIters: quick ? 5 : 10 };
    case "tcdf":
      return { epochs: quick ? 50 : 300 };
    case "transformer":
      return { dModel: 16, heads: 2, ffHidden: 32, epochs: quick ? 3 : 15, samples: 256 };
    default:
      return {};
  }
}

interface Row {
  dataset: string;
  method: string;
  transform: string;
  aurocLagged: number | null;
  aurocSummary: number | null;
  warnings: string[];
  error?: string;
}

type Truth = Parameters<typeof scoreGraph>[0];

async function runOne(dataset: string, method: Discoverer, series: TimeSeries, truth: Truth, transform: (typeof TRANSFORMS)[number], quick: boolean): Promise<Row> {
  const input: TimeSeries = { ...series, data: series.data.map(transform.f) };
  try {
    if (method.usesTensors) await useBackend("wasm"); // the suite's backend; methods run on the active one
    const graph = await method.discover(input, { maxLag: 3, seed: 0, params: settings(method.name, quick) });
    const s = scoreGraph(truth, graph);
    return { dataset, method: method.name, transform: transform.name, aurocLagged: s.aurocLagged, aurocSummary: s.aurocSummary, warnings: (graph.warnings ?? []).map((w) => w.code) };
  } catch (e) {
    return { dataset, method: method.name, transform: transform.name, aurocLagged: null, aurocSummary: null, warnings: [], error: (e as Error).message.split("\n")[0] };
  }
}

/** Largest |AUROC - original's| over the transforms (null when a run failed). */
function maxDiff(rows: Row[], key: "aurocLagged" | "aurocSummary"): number | null {
  const base = rows[0][key];
  let worst = 0;
  for (const r of rows.slice(1)) {
    const v = r[key];
    if (base === null || v === null) return null;
    worst = Math.max(worst, Math.abs(v - base));
  }
  return worst;
}

export const suite: BenchSuite = {
  name: "scale",
  description: "every registered method's AUROC on a VAR and a Lorenz-96 series, x1e-12, x1e12, +1000, x1e300 and x1e-300 (scale invariance)",
  async run(ctx: BenchContext): Promise<BenchReport> {
    registerAllMethods();
    const T = ctx.quick ? 200 : 500;
    const datasets: { name: string; series: TimeSeries; truth: Truth }[] = [
      { name: `VAR(3), V = 5, T = ${T}, seed 1 (lagged truth)`, ...generateVar({ vars: 5, length: T, maxLag: 3, seed: 1 }) },
      { name: `Lorenz-96, V = 5, F = 10, T = ${T}, seed 1 (summary truth)`, ...generateLorenz96({ vars: 5, length: T, forcing: 10, seed: 1 }) },
    ];
    const rows: Row[] = [];
    const sections: string[] = [];
    for (const d of datasets) {
      const lines: string[] = [];
      for (const method of listMethods()) {
        const mine: Row[] = [];
        for (const t of TRANSFORMS) {
          const row = await runOne(d.name, method, d.series, d.truth, t, ctx.quick);
          mine.push(row);
          rows.push(row);
          if (ctx.json) process.stdout.write(JSON.stringify(row) + "\n");
          ctx.log(`${method.name.padEnd(12)} ${t.name.padEnd(9)} lagged ${f3(row.aurocLagged)} summary ${f3(row.aurocSummary)}${row.warnings.length ? ` warnings ${row.warnings.join(",")}` : ""}${row.error ? ` ERROR ${row.error}` : ""}`);
        }
        const cells = mine.map((r) => (r.error ? "error" : `${f3(r.aurocLagged)} / ${f3(r.aurocSummary)}`));
        const diff = (x: number | null) => (x === null ? "–" : x === 0 ? "0" : x.toExponential(1));
        const warned = mine.filter((r) => r.warnings.includes("scale")).map((r) => r.transform);
        lines.push(`| ${method.name} | ${cells.join(" | ")} | ${diff(maxDiff(mine, "aurocLagged"))} / ${diff(maxDiff(mine, "aurocSummary"))} | ${warned.join(", ") || "none"} |`);
      }
      sections.push(`## ${d.name}`, "", `| method | ${TRANSFORMS.map((t) => t.name).join(" | ")} | max abs Δ (lagged / summary) | \`scale\` warning |`, `|---|${TRANSFORMS.map(() => "---").join("|")}|---|---|`, ...lines, "");
    }
    const errors = rows.filter((r) => r.error).map((r) => `- ${r.dataset}, ${r.method} ${r.transform}: ${r.error}`);
    const markdown = [
      "Each series with known truth is transformed as a whole; every registered method, seed 0, maxLag 3,",
      `small settings for the slow methods (${["cmlp", "clstm", "tcdf", "transformer"].map((m) => `${m}: ${JSON.stringify(settings(m, ctx.quick))}`).join("; ")}), every other method at its defaults, tensor methods on wasm.`,
      "Methods that are not scale-invariant z-score each variable first; the others rescale each variable by an exact power of two (see each method's README).",
      "Cells: lagged AUROC / summary AUROC (– where the truth is summary-only). Max abs Δ: the largest difference from the original over the other transforms.",
      "",
      ...sections,
      ...(errors.length ? ["Errors:", "", ...errors, ""] : []),
    ].join("\n");
    return { rows: rows as unknown as Record<string, unknown>[], markdown };
  },
};
