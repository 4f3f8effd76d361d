import * as tf from "@tensorflow/tfjs-core";
import { AbortError, InputError, Rng, useBackend } from "@causeway/core";
import { scoreGraph } from "@causeway/metrics";
import { generateLorenz96 } from "@causeway/synth";
import { CPU_BACKENDS, availableBackends, describeBackends, maxAbsDiff, probeBackends } from "@causeway/test-utils";
import { describe, expect, it } from "vitest";
import { CmlpProblem, cmlpMethod, fitCmlp, laggedDesign } from "./cmlp.js";

await probeBackends(CPU_BACKENDS);

/** A short path: enough to rank a small Lorenz-96 graph in a second or two on the cpu backend. */
const QUICK = { hidden: 8, lambdaFactor: 2, pathSteps: 8, warmupIters: 80, stepIters: 15 };

/** Random float64 parameters of a cMLP problem: W1 [K·V, V·H], b1 [V·H], w2 [V, H], b2 [V]. */
function randomParams(V: number, K: number, H: number, seed: number): Float64Array[] {
  const rng = new Rng(seed);
  const u = (n: number, b: number) => Float64Array.from({ length: n }, () => (2 * rng.uniform() - 1) * b);
  return [u(K * V * V * H, 0.5), u(V * H, 0.5), u(V * H, 0.5), u(V, 0.2)];
}

/** Float64 reference of the per-target loss mse_i + ridge ‖w2_i‖², written from the model equation. */
function referenceLoss(X: Float32Array, Y: Float32Array, n: number, V: number, K: number, H: number, ridge: number, p: Float64Array[]): Float64Array {
  const [w1, b1, w2, b2] = p;
  const loss = new Float64Array(V);
  for (let i = 0; i < V; i++) {
    for (let r = 0; r < n; r++) {
      let pred = b2[i];
      for (let h = 0; h < H; h++) {
        let a = b1[i * H + h];
        for (let c = 0; c < K * V; c++) a += X[r * K * V + c] * w1[c * V * H + i * H + h];
        pred += w2[i * H + h] * Math.max(0, a);
      }
      loss[i] += (pred - Y[r * V + i]) ** 2 / n;
    }
    for (let h = 0; h < H; h++) loss[i] += ridge * w2[i * H + h] ** 2;
  }
  return loss;
}

function smallProblem(V: number, K: number, H: number, T: number) {
  const rng = new Rng(5);
  const data = Float64Array.from({ length: T * V }, () => rng.normal());
  const d = laggedDesign(data, T, V, K);
  const X = tf.tensor2d(d.X, [d.n, K * V]);
  const Y = tf.tensor2d(d.Y, [d.n, V]);
  return { d, X, Y, problem: new CmlpProblem(X, Y, V, K, H, 0.05, "H") };
}

describeBackends("cMLP", CPU_BACKENDS, (backend) => {
  it("hand-written gradients match finite differences of a float64 forward pass", () => {
    const V = 3;
    const K = 2;
    const H = 4;
    const { d, X, Y, problem } = smallProblem(V, K, H, 30);
    try {
      const p = randomParams(V, K, H, 1);
      const { loss, grads } = problem.lossAndGrads(p);
      const ref = referenceLoss(d.X, d.Y, d.n, V, K, H, 0.05, p);
      expect(maxAbsDiff(loss, ref)).toBeLessThan(1e-5);
      const rng = new Rng(2);
      for (let k = 0; k < 4; k++)
        for (let trial = 0; trial < 8; trial++) {
          const idx = rng.int(p[k].length);
          const eps = 1e-6;
          const up = p.map((a) => Float64Array.from(a));
          const down = p.map((a) => Float64Array.from(a));
          up[k][idx] += eps;
          down[k][idx] -= eps;
          const lu = referenceLoss(d.X, d.Y, d.n, V, K, H, 0.05, up);
          const ld = referenceLoss(d.X, d.Y, d.n, V, K, H, 0.05, down);
          // every parameter belongs to one target: the sum of the losses has the same derivative
          let fd = 0;
          for (let i = 0; i < V; i++) fd += (lu[i] - ld[i]) / (2 * eps);
          expect(Math.abs(grads[k][idx] - fd), `param ${k}[${idx}] on ${backend}`).toBeLessThan(1e-4 + 1e-4 * Math.abs(fd));
        }
    } finally {
      problem.dispose();
      tf.dispose([X, Y]);
    }
  });

  it("recovers a small Lorenz-96 graph (summary AUROC)", async () => {
    const { series, truth } = generateLorenz96({ vars: 6, length: 300, forcing: 10, seed: 1 });
    const g = await cmlpMethod.discover(series, { maxLag: 2, backend, params: QUICK });
    expect(g.meta.backend).toBe(backend);
    expect(g.meta.nanSteps).toBe(0);
    const s = scoreGraph(truth, g);
    expect(s.aurocSummary).toBeGreaterThan(0.95);
    expect(g.threshold).toBe(0.6);
  });

  it("is reproducible with a seed, and leaves no tensors behind", async () => {
    const { series } = generateLorenz96({ vars: 4, length: 120, seed: 2 });
    const before = tf.memory().numTensors;
    const params = { ...QUICK, pathSteps: 3 };
    const a = await fitCmlp(series, { maxLag: 2, seed: 3, ...params });
    const afterOne = tf.memory().numTensors;
    const b = await fitCmlp(series, { maxLag: 2, seed: 3, ...params });
    const c = await fitCmlp(series, { maxLag: 2, seed: 4, ...params });
    expect(afterOne).toBe(before);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(b.scores)).toEqual(Array.from(a.scores));
    expect(Array.from(c.groupNorms)).not.toEqual(Array.from(a.groupNorms));
  });

  it("with a fixed λ, scores are group norms and edges are the non-zero groups", async () => {
    const { series, truth } = generateLorenz96({ vars: 6, length: 300, forcing: 10, seed: 1 });
    const g = await cmlpMethod.discover(series, { maxLag: 2, backend, params: { hidden: 8, lambda: 0.1, maxIter: 150, penalty: "GL" } });
    const zero = g.scores.flat(2).filter((x) => x === 0).length;
    expect(zero).toBeGreaterThan(0);
    expect(g.edges.length).toBe(6 * 6 * 2 - zero);
    expect(scoreGraph(truth, g).aurocSummary).toBeGreaterThan(0.9);
  });

  it("honours AbortSignal before and during the fit", async () => {
    const { series } = generateLorenz96({ vars: 4, length: 120, seed: 2 });
    const ac = new AbortController();
    ac.abort();
    await expect(cmlpMethod.discover(series, { maxLag: 2, backend, signal: ac.signal, params: QUICK })).rejects.toThrow(AbortError);
    const mid = new AbortController();
    let events = 0;
    const run = cmlpMethod.discover(series, {
      maxLag: 2,
      backend,
      signal: mid.signal,
      params: QUICK,
      onProgress: (e) => {
        events++;
        expect(e.method).toBe("cmlp");
        if (e.fraction > 0 && e.fraction < 1) mid.abort();
      },
    });
    await expect(run).rejects.toThrow(AbortError);
    expect(events).toBeGreaterThan(0);
  });
});

describe("cMLP input checks and backends", () => {
  it("rejects bad params", async () => {
    const { series } = generateLorenz96({ vars: 4, length: 60, seed: 2 });
    await expect(cmlpMethod.discover(series, { maxLag: 2, backend: "cpu", params: { penalty: "L1" } })).rejects.toThrow(InputError);
    await expect(cmlpMethod.discover(series, { maxLag: 2, backend: "cpu", params: { lambda: "-1" } })).rejects.toThrow(InputError);
    await expect(cmlpMethod.discover(series, { maxLag: 2, backend: "cpu", params: { lambdaFactor: 1 } })).rejects.toThrow(InputError);
  });

  it("cpu and wasm agree on the batched loss and gradients", async () => {
    const backends = availableBackends(CPU_BACKENDS);
    if (backends.length < 2) return;
    const out: Float64Array[][] = [];
    for (const b of backends) {
      await useBackend(b);
      const { X, Y, problem } = smallProblem(4, 3, 6, 80);
      const { loss, grads } = problem.lossAndGrads(randomParams(4, 3, 6, 9));
      out.push([loss, ...grads]);
      problem.dispose();
      tf.dispose([X, Y]);
    }
    for (let k = 0; k < out[0].length; k++) expect(maxAbsDiff(out[0][k], out[1][k])).toBeLessThan(1e-5);
  });
});
