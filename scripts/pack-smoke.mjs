#!/usr/bin/env node
// Packs every public @causeway package with `pnpm pack`, installs the tarballs into empty projects
// with npm (as a user would, outside the monorepo) and runs examples: core alone (its install size),
// core + @causeway/backend-wasm (a discovery on wasm), generate → discover → score, and the
// `causeway` command of @causeway/cli (discover, export, report). It prints each package's install
// size (the package with its dependencies, in an empty project).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
// every package a user can install: the folders of packages/ and apps/ whose package.json is not private
const packageDirs = ["packages", "apps"].flatMap((group) =>
  readdirSync(join(root, group))
    .map((name) => join(root, group, name))
    .filter((dir) => existsSync(join(dir, "package.json")) && !JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).private),
);
const packages = packageDirs.map((dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name);
const pnpm = ["-y", "pnpm@9.15.9"];
const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });

const work = mkdtempSync(join(tmpdir(), "causeway-pack-"));
const packs = join(work, "packs");
console.log(`pack-smoke: building ${packages.join(", ")}`);
sh("npx", [...pnpm, "turbo", "run", "build", "--force", "--output-logs=errors-only", ...packages.map((p) => `--filter=${p}`)], root);
for (const dir of packageDirs) sh("npx", [...pnpm, "pack", "--pack-destination", packs], dir);
const tarballs = readdirSync(packs).map((f) => join(packs, f));
console.log(`pack-smoke: packed ${tarballs.map((t) => t.split("/").pop()).join(", ")}`);

const tarball = (name) => tarballs.find((t) => new RegExp(`causeway-${name}-\\d`).test(t));
const npmInstall = (dir, specs) => sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...specs], dir);
/** A fresh project in `work` with these tarballs (and registry packages) installed; its node_modules in KiB. */
function project(name, specs) {
  const dir = join(work, name);
  sh("mkdir", ["-p", dir], work);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `pack-smoke-${name}`, private: true, type: "module" }));
  npmInstall(dir, specs);
  return { dir, kib: Number(sh("du", ["-sk", "node_modules"], dir).split(/\s/)[0]) };
}
const mib = (kib) => (Math.abs(kib) < 1024 ? `${kib} KiB` : `${(kib / 1024).toFixed(1)} MiB`);

// Core alone must stay small: cpu is its only backend; wasm, webgpu and cuda are packages of their
// own, and the tfjs umbrella (gradients for training) an optional peer, installed only when asked for.
const coreOnly = project("core-only", [tarball("core")]);
console.log(`pack-smoke: install size of @causeway/core alone: ${mib(coreOnly.kib)}`);
if (coreOnly.kib > 60 * 1024) throw new Error(`@causeway/core alone installs ${mib(coreOnly.kib)}, over 60 MiB`);

// A fresh core + backend-wasm, nothing else: importing the backend package registers wasm, and a
// discovery runs on it. Before the import, wasm is unavailable with the package to install.
const wasmApp = project("core-wasm", [tarball("core"), tarball("backend-wasm")]);
console.log(`pack-smoke: install size of @causeway/core + @causeway/backend-wasm: ${mib(wasmApp.kib)} (backend-wasm adds ${mib(wasmApp.kib - coreOnly.kib)})`);
writeFileSync(
  join(wasmApp.dir, "wasm.mjs"),
  `import * as tf from "@tensorflow/tfjs-core";
import { createScores, defineMethod, probeBackend, setScore, useBackend } from "@causeway/core";
const before = await probeBackend("wasm");
if (before.available || !/install @causeway\\/backend-wasm and import it once/.test(before.fix)) throw new Error("wasm before the import: " + JSON.stringify(before));
await import("@causeway/backend-wasm");
const name = await useBackend("wasm");
const sum = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[1], [1]])).dataSync());
if (name !== "wasm" || tf.getBackend() !== "wasm" || sum[0] !== 3 || sum[1] !== 7) throw new Error("unexpected wasm result " + name + " " + Array.from(sum));
// A small tensor method (lagged correlations as matMuls on the active backend), declared with
// defineMethod as a user would; b follows a at lag 1, so a -> b at lag 1 must rank first.
const lagCorr = defineMethod({
  name: "lag-corr-tensor",
  description: "absolute lagged correlation computed with TensorFlow.js ops",
  usesTensors: true,
  lagResolved: true,
  defaultThreshold: 0.5,
  params: {},
  run: async ({ series, maxLag }) => {
    const T = series.length, V = series.variables.length;
    const scores = createScores(V, maxLag);
    const z = tf.tidy(() => {
      const x = tf.tensor2d(Array.from(series.data), [T, V]); // [T, V]
      const { mean, variance } = tf.moments(x, 0);
      return tf.div(tf.sub(x, mean), tf.sqrt(variance)); // [T, V], z-scored columns
    });
    for (let lag = 1; lag <= maxLag; lag++) {
      // [effect V, cause V]: now^T past / T (at most 1 in absolute value), now = z[lag:], past = z[:T - lag]
      const c = tf.tidy(() => tf.div(tf.matMul(tf.slice(z, [lag, 0], [T - lag, V]), tf.slice(z, [0, 0], [T - lag, V]), true, false), T));
      const values = await c.data();
      c.dispose();
      for (let e = 0; e < V; e++) for (let k = 0; k < V; k++) setScore(scores, e, k, lag, Math.abs(values[e * V + k]));
    }
    z.dispose();
    return { scores };
  },
});
const T = 300;
const data = new Float64Array(2 * T);
for (let t = 0; t < T; t++) { data[2 * t] = Math.sin(0.7 * t) + Math.cos(1.9 * t); data[2 * t + 1] = t > 0 ? data[2 * (t - 1)] : 0; }
const tensorsBefore = tf.memory().numTensors;
const graph = await lagCorr.discover({ variables: ["a", "b"], length: T, data }, { maxLag: 2, backend: "wasm" });
const top = graph.edges[0];
if (graph.meta.backend !== "wasm" || top?.cause !== "a" || top?.effect !== "b" || top?.lag !== 1 || !(top.score > 0.99)) throw new Error("unexpected graph " + JSON.stringify(graph.edges.slice(0, 3)) + " on " + graph.meta.backend);
if (tf.memory().numTensors !== tensorsBefore) throw new Error("tensors leaked: " + (tf.memory().numTensors - tensorsBefore));
console.log("pack-smoke: core + backend-wasm ok: a -> b at lag 1 first (score " + top.score.toFixed(3) + "), on " + graph.meta.backend);
`,
);
process.stdout.write(sh("node", ["wasm.mjs"], wasmApp.dir));

// The other backends' own install sizes, each beside core (their optional native parts, Dawn and
// tfjs-node-gpu, not installed).
for (const name of ["backend-webgpu", "backend-cuda"]) {
  const p = project(`core-${name}`, [tarball("core"), tarball(name)]);
  console.log(`pack-smoke: install size of @causeway/core + @causeway/${name}: ${mib(p.kib)} (${name} adds ${mib(p.kib - coreOnly.kib)})`);
}

const app = join(work, "app");
sh("mkdir", ["-p", app], work);
writeFileSync(join(app, "package.json"), JSON.stringify({ name: "pack-smoke", private: true, type: "module" }));
npmInstall(app, [tarball("core"), tarball("synth"), tarball("metrics")]);
for (const name of ["synth", "metrics"]) {
  const p = project(`${name}-only`, [tarball("core"), tarball(name)]);
  console.log(`pack-smoke: install size of @causeway/core + @causeway/${name}: ${mib(p.kib)} (${name} adds ${mib(p.kib - coreOnly.kib)})`);
}
writeFileSync(
  join(app, "example.mjs"),
  `import { corrMethod } from "@causeway/core";
import { generateVar } from "@causeway/synth";
import { scoreGraph } from "@causeway/metrics";
import { readSeries, writeSeries } from "@causeway/core/node";
const generated = generateVar({ vars: 5, length: 1000, maxLag: 3, seed: 3 });
const truth = generated.truth;
await writeSeries("out/series.csv", generated.series);
const series = await readSeries("out/series.csv", { maxLag: 3 });
const graph = await corrMethod.discover(series, { maxLag: 3 });
const s = scoreGraph(truth, graph);
if (!(s.aurocSummary > 0.6)) throw new Error("unexpected AUROC " + s.aurocSummary);
console.log("pack-smoke: example ok, summary AUROC " + s.aurocSummary.toFixed(3));
`,
);
process.stdout.write(sh("node", ["example.mjs"], app));

// The CLI as people install it: every tarball into an empty folder with plain npm (the registry
// would resolve the @causeway dependencies the same way), then `causeway` from node_modules/.bin:
// generate, discover, export (every format) and report, as a user would run them.
const cli = project("cli", tarballs);
console.log(`pack-smoke: install size of @causeway/cli (with every @causeway package it pulls in): ${mib(cli.kib)}`);
const causeway = (...args) => sh(join(cli.dir, "node_modules", ".bin", "causeway"), args, cli.dir);
causeway("generate", "var", "--vars", "4", "--length", "500", "--max-lag", "2", "--seed", "5", "--out", "data");
const summary = causeway("discover", "data/data.csv", "--method", "var", "--max-lag", "2", "--out", "graph.json");
if (!/method var \| 4 variables, max lag 2/.test(summary) || !/cause\s+effect\s+lag\s+score\s+sign/.test(summary)) throw new Error("unexpected discover output:\n" + summary);
const graph = JSON.parse(readFileSync(join(cli.dir, "graph.json"), "utf8"));
for (const to of ["dot", "mermaid", "graphml", "svg", "png"]) causeway("export", "graph.json", "--to", to, "--out", `graph.${to}`);
causeway("report", "graph.json", "--out", "report.html");
const read = (f) => readFileSync(join(cli.dir, f));
const checks = {
  dot: (t) => t.startsWith("digraph") && (t.match(/ -> /g) ?? []).length === graph.edges.length,
  mermaid: (t) => t.startsWith("flowchart LR") && (t.match(/ (-->|---)\|/g) ?? []).length === graph.edges.length,
  graphml: (t) => t.includes("<graphml") && (t.match(/<edge /g) ?? []).length === graph.edges.length,
  svg: (t) => t.startsWith("<svg") && graph.variables.every((v) => t.includes(`data-variable="${v}"`)),
  png: (_t, b) => b.subarray(1, 4).toString() === "PNG" && b.length > 5000,
  html: (t) => ["run", "warnings", "graph", "heatmap", "edges"].every((id) => t.includes(`<section id="${id}">`)) && !/https?:\/\//.test(t),
};
for (const [format, ok] of Object.entries(checks)) {
  const file = format === "html" ? "report.html" : `graph.${format}`;
  const bytes = read(file);
  if (!ok(bytes.toString("utf8"), bytes)) throw new Error(`unexpected ${file} from the packed CLI`);
}
console.log(`pack-smoke: packed @causeway/cli ok: discover (${graph.edges.length} edges), export dot/mermaid/graphml/svg/png, report`);
