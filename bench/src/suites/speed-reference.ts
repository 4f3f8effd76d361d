// The reference implementations the `speed` suite runs beside ours on the same series: Neural-GC
// (cMLP, cLSTM) and TCDF from their public source (PYTHONPATH, kept outside the repository), statsmodels'
// grangercausalitytests and tigramite's PCMCI, all with Debian's /usr/bin/python3. Each returns its own
// continuous scores `[effect][cause]` (summary over lags) and its seconds.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GroundTruth, TimeSeries } from "@causeway/core";
import { auroc } from "@causeway/metrics";
import { REPO_ROOT } from "../env.js";

export const PYTHON = "/usr/bin/python3";
/** Where the reference sources are extracted (outside the repository); $CAUSEWAY_REF overrides. */
export const REF_DIR = process.env.CAUSEWAY_REF ?? "/tmp/ref";

export interface RefResult {
  /** `[effect][cause]` summary scores, higher = more likely an edge. */
  scores: number[][];
  seconds: number;
  cpuSeconds: number | null;
  threads: number;
  /** Neural-GC only: scores every few ISTA steps with the time then. */
  snapshots?: { iter: number; seconds: number; cpuSeconds: number; scores: number[][] }[];
  iters?: number;
  settings?: Record<string, unknown>;
}

/** Why a reference cannot run here (its source or a Python module is missing), or null. */
export function refMissing(name: "Neural-GC" | "TCDF" | "tigramite" | "statsmodels"): string | null {
  const mod = { "Neural-GC": "torch", TCDF: "torch, pandas", tigramite: "numpy, scipy", statsmodels: "statsmodels" }[name];
  if (name !== "statsmodels" && !existsSync(join(REF_DIR, name))) return `${join(REF_DIR, name)} is missing (fetch github:${{ "Neural-GC": "iancovert/Neural-GC", TCDF: "M-Nauta/TCDF", tigramite: "jakobrunge/tigramite" }[name]} and extract it there)`;
  try {
    execFileSync(PYTHON, ["-c", `import ${mod}`], { stdio: "ignore" });
    return null;
  } catch {
    return `${PYTHON} cannot import ${mod}`;
  }
}

function withTmp<T>(run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "causeway-speed-"));
  try {
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function writeCsv(series: TimeSeries, path: string): void {
  const V = series.variables.length;
  const lines = [series.variables.join(",")];
  for (let t = 0; t < series.length; t++) lines.push(Array.from(series.data.subarray(t * V, (t + 1) * V)).join(","));
  writeFileSync(path, lines.join("\n") + "\n");
}

const rowsOf = (s: TimeSeries): number[][] => Array.from({ length: s.length }, (_, t) => Array.from(s.data.subarray(t * s.variables.length, (t + 1) * s.variables.length)));

/**
 * One BLAS / OpenMP pool of `threads` threads for the child (torch.set_num_threads is set by the drivers too);
 * passive waits, since spinning OpenMP threads on an oversubscribed machine burn the cores they wait for.
 */
const threadEnv = (threads: number, path: string) => ({ ...process.env, PYTHONPATH: path, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads), OMP_WAIT_POLICY: "PASSIVE" });

/** bench/neuralgc_reference.py: Neural-GC's cMLP or cLSTM trained with ISTA at one λ. */
export function runNeuralGc(series: TimeSeries, model: "cmlp" | "clstm", args: Record<string, number>, threads: number): RefResult {
  return withTmp((dir) => {
    const csv = join(dir, "in.csv");
    writeCsv(series, csv);
    const flags = Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)]);
    const out = execFileSync(PYTHON, [join(REPO_ROOT, "bench", "neuralgc_reference.py"), "--model", model, "--csv", csv, "--threads", String(threads), ...flags], {
      env: threadEnv(threads, join(REF_DIR, "Neural-GC")),
      stdio: ["ignore", "pipe", "ignore"],
      maxBuffer: 1 << 28,
    });
    return JSON.parse(out.toString()) as RefResult;
  });
}

/** bench/tcdf_reference.py: TCDF's findcauses for every target at its defaults; scores = its attention scores. */
export function runTcdfRef(series: TimeSeries, threads: number): RefResult {
  return withTmp((dir) => {
    const csv = join(dir, "in.csv");
    writeCsv(series, csv);
    const out = execFileSync(PYTHON, [join(REPO_ROOT, "bench", "tcdf_reference.py"), "--csv", csv, "--threads", String(threads)], {
      env: threadEnv(threads, join(REF_DIR, "TCDF")),
      stdio: ["ignore", "pipe", "ignore"],
      maxBuffer: 1 << 28,
    });
    return JSON.parse(out.toString()) as RefResult;
  });
}

/** -log10 p, with p = 0 ranked above every positive p (ties among themselves). */
const nlog = (p: number): number => (p > 0 ? -Math.log10(p) : Number.MAX_VALUE);

/** bench/granger_statsmodels.py: pairwise grangercausalitytests; score = -log10 of the smallest ssr-F p over lags 1..maxLag. */
export function runStatsmodels(series: TimeSeries, maxLag: number): RefResult {
  return withTmp((dir) => {
    writeFileSync(join(dir, "in.json"), JSON.stringify({ maxlag: maxLag, datasets: [{ name: "speed", data: rowsOf(series) }] }));
    execFileSync(PYTHON, [join(REPO_ROOT, "bench", "granger_statsmodels.py"), join(dir, "in.json"), join(dir, "out.json")], { env: threadEnv(1, ""), stdio: ["ignore", "ignore", "ignore"] });
    const d = JSON.parse(readFileSync(join(dir, "out.json"), "utf8")).datasets[0] as { pvalue: (number[] | null)[][]; seconds: number };
    const scores = d.pvalue.map((row) => row.map((ps) => (ps ? nlog(Math.min(...ps)) : 0)));
    return { scores, seconds: d.seconds, cpuSeconds: null, threads: 1 };
  });
}

/** bench/pcmci_tigramite.py: tigramite's run_pcmci with ParCorr; score = -log10 of the smallest lagged p (its p_matrix is [cause][effect][lag]). */
export function runTigramite(series: TimeSeries, tauMax: number, pcAlpha: number): RefResult {
  return withTmp((dir) => {
    writeFileSync(join(dir, "in.json"), JSON.stringify({ tau_max: tauMax, pc_alpha: pcAlpha, datasets: [{ name: "speed", data: rowsOf(series) }] }));
    execFileSync(PYTHON, [join(REPO_ROOT, "bench", "pcmci_tigramite.py"), join(dir, "in.json"), join(dir, "out.json")], { env: threadEnv(1, join(REF_DIR, "tigramite")), stdio: ["ignore", "ignore", "ignore"] });
    const d = JSON.parse(readFileSync(join(dir, "out.json"), "utf8")).datasets[0] as { p_matrix: number[][][]; seconds: number };
    const V = series.variables.length;
    const scores = Array.from({ length: V }, (_, e) => Array.from({ length: V }, (_, c) => nlog(Math.min(...d.p_matrix[c][e].slice(1)))));
    return { scores, seconds: d.seconds, cpuSeconds: null, threads: 1 };
  });
}

/** `[effect][cause]` = max over lags of nested `[effect][cause][lag]` scores. */
export const summaryOf = (nested: number[][][]): number[][] => nested.map((row) => row.map((lags) => Math.max(...lags)));

/**
 * Summary AUROC over the off-diagonal (effect != cause) pairs: every reference scores cross pairs,
 * not all of them score a variable on itself (statsmodels has no self test), so self pairs are left out.
 */
export function crossAuroc(scores: number[][], truth: GroundTruth): number {
  const edges = new Set(truth.edges.map((e) => `${e.effect}|${e.cause}`));
  const s: number[] = [];
  const y: (0 | 1)[] = [];
  const V = truth.variables.length;
  for (let e = 0; e < V; e++)
    for (let c = 0; c < V; c++) {
      if (e === c) continue;
      s.push(scores[e][c]);
      y.push(edges.has(`${truth.variables[e]}|${truth.variables[c]}`) ? 1 : 0);
    }
  return auroc(s, y);
}
