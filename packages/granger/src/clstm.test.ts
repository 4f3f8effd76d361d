import * as tf from "@tensorflow/tfjs-core";
import { AbortError, InputError, Rng } from "@causeway/core";
import { scoreGraph } from "@causeway/metrics";
import { generateLorenz96 } from "@causeway/synth";
import { CPU_BACKENDS, describeBackends, maxAbsDiff, probeBackends } from "@causeway/test-utils";
import { describe, expect, it } from "vitest";
import { ClstmProblem, clstmMethod, fitClstm, lstmWindows } from "./clstm.js";

await probeBackends(CPU_BACKENDS);

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Float64 reference of the per-target cLSTM loss, written from the LSTM equations (gate order i, f, g, o). */
function referenceLoss(X: Float32Array, Y: Float32Array, V: number, B: number, C: number, H: number, ridge: number, p: Float64Array[]): Float64Array {
  const [wih, whh, bias, wout, bout] = p;
  const G = 4 * H;
  const loss = new Float64Array(V);
  for (let i = 0; i < V; i++) {
    for (let b = 0; b < B; b++) {
      let h = new Float64Array(H);
      let c = new Float64Array(H);
      for (let t = 0; t < C; t++) {
        const z = new Float64Array(G);
        for (let q = 0; q < G; q++) {
          let s = bias[i * G + q];
          for (let j = 0; j < V; j++) s += X[(b * C + t) * V + j] * wih[(j * V + i) * G + q];
          for (let r = 0; r < H; r++) s += h[r] * whh[(i * H + r) * G + q];
          z[q] = s;
        }
        const hn = new Float64Array(H);
        const cn = new Float64Array(H);
        for (let r = 0; r < H; r++) {
          cn[r] = sigmoid(z[H + r]) * c[r] + sigmoid(z[r]) * Math.tanh(z[2 * H + r]);
          hn[r] = sigmoid(z[3 * H + r]) * Math.tanh(cn[r]);
        }
        h = hn;
        c = cn;
        let pred = bout[i];
        for (let r = 0; r < H; r++) pred += wout[i * H + r] * h[r];
        loss[i] += (pred - Y[(i * C + t) * B + b]) ** 2 / (B * C);
      }
    }
    for (let e = 0; e < H * G; e++) loss[i] += ridge * whh[i * H * G + e] ** 2;
    for (let r = 0; r < H; r++) loss[i] += ridge * wout[i * H + r] ** 2;
  }
  return loss;
}

describe("lstmWindows", () => {
  it("cuts windows of inputs x(s..s+C-1) and targets x(s+1..s+C)", () => {
    // T = 7, V = 2: x_v(t) = 10 v + t
    const data = Float64Array.from({ length: 14 }, (_, k) => 10 * (k % 2) + Math.floor(k / 2));
    const w = lstmWindows(data, 7, 2, 3, 2); // starts 0 and 2 (4 would need x(7))
    expect(w.B).toBe(2);
    expect(Array.from(w.X)).toEqual([0, 10, 1, 11, 2, 12, 2, 12, 3, 13, 4, 14]);
    // Y [V, C, B]
    expect(Array.from(w.Y)).toEqual([1, 3, 2, 4, 3, 5, 11, 13, 12, 14, 13, 15]);
  });
});

describeBackends("cLSTM", CPU_BACKENDS, (backend) => {
  it("autodiff gradients match finite differences of a float64 LSTM", () => {
    const V = 2;
    const C = 3;
    const H = 2;
    const rng = new Rng(4);
    const data = Float64Array.from({ length: 12 * V }, () => rng.normal());
    const w = lstmWindows(data, 12, V, C, 2);
    const X = tf.tensor2d(w.X, [w.B * C, V]);
    const Y = tf.tensor3d(w.Y, [V, C, w.B]);
    const problem = new ClstmProblem(X, Y, V, w.B, C, H, 0.03);
    try {
      const u = (n: number) => Float64Array.from({ length: n }, () => (2 * rng.uniform() - 1) * 0.7);
      const p = [u(V * V * 4 * H), u(V * H * 4 * H), u(V * 4 * H), u(V * H), u(V)];
      const { loss, grads } = problem.lossAndGrads(p);
      expect(maxAbsDiff(loss, referenceLoss(w.X, w.Y, V, w.B, C, H, 0.03, p))).toBeLessThan(1e-5);
      for (let k = 0; k < p.length; k++)
        for (let idx = 0; idx < p[k].length; idx += Math.max(1, Math.floor(p[k].length / 6))) {
          const eps = 1e-6;
          const up = p.map((a) => Float64Array.from(a));
          const down = p.map((a) => Float64Array.from(a));
          up[k][idx] += eps;
          down[k][idx] -= eps;
          const lu = referenceLoss(w.X, w.Y, V, w.B, C, H, 0.03, up);
          const ld = referenceLoss(w.X, w.Y, V, w.B, C, H, 0.03, down);
          let fd = 0;
          for (let i = 0; i < V; i++) fd += (lu[i] - ld[i]) / (2 * eps);
          expect(Math.abs(grads[k][idx] - fd), `param ${k}[${idx}] on ${backend}`).toBeLessThan(1e-4 + 1e-4 * Math.abs(fd));
        }
    } finally {
      tf.dispose([X, Y]);
    }
  });

});

// Training through time on the pure-JS cpu backend takes ~5x longer: the recovery test runs on wasm.
describeBackends("cLSTM recovery", ["wasm"], (backend) => {
  it("ranks a small Lorenz-96 graph, as a summary graph repeated at every lag", async () => {
    const { series, truth } = generateLorenz96({ vars: 5, length: 200, forcing: 10, seed: 3 });
    const g = await clstmMethod.discover(series, {
      maxLag: 2,
      backend,
      params: { hidden: 6, context: 5, lambdaFactor: 2, pathSteps: 8, warmupIters: 60, stepIters: 10 },
    });
    expect(g.meta.lagResolved).toBe(false);
    for (const row of g.scores) for (const lags of row) expect(lags[1]).toBe(lags[0]);
    expect(scoreGraph(truth, g).aurocSummary).toBeGreaterThan(0.85);
  });
});

describe("cLSTM checks", () => {
  it("is reproducible, leaves no tensors, honours AbortSignal and rejects lag penalties", async () => {
    const { series } = generateLorenz96({ vars: 4, length: 80, seed: 2 });
    const quick = { maxLag: 1, hidden: 4, context: 4, pathSteps: 2, warmupIters: 20, stepIters: 10, seed: 1 };
    const before = tf.memory().numTensors;
    const a = await fitClstm(series, quick);
    const b = await fitClstm(series, quick);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(b.scores)).toEqual(Array.from(a.scores));
    const ac = new AbortController();
    ac.abort();
    await expect(fitClstm(series, { ...quick, signal: ac.signal })).rejects.toThrow(AbortError);
    expect(tf.memory().numTensors).toBe(before);
    await expect(fitClstm(series, { ...quick, penalty: "H" })).rejects.toThrow(InputError);
    await expect(clstmMethod.discover(series, { maxLag: 1, params: { context: 0 } })).rejects.toThrow(InputError);
  });
});
