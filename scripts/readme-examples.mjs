#!/usr/bin/env node
// Runs the ```ts code blocks of every published package's README against the workspace sources
// (tsx, the @causeway/source condition), so a README example that no longer runs fails CI.
// Examples that train models use smoke sizes here: SMOKE lists literal replacements, each of which
// must still match the README (a changed example fails with a message pointing here).
// A block whose fence reads ```ts no-run is shown to readers but not run.
//
// Usage: node scripts/readme-examples.mjs [--verbose] [package ...]   (default: every published package)
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

/**
 * Per package: `prelude` (code put before the README's, for names the example takes as given) and
 * `replace` ([README text, smoke text] pairs, applied to the package's blocks in order).
 * @type {Record<string, { prelude?: string; replace?: [string, string][] }>}
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

function main() {
  const verbose = process.argv.includes("--verbose");
  const wanted = process.argv.slice(2).filter((a) => a !== "--verbose");
  const packages = wanted.length > 0 ? wanted : publishedPackages();
  let failed = 0;
  for (const pkg of packages) {
    const dir = join(root, "packages", pkg);
    const blocks = codeBlocks(readFileSync(join(dir, "README.md"), "utf8")).filter((b) => !b.info.includes("no-run"));
    if (blocks.length === 0) {
      console.error(`readme-examples: ${pkg}: no runnable \`\`\`ts block in README.md`);
      failed++;
      continue;
    }
    let codes;
    try {
      codes = applySmoke(pkg, blocks);
    } catch (e) {
      console.error(`readme-examples: ${e.message}`);
      failed++;
      continue;
    }
    for (const [i, code] of codes.entries()) {
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
      } else {
        failed++;
        console.error(`readme-examples: ${pkg} block ${i + 1} FAILED (${r.signal ?? `exit ${r.status}`}, ${seconds} s)\n${r.stdout}\n${r.stderr}`);
      }
    }
  }
  if (failed > 0) {
    console.error(`readme-examples: ${failed} failed`);
    process.exit(1);
  }
}

main();
