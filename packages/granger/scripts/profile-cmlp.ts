// Where cMLP's time goes on the cpu and wasm backends: CPU milliseconds (this process's, so the
// figures hold under load) of one loss-and-gradient evaluation and of each tensor op in it, at the
// shapes of Lorenz-96 V=10, T=1000, maxLag 3, hidden 32.
// Run: cd packages/granger && node --conditions=@causeway/source --import tsx scripts/profile-cmlp.ts
import * as tf from "@tensorflow/tfjs-core";
import "@causeway/backend-wasm";
import { Rng, useBackend } from "@causeway/core";
import { CmlpProblem, laggedDesign } from "../src/index.js";

const [V, T, K, H] = [10, 1000, 3, 32];
const n = T - K;
const rng = new Rng(1);
const data = Float64Array.from({ length: T * V }, () => rng.normal());
const d = laggedDesign(data, T, V, K);
const u = (len: number, b: number) => Float64Array.from({ length: len }, () => (2 * rng.uniform() - 1) * b);
const params = [u(K * V * V * H, 0.2), u(V * H, 0.2), u(V * H, 0.2), u(V, 0.2)];

/** CPU ms per call of `f` (mean of `reps`, after 2 warm-up calls). */
function cpuMs(f: () => void, reps: number): number {
  for (let i = 0; i < 2; i++) f();
  const c0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / reps;
}

const rows: string[] = [];
const results: Record<string, Record<string, number>> = {};
for (const backend of ["wasm", "cpu"] as const) {
  await useBackend(backend);
  const X = tf.tensor2d(d.X, [n, K * V]);
  const Y = tf.tensor2d(d.Y, [n, V]);
  const XT = tf.transpose(X);
  const W1 = tf.tensor2d(Float32Array.from(params[0]), [K * V, V * H]);
  const A = tf.randomNormal([n, V * H]) as tf.Tensor2D;
  const h3 = tf.reshape(A, [n, V, H]);
  const w2 = tf.randomNormal([V, H]);
  const r3 = tf.randomNormal([n, V, 1]);
  const problem = new CmlpProblem(X, Y, V, K, H, 0.01, "H");
  const op = (f: () => tf.Tensor) => cpuMs(() => {
    const o = f();
    o.dataSync();
    o.dispose();
  }, backend === "cpu" ? 5 : 20);
  results[backend] = {
    "lossAndGrads (whole)": cpuMs(() => void problem.lossAndGrads(params), backend === "cpu" ? 5 : 20),
    "matMul X[n,30] @ W1[30,320]": op(() => tf.matMul(X, W1)),
    "matMul XT[30,n] @ dA[n,320]": op(() => tf.matMul(XT, A)),
    "mul h3[n,V,H] * w2[V,H] (one side broadcast)": op(() => tf.mul(h3, w2)),
    "mul r[n,V,1] * w2[V,H] (both sides broadcast)": op(() => tf.mul(r3, w2)),
    "sum over axis 0 of [n,V,H]": op(() => tf.sum(h3, 0)),
    "relu [n,320]": op(() => tf.relu(A)),
    "step [n,320]": op(() => tf.step(A)),
  };
  problem.dispose();
  tf.dispose([X, Y, XT, W1, A, w2, r3]);
}
rows.push("| op | wasm CPU ms | cpu CPU ms | cpu / wasm |", "| --- | ---: | ---: | ---: |");
for (const k of Object.keys(results.wasm)) rows.push(`| ${k} | ${results.wasm[k].toFixed(2)} | ${results.cpu[k].toFixed(2)} | ${(results.cpu[k] / results.wasm[k]).toFixed(1)} |`);
console.log(rows.join("\n"));
