// Measures training throughput (pairs/s, one step = forward + backward) and single-pass inference
// latency for an architecture:
// npx tsx --conditions=@causeway/source scripts/throughput.ts wasm '{"lMax":128}' 32 5
import * as tf from "@tensorflow/tfjs-core";
// the backends it can measure on (cpu is built into core)
import "@causeway/backend-wasm";
import "@causeway/backend-webgpu";
import { useBackend } from "@causeway/core";
import { DEFAULT_RECIPE, TrainingPool } from "../src/data.js";
import { LcmModel } from "../src/model.js";
import { batchBuffers, lcmLoss, stack } from "../src/train.js";

const [backend = "wasm", archJson = "{}", batchArg = "16", stepsArg = "5"] = process.argv.slice(2);
await useBackend(backend);
const model = new LcmModel(JSON.parse(archJson), 1);
const a = model.arch;
const B = Number(batchArg);
const pool = new TrainingPool(1, a, { ...DEFAULT_RECIPE, poolSize: B });
let t0 = performance.now();
const ex = pool.batch(0, B);
const gen = (performance.now() - t0) / B;
const times: number[] = [];
for (let s = 0; s < Number(stepsArg); s++) {
  t0 = performance.now();
  tf.tidy(() => {
    const input = model.batchTensors(batchBuffers(ex), B);
    const y = tf.tensor2d(stack(ex, "label"), [B, model.outputSize]);
    const ct = tf.tensor2d(stack(ex, "corrTarget"), [B, model.outputSize]);
    const { value, grads } = tf.variableGrads(() => lcmLoss(model.forward(input, true, []), y, ct, 0.75, 2), model.variables);
    value.dataSync(); // cpu/wasm only: webgpu in Node cannot read synchronously
    Object.values(grads).forEach((g) => g.dataSync());
  });
  times.push(performance.now() - t0);
}
times.sort((p, q) => p - q);
const med = times[Math.floor(times.length / 2)];
const one = batchBuffers(ex.slice(0, 1));
const infer: number[] = [];
for (let i = 0; i < 5; i++) {
  t0 = performance.now();
  await model.predictBatch(one, 1);
  infer.push(performance.now() - t0);
}
console.log(JSON.stringify({ backend, params: model.parameterCount, arch: a, B, prepMsPerPair: gen, stepMs: med, pairsPerSec: (B / med) * 1000, inferMs: infer }));
