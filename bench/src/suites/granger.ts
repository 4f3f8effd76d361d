// `pnpm bench granger`: var's p-values on null data (FDR, FWER) and power (granger-null.ts), and
// var against statsmodels' grangercausalitytests on the same nonstationary, oscillator and VAR
// series in the same run (lagged AUROC, seconds), statsmodels through bench/granger_statsmodels.py.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GroundTruth, TimeSeries } from "@causeway/core";
import { varMethod } from "@causeway/granger";
import { auroc } from "@causeway/metrics";
import { generateKuramoto, generateNonstationary, generateVar } from "@causeway/synth";
import { REPO_ROOT } from "../env.js";
import { avg, f3 } from "../format.js";
import type { BenchContext, BenchReport, BenchSuite } from "../types.js";
import { nullMarkdown, runNull } from "./granger-null.js";

const MAX_LAG = 3;
const PYTHON = "/usr/bin/python3";
const DRIVER = join(REPO_ROOT, "bench", "granger_statsmodels.py");

interface Dataset {
  family: string;
  seed: number;
  series: TimeSeries;
  truth: GroundTruth;
}

interface Family {
  name: string;
  note: string;
  make: (seed: number) => { series: TimeSeries; truth: GroundTruth };
}

function families(seeds: number): Family[] {
  const list: Family[] = [
    { name: "nonstationary V=5", note: "`generateNonstationary` V=5, T=1000, VAR(3) + trend, random-walk drift, regime switch", make: (seed) => generateNonstationary({ vars: 5, length: 1000, maxLag: 3, seed }) },
    { name: "nonstationary V=10", note: "the same with V=10", make: (seed) => generateNonstationary({ vars: 10, length: 1000, maxLag: 3, seed }) },
    { name: "Kuramoto V=5", note: "`generateKuramoto` V=5, T=1000 (truth: lag 1)", make: (seed) => generateKuramoto({ vars: 5, length: 1000, seed }) },
    { name: "Kuramoto V=10", note: "`generateKuramoto` V=10, T=1000 (truth: lag 1)", make: (seed) => generateKuramoto({ vars: 10, length: 1000, seed }) },
    { name: "VAR V=5 (stationary control)", note: "`generateVar` V=5, T=1000, maxLag 3", make: (seed) => generateVar({ vars: 5, length: 1000, maxLag: 3, seed }) },
  ];
  return list.map((f) => ({ ...f, note: `${f.note}, ${seeds} seeds` }));
}

/** Off-diagonal items `[e, c, l]` (statsmodels has no self test): labels from the truth's lagged edges (a summary-only truth: at its lags). */
function labelsOf(truth: GroundTruth, V: number): Uint8Array {
  const y = new Uint8Array(V * V * MAX_LAG);
  const index = new Map(truth.variables.map((v, i) => [v, i]));
  for (const e of truth.edges) if (e.lag <= MAX_LAG) y[(index.get(e.effect)! * V + index.get(e.cause)!) * MAX_LAG + e.lag - 1] = 1;
  return y;
}

/** Lagged and summary AUROC over the off-diagonal pairs of `[V][V][L]` scores. */
function aurocs(scores: number[][][], labels: Uint8Array, V: number): { lagged: number; summary: number } {
  const ls: number[] = [];
  const ly: number[] = [];
  const ss: number[] = [];
  const sy: number[] = [];
  for (let e = 0; e < V; e++)
    for (let c = 0; c < V; c++) {
      if (e === c) continue;
      let best = -Infinity;
      let any = 0;
      for (let l = 0; l < MAX_LAG; l++) {
        ls.push(scores[e][c][l]);
        ly.push(labels[(e * V + c) * MAX_LAG + l]);
        best = Math.max(best, scores[e][c][l]);
        any |= labels[(e * V + c) * MAX_LAG + l];
      }
      ss.push(best);
      sy.push(any);
    }
  return { lagged: auroc(ls, ly as (0 | 1)[]), summary: auroc(ss, sy as (0 | 1)[]) };
}

interface CompareRow {
  family: string;
  seed: number;
  varLagged: number;
  varSummary: number;
  smLagged: number;
  smSummary: number;
  /** statsmodels p-values that underflowed to 0 (they tie). */
  smZeros: number;
  /** Largest |log10 p_var(pairwise) - log10 p_statsmodels| where both p > 1e-300. */
  pairwiseDiff: number;
  varSeconds: number;
  smSeconds: number;
}

async function compare(ctx: BenchContext): Promise<CompareRow[]> {
  const seeds = ctx.quick ? 2 : 10;
  const data: Dataset[] = [];
  for (const f of families(seeds)) for (let seed = 0; seed < seeds; seed++) data.push({ family: f.name, seed, ...f.make(seed) });
  const dir = mkdtempSync(join(tmpdir(), "causeway-granger-"));
  let sm: { datasets: { pvalue: (number[] | null)[][]; fstat: (number[] | null)[][]; seconds: number }[] };
  try {
    const rowsOf = (s: TimeSeries): number[][] => Array.from({ length: s.length }, (_, t) => Array.from(s.data.subarray(t * s.variables.length, (t + 1) * s.variables.length)));
    writeFileSync(join(dir, "in.json"), JSON.stringify({ maxlag: MAX_LAG, datasets: data.map((d) => ({ name: `${d.family}#${d.seed}`, data: rowsOf(d.series) })) }));
    ctx.log(`statsmodels on ${data.length} series (${PYTHON} ${DRIVER})`);
    execFileSync(PYTHON, [DRIVER, join(dir, "in.json"), join(dir, "out.json")], { stdio: ["ignore", "ignore", "inherit"] });
    sm = JSON.parse(readFileSync(join(dir, "out.json"), "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows: CompareRow[] = [];
  for (const [k, d] of data.entries()) {
    const V = d.series.variables.length;
    await varMethod.discover(d.series, { maxLag: MAX_LAG }); // warm-up: the timed run below is not the first
    const t0 = performance.now();
    const g = await varMethod.discover(d.series, { maxLag: MAX_LAG });
    const varSeconds = (performance.now() - t0) / 1000;
    const pw = await varMethod.discover(d.series, { maxLag: MAX_LAG, params: { test: "pairwise" } });
    const ref = sm.datasets[k];
    // statsmodels ranked by its own p-values, as returned: -log10 p (p = 0: +Infinity, tied)
    let zeros = 0;
    let diff = 0;
    const smScores = Array.from({ length: V }, (_, e) =>
      Array.from({ length: V }, (_, c) =>
        Array.from({ length: MAX_LAG }, (_, l) => {
          if (e === c) return 0;
          const p = ref.pvalue[e][c]![l];
          const mine = pw.pvalues![e][c][l];
          if (p > 1e-300 && mine > 1e-300) diff = Math.max(diff, Math.abs(Math.log10(mine) - Math.log10(p)));
          if (p === 0) zeros++;
          return p === 0 ? Number.MAX_VALUE : -Math.log10(p);
        }),
      ),
    );
    const labels = labelsOf(d.truth, V);
    const mine = aurocs(g.scores, labels, V);
    const theirs = aurocs(smScores, labels, V);
    rows.push({ family: d.family, seed: d.seed, varLagged: mine.lagged, varSummary: mine.summary, smLagged: theirs.lagged, smSummary: theirs.summary, smZeros: zeros, pairwiseDiff: diff, varSeconds, smSeconds: ref.seconds });
  }
  return rows;
}

function compareMarkdown(rows: CompareRow[], seeds: number): string {
  const lines = [
    "## `var` vs statsmodels' `grangercausalitytests` on the same series",
    "",
    `statsmodels 0.13.5 (\`bench/granger_statsmodels.py\`, Debian's /usr/bin/python3) runs \`grangercausalitytests(data[:, [effect, cause]], maxlag=${MAX_LAG})\``,
    "on every ordered pair; its lag-L entry is the ssr F-test of order L, ranked by its p-value as returned (-log10 p; p = 0 after underflow ties at the top).",
    "`var` runs with its defaults (conditional VAR(3), scores = the joint test's -log10 p shared out by t², computed in log space).",
    "AUROC over the off-diagonal (effect ≠ cause) items, since statsmodels has no test of a variable on itself: lagged over the",
    `(effect, cause, lag 1..${MAX_LAG}) items, summary over pairs (best lag). Seconds: var's second call of \`discover\` in this process, statsmodels'`,
    "the `grangercausalitytests` calls alone (no Python start-up). `pairwise Δ`: the largest |log10 p| difference between `var -p test=pairwise` and",
    "statsmodels on the same series (the same test; both p > 1e-300).",
    "",
    "| family | data | var lagged AUROC | statsmodels lagged AUROC | var summary | statsmodels summary | statsmodels p = 0 | pairwise Δ log10 p | var s | statsmodels s | statsmodels s / var s |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const f of families(seeds)) {
    const rs = rows.filter((r) => r.family === f.name);
    if (!rs.length) continue;
    const m = (k: keyof CompareRow): number => avg(rs.map((r) => r[k] as number)) ?? NaN;
    const sum = (k: keyof CompareRow): number => rs.reduce((a, r) => a + (r[k] as number), 0);
    lines.push(
      `| ${f.name} | ${f.note} | **${f3(m("varLagged"))}** | ${f3(m("smLagged"))} | ${f3(m("varSummary"))} | ${f3(m("smSummary"))} | ${sum("smZeros")} | ${Math.max(...rs.map((r) => r.pairwiseDiff)).toExponential(1)} | ${sum("varSeconds").toFixed(3)} | ${sum("smSeconds").toFixed(2)} | ${(sum("smSeconds") / sum("varSeconds")).toFixed(0)} |`,
    );
  }
  const wins = rows.filter((r) => r.varLagged >= r.smLagged).length;
  lines.push("", `Per series: var's lagged AUROC >= statsmodels' on ${wins} of ${rows.length}.`, "");
  lines.push("<details><summary>every series</summary>", "", "| family | seed | var lagged | statsmodels lagged | var summary | statsmodels summary |", "|---|---|---|---|---|---|");
  for (const r of rows) lines.push(`| ${r.family} | ${r.seed} | ${f3(r.varLagged)} | ${f3(r.smLagged)} | ${f3(r.varSummary)} | ${f3(r.smSummary)} |`);
  lines.push("", "</details>", "");
  return lines.join("\n");
}

export const suite: BenchSuite = {
  name: "granger",
  description: "var's p-values: FDR/FWER on null AR data, power on VAR data; var vs statsmodels' grangercausalitytests (nonstationary, Kuramoto)",
  async run(ctx: BenchContext): Promise<BenchReport> {
    const seeds = ctx.quick ? 2 : 10;
    const cmp = await compare(ctx);
    for (const f of families(seeds)) {
      const rs = cmp.filter((r) => r.family === f.name);
      ctx.log(`${f.name}: var lagged AUROC ${f3(avg(rs.map((r) => r.varLagged)))} vs statsmodels ${f3(avg(rs.map((r) => r.smLagged)))}`);
    }
    const nul = await runNull(ctx.quick, ctx.log);
    const rows = [...cmp.map((r) => ({ part: "compare", ...r })), ...nul.map((r) => ({ part: "null", ...r }))];
    if (ctx.json) for (const r of rows) process.stdout.write(JSON.stringify(r) + "\n");
    return { rows, markdown: compareMarkdown(cmp, seeds) + "\n" + nullMarkdown(nul) };
  },
};
