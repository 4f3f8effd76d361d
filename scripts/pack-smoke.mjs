#!/usr/bin/env node
// Packs a few @causeway packages with `pnpm pack`, installs the tarballs into an empty project
// with npm (as a user would, outside the monorepo) and runs an example: generate → discover → score.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const packages = ["core", "synth", "metrics"];
const pnpm = ["-y", "pnpm@9.15.9"];
const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });

const work = mkdtempSync(join(tmpdir(), "causeway-pack-"));
const packs = join(work, "packs");
console.log(`pack-smoke: building ${packages.join(", ")}`);
sh("npx", [...pnpm, "turbo", "run", "build", "--force", "--output-logs=errors-only", ...packages.map((p) => `--filter=@causeway/${p}`)], root);
for (const p of packages) sh("npx", [...pnpm, "pack", "--pack-destination", packs], join(root, "packages", p));
const tarballs = readdirSync(packs).map((f) => join(packs, f));
console.log(`pack-smoke: packed ${tarballs.map((t) => t.split("/").pop()).join(", ")}`);

// Core alone must stay small: its optional backends (wasm, webgpu, Dawn) and the tfjs umbrella
// (gradients for training) are optional peer dependencies, installed only when asked for.
const coreOnly = join(work, "core-only");
sh("mkdir", ["-p", coreOnly], work);
writeFileSync(join(coreOnly, "package.json"), JSON.stringify({ name: "pack-smoke-core", private: true, type: "module" }));
sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", tarballs.find((t) => /causeway-core-/.test(t))], coreOnly);
const coreKiB = Number(sh("du", ["-sk", "node_modules"], coreOnly).split(/\s/)[0]);
console.log(`pack-smoke: @causeway/core alone installs ${(coreKiB / 1024).toFixed(1)} MiB`);
if (coreKiB > 60 * 1024) throw new Error(`@causeway/core alone installs ${(coreKiB / 1024).toFixed(1)} MiB, over 60 MiB`);

const app = join(work, "app");
sh("mkdir", ["-p", app], work);
writeFileSync(join(app, "package.json"), JSON.stringify({ name: "pack-smoke", private: true, type: "module" }));
// The catalog pins the tfjs version every package uses.
const wasmSpec = /"@tensorflow\/tfjs-backend-wasm":\s*([\d.]+)/.exec(readFileSync(join(root, "pnpm-workspace.yaml"), "utf8"))[1];
sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs, `@tensorflow/tfjs-backend-wasm@${wasmSpec}`], app);
writeFileSync(
  join(app, "wasm.mjs"),
  `import * as tf from "@tensorflow/tfjs-core";
import { useBackend } from "@causeway/core";
const name = await useBackend("wasm");
const sum = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[1], [1]])).dataSync());
if (name !== "wasm" || sum[0] !== 3 || sum[1] !== 7) throw new Error("unexpected wasm result " + name + " " + Array.from(sum));
console.log("pack-smoke: wasm backend ok (" + tf.getBackend() + ")");
`,
);
process.stdout.write(sh("node", ["wasm.mjs"], app));
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
