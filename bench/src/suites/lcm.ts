// `pnpm bench lcm`: LCM v2 (the default `lcm` model) against its ablations - v1 (the shipped
// transformer lcm-v12-l3), v2 without injected statistics (lcm-v2-corr: lagged Pearson r only),
// statistics-only (the best single statistic on the training validation set, no learning) - and
// the classical methods var, pcmci and cmlp (short settings), on held-out seeds of every training
// family and on the shared real data; a Wilcoxon signed-rank test of v2 vs each; inference latency.
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { createScores, defineMethod, param, useBackend, type CausalGraph, type Discoverer } from "@causeway/core";
import { cmlpMethod, varMethod } from "@causeway/granger";
import { RAW_STATISTICS, featureTable, lcmMethod, loadDefaultV2Model, predictV2 } from "@causeway/lcm";
import { median, scoreGraph, wilcoxonSignedRank } from "@causeway/metrics";
import { ALL_METHODS } from "@causeway/methods";
import { EVALUATION_SEED_START, MIXTURE_FAMILIES, generateNonlinear, generateSvar, generateVar, sampleMixture, type Generated } from "@causeway/synth";
import { COLLECTIONS, spaced, type Dataset } from "../collections.js";
import { avg, f3 } from "../format.js";
import type { BenchContext, BenchReport, BenchSuite } from "../types.js";

const pcmciMethod = ALL_METHODS.find((m) => m.name === "pcmci")!;
const CORR_MODEL = fileURLToPath(new URL("../../../packages/lcm/models/lcm-v2-corr/model.json", import.meta.url));
const CMLP_SHORT = { hidden: 16, pathSteps: 8, warmupIters: 100, stepIters: 20 };
/** cmlp runs where V * T <= this (its cost): the larger sets get "–". */
const CMLP_MAX_CELLS = 12 * 1000;

const withParams = (m: Discoverer, name: string, params: Record<string, string | number>): Discoverer => ({
  ...m,
  name,
  discover: (series, options) => m.discover(series, { ...options, params: { ...options.params, ...params } }),
});

/** Statistics-only: one raw statistic of the v2 feature table as the score, no learning. */
const statsOnly = defineMethod({
  name: "stats-only",
  description: "one raw injected statistic as the score (|r|, |VAR t|, MCI -log10 p or |Spearman|)",
  usesTensors: false,
  lagResolved: true,
  defaultThreshold: 0.5,
  params: { statistic: param.string({ default: "mci", description: "corr | varT | mci | spearman" }) },
  estimate: ({ T, V, maxLag }) => ({ bytes: T * V * 64, flops: V * V * maxLag * T * 50 }),
  samplesNeeded: ({ maxLag }) => ({ min: maxLag + 10, comfortable: maxLag + 10, why: "lagged statistics" }),
  run({ series, maxLag, params }) {
    const V = series.variables.length;
    const table = featureTable(series.data, series.length, V, maxLag, "full");
    const { feature, abs } = RAW_STATISTICS[String(params.statistic)];
    const f = table.names.indexOf(feature);
    const F = table.names.length;
    const scores = createScores(V, maxLag);
    for (let i = 0; i < scores.data.length; i++) scores.data[i] = abs ? Math.abs(table.data[i * F + f]) : table.data[i * F + f];
    return { scores };
  },
});

/** synth's catalogue collections of issue #19's families (fixed seeds 0..; the first `n` of each). */
const SYNTH_GROUPS = [
  "var-v10-l3",
  "longlag-v6-l8",
  "nonlinear-v12-l3",
  "nonlinear-v20-l3",
  "regime-v6",
  "hetero-v8",
  "spiking-v8",
  "bold-v8",
  "confounded-v8",
  "kuramoto-v5",
  "kuramoto-v10",
  "lorenz96-v10-f10",
  "lorenz96-v20-f10",
];

/** Two more held-out groups built here (seeds 0..): shocks of a structural VAR and monotone-transformed links. */
function extraGroups(n: number): { family: string; ds: Dataset }[] {
  const out: { family: string; ds: Dataset }[] = [];
  const add = (family: string, maxLag: number, make: (seed: number) => Generated) => {
    for (let seed = 0; seed < n; seed++) {
      const g = make(seed);
      out.push({ family, ds: { name: `${family}#${seed}`, series: g.series, truth: g.truth, maxLag } });
    }
  };
  add("svar Laplace/uniform V=8", 3, (seed) => {
    const g = generateSvar({ vars: 8, length: 800, maxLag: 2, noise: seed % 2 ? "uniform" : "laplace", seed });
    return { ...g, truth: { ...g.truth, edges: g.truth.edges.filter((e) => e.lag >= 1) } };
  });
  add("monotone-transformed links V=8", 3, (seed) => {
    const g = generateNonlinear({ vars: 8, length: 800, maxLag: 3, seed: 200 + seed });
    const maps = [(x: number) => Math.exp(Math.max(-20, Math.min(20, x))), (x: number) => x * x * x, (x: number) => Math.sign(x) * Math.sqrt(Math.abs(x)), (x: number) => x];
    return { ...g, series: { ...g.series, data: g.series.data.map((x, i) => maps[(i % 8) % 4](x)) } };
  });
  return out;
}

/** synth's training mixture on its evaluation side of the seed split (seeds >= EVALUATION_SEED_START): `n` per family. */
function mixtureEval(n: number): Dataset[] {
  const out: Dataset[] = [];
  MIXTURE_FAMILIES.forEach((family, f) => {
    for (let k = 0; k < n; k++) {
      const m = sampleMixture(EVALUATION_SEED_START + 1000 * f + k, { families: [family], split: "eval" });
      const maxLag = m.truth.summaryOnly ? 3 : Math.max(1, ...m.truth.edges.map((e) => e.lag));
      out.push({ name: `mixture-${family}#${m.seed}`, series: m.series, truth: { ...m.truth, edges: m.truth.edges.filter((e) => e.lag >= 1) }, maxLag });
    }
  });
  return out;
}

interface Row {
  group: string;
  dataset: string;
  method: string;
  vars: number;
  length: number;
  auroc: number | null;
  metric: "lagged" | "summary";
  seconds: number;
  warnings: string[];
}

async function score(group: string, ds: Dataset, m: Discoverer): Promise<Row> {
  await useBackend("wasm"); // the suite's backend; methods run on the active one
  const base = { group, dataset: ds.name, method: m.name, vars: ds.series.variables.length, length: ds.series.length, metric: (ds.truth.summaryOnly ? "summary" : "lagged") as Row["metric"] };
  if (m.name === "cmlp" && base.vars * base.length > CMLP_MAX_CELLS) return { ...base, auroc: null, seconds: 0, warnings: ["skipped: V*T too large for the short cmlp run"] };
  const graph: CausalGraph = await m.discover(ds.series, { maxLag: ds.maxLag, seed: 0 });
  const s = scoreGraph(ds.truth, graph);
  return { ...base, auroc: ds.truth.summaryOnly ? s.aurocSummary : s.aurocLagged, seconds: graph.meta.seconds, warnings: (graph.warnings ?? []).map((w) => w.code) };
}

export const suite: BenchSuite = {
  name: "lcm",
  description: "LCM v2 vs v1, v2 without statistics, statistics-only, var, pcmci, cmlp: held-out families, Finance, NetSim, CDML; Wilcoxon; latency",
  async run(ctx: BenchContext): Promise<BenchReport> {
    await useBackend("wasm");
    const v2 = await loadDefaultV2Model();
    const statAuroc = (v2.metadata.statisticAuroc ?? {}) as Record<string, Record<string, number>>;
    const meanOf = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0) / Math.max(1, Object.values(r).length);
    // the statistic chosen on the training validation set (never on the evaluation data below)
    const bestStat = Object.entries(statAuroc).sort((a, b) => meanOf(b[1]) - meanOf(a[1]))[0]?.[0] ?? "mci";
    const methods: Discoverer[] = [
      withParams(lcmMethod, "v1", { model: "lcm-v12-l3" }),
      withParams(lcmMethod, "v2", {}),
      withParams(lcmMethod, "v2-no-stats", { model: CORR_MODEL }),
      withParams(statsOnly, "stats-only", { statistic: bestStat }),
      varMethod,
      pcmciMethod,
      withParams(cmlpMethod, "cmlp", CMLP_SHORT),
    ];
    const names = methods.map((m) => m.name);
    const rows: Row[] = [];
    const run = async (group: string, sets: Dataset[]) => {
      ctx.log(`${group}: ${sets.length} data sets`);
      for (const ds of sets)
        for (const m of methods) {
          const r = await score(group, ds, m);
          rows.push(r);
          if (ctx.json) process.stdout.write(JSON.stringify(r) + "\n");
        }
    };
    const n = ctx.quick ? 1 : 3;
    for (const name of SYNTH_GROUPS) {
      const c = COLLECTIONS.find((x) => x.name === name);
      if (c) await run(name, (await c.load(ctx.quick)).slice(0, n));
    }
    const extra = extraGroups(n);
    for (const family of [...new Set(extra.map((h) => h.family))]) await run(family, extra.filter((h) => h.family === family).map((h) => h.ds));
    await run("synth mixture, evaluation seeds (all 10 families)", mixtureEval(ctx.quick ? 1 : 2));
    const real: { name: string; label: string; take?: number }[] = [
      { name: "tcdf-finance", label: "Finance (25 vars, T 4000)" },
      { name: "tcdf-fmri", label: "NetSim fMRI (5-50 vars)" },
      { name: "lcm-cdml", label: "CDML subset (30 of 120, evenly spaced)", take: 30 },
    ];
    for (const r of real) {
      const c = COLLECTIONS.find((x) => x.name === r.name);
      if (!c) continue;
      const sets = spaced(await c.load(ctx.quick), ctx.quick ? 1 : r.take);
      if (sets.length) await run(r.label, sets);
    }

    const groups = [...new Set(rows.map((r) => r.group))];
    let md = "## LCM v2 vs its ablations and the classical methods\n\n";
    md += "AUROC per data set (lagged where the truth has lags; summary for Lorenz-96, Kuramoto and NetSim's summary-only truth), mean over the data sets of each group. ";
    md += `Synthetic groups: ${n} seeds each of synth's collections (seeds 0..${n - 1}) and two groups built here; the mixture group draws synth's \`sampleMixture\` on the evaluation side of its seed split (>= ${EVALUATION_SEED_START}, 2 per family; lagged truth, maxLag = its largest lag; summary-only families at maxLag 3). v2 trains on the training side (< ${EVALUATION_SEED_START}, seeds hashed from the config seed). `;
    md += `**v1** = lcm-v12-l3 (transformer, lags 1..3: longer lags score 0); **v2** = lcm-v2 (default); **v2-no-stats** = the same MLP trained on a table with only the lagged Pearson r (its row/column/lag ranks, the reverse r, self flag, lag, log T, log V); `;
    md += `**stats-only** = the raw \`${bestStat}\` statistic (the best single statistic on the training validation set); **cmlp** short settings ${JSON.stringify(CMLP_SHORT)}, run where V x T <= ${CMLP_MAX_CELLS}. Bold: the best per row; "best classical" = max of var, pcmci, cmlp.\n\n`;
    md += `| group | n | metric | ${names.join(" | ")} | v2 - best classical |\n|---|---|---|${names.map(() => "---|").join("")}---|\n`;
    const perDataset = new Map<string, Map<string, number>>(); // dataset -> method -> auroc
    for (const r of rows) {
      if (r.auroc === null) continue;
      const key = `${r.group}/${r.dataset}`;
      if (!perDataset.has(key)) perDataset.set(key, new Map());
      perDataset.get(key)!.set(r.method, r.auroc);
    }
    for (const g of groups) {
      const rs = rows.filter((r) => r.group === g);
      const col = (m: string) => avg(rs.filter((r) => r.method === m).map((r) => r.auroc));
      const vals = names.map(col);
      const best = Math.max(...vals.filter((v): v is number => v !== null));
      const classical = Math.max(...["var", "pcmci", "cmlp"].map(col).filter((v): v is number => v !== null));
      const d = (col("v2") ?? NaN) - classical;
      md += `| ${g} | ${rs.filter((r) => r.method === "v2").length} | ${[...new Set(rs.map((r) => r.metric))].join(" + ")} | ${vals.map((v) => (v !== null && v === best ? `**${f3(v)}**` : f3(v))).join(" | ")} | ${Number.isFinite(d) ? (d >= 0 ? "+" : "") + d.toFixed(3) : "–"} |\n`;
    }
    md += "\n### Wilcoxon signed-rank test, v2 vs each, over data sets (two-sided; pairs where both ran)\n\n| vs | n | v2 better | v2 worse | mean difference | p |\n|---|---|---|---|---|---|\n";
    for (const m of names.filter((x) => x !== "v2")) {
      const a: number[] = [];
      const b: number[] = [];
      for (const byMethod of perDataset.values()) {
        if (byMethod.has("v2") && byMethod.has(m)) {
          a.push(byMethod.get("v2")!);
          b.push(byMethod.get(m)!);
        }
      }
      if (!a.length) continue;
      const diffs = a.map((x, i) => x - b[i]);
      const w = diffs.some((x) => x !== 0) ? wilcoxonSignedRank(a, b) : null;
      md += `| ${m} | ${a.length} | ${diffs.filter((x) => x > 0).length} | ${diffs.filter((x) => x < 0).length} | ${(diffs.reduce((s, x) => s + x, 0) / diffs.length).toFixed(4)} | ${w ? w.pValue.toExponential(2) : "–"} |\n`;
    }
    md += "\n### Seconds per data set (mean)\n\n| method | seconds |\n|---|---|\n";
    for (const m of names) md += `| ${m} | ${f3(avg(rows.filter((r) => r.method === m && r.seconds > 0).map((r) => r.seconds)))} |\n`;

    // Inference latency: features + one MLP pass (plain JS: the same on every backend).
    md += "\n### Inference latency of v2 (feature table + MLP; plain JS, so the backend does not matter; median of 10 after 2 warm-up calls)\n\n";
    md += "Wall-clock ms depend on the machine's load (other jobs share its 2 cores); CPU ms (this process's user + system time over the call) much less so.\n\n";
    md += "| V | T | maxLag | wall ms | CPU ms | target (wall) |\n|---|---|---|---|---|---|\n";
    for (const [V, T, L, target] of [[10, 500, 3, 50], [50, 500, 3, 1000], [20, 1000, 10, null]] as const) {
      const { series } = generateVar({ vars: V, length: T, maxLag: Math.min(L, 3), seed: 9 });
      const times: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < (ctx.quick ? 3 : 12); i++) {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        predictV2(v2, series, L);
        const c1 = process.cpuUsage(c0);
        if (i >= 2) times.push(performance.now() - t0);
        if (i >= 2) cpu.push((c1.user + c1.system) / 1000);
      }
      const ms = median(times);
      md += `| ${V} | ${T} | ${L} | ${ms.toFixed(1)} | ${median(cpu).toFixed(1)} | ${target === null ? "–" : `< ${target}: ${ms < target ? "met" : "missed"}`} |\n`;
    }
    md += `\nLoad average while measuring: ${loadavg().map((x) => x.toFixed(1)).join(" / ")} (1 / 5 / 15 min) on ${cpus().length} cores.\n`;
    return { rows: rows as unknown as Record<string, unknown>[], markdown: md };
  },
};
