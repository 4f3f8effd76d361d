// `pnpm bench checks`: the assumption checks (core/src/checks) on data that must pass them (stationary
// VARs, chaotic and coupled oscillators) and data that must trip them (drift and regime switches),
// beside the rules one would build from statsmodels' adfuller/kpss alone on the same series in the
// same run (statsmodels through bench/checks_statsmodels.py), and their cost beside statsmodels'.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { column, dataWarnings, type TimeSeries } from "@causeway/core";
import { generateKuramoto, generateLorenz96, generateNonstationary, generateVar } from "@causeway/synth";
import { REPO_ROOT } from "../env.js";
import type { BenchContext, BenchReport, BenchSuite } from "../types.js";

const PYTHON = "/usr/bin/python3";
const DRIVER = join(REPO_ROOT, "bench", "checks_statsmodels.py");

interface Dataset {
  family: string;
  /** True when every variable is nonstationary (the truth the rules are scored on). */
  nonstationary: boolean;
  name: string;
  series: TimeSeries;
}

/** Per-variable decisions of each rule. */
type Rule = "adf" | "kpss" | "both" | "causeway";
const RULES: { key: Rule; label: string }[] = [
  { key: "adf", label: "ADF alone: p > .05 (unit root not rejected)" },
  { key: "kpss", label: "KPSS alone: p <= .05 (level stationarity rejected)" },
  { key: "both", label: "KPSS p <= .01 and ADF p > .05 (statsmodels, no breaks, no correction)" },
  { key: "causeway", label: "Causeway's checks (`nonstationary`: the rule above at .01/V, plus level/variance breaks at 1e-4/V)" },
];

function datasets(quick: boolean): Dataset[] {
  const seeds = quick ? 2 : 10;
  const out: Dataset[] = [];
  for (const T of quick ? [500] : [200, 500, 2000])
    for (const V of [3, 5, 10])
      for (let seed = 0; seed < seeds; seed++)
        out.push({ family: `VAR (stationary), T = ${T}`, nonstationary: false, name: `var V${V} T${T} s${seed}`, series: generateVar({ vars: V, length: T, maxLag: 3, seed }).series });
  for (let seed = 0; seed < seeds; seed++) {
    out.push({ family: "Lorenz-96 (stationary), V = 10, T = 1000", nonstationary: false, name: `lorenz s${seed}`, series: generateLorenz96({ vars: 10, length: 1000, seed }).series });
    out.push({ family: "Kuramoto (stationary), V = 8, T = 1000", nonstationary: false, name: `kuramoto s${seed}`, series: generateKuramoto({ vars: 8, length: 1000, seed }).series });
    for (const V of [5, 10])
      out.push({ family: `generateNonstationary (drift + regime switch), V = ${V}, T = 1000`, nonstationary: true, name: `ns V${V} s${seed}`, series: generateNonstationary({ vars: V, length: 1000, maxLag: 3, seed }).series });
  }
  return out;
}

export const suite: BenchSuite = {
  name: "checks",
  description: "assumption checks: warnings on stationary vs drifting data, beside ADF/KPSS rules from statsmodels on the same series, and the cost",
  async run(ctx: BenchContext): Promise<BenchReport> {
    const data = datasets(ctx.quick);
    const dir = mkdtempSync(join(tmpdir(), "causeway-checks-"));
    let sm: { datasets: { adf: number[]; kpss: number[]; seconds: number }[] };
    try {
      const columns = (s: TimeSeries) => s.variables.map((_, v) => Array.from(column(s, v)));
      writeFileSync(join(dir, "in.json"), JSON.stringify({ datasets: data.map((d) => ({ name: d.name, columns: columns(d.series) })) }));
      ctx.log(`statsmodels on ${data.length} series (${PYTHON} ${DRIVER})`);
      execFileSync(PYTHON, [DRIVER, join(dir, "in.json"), join(dir, "out.json")], { stdio: ["ignore", "ignore", "inherit"] });
      sm = JSON.parse(readFileSync(join(dir, "out.json"), "utf8"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    dataWarnings(data[0].series); // warm-up
    const rows: Record<string, unknown>[] = [];
    let ourSeconds = 0;
    let theirSeconds = 0;
    for (const [k, d] of data.entries()) {
      const t0 = performance.now();
      const warnings = dataWarnings(d.series);
      const seconds = (performance.now() - t0) / 1000;
      const named = new Set(warnings.find((w) => w.code === "nonstationary")?.variables ?? []);
      const { adf, kpss } = sm.datasets[k];
      const flags: Record<Rule, boolean[]> = {
        adf: adf.map((p) => p > 0.05),
        kpss: kpss.map((p) => p <= 0.05),
        both: adf.map((p, v) => p > 0.05 && kpss[v] <= 0.01),
        causeway: d.series.variables.map((name) => named.has(name)),
      };
      ourSeconds += seconds;
      theirSeconds += sm.datasets[k].seconds;
      const row = { family: d.family, name: d.name, nonstationary: d.nonstationary, V: d.series.variables.length, T: d.series.length, flags, codes: warnings.map((w) => w.code), seconds, statsmodelsSeconds: sm.datasets[k].seconds };
      rows.push(row);
      if (ctx.json) process.stdout.write(JSON.stringify(row) + "\n");
      ctx.log(`${d.name.padEnd(16)} ${warnings.map((w) => `${w.code}[${w.variables?.join(",") ?? ""}]`).join(" ") || "no warning"}`);
    }
    // per family: series with any variable flagged (false alarms on stationary data), variables flagged (recall on drifting data)
    const families = [...new Set(data.map((d) => d.family))];
    type R = (typeof rows)[number] & { flags: Record<Rule, boolean[]>; nonstationary: boolean; codes: string[] };
    const table = families.map((f) => {
      const mine = rows.filter((r) => r.family === f) as R[];
      const cells = RULES.map(({ key }) => {
        const vars = mine.reduce((n, r) => n + r.flags[key].filter(Boolean).length, 0);
        const total = mine.reduce((n, r) => n + r.flags[key].length, 0);
        const series = mine.filter((r) => r.flags[key].some(Boolean)).length;
        return mine[0].nonstationary ? `${vars}/${total} variables` : `${series}/${mine.length} series`;
      });
      const other = [...new Set(mine.flatMap((r) => r.codes.filter((c) => c !== "nonstationary")))];
      return `| ${f} | ${cells.join(" | ")} | ${other.join(", ") || "none"} |`;
    });
    const wide = generateVar({ vars: 30, length: 5000, maxLag: 3, seed: 1 }).series;
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      dataWarnings(wide);
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    const markdown = [
      "Stationary data should warn nothing; `generateNonstationary` (every variable drifts and switches regime) should be named in full.",
      "Stationary rows: series with any variable flagged `nonstationary` (false alarms); drifting rows: variables flagged.",
      "The statsmodels columns apply each rule to `adfuller(x)` / `kpss(x, nlags=\"auto\")` p-values of the same series.",
      "",
      `| data | ${RULES.map((r) => r.label).join(" | ")} | other Causeway warnings |`,
      `|---|${RULES.map(() => "---").join("|")}|---|`,
      ...table,
      "",
      `Cost: Causeway's checks (every warning: stationarity, breaks, collinearity, near-constant) ${ourSeconds.toFixed(2)} s over the ${data.length} series,`,
      `statsmodels' adfuller + kpss alone ${theirSeconds.toFixed(2)} s (ratio ${(theirSeconds / ourSeconds).toFixed(1)}x). A 5000 x 30 VAR checks in ${best.toFixed(3)} s (best of 5).`,
      "",
    ].join("\n");
    return { rows, markdown };
  },
};
