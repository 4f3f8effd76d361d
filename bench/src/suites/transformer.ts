// `pnpm bench transformer`: the scaling claim of "Transformer Is Inherently a Causal Learner"
// (arXiv 2601.05647) on our data (issue 20, items 2 and 3): AUROC vs total samples (1, 4, 16
// recordings of one nonlinear SCM, series.segments) and vs heterogeneity (recordings from
// differently parameterised versions of the same graph), beside var and pcmci on the same data;
// then the families where the transformer trailed (long lags, heteroscedastic links, Kuramoto,
// Lorenz-96 V = 20) and two nonstationary ones (a regime switch in the coupling, seasonal drift).
import { Rng, useBackend, type Discoverer, type GroundTruth, type TimeSeries } from "@causeway/core";
import { scoreGraph } from "@causeway/metrics";
import { ALL_METHODS } from "@causeway/methods";
import { generateKuramoto, generateLorenz96, generateNonlinear, generateNonstationary, generateVar, termFunction, type NonlinearEquation, type NonlinearFunction } from "@causeway/synth";
import { avg, f3 } from "../format.js";
import type { BenchContext, BenchReport, BenchSuite } from "../types.js";

const METHODS = ["transformer", "var", "pcmci"] as const;
/** Scaling part: V, maxLag and rows per recording of the nonlinear SCM. */
const V_SCALE = 5;
const LAG_SCALE = 3;
const SEGMENT_ROWS = 150;
const SEGMENT_COUNTS = [1, 4, 16] as const;
/**
 * Link functions of the scaling SCM: mostly ones a linear model sees poorly or not at all (u², u³, log(1 + |u|),
 * sin(πu), products), so there is room to improve with data; tanh keeps one monotone link in the mix.
 */
const SCALE_FUNCTIONS: NonlinearFunction[] = ["polynomial", "log", "sin", "tanh", "interaction"];
/** Functions a heterogeneous recording may swap a single-input term's function for. */
const SWAP: NonlinearFunction[] = ["polynomial", "log", "sin", "tanh"];
const BURN_IN = 200;

export interface Data {
  series: TimeSeries;
  truth: GroundTruth;
  maxLag: number;
}

/** One recording of `equations` (generateNonlinear's SCM) with noise sd per variable, weights scaled per term, functions swapped. */
function simulate(equations: NonlinearEquation[], T: number, noise: Float64Array, rng: Rng, inputScale: number): Float64Array {
  const V = equations.length;
  const steps = BURN_IN + T;
  const u = new Float64Array(steps * V); // [burnIn + T, V] squashed values tanh(x / inputScale)
  const x = new Float64Array(steps * V); // [burnIn + T, V]
  for (let t = 0; t < steps; t++)
    for (let j = 0; j < V; j++) {
      let value = noise[j] * rng.normal();
      for (const term of equations[j].terms) {
        const at = (k: number) => (t - term.inputs[k].lag >= 0 ? u[(t - term.inputs[k].lag) * V + term.inputs[k].cause] : 0);
        value += term.weight * termFunction(term, at(0), term.inputs.length > 1 ? at(1) : 0);
      }
      x[t * V + j] = value;
      u[t * V + j] = Math.tanh(value / inputScale);
    }
  return x.slice(BURN_IN * V);
}

/**
 * `k` recordings of `SEGMENT_ROWS` rows of one nonlinear SCM (generateNonlinear, V = 5, maxLag 3).
 * Homogeneous: one long run cut into k recordings. Heterogeneous: recording r keeps the graph but
 * scales every term's weight by U[0.5, 1.5], swaps each single-input function for a random one with
 * probability 1/2, and draws its noise sd per variable from U[0.15, 0.45].
 */
export function scalingData(seed: number, k: number, heterogeneous: boolean): Data {
  const g = generateNonlinear({ vars: V_SCALE, length: 100, maxLag: LAG_SCALE, seed, functions: SCALE_FUNCTIONS });
  const rng = new Rng(1000 + seed);
  const T = k * SEGMENT_ROWS;
  let data: Float64Array;
  if (!heterogeneous) data = simulate(g.equations, T, new Float64Array(V_SCALE).fill(0.3), rng, g.inputScale);
  else {
    data = new Float64Array(T * V_SCALE);
    for (let r = 0; r < k; r++) {
      const equations = g.equations.map((eq) => ({
        effect: eq.effect,
        terms: eq.terms.map((term) => {
          const swap = term.inputs.length === 1 && rng.bernoulli(0.5);
          const kind = swap ? SWAP[rng.int(SWAP.length)] : term.kind;
          return { ...term, kind, degree: term.degree ?? 2, shift: term.shift ?? 0, weight: term.weight * rng.range(0.5, 1.5) };
        }),
      }));
      const noise = Float64Array.from({ length: V_SCALE }, () => rng.range(0.15, 0.45));
      data.set(simulate(equations, SEGMENT_ROWS, noise, rng, g.inputScale), r * SEGMENT_ROWS * V_SCALE);
    }
  }
  const segments = Array.from({ length: k }, (_, r) => r * SEGMENT_ROWS);
  return { series: { ...g.series, length: T, data, ...(k > 1 ? { segments } : {}) }, truth: g.truth, maxLag: LAG_SCALE };
}

/** The families where the transformer trailed (issue 20, item 3), T = 1000. */
export const HARD: { name: string; what: string; make(seed: number): Data }[] = [
  {
    name: "VAR, lags up to 8",
    what: "generateVar V=5, maxLag 8 (each parent at one lag drawn from 1..8), maxLag 8 asked",
    make: (seed) => ({ ...generateVar({ vars: 5, length: 1000, maxLag: 8, seed }), maxLag: 8 }),
  },
  {
    name: "nonlinear, heteroscedastic",
    what: "generateNonlinear V=5 maxLag 3 equations, re-simulated with noise sd per variable from U[0.1, 0.6]",
    make: (seed) => {
      const g = generateNonlinear({ vars: 5, length: 100, maxLag: 3, seed });
      const rng = new Rng(2000 + seed);
      const noise = Float64Array.from({ length: 5 }, () => rng.range(0.1, 0.6));
      return { series: { ...g.series, length: 1000, data: simulate(g.equations, 1000, noise, rng, g.inputScale) }, truth: g.truth, maxLag: 3 };
    },
  },
  { name: "Kuramoto V=5", what: "generateKuramoto V=5 (summary truth), maxLag 3", make: (seed) => ({ ...generateKuramoto({ vars: 5, length: 1000, seed }), maxLag: 3 }) },
  { name: "Kuramoto V=10", what: "generateKuramoto V=10 (summary truth), maxLag 3", make: (seed) => ({ ...generateKuramoto({ vars: 10, length: 1000, seed }), maxLag: 3 }) },
  { name: "Lorenz-96 V=20", what: "generateLorenz96 V=20, F=40 (summary truth), maxLag 3", make: (seed) => ({ ...generateLorenz96({ vars: 20, length: 1000, forcing: 40, seed }), maxLag: 3 }) },
  {
    name: "nonstationary, regime switch",
    what: "generateNonstationary V=5 maxLag 3: the coupling's size switches at mid-series (couplingSwitch 0.6), with its default trend, random walk, level shift and 1-3x noise after the switch",
    make: (seed) => ({ ...generateNonstationary({ vars: 5, length: 1000, maxLag: 3, seed, couplingSwitch: 0.6 }), maxLag: 3 }),
  },
  {
    name: "nonstationary, seasonal drift",
    what: "generateNonstationary V=5 maxLag 3 observed through a seasonal sinusoid of 2 sds (period T/20..T/4), no trend, walk, shift or noise change",
    make: (seed) => ({ ...generateNonstationary({ vars: 5, length: 1000, maxLag: 3, seed, seasonal: 2, trend: 0, walk: 0, shift: 0, noiseRatio: 1 }), maxLag: 3 }),
  },
];

interface Row {
  part: "scaling" | "hard";
  data: string;
  seed: number;
  method: string;
  samples: number;
  auroc: number | null;
  aurocSummary: number | null;
  seconds: number;
}

/**
 * `--variant k=v[,k=v]` (repeatable): extra transformer rows with those params, on the hard families only; `--seeds n`; `--parts scaling,hard`;
 * `--families a,b` (hard families whose name contains one of these); `--methods a,b` (a subset of transformer, var, pcmci);
 * `--out name` (results file `bench/results/<name>.md`, default transformer-scaling).
 */
function flags(args: string[]) {
  const all = (name: string) => args.flatMap((a, i) => (a === `--${name}` && i + 1 < args.length ? [args[i + 1]] : []));
  const variants = all("variant").map((list) => Object.fromEntries(list.split(",").map((kv) => kv.split("=").map((s) => s.trim()) as [string, string])));
  const seeds = all("seeds")[0];
  const parts = all("parts")[0]?.split(",") ?? ["scaling", "hard"];
  const only = all("families")[0]?.split(",");
  const methods = all("methods")[0]?.split(",") ?? [...METHODS];
  const out = all("out")[0];
  return { variants, seeds: seeds ? Number(seeds) : undefined, parts, only, methods, out };
}

export const suite: BenchSuite = {
  name: "transformer",
  description: "transformer vs var and pcmci: AUROC vs total samples (1/4/16 recordings) and heterogeneity; long lags, oscillators, Lorenz-96 V=20, nonstationary",
  async run(ctx: BenchContext): Promise<BenchReport> {
    const f = flags(ctx.args);
    const seeds = f.seeds ?? (ctx.quick ? 1 : 2);
    const method = (name: string): Discoverer => {
      const m = ALL_METHODS.find((x) => x.name === name);
      if (!m) throw new Error(`bench transformer: method ${name} is not registered in @causeway/methods`);
      return m;
    };
    const runs = [...METHODS.filter((name) => f.methods.includes(name)).map((name) => ({ label: name as string, m: method(name), params: {} as Record<string, string>, variant: false })), ...f.variants.map((p) => ({ label: `transformer[${Object.entries(p).map(([k, v]) => `${k}=${v}`).join(",")}]`, m: method("transformer"), params: p, variant: true }))];
    await useBackend("wasm");
    const rows: Row[] = [];
    const fit = async (part: Row["part"], data: string, seed: number, d: Data) => {
      for (const r of runs.filter((x) => part === "hard" || !x.variant)) {
        const t0 = performance.now();
        const g = await r.m.discover(d.series, { maxLag: d.maxLag, seed: 0, params: r.params });
        const seconds = (performance.now() - t0) / 1000;
        const s = scoreGraph(d.truth, g);
        const row: Row = { part, data, seed, method: r.label, samples: d.series.length, auroc: d.truth.summaryOnly ? s.aurocSummary : s.aurocLagged, aurocSummary: s.aurocSummary, seconds };
        rows.push(row);
        ctx.log(`${part} ${data} #${seed} ${r.label}: AUROC ${f3(row.auroc)} (summary ${f3(row.aurocSummary)}), ${seconds.toFixed(1)} s`);
      }
    };
    if (f.parts.includes("scaling"))
      for (let seed = 0; seed < seeds; seed++)
        for (const het of [false, true])
          for (const k of ctx.quick ? [1, 4] : SEGMENT_COUNTS) {
            if (het && k === 1) continue; // one recording is homogeneous by definition
            await fit("scaling", `${het ? "heterogeneous" : "homogeneous"} x${k}`, seed, scalingData(seed, k, het));
          }
    if (f.parts.includes("hard"))
      for (const fam of HARD.filter((h) => !f.only || f.only.some((o) => h.name.includes(o))))
        for (let seed = 0; seed < seeds; seed++) await fit("hard", fam.name, seed, fam.make(seed));
    if (ctx.json) for (const r of rows) process.stdout.write(JSON.stringify(r) + "\n");
    return { rows: rows.map((r) => ({ ...r })), markdown: markdown(rows, runs.map((r) => r.label), seeds), file: f.out ?? "transformer-scaling" };
  },
};

function markdown(rows: Row[], labels: string[], seeds: number): string {
  const cell = (part: Row["part"], data: string, label: string) => {
    const of = rows.filter((r) => r.part === part && r.data === data && r.method === label);
    return of.length ? `${f3(avg(of.map((r) => r.auroc)))} (${(avg(of.map((r) => r.seconds)) ?? 0).toFixed(1)} s)` : "–";
  };
  const datas = (part: Row["part"]) => [...new Set(rows.filter((r) => r.part === part).map((r) => r.data))];
  const table = (part: Row["part"]) => {
    const cols = part === "scaling" ? labels.filter((l) => !l.includes("[")) : labels; // variants run on the hard families only
    return [`| data | samples | ${cols.join(" | ")} |`, `|---|---|${cols.map(() => "---|").join("")}`, ...datas(part).map((d) => `| ${d} | ${rows.find((r) => r.part === part && r.data === d)!.samples} | ${cols.map((l) => cell(part, d, l)).join(" | ")} |`)];
  };
  const scaling = datas("scaling").length === 0 ? [] : [
    "## Scaling: AUROC vs total samples and heterogeneity",
    "",
    `Mean lagged AUROC over ${seeds} seed(s) (0..${seeds - 1}) and, in brackets, seconds per fit (wasm, one thread, shared 2-core machine). Data:`,
    `generateNonlinear's SCM (V = ${V_SCALE}, maxLag ${LAG_SCALE}, links drawn from ${SCALE_FUNCTIONS.join(", ")}), k recordings of ${SEGMENT_ROWS} rows each, passed as one`,
    "series with `segments` (no window crosses a border). *homogeneous*: one run of the SCM cut into k recordings. *heterogeneous*: the",
    "same graph in every recording, but each recording scales every term's weight by U[0.5, 1.5], swaps each single-input link",
    "function for a random one with probability 1/2 and draws its noise sd per variable from U[0.15, 0.45]. Every method at its",
    "defaults (transformer: gradient read-out; var: OLS F-tests; pcmci: ParCorr), maxLag 3, method seed 0.",
    "",
    ...table("scaling"),
    "",
  ];
  const hard = datas("hard").length === 0 ? [] : [
    "## Long lags, heteroscedastic links, oscillators, Lorenz-96 V = 20, nonstationary",
    "",
    "T = 1000, one recording. Lagged AUROC where the truth has lags; summary AUROC (max over lags, self pairs included) for Kuramoto and",
    "Lorenz-96. maxLag 3 (8 for the long-lag VAR). Families:",
    "",
    ...HARD.filter((h) => datas("hard").includes(h.name)).map((h) => `- **${h.name}**: ${h.what}.`),
    "",
    ...table("hard"),
    "",
  ];
  return [...scaling, ...hard].join("\n"); // a part that did not run (--parts) leaves no section
}
