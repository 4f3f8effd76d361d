// The PCMCI+ part of `pnpm bench pcmci`: our pcmciplus against tigramite's run_pcmciplus (ParCorr) on
// structural VARs with instantaneous effects, same series, same run: lag-0 recovery, agreement of the
// graphs mark by mark, seconds.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CausalGraph, Discoverer, TimeSeries } from "@causeway/core";
import { generateSvar, type SvarResult } from "@causeway/synth";
import { REPO_ROOT } from "../env.js";
import { f3 } from "../format.js";
import type { BenchContext } from "../types.js";

const TAU_MAX = 2;
const PC_ALPHA = 0.01;
const PYTHON = "/usr/bin/python3";
const DRIVER = join(REPO_ROOT, "bench", "pcmci_tigramite.py");

export interface PlusRow {
  V: number;
  T: number;
  seed: number;
  oursSeconds: number;
  refSeconds: number;
  /** Lag-0 adjacencies (unordered pairs) against the truth's B0: recall and precision. */
  oursRecall: number;
  oursPrecision: number;
  refRecall: number;
  refPrecision: number;
  /** Lag-0 true links found and directed the true way. */
  oursOriented: number;
  refOriented: number;
  /** Fraction of the [V, V, tau_max + 1] marks that are identical. */
  agreement: number;
}

type Marks = string[][][];

/** Our graph as tigramite's marks: lagged edges selected at p <= pc_alpha (no correction), lag-0 links with orientation. */
function marksOf(g: CausalGraph, V: number): Marks {
  const m: Marks = Array.from({ length: V }, () => Array.from({ length: V }, () => Array<string>(TAU_MAX + 1).fill("")));
  const idx = new Map(g.variables.map((v, i) => [v, i]));
  for (const e of g.edges) {
    const c = idx.get(e.cause)!;
    const t = idx.get(e.effect)!;
    if (e.lag > 0) m[c][t][e.lag] = "-->";
    else if (e.orientation === "directed") [m[c][t][0], m[t][c][0]] = ["-->", "<--"];
    else [m[c][t][0], m[t][c][0]] = e.orientation === "conflict" ? ["x-x", "x-x"] : ["o-o", "o-o"];
  }
  return m;
}

function lagZeroScores(m: Marks, s: SvarResult): { recall: number; precision: number; oriented: number } {
  const V = m.length;
  let truePairs = 0;
  let found = 0;
  let hits = 0;
  let oriented = 0;
  for (let a = 0; a < V; a++)
    for (let b = a + 1; b < V; b++) {
      const ab = s.B0[b * V + a] !== 0; // a -> b
      const ba = s.B0[a * V + b] !== 0;
      const adjacent = m[a][b][0] !== "";
      if (ab || ba) truePairs++;
      if (adjacent) found++;
      if ((ab || ba) && adjacent) {
        hits++;
        if ((ab && m[a][b][0] === "-->") || (ba && m[b][a][0] === "-->")) oriented++;
      }
    }
  return { recall: truePairs ? hits / truePairs : NaN, precision: found ? hits / found : NaN, oriented: truePairs ? oriented / truePairs : NaN };
}

const rowsOf = (s: TimeSeries): number[][] => Array.from({ length: s.length }, (_, t) => Array.from(s.data.subarray(t * s.variables.length, (t + 1) * s.variables.length)));

/** Runs both PCMCI+ on 2 seeds (1 quick) of V = 5 and 10 structural VARs (T = 1000). */
export async function runPlus(method: Discoverer, tigramite: string, ctx: BenchContext): Promise<PlusRow[]> {
  const rows: PlusRow[] = [];
  const seeds = ctx.quick ? 1 : 2;
  for (const V of [5, 10])
    for (let seed = 0; seed < seeds; seed++) {
      const T = 1000;
      const s = generateSvar({ vars: V, length: T, maxLag: TAU_MAX, seed, instantaneousDensity: 0.3 });
      const dir = mkdtempSync(join(tmpdir(), "causeway-pcmciplus-"));
      let ref: { graph: Marks; seconds: number };
      try {
        writeFileSync(join(dir, "in.json"), JSON.stringify({ method: "pcmciplus", tau_max: TAU_MAX, pc_alpha: PC_ALPHA, datasets: [{ name: `SVAR V=${V}#${seed}`, data: rowsOf(s.series) }] }));
        const threads = { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
        execFileSync(PYTHON, [DRIVER, join(dir, "in.json"), join(dir, "out.json")], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, PYTHONPATH: tigramite, ...threads } });
        ref = JSON.parse(readFileSync(join(dir, "out.json"), "utf8")).datasets[0];
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const g = await method.discover(s.series, { maxLag: TAU_MAX, alpha: PC_ALPHA, correction: "none", params: { pcAlpha: PC_ALPHA } });
      const ours = marksOf(g, V);
      let same = 0;
      for (let i = 0; i < V; i++) for (let j = 0; j < V; j++) for (let l = 0; l <= TAU_MAX; l++) if (ours[i][j][l] === ref.graph[i][j][l]) same++;
      const a = lagZeroScores(ours, s);
      const b = lagZeroScores(ref.graph, s);
      const row: PlusRow = { V, T, seed, oursSeconds: g.meta.seconds, refSeconds: ref.seconds, oursRecall: a.recall, oursPrecision: a.precision, refRecall: b.recall, refPrecision: b.precision, oursOriented: a.oriented, refOriented: b.oriented, agreement: same / (V * V * (TAU_MAX + 1)) };
      rows.push(row);
      ctx.log(`PCMCI+ SVAR V=${V} #${seed}: ours ${row.oursSeconds.toFixed(2)} s, tigramite ${row.refSeconds.toFixed(2)} s; lag-0 recall ${f3(a.recall)} vs ${f3(b.recall)}; marks identical ${(100 * row.agreement).toFixed(1)}%`);
    }
  return rows;
}

export function plusMarkdown(rows: PlusRow[]): string {
  const lines = [
    "## `pcmciplus` vs tigramite's `run_pcmciplus` (ParCorr) on structural VARs with instantaneous effects",
    "",
    `Data: \`generateSvar\` (@causeway/synth), x_t = B0 x_t + Σ_l B_l x_{t-l} + e_t with a random DAG B0 (each pair linked with probability 0.3),`,
    `Laplace shocks, T = 1000, tau_max ${TAU_MAX}. Both: tau_min 0, pc_alpha ${PC_ALPHA}, majority collider rule, conflict resolution.`,
    `Ours: lagged edges at p <= ${PC_ALPHA} without correction (the skeleton's own rule), lag-0 links as oriented. Lag-0 recall / precision: unordered`,
    "adjacent pairs against B0; oriented: true links found and directed the true way. `identical`: share of all [V, V, tau_max + 1] marks equal.",
    "",
    "| V | seed | ours s | tigramite s | tigramite / ours | ours lag-0 recall | tigramite lag-0 recall | ours precision | tigramite precision | ours oriented | tigramite oriented | identical marks |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows)
    lines.push(
      `| ${r.V} | ${r.seed} | ${r.oursSeconds.toFixed(3)} | ${r.refSeconds.toFixed(2)} | ${(r.refSeconds / r.oursSeconds).toFixed(0)}x | ${f3(r.oursRecall)} | ${f3(r.refRecall)} | ${f3(r.oursPrecision)} | ${f3(r.refPrecision)} | ${f3(r.oursOriented)} | ${f3(r.refOriented)} | ${(100 * r.agreement).toFixed(1)}% |`,
    );
  lines.push("");
  return lines.join("\n");
}
