// Trains an LCM from a JSON config (the same function `causeway lcm train --config` runs):
// npx tsx --conditions=@causeway/source scripts/train.ts models/lcm-v12-l3/train-config.json [--resume] [--max-steps N]
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
// the backends a config may name (cpu is built into core)
import "@causeway/backend-wasm";
import "@causeway/backend-webgpu";
import { trainLcm, type TrainConfig } from "../src/train.js";

const [file, ...rest] = process.argv.slice(2);
const config = JSON.parse(readFileSync(file, "utf8")) as TrainConfig;
const maxIdx = rest.indexOf("--max-steps");
const result = await trainLcm(
  { ...config, outDir: resolve(config.outDir) },
  {
    resume: rest.includes("--resume"),
    maxStepsThisRun: maxIdx >= 0 ? Number(rest[maxIdx + 1]) : undefined,
    log: (l) => console.log(`[${new Date().toISOString()}] ${l}`),
  },
);
console.log(JSON.stringify({ step: result.step, bestAuroc: result.bestAuroc, pairsPerSecond: result.pairsPerSecond, stopped: result.stopped, backend: result.backend }));
result.model.dispose();
