// Writes the bundled examples (public/examples) from @causeway/synth collections: a CSV series,
// its ground truth (formats.md) and an index the viewer lists. Run: pnpm --filter web examples
import { mkdirSync, writeFileSync } from "node:fs";
import { seriesToCsv, truthToJson } from "@causeway/core";
import { generateCollection } from "@causeway/synth";

/** Collection, seed and length of each example: small enough to run in a browser in seconds. */
const EXAMPLES = [
  { collection: "var-v5-l3", seed: 1, length: 500, title: "Linear VAR(3), 5 variables" },
  { collection: "nonlinear-v5-l3", seed: 1, length: 500, title: "Nonlinear SCM, 5 variables, lags up to 3" },
  { collection: "lorenz96-v10-f10", seed: 1, length: 500, title: "Lorenz-96, 10 variables, F = 10 (summary truth)" },
  { collection: "lorenz96-v20-f40", seed: 1, length: 500, title: "Lorenz-96, 20 variables, F = 40 (summary truth)" },
] as const;

const dir = new URL("../public/examples/", import.meta.url);
mkdirSync(dir, { recursive: true });
const index = [];
for (const ex of EXAMPLES) {
  const [{ series, truth }] = generateCollection(ex.collection, { count: 1, seed: ex.seed, length: ex.length });
  const id = `${ex.collection}-s${ex.seed}`;
  writeFileSync(new URL(`${id}.csv`, dir), seriesToCsv(series));
  writeFileSync(new URL(`${id}.truth.json`, dir), truthToJson(truth));
  index.push({ id, title: ex.title, csv: `${id}.csv`, truth: `${id}.truth.json`, variables: series.variables.length, length: series.length, maxLag: truth.maxLag });
}
writeFileSync(new URL("index.json", dir), JSON.stringify(index, null, 2) + "\n");
console.log(`wrote ${index.length} examples to ${dir.pathname}`);
