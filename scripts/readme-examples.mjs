#!/usr/bin/env node
// Runs the ```ts code blocks of every published package's README against the workspace sources
// (tsx, the @causeway/source condition), so a README example that no longer runs fails CI.
// Examples that train models use smoke sizes here: SMOKE lists literal replacements, each of which
// must still match the README (a changed example fails with a message pointing here).
// First every block, exactly as the README shows it, is type-checked in one `tsc` run (a renamed
// option or field fails here even where the smoke run would not notice). A block whose fence reads
// ```ts no-run is shown to readers but neither checked nor run.
//
// Usage: node scripts/readme-examples.mjs [--verbose] [package ...]   (default: every published package)
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

/**
 * Per package: `prelude` (code put before the README's for the run, for names the example takes as
 * given), `declare` (the same names' types, for the type check) and `replace` ([README text, smoke
 * text] pairs, applied to the package's blocks in order for the run).
 * @type {Record<string, { prelude?: string; declare?: string; replace?: [string, string][] }>}
 */
const SMOKE = {
  granger: {
    replace: [
      ["generateLorenz96({ vars: 10, length: 1000, forcing: 10, seed: 0 })", "generateLorenz96({ vars: 4, length: 150, forcing: 10, seed: 0 })"],
      ['backend: "wasm",\n', 'backend: "wasm",\n  params: { warmupIters: 20, stepIters: 5, pathSteps: 3 },\n'],
    ],
  },
  tcdf: {
    replace: [
      ["const T = 1000;", "const T = 200;"],
      ['{ maxLag: 4, seed: 0, backend: "cpu" }', '{ maxLag: 4, seed: 0, backend: "cpu", params: { epochs: 20 } }'],
      ["{ seed: 0, epochs: 500 }", "{ seed: 0, epochs: 20 }"],
    ],
  },
  transformer: {
    replace: [
      ["const T = 1000;", "const T = 200;"],
      ['backend: "wasm",\n', 'backend: "wasm",\n  params: { epochs: 2, dModel: 8, heads: 2, ffHidden: 8, samples: 16 },\n'],
      ['ensemble: 3, rules: ["gradient", "lrp"] }', 'ensemble: 3, rules: ["gradient", "lrp"], epochs: 1, dModel: 8, heads: 2, ffHidden: 8, samples: 16 }'],
      ['readout: "attention" }', 'readout: "attention", epochs: 1, dModel: 8, heads: 2, ffHidden: 8, samples: 16 }'],
    ],
  },
  "relevance-allocator": {
    replace: [
      ["confoundedTask({ length: 1200, seed: 1 })", "confoundedTask({ length: 200, seed: 1 })"],
      ["dModel: 32, heads: 4, layers: 2, ffHidden: 64 }", "dModel: 8, heads: 2, layers: 1, ffHidden: 8 }"],
      ["epochs: 10, seed: 1 }", "epochs: 1, seed: 1 }"],
      ["tf.slice(x, [0, 0, 0], [64, W, V])", "tf.slice(x, [0, 0, 0], [4, W, V])"],
    ],
  },
  methods: {
    // the README takes `series` as given: a two-variable series where b follows a at lag 1
    prelude: [
      "const T = 200;",
      "const data = new Float64Array(2 * T);",
      "for (let t = 0; t < T; t++) { data[2 * t] = Math.sin(0.7 * t) + Math.cos(1.9 * t); data[2 * t + 1] = t > 0 ? data[2 * (t - 1)] : 0; }",
      'const series = { variables: ["a", "b"], length: T, data };',
    ].join("\n"),
    declare: 'import type { TimeSeries } from "@causeway/core";\ndeclare const series: TimeSeries;',
  },
};

/** The ```ts blocks of a README, with the fence's info words. */
export function codeBlocks(markdown) {
  const blocks = [];
  const re = /^```ts([^\n]*)\n([\s\S]*?)^```\s*$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) blocks.push({ info: m[1].trim().split(/\s+/).filter(Boolean), code: m[2] });
  return blocks;
}

/** Apply a package's smoke replacements to its blocks; each must match somewhere, or the README changed. */
function applySmoke(pkg, blocks) {
  const smoke = SMOKE[pkg] ?? {};
  const out = blocks.map((b) => b.code);
  for (const [from, to] of smoke.replace ?? []) {
    const i = out.findIndex((c) => c.includes(from));
    if (i < 0) throw new Error(`${pkg}: the README no longer contains ${JSON.stringify(from)}; update SMOKE in scripts/readme-examples.mjs`);
    out[i] = out[i].replace(from, to);
  }
  return out.map((c) => (smoke.prelude ? `${smoke.prelude}\n${c}` : c));
}

function publishedPackages() {
  return readdirSync(join(root, "packages"))
    .filter((d) => existsSync(join(root, "packages", d, "README.md")) && existsSync(join(root, "packages", d, "package.json")))
    .filter((d) => !JSON.parse(readFileSync(join(root, "packages", d, "package.json"), "utf8")).private)
    .sort();
}

/** Type-check the blocks as the READMEs show them, in one tsc program; true when clean. */
function typecheck(checks) {
  const files = checks.map(({ dir, i, code }) => {
    const file = join(dir, `readme-example-${i + 1}.check.tmp.ts`);
    writeFileSync(file, code);
    return file;
  });
  try {
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const flags = ["--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", "--lib", "es2022,dom", "--module", "nodenext", "--moduleResolution", "nodenext"];
    const start = performance.now();
    const r = spawnSync(process.execPath, [tsc, ...flags, "--customConditions", "@causeway/source", "--types", "node", "--verbatimModuleSyntax", "--moduleDetection", "force", ...files], { cwd: root, encoding: "utf8" });
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    if (r.status === 0) {
      console.log(`readme-examples: ${files.length} blocks type-check (${seconds} s)`);
      return true;
    }
    console.error(`readme-examples: README blocks do not type-check (file readme-example-N.check.tmp.ts is the package README's Nth \`\`\`ts block)\n${r.stdout}${r.stderr}`);
    return false;
  } finally {
    for (const f of files) rmSync(f, { force: true });
  }
}

/** Run one block (smoke version) with tsx inside its package; true when it exits 0. */
function run(pkg, dir, i, code, verbose) {
  // inside the package, so its own name and its dependencies resolve as in its sources (*.tmp.ts is git-ignored)
  const file = join(dir, `readme-example-${i + 1}.tmp.ts`);
  writeFileSync(file, code);
  const start = performance.now();
  const r = spawnSync(process.execPath, ["--conditions=@causeway/source", "--import", "tsx", file], { cwd: dir, encoding: "utf8", timeout: 180_000 });
  rmSync(file, { force: true });
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  if (r.status === 0) {
    console.log(`readme-examples: ${pkg} block ${i + 1} ok (${seconds} s)`);
    if (verbose) console.log(r.stdout);
    return true;
  }
  console.error(`readme-examples: ${pkg} block ${i + 1} FAILED (${r.signal ?? `exit ${r.status}`}, ${seconds} s)\n${r.stdout}\n${r.stderr}`);
  return false;
}

function main() {
  const verbose = process.argv.includes("--verbose");
  const wanted = process.argv.slice(2).filter((a) => a !== "--verbose");
  const packages = wanted.length > 0 ? wanted : publishedPackages();
  let failed = 0;
  const checks = [];
  const runs = [];
  for (const pkg of packages) {
    const dir = join(root, "packages", pkg);
    const blocks = codeBlocks(readFileSync(join(dir, "README.md"), "utf8")).filter((b) => !b.info.includes("no-run"));
    if (blocks.length === 0) {
      console.error(`readme-examples: ${pkg}: no runnable \`\`\`ts block in README.md`);
      failed++;
      continue;
    }
    const declare = SMOKE[pkg]?.declare;
    blocks.forEach((b, i) => checks.push({ dir, i, code: declare ? `${declare}\n${b.code}` : b.code }));
    try {
      applySmoke(pkg, blocks).forEach((code, i) => runs.push({ pkg, dir, i, code }));
    } catch (e) {
      console.error(`readme-examples: ${e.message}`);
      failed++;
    }
  }
  if (checks.length > 0 && !typecheck(checks)) failed++;
  for (const { pkg, dir, i, code } of runs) if (!run(pkg, dir, i, code, verbose)) failed++;
  if (failed > 0) {
    console.error(`readme-examples: ${failed} failed`);
    process.exit(1);
  }
}

main();
