// Measures training throughput (pairs/s) and data-generation cost for an architecture.
// npx tsx --conditions=@causeway/source scripts/throughput.ts wasm '{"lMax":256}' 16 5
import * as tf from "@tensorflow/tfjs-core";
import { useBackend } from "@causeway/core";
import { exampleAt } from "../src/data.js";
import { LcmModel } from "../src/model.js";
import { lcmLoss } from "../src/train.js";

const [backend = "wasm", archJson = "{}", batchArg = "16", stepsArg = "5"] = process.argv.slice(2);
await useBackend(backend);
const model = new LcmModel(JSON.parse(archJson), 1);
const a = model.arch;
const B = Number(batchArg);
let t0 = performance.now();
const ex = Array.from({ length: B }, (_, i) => exampleAt(1, i, a.vMax, a.maxLag, a.lMax));
const gen = (performance.now() - t0) / B;
const cat = (k: "x" | "corr" | "label" | "corrTarget") => {
  const n = ex[0][k].length;
  const out = new Float32Array(B * n);
  ex.forEach((e, i) => out.set(e[k], i * n));
  return out;
};
const times: number[] = [];
for (let s = 0; s < Number(stepsArg); s++) {
  t0 = performance.now();
  tf.tidy(() => {
    const x = tf.tensor3d(cat("x"), [B, a.lMax, a.vMax]);
    const c = tf.tensor2d(cat("corr"), [B, model.outputSize]);
    const y = tf.tensor2d(cat("label"), [B, model.outputSize]);
    const ct = tf.tensor2d(cat("corrTarget"), [B, model.outputSize]);
    const { value, grads } = tf.variableGrads(() => lcmLoss(model.forward(x, c, true, []), y, ct, 0.75, 2), model.variables);
    value.dataSync();
    Object.values(grads).forEach((g) => g.dataSync());
  });
  times.push(performance.now() - t0);
}
times.sort((p, q) => p - q);
const med = times[Math.floor(times.length / 2)];
t0 = performance.now();
const probs = model.predictBatch(cat("x").subarray(0, a.lMax * a.vMax), cat("corr").subarray(0, model.outputSize), 1);
const inf1 = performance.now() - t0;
t0 = performance.now();
model.predictBatch(cat("x").subarray(0, a.lMax * a.vMax), cat("corr").subarray(0, model.outputSize), 1);
const inf2 = performance.now() - t0;
console.log(JSON.stringify({ backend, params: model.parameterCount, arch: a, B, genMsPerPair: gen, stepMs: med, pairsPerSec: (B / med) * 1000, inferMs: [inf1, inf2], p0: probs[0] }));
