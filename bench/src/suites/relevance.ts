// `pnpm bench relevance`: allocate a CausalTransformer's compute by causal relevance vs correlation
// on a confounded forecasting task (issue 9). Train on one split, choose tokens from training
// windows, measure the held-out forecast error of the target under each plan.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { Rng, choleskySolveInPlace, choleskyWithJitter, sliceSeries, useBackend, zscore, type TimeSeries } from "@causeway/core";
import { CausalTransformer, MODEL_DEFAULTS, windows } from "@causeway/transformer";
import {
  type AllocationPolicy,
  type RelevanceScores,
  allocate,
  applyPlan,
  causalRelevance,
  confoundedTask,
  correlationScores,
  randomScores,
  relevanceScores,
  spearman,
  trainForPlans,
  type ConfoundedTaskOptions,
} from "@causeway/relevance-allocator";
import { RESULTS_DIR } from "../env.js";
import type { BenchContext, BenchReport, BenchSuite } from "../types.js";

const BUDGETS = [0.1, 0.25, 0.5];
/** Allocators in plot/table order; `oracle` ranks the true causal tokens first, the rest by the newest-first tie rule (a reference, not a method). */
const ALLOCATORS = ["interventional", "interventional-loss", "attention", "gradient", "correlation", "random", "oracle"] as const;
type Allocator = (typeof ALLOCATORS)[number];
const POLICIES = ["topk", "depth"] as const;
type Policy = (typeof POLICIES)[number];

/** Task variants: `strong` (the default confoundedTask) misleads correlation; `weak` does not. */
const TASKS: Record<string, ConfoundedTaskOptions> = {
  strong: {},
  weak: { causeLags: [2, 3, 4], distractorLeads: [1, 2, 3], noise: 1, phi: 0.9, causeNoise: 1.5 },
};

const WINDOW = 8;

type Row = {
  task: string;
  policy: Policy;
  allocator: Allocator;
  /** Requested fraction of the tokens (depth: of the token-layers) kept. */
  budget: number;
  /** Mean over seeds of held-out MSE(target) under the plan / MSE(target) with every token. */
  errorRatio: number;
  errorRatioSd: number;
  errorRatioMin: number;
  errorRatioMax: number;
  /** FLOPs of the plan / FLOPs of the full window (one sample, as run). */
  flopsFraction: number;
  /** Mean number of the true causal tokens the plan keeps (depth: with depth >= 1). */
  causesKept: number;
  causes: number;
  seeds: number;
};

interface SeedResult {
  seed: number;
  /** Tokens of a window, W * V. */
  tokens: number;
  fullMse: number;
  /** Least-squares forecast from the true causal tokens only, held-out MSE (the best achievable). */
  oracleLinearMse: number;
  epochs: number;
  trainSeconds: number;
  ms: Record<"interventional" | "attention" | "gradient" | "correlation", number>;
  forwardPasses: number;
  /** Spearman of each allocator's scores with the interventional ones (all tokens but y's query). */
  agreement: Record<"interventional-loss" | "attention" | "gradient" | "correlation", number>;
  /** `${task}/${policy}/${allocator}/${budget}` -> [ratio, flopsFraction, causesKept] */
  cells: Map<string, [number, number, number]>;
}

function flags(args: string[], quick: boolean) {
  const get = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const num = (name: string, dflt: number) => (get(name) !== undefined ? Number(get(name)) : dflt);
  const tasks = (get("tasks") ?? "strong,weak").split(",");
  for (const t of tasks) if (!TASKS[t]) throw new Error(`bench relevance: unknown task "${t}"; tasks: ${Object.keys(TASKS).join(", ")}`);
  return {
    tasks,
    seeds: num("seeds", quick ? 1 : 3),
    length: num("length", quick ? 900 : 3000),
    epochs: num("epochs", quick ? 2 : 50),
    /** Training windows the model-based estimators average over. */
    relevanceWindows: num("relevance-windows", quick ? 16 : 128),
    backend: get("backend") ?? "wasm",
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1)));

/** Held-out MSE of column 0 of `[n, V]` predictions against targets. */
function targetMse(pred: ArrayLike<number>, y: ArrayLike<number>, V: number): number {
  let s = 0;
  const n = y.length / V;
  for (let i = 0; i < n; i++) s += (pred[i * V] - y[i * V]) ** 2;
  return s / n;
}

/** Least squares of y on the columns `cols` of windows (+ intercept), fitted on train, MSE on test. */
function linearMse(train: { x: Float32Array; y: Float32Array; n: number }, test: { x: Float32Array; y: Float32Array; n: number }, cols: number[], N: number, V: number): number {
  const k = cols.length + 1;
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  const row = (w: { x: Float32Array }, i: number) => [...cols.map((c) => w.x[i * N + c]), 1];
  for (let i = 0; i < train.n; i++) {
    const r = row(train, i);
    for (let p = 0; p < k; p++) {
      b[p] += r[p] * train.y[i * V];
      for (let q = 0; q < k; q++) A[p * k + q] += r[p] * r[q];
    }
  }
  // normal equations A beta = b by Cholesky (A = XᵀX is symmetric positive definite)
  const beta = b;
  choleskySolveInPlace(choleskyWithJitter(A, k).L, k, beta, 1);
  let s = 0;
  for (let i = 0; i < test.n; i++) {
    const r = row(test, i);
    s += (r.reduce((acc, v, p) => acc + v * beta[p], 0) - test.y[i * V]) ** 2;
  }
  return s / test.n;
}

async function runSeed(ctx: BenchContext, task: string, seed: number, f: ReturnType<typeof flags>): Promise<SeedResult> {
  const W = WINDOW;
  const generated = confoundedTask({ ...TASKS[task], length: f.length, seed: 1000 + seed });
  const V = generated.series.variables.length;
  const N = W * V;
  const split = Math.round((2 / 3) * f.length);
  // standardize with the training rows' statistics only
  const stats = zscore(sliceSeries(generated.series, 0, split));
  const norm = (s: TimeSeries): TimeSeries => ({ ...s, data: s.data.map((x, i) => (x - stats.offset[i % V]) / stats.scale[i % V]) });
  const train = windows(norm(sliceSeries(generated.series, 0, split)).data, split, V, W);
  const test = windows(norm(sliceSeries(generated.series, split)).data, f.length - split, V, W);
  const causal = generated.causes.map((c) => (W - c.lag) * V + c.variable);

  const model = new CausalTransformer({ vars: V, window: W, ...MODEL_DEFAULTS }, seed);
  const xTrain = tf.tensor3d(train.x, [train.n, W, V]);
  const yTrain = tf.tensor2d(train.y, [train.n, V]);
  const xTest = tf.tensor3d(test.x, [test.n, W, V]);
  try {
    let started = performance.now();
    const history = await trainForPlans(model, xTrain, yTrain, { outputs: [0], epochs: f.epochs, seed, onProgress: (e) => e.metrics && ctx.log(`    epoch ${e.step}: ${JSON.stringify(e.metrics)}`) });
    const trainSeconds = (performance.now() - started) / 1000;
    ctx.log(`  ${task} seed ${seed}: trained ${history.epochs} epochs in ${trainSeconds.toFixed(0)} s, best validation MSE ${history.bestValidationLoss.toFixed(3)} (epoch ${history.bestEpoch + 1})`);

    // estimators on a random sample of training windows
    const rng = new Rng(seed);
    const pick = Array.from({ length: train.n }, (_, i) => i);
    rng.shuffle(pick);
    const sample = pick.slice(0, Math.min(f.relevanceWindows, train.n));
    const xRel = tf.tidy(() => tf.gather(xTrain, sample));
    const yRel = tf.tidy(() => tf.gather(yTrain, sample));
    const scores: Partial<Record<Allocator, RelevanceScores>> = {};
    const ms = { interventional: 0, attention: 0, gradient: 0, correlation: 0 };
    let forwardPasses = 0;
    for (const e of ["interventional", "attention", "gradient"] as const) {
      started = performance.now();
      const r = await causalRelevance(model, { x: xRel }, { estimators: [e], outputs: [0] });
      ms[e] = performance.now() - started;
      scores[e] = r[e];
      if (e === "interventional") forwardPasses = r.forwardPasses;
    }
    // the same ablations scored by the increase of the squared error instead of the output change
    const lossRel = await causalRelevance(model, { x: xRel, y: yRel }, { estimators: ["interventional"], outputs: [0], objective: "loss" });
    scores["interventional-loss"] = lossRel.interventional;
    tf.dispose([xRel, yRel]);
    started = performance.now();
    scores.correlation = correlationScores(
      train.x,
      Float64Array.from({ length: train.n }, (_, i) => train.y[i * V]),
      W,
      V,
    );
    ms.correlation = performance.now() - started;
    scores.random = randomScores(W, V, 7919 * seed + 1);
    scores.oracle = relevanceScores(
      W,
      V,
      Float64Array.from({ length: N }, (_, i) => (causal.includes(i) ? 1 : 0)),
    );
    const candidates = Array.from({ length: N }, (_, i) => i).filter((i) => i !== (W - 1) * V);
    const agreement = {
      "interventional-loss": spearman(scores["interventional-loss"]!.tokens, scores.interventional!.tokens, candidates),
      attention: spearman(scores.attention!.tokens, scores.interventional!.tokens, candidates),
      gradient: spearman(scores.gradient!.tokens, scores.interventional!.tokens, candidates),
      correlation: spearman(scores.correlation.tokens, scores.interventional!.tokens, candidates),
    };

    // held-out error: every token, then each plan
    const full = applyPlan(model, xTest, allocate(scores.random, 1, { kind: "topk", queries: [0] }));
    const fullMse = targetMse(await full.prediction.data(), test.y, V);
    full.prediction.dispose();
    const cells = new Map<string, [number, number, number]>();
    for (const policy of POLICIES)
      for (const allocator of ALLOCATORS)
        for (const budget of BUDGETS) {
          const p: AllocationPolicy = policy === "topk" ? { kind: "topk", queries: [0] } : { kind: "depth", layers: model.config.layers, queries: [0] };
          const plan = allocate(scores[allocator]!, budget, p);
          const run = applyPlan(model, xTest, plan);
          const mse = targetMse(await run.prediction.data(), test.y, V);
          run.prediction.dispose();
          const kept = causal.filter((i) => plan.keep[i] === 1).length;
          cells.set(`${task}/${policy}/${allocator}/${budget}`, [mse / fullMse, run.flopsFraction, kept]);
        }
    const oracleLinearMse = linearMse(train, test, causal, N, V);
    ctx.log(`  ${task} seed ${seed}: held-out MSE ${fullMse.toFixed(3)} (causal-token least squares ${oracleLinearMse.toFixed(3)}); interventional ${(ms.interventional / 1000).toFixed(1)} s`);
    return { seed, tokens: N, fullMse, oracleLinearMse, epochs: history.epochs, trainSeconds, ms, forwardPasses, agreement, cells };
  } finally {
    tf.dispose([xTrain, yTrain, xTest]);
    model.dispose();
  }
}

const COLORS: Record<Allocator, string> = {
  interventional: "#1b7837",
  "interventional-loss": "#5aae61",
  attention: "#2166ac",
  gradient: "#762a83",
  correlation: "#d6604d",
  random: "#878787",
  oracle: "#000000",
};

/** Error ratio vs budget (log y), one line per allocator with min-max whiskers; one panel per task. */
export function svg(rows: Row[], tasks: string[]): string {
  const pw = 360;
  const ph = 300;
  const m = { l: 56, r: 16, t: 36, b: 48 };
  const width = tasks.length * (pw + m.l + m.r) + 215;
  const height = ph + m.t + m.b;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  const topk = rows.filter((r) => r.policy === "topk");
  const ys = topk.flatMap((r) => [r.errorRatioMin, r.errorRatioMax]).filter((v) => v > 0);
  const lo = Math.min(0.7, ...ys) / 1.1;
  const hi = Math.max(1.5, ...ys) * 1.1;
  tasks.forEach((task, k) => {
    const ox = k * (pw + m.l + m.r) + m.l;
    const X = (b: number) => ox + ((b - 0.05) / (0.55 - 0.05)) * pw;
    const Y = (v: number) => m.t + ((Math.log10(hi) - Math.log10(v)) / (Math.log10(hi) - Math.log10(lo))) * ph;
    out.push(`<text x="${ox + pw / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${task === "strong" ? "strong confounding (default task)" : "weak confounding"}</text>`);
    out.push(`<rect x="${ox}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
    for (const b of BUDGETS) {
      out.push(`<line x1="${X(b)}" y1="${m.t + ph}" x2="${X(b)}" y2="${m.t + ph + 5}" stroke="#444"/>`);
      out.push(`<text x="${X(b)}" y="${m.t + ph + 18}" text-anchor="middle">${b * 100}%</text>`);
    }
    out.push(`<text x="${ox + pw / 2}" y="${m.t + ph + 38}" text-anchor="middle">budget (share of tokens kept)</text>`);
    for (const v of [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32]) {
      if (v < lo || v > hi) continue;
      out.push(`<line x1="${ox}" y1="${Y(v).toFixed(1)}" x2="${ox + pw}" y2="${Y(v).toFixed(1)}" stroke="#ddd"/>`);
      out.push(`<text x="${ox - 6}" y="${(Y(v) + 4).toFixed(1)}" text-anchor="end">${v}</text>`);
    }
    out.push(`<line x1="${ox}" y1="${Y(1).toFixed(1)}" x2="${ox + pw}" y2="${Y(1).toFixed(1)}" stroke="#444" stroke-dasharray="4 3"/>`);
    if (k === 0) out.push(`<text transform="translate(${ox - 42},${m.t + ph / 2}) rotate(-90)" text-anchor="middle">held-out error ÷ full-compute error (log)</text>`);
    ALLOCATORS.forEach((a, ai) => {
      const pts = BUDGETS.map((b) => topk.find((r) => r.task === task && r.allocator === a && r.budget === b)).filter((r): r is Row => !!r);
      if (pts.length === 0) return;
      const dx = (ai - (ALLOCATORS.length - 1) / 2) * 3; // spread the whiskers
      const dash = a === "oracle" ? ` stroke-dasharray="2 2"` : "";
      out.push(`<polyline fill="none" stroke="${COLORS[a]}" stroke-width="2"${dash} points="${pts.map((r) => `${(X(r.budget) + dx).toFixed(1)},${Y(r.errorRatio).toFixed(1)}`).join(" ")}"/>`);
      for (const r of pts) {
        out.push(`<line x1="${(X(r.budget) + dx).toFixed(1)}" y1="${Y(r.errorRatioMin).toFixed(1)}" x2="${(X(r.budget) + dx).toFixed(1)}" y2="${Y(r.errorRatioMax).toFixed(1)}" stroke="${COLORS[a]}"/>`);
        out.push(`<circle cx="${(X(r.budget) + dx).toFixed(1)}" cy="${Y(r.errorRatio).toFixed(1)}" r="3" fill="${COLORS[a]}"/>`);
      }
    });
  });
  const lx = tasks.length * (pw + m.l + m.r) + 4;
  ALLOCATORS.forEach((a, i) => {
    const y = m.t + 12 + i * 20;
    out.push(`<line x1="${lx}" y1="${y}" x2="${lx + 22}" y2="${y}" stroke="${COLORS[a]}" stroke-width="2"${a === "oracle" ? ` stroke-dasharray="2 2"` : ""}/>`);
    out.push(`<text x="${lx + 28}" y="${y + 4}">${a === "oracle" ? "oracle (true causes, then newest)" : a}</text>`);
  });
  out.push(`<text x="${lx}" y="${m.t + 12 + ALLOCATORS.length * 20 + 10}" font-size="10" fill="#555">top-k plans; dots: mean</text>`);
  out.push(`<text x="${lx}" y="${m.t + 12 + ALLOCATORS.length * 20 + 24}" font-size="10" fill="#555">over seeds, bars: min-max</text>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}

const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);

function markdown(rows: Row[], results: Map<string, SeedResult[]>, f: ReturnType<typeof flags>): string {
  const lines: string[] = [];
  const first = results.values().next().value as SeedResult[];
  const nSeeds = first.length;
  lines.push(
    `A CausalTransformer (${Object.entries(MODEL_DEFAULTS)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}) forecasts the target \`y\` of \`confoundedTask\` from an ${WINDOW}-step window (one token per step and variable), trained with \`trainForPlans\` (random token dropping, target-only loss, ≤ ${f.epochs} epochs, early stopping) on the first 2/3 of a ${f.length}-row series. Every allocator ranks the tokens on **training** windows (the model-based estimators on ${f.relevanceWindows} of them); each plan keeps y's query token plus the best-ranked others and runs on the **held-out** last 1/3. \`errorRatio\` = held-out MSE(y) under the plan ÷ with every token; mean over ${nSeeds} seeds (a new series and model each), ± sample sd, [min, max]. \`oracle\` ranks the true causal tokens first and fills the rest of the budget with the newest tokens (score ties): a reference, not a method. Backend ${f.backend}; timings on a loaded 2-core machine.`,
    "",
  );
  for (const [task, seeds] of results) {
    const t = rows.filter((r) => r.task === task);
    const K = t[0]?.causes ?? 0;
    lines.push(`## Task \`${task}\`${task === "strong" ? " (the default `confoundedTask`: correlation ranks 26 distractor tokens above every cause)" : " (3 causes, 3 distractors, phi 0.9, causeNoise 1.5: the cause tokens are the most correlated)"}`, "");
    lines.push(
      `Full-compute held-out MSE(y): ${seeds.map((s) => f3(s.fullMse)).join(", ")} (z-units; least squares on the ${K} true causal tokens: ${seeds.map((s) => f3(s.oracleLinearMse)).join(", ")}). Epochs trained: ${seeds.map((s) => s.epochs).join(", ")}; training ${seeds.map((s) => s.trainSeconds.toFixed(0)).join(", ")} s.`,
      "",
    );
    for (const policy of POLICIES) {
      lines.push(`### ${policy === "topk" ? "Top-k keep/drop" : "Per-token depth (early exit; budget = share of token-layers)"}`, "");
      lines.push(`| budget | allocator | errorRatio (mean ± sd) | [min, max] | FLOPs fraction | causal tokens kept (of ${K}) |`, "|---|---|---|---|---|---|");
      for (const b of BUDGETS)
        for (const a of ALLOCATORS) {
          const r = t.find((x) => x.policy === policy && x.allocator === a && x.budget === b);
          if (r) lines.push(`| ${b * 100}% | ${a} | ${f2(r.errorRatio)} ± ${f2(r.errorRatioSd)} | [${f2(r.errorRatioMin)}, ${f2(r.errorRatioMax)}] | ${f3(r.flopsFraction)} | ${r.causesKept.toFixed(1)} |`);
        }
      lines.push("");
    }
    // verdict: causal allocators vs correlation, seed by seed
    lines.push("**Causal vs correlation allocation (top-k), seeds where the causal allocator's held-out error is lower:**", "");
    lines.push("| budget | interventional | interventional-loss | attention | gradient |", "|---|---|---|---|---|");
    for (const b of BUDGETS) {
      const cell = (a: Allocator) => {
        const wins = seeds.filter((s) => s.cells.get(`${task}/topk/${a}/${b}`)![0] < s.cells.get(`${task}/topk/correlation/${b}`)![0]).length;
        const ra = t.find((x) => x.policy === "topk" && x.allocator === a && x.budget === b)!;
        const rc = t.find((x) => x.policy === "topk" && x.allocator === "correlation" && x.budget === b)!;
        return `${wins}/${seeds.length} (mean ${f2(ra.errorRatio)} vs ${f2(rc.errorRatio)})`;
      };
      lines.push(`| ${b * 100}% | ${cell("interventional")} | ${cell("interventional-loss")} | ${cell("attention")} | ${cell("gradient")} |`);
    }
    lines.push("");
    lines.push("**Estimator cost and agreement** (Spearman rank correlation with the interventional scores over all tokens but y's query; mean ± sd over seeds):", "");
    lines.push("| estimator | time (s) | model passes | Spearman with interventional |", "|---|---|---|---|");
    const passes = seeds[0].forwardPasses;
    lines.push(`| interventional (mask ablation, ${f.relevanceWindows} windows × ${seeds[0].tokens} tokens) | ${f2(mean(seeds.map((s) => s.ms.interventional / 1000)))} | ${passes} batched forward passes | 1 |`);
    lines.push(`| interventional, loss objective (same ablations) | — | as above | ${f2(mean(seeds.map((s) => s.agreement["interventional-loss"])))} ± ${f2(sd(seeds.map((s) => s.agreement["interventional-loss"])))} |`);
    lines.push(`| attention rollout | ${f2(mean(seeds.map((s) => s.ms.attention / 1000)))} | 1 forward pass | ${f2(mean(seeds.map((s) => s.agreement.attention)))} ± ${f2(sd(seeds.map((s) => s.agreement.attention)))} |`);
    lines.push(`| gradient × input | ${f2(mean(seeds.map((s) => s.ms.gradient / 1000)))} | 1 forward + backward | ${f2(mean(seeds.map((s) => s.agreement.gradient)))} ± ${f2(sd(seeds.map((s) => s.agreement.gradient)))} |`);
    lines.push(`| correlation with the target (model-free) | ${f2(mean(seeds.map((s) => s.ms.correlation / 1000)))} | none | ${f2(mean(seeds.map((s) => s.agreement.correlation)))} ± ${f2(sd(seeds.map((s) => s.agreement.correlation)))} |`);
    lines.push("");
  }
  lines.push("![error ratio vs budget](relevance.svg)", "");
  return lines.join("\n");
}

export const suite: BenchSuite = {
  name: "relevance",
  description: "relevance-allocator: causal vs correlation token allocation on a confounded forecasting task",
  async run(ctx: BenchContext): Promise<BenchReport> {
    const f = flags(ctx.args, ctx.quick);
    await useBackend(f.backend as "wasm");
    const results = new Map<string, SeedResult[]>();
    let causes = 0;
    for (const task of f.tasks) {
      const list: SeedResult[] = [];
      for (let s = 1; s <= f.seeds; s++) list.push(await runSeed(ctx, task, s, f));
      results.set(task, list);
    }
    const rows: Row[] = [];
    for (const [task, seeds] of results) {
      causes = confoundedTask({ ...TASKS[task], length: 20 }).causes.length;
      for (const policy of POLICIES)
        for (const allocator of ALLOCATORS)
          for (const budget of BUDGETS) {
            const cells = seeds.map((s) => s.cells.get(`${task}/${policy}/${allocator}/${budget}`)!);
            const ratios = cells.map((c) => c[0]);
            const row: Row = {
              task,
              policy,
              allocator,
              budget,
              errorRatio: mean(ratios),
              errorRatioSd: sd(ratios),
              errorRatioMin: Math.min(...ratios),
              errorRatioMax: Math.max(...ratios),
              flopsFraction: mean(cells.map((c) => c[1])),
              causesKept: mean(cells.map((c) => c[2])),
              causes,
              seeds: seeds.length,
            };
            rows.push(row);
            if (ctx.json) process.stdout.write(JSON.stringify(row) + "\n");
          }
    }
    if (!ctx.quick && !ctx.args.includes("--no-write")) {
      const file = join(RESULTS_DIR, "relevance.svg");
      await writeFile(file, svg(rows, f.tasks));
      ctx.log(`wrote ${file}`);
    }
    return { rows, markdown: markdown(rows, results, f) };
  },
};
