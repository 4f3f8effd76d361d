// `pnpm bench pcmci-tests`: PCMCI's lagged AUROC with test = parcorr, robust_parcorr and cmiknn on the
// same seeded series in one run, over nonlinear, heavy-tailed/heteroscedastic, monotone-transformed and
// linear Gaussian (control) families; seconds per test choice too (issue 18's done-when).
import { Rng, type Discoverer, type GroundTruth, type TimeSeries } from "@causeway/core";
import { ALL_METHODS } from "@causeway/methods";
import { generateNonlinear, generateVar, type NonlinearFunction } from "@causeway/synth";
import { f3 } from "../format.js";
import { laggedAuroc } from "../score.js";
import type { BenchContext, BenchReport, BenchSuite } from "../types.js";

const TAU_MAX = 2;
const TESTS = ["parcorr", "robust_parcorr", "cmiknn"] as const;
type Test = (typeof TESTS)[number];
/** CMIknn settings: fewer permutations than the default 500 so the suite finishes on a shared 2-core machine. */
const PERMUTATIONS = 100;
const KNN = 0.1;
/** Linear couplings of the VAR-based families: weak enough that AUROC stays below 1 at T = 300. */
const COEF_RANGE = [0.1, 0.3] as const;
/** Student-t degrees of freedom of the heavy-tailed innovations. */
const T_DOF = 3;
/** ARCH(1) innovation variance h_t = ARCH_A0 + ARCH_A1 e_{t-1}^2 (unconditional variance 1). */
const ARCH_A0 = 0.3;
const ARCH_A1 = 0.7;
const MONOTONE: NonlinearFunction[] = ["tanh", "sigmoid", "exp"];
const NON_MONOTONE: NonlinearFunction[] = ["sin", "log", "polynomial"];

interface Family {
  name: string;
  what: string;
  make(V: number, T: number, seed: number): { series: TimeSeries; truth: GroundTruth };
}

/** Unit-variance Student-t(ν) draw, ν an integer: z / sqrt(χ²_ν / ν), scaled by sqrt((ν - 2) / ν). */
function studentT(rng: Rng, nu: number): number {
  let chi2 = 0;
  for (let i = 0; i < nu; i++) chi2 += rng.normal() ** 2;
  return (rng.normal() / Math.sqrt(chi2 / nu)) * Math.sqrt((nu - 2) / nu);
}

/**
 * generateVar's graph and coefficients, re-simulated with ARCH(1) Student-t innovations per variable:
 * e_j(t) = sqrt(h_j(t)) z, h_j(t) = a0 + a1 e_j(t-1)², z ~ t_ν / sd. The volatility of each variable
 * depends only on its own past shocks, so the lagged causal graph is generateVar's.
 */
function heavyTailed(V: number, T: number, seed: number) {
  const g = generateVar({ vars: V, length: T, maxLag: TAU_MAX, seed, coefRange: COEF_RANGE });
  const A = g.coefficients; // [maxLag, V, V] [lag - 1][effect][cause]
  const rng = new Rng(seed ^ 0x9e3779b9);
  const burn = 200;
  const x = new Float64Array((T + burn) * V); // [T + burn, V]
  const prevE = new Float64Array(V);
  for (let t = 0; t < T + burn; t++)
    for (let j = 0; j < V; j++) {
      let v = 0;
      for (let l = 1; l <= TAU_MAX && l <= t; l++) for (let c = 0; c < V; c++) v += A[((l - 1) * V + j) * V + c] * x[(t - l) * V + c];
      const e = Math.sqrt(ARCH_A0 + ARCH_A1 * prevE[j] ** 2) * studentT(rng, T_DOF);
      prevE[j] = e;
      x[t * V + j] = v + e;
    }
  return { series: { ...g.series, data: x.slice(burn * V) }, truth: g.truth };
}

/** A linear Gaussian VAR observed through monotone maps: y_j = exp(x_j / sd_j) for even j, (x_j / sd_j)³ for odd j. */
function transformed(V: number, T: number, seed: number) {
  const g = generateVar({ vars: V, length: T, maxLag: TAU_MAX, seed, coefRange: COEF_RANGE });
  const x = g.series.data; // [T, V]
  const y = new Float64Array(x.length);
  for (let j = 0; j < V; j++) {
    let s = 0;
    let s2 = 0;
    for (let t = 0; t < T; t++) {
      s += x[t * V + j];
      s2 += x[t * V + j] ** 2;
    }
    const sd = Math.sqrt(s2 / T - (s / T) ** 2);
    for (let t = 0; t < T; t++) {
      const z = x[t * V + j] / sd;
      y[t * V + j] = j % 2 === 0 ? Math.exp(z) : z ** 3;
    }
  }
  return { series: { ...g.series, data: y }, truth: g.truth };
}

const FAMILIES: Family[] = [
  {
    name: "nonlinear, monotone links",
    what: `generateNonlinear, functions ${MONOTONE.join("/")} (defaults otherwise: weights ±[0.5, 1], Gaussian noise 0.3, inputs tanh(x/0.75))`,
    make: (V, T, seed) => generateNonlinear({ vars: V, length: T, maxLag: TAU_MAX, seed, functions: MONOTONE }),
  },
  {
    name: "nonlinear, non-monotone links",
    what: `generateNonlinear, functions ${NON_MONOTONE.join("/")} (sin(πu), log(1+|u|), u² or u³; same defaults)`,
    make: (V, T, seed) => generateNonlinear({ vars: V, length: T, maxLag: TAU_MAX, seed, functions: NON_MONOTONE }),
  },
  {
    name: "heavy-tailed heteroscedastic",
    what: `generateVar's graph and coefficients (|coef| in [${COEF_RANGE.join(", ")}]) re-simulated with Student-t(${T_DOF}) ARCH(1) innovations, h = ${ARCH_A0} + ${ARCH_A1} e²(t-1)`,
    make: heavyTailed,
  },
  {
    name: "monotone observation transforms",
    what: `generateVar (|coef| in [${COEF_RANGE.join(", ")}], Gaussian) observed as exp(x/sd) (even variables) or (x/sd)³ (odd)`,
    make: transformed,
  },
  {
    name: "linear Gaussian VAR (control)",
    what: `generateVar, |coef| in [${COEF_RANGE.join(", ")}], Gaussian innovations`,
    make: (V, T, seed) => generateVar({ vars: V, length: T, maxLag: TAU_MAX, seed, coefRange: COEF_RANGE }),
  },
];


interface Row {
  family: string;
  seed: number;
  test: Test;
  auroc: number;
  seconds: number;
  /** Lagged entries whose p-value sits at the permutation floor 1/(permutations + 1) (cmiknn only). */
  atFloor: number;
}

export const suite: BenchSuite = {
  name: "pcmci-tests",
  description: "pcmci with parcorr / robust_parcorr / cmiknn on nonlinear, heavy-tailed, transformed and linear series: lagged AUROC and seconds per test",
  async run(ctx: BenchContext): Promise<BenchReport> {
    const method: Discoverer | undefined = ALL_METHODS.find((m) => m.name === "pcmci");
    if (!method) throw new Error("pcmci-tests: the pcmci method is not registered in @causeway/methods");
    const V = ctx.quick ? 3 : 4;
    const T = ctx.quick ? 200 : 300;
    const seeds = ctx.quick ? 1 : 3;
    const params = (test: Test) => ({ test, ...(test === "cmiknn" ? { permutations: String(PERMUTATIONS), knn: String(KNN) } : {}) });
    const rows: Row[] = [];
    for (const family of FAMILIES)
      for (let seed = 0; seed < seeds; seed++) {
        const { series, truth } = family.make(V, T, seed);
        for (const test of TESTS) {
          const t0 = performance.now();
          const g = await method.discover(series, { maxLag: TAU_MAX, seed: 0, params: params(test) });
          const seconds = (performance.now() - t0) / 1000;
          const floor = 1 / (PERMUTATIONS + 1);
          const atFloor = test === "cmiknn" ? g.pvalues!.flat(2).filter((p) => p <= floor * (1 + 1e-9)).length : 0;
          const a = laggedAuroc((e, c, l) => g.scores[e][c][l - 1], truth, TAU_MAX);
          rows.push({ family: family.name, seed, test, auroc: a, seconds, atFloor });
          ctx.log(`${family.name} #${seed} ${test}: lagged AUROC ${f3(a)}, ${seconds.toFixed(2)} s${test === "cmiknn" ? `, ${atFloor} p-values at the floor` : ""}`);
        }
      }
    if (ctx.json) for (const r of rows) process.stdout.write(JSON.stringify(r) + "\n");
    return { rows: rows.map((r) => ({ ...r })), markdown: markdown(rows, { V, T, seeds, quick: ctx.quick }), file: "pcmci-tests" };
  },
};

function markdown(rows: Row[], o: { V: number; T: number; seeds: number; quick: boolean }): string {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const lines = [
    "## `pcmci`: ParCorr vs robust ParCorr vs CMIknn, same series, same run",
    "",
    `V = ${o.V}, T = ${o.T}, tau_max = ${TAU_MAX} (generators' maxLag ${TAU_MAX} too), ${o.seeds} seeds (0..${o.seeds - 1}) per family; each series is fitted by all three tests.`,
    `pcmci defaults otherwise (pcAlpha 0.2, tauMin 1, maxCombinations 1, method seed 0). CMIknn: ${PERMUTATIONS} local permutations, knn ${KNN}`,
    `(fraction of samples), ranks transform (the method's defaults apart from those two), so its smallest p-value is 1/${PERMUTATIONS + 1}.`,
    "AUROC: lagged, every (effect, cause, lag 1..2) with self-loops, ranked by the method's score (-log10 p). Seconds: the whole",
    "`discover` call, one thread, on the shared 2-core machine (under other engineers' load, so noisy).",
    "",
    "Families:",
    "",
    ...FAMILIES.map((f) => `- **${f.name}**: ${f.what}.`),
    "",
    "| family | parcorr AUROC | robust_parcorr AUROC | cmiknn AUROC | robust − parcorr | cmiknn − parcorr | parcorr s | robust s | cmiknn s | cmiknn p at floor (of " + o.V * o.V * TAU_MAX + ") |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const f of FAMILIES) {
    const of = (t: Test) => rows.filter((r) => r.family === f.name && r.test === t);
    const a = (t: Test) => mean(of(t).map((r) => r.auroc));
    const s = (t: Test) => mean(of(t).map((r) => r.seconds));
    const d = (x: number) => (x >= 0 ? "+" : "") + x.toFixed(3);
    lines.push(
      `| ${f.name} | ${f3(a("parcorr"))} | ${f3(a("robust_parcorr"))} | ${f3(a("cmiknn"))} | ${d(a("robust_parcorr") - a("parcorr"))} | ${d(a("cmiknn") - a("parcorr"))} | ${s("parcorr").toFixed(2)} | ${s("robust_parcorr").toFixed(2)} | ${s("cmiknn").toFixed(1)} | ${mean(of("cmiknn").map((r) => r.atFloor)).toFixed(1)} |`,
    );
  }
  lines.push("", "Per seed (lagged AUROC parcorr / robust_parcorr / cmiknn):", "", "| family | seed | parcorr | robust_parcorr | cmiknn |", "|---|---|---|---|---|");
  for (const f of FAMILIES)
    for (let seed = 0; seed < o.seeds; seed++) {
      const at = (t: Test) => rows.find((r) => r.family === f.name && r.seed === seed && r.test === t)!.auroc;
      lines.push(`| ${f.name} | ${seed} | ${f3(at("parcorr"))} | ${f3(at("robust_parcorr"))} | ${f3(at("cmiknn"))} |`);
    }
  lines.push("", o.quick ? "(quick run: V = 3, T = 200, one seed)" : "", "");
  return lines.join("\n");
}
