import * as tf from "@tensorflow/tfjs-core";
import { AbortError, InputError, Rng, summarize, scoresFromNested, zscore, type CausalGraph, type ProgressEvent, type TimeSeries } from "@causeway/core";
import { CPU_BACKENDS, describeBackends, probeBackends } from "@causeway/test-utils";
import { describe, expect, it } from "vitest";
import { lossAndGrad, makeInputs, makeWorkspace } from "./kernel.js";
import { initParams, type NetShape } from "./network.js";
import { tcdfMethod } from "./method.js";
import { fitTcdf } from "./tcdf.js";
import { TensorEngine } from "./tensor-engine.js";
import { wasmStepAvailable } from "./wasm-step.js";

await probeBackends(CPU_BACKENDS);

/**
 * x0(t) = 0.6 x0(t-1) + e0;  x1(t) = 0.9 x0(t-1) + 0.4 e1;  x2(t) = 0.9 x1(t-2) + 0.4 e2.
 * True lagged edges: x0 -> x0 @1, x0 -> x1 @1, x1 -> x2 @2.
 */
function chain(T: number, seed: number): TimeSeries {
  const rng = new Rng(seed);
  const V = 3;
  const data = new Float64Array(T * V); // [T, V]
  for (let t = 0; t < T; t++) {
    data[t * V] = (t >= 1 ? 0.6 * data[(t - 1) * V] : 0) + rng.normal();
    data[t * V + 1] = (t >= 1 ? 0.9 * data[(t - 1) * V] : 0) + 0.4 * rng.normal();
    data[t * V + 2] = (t >= 2 ? 0.9 * data[(t - 2) * V + 1] : 0) + 0.4 * rng.normal();
  }
  return { variables: ["x0", "x1", "x2"], length: T, data };
}

const TRUE_EDGES = ["x0->x0@1", "x0->x1@1", "x1->x2@2"];
const edgeNames = (g: CausalGraph): string[] => g.edges.map((e) => `${e.cause}->${e.effect}@${e.lag}`).sort();

describe("tcdf on a planted 3-variable chain", () => {
  const engines = wasmStepAvailable() ? (["wasm", "js"] as const) : (["js"] as const);
  for (const engine of engines) {
    it(`recovers the chain and its delays (engine ${engine})`, async () => {
      const g = await tcdfMethod.discover(chain(400, 11), { maxLag: 4, seed: 3, backend: "cpu", params: { epochs: 300, engine } });
      expect(edgeNames(g)).toEqual(TRUE_EDGES);
      expect(g.meta.params).toMatchObject({ engine, epochs: 300, kernelSize: 4 });
      expect(g.meta.receptiveField).toBe(4);
    });
  }

  it("scores: summary = attention, the lag of the largest kernel weight carries it", async () => {
    const series = chain(400, 12);
    const r = await fitTcdf(zscore(series).series, { epochs: 300, seed: 5 }); // the method fits z-scored data
    const g = await tcdfMethod.discover(series, { maxLag: 5, seed: 5, backend: "cpu", params: { epochs: 300 } });
    const s = scoresFromNested(g.scores, 3, 5);
    const summary = summarize(s);
    // x1 in x2's network: attention score, at lag 2
    expect(summary[2 * 3 + 1]).toBeCloseTo(r.attention[2 * 3 + 1], 12);
    const lags = g.scores[2][1];
    expect(lags.indexOf(Math.max(...lags)) + 1).toBe(2);
    expect(lags[4]).toBe(0); // lag 5 is outside the receptive field (lags 1..4)
    // true pairs outrank every other pair
    const truePairs = [0, 1 * 3 + 0, 2 * 3 + 1];
    const minTrue = Math.min(...truePairs.map((p) => summary[p]));
    for (let p = 0; p < 9; p++) if (!truePairs.includes(p)) expect(summary[p]).toBeLessThan(minTrue);
  });

  it("is reproducible by seed", async () => {
    const series = chain(200, 13);
    const run = (seed: number) => tcdfMethod.discover(series, { maxLag: 4, seed, backend: "cpu", params: { epochs: 100 } });
    const [a, b, c] = await Promise.all([run(1), run(1), run(2)]);
    expect(b.scores).toEqual(a.scores);
    expect(b.edges).toEqual(a.edges);
    expect(c.scores).not.toEqual(a.scores);
  });
});

describe("tcdf options", () => {
  it("reports training and validation progress", async () => {
    const events: ProgressEvent[] = [];
    await tcdfMethod.discover(chain(100, 1), { maxLag: 3, backend: "cpu", params: { epochs: 20 }, onProgress: (e) => events.push(e) });
    const train = events.filter((e) => e.stage === "train");
    expect(train[0]).toMatchObject({ method: "tcdf", step: 1, total: 20 });
    expect(train.at(-1)).toMatchObject({ fraction: 1, step: 20 });
    // the loss the events report is the training loss (mean MSE of the z-scored targets, about 1 at
    // the start): 1.09 at epoch 1, 0.93 at epoch 20 on this chain
    const losses = train.map((e) => e.metrics?.loss ?? NaN);
    expect(losses[0]).toBeCloseTo(1, 0);
    expect(losses.at(-1)).toBeLessThan(0.9 * losses[0]);
    expect(events.at(-1)).toMatchObject({ stage: "validate", fraction: 1 });
  });

  it("stops with AbortError when its signal fires", async () => {
    const done = new AbortController();
    done.abort();
    await expect(tcdfMethod.discover(chain(100, 1), { maxLag: 3, backend: "cpu", signal: done.signal })).rejects.toBeInstanceOf(AbortError);
    // fired by a timer while training (the loop yields to the event loop)
    const later = new AbortController();
    setTimeout(() => later.abort(), 50);
    // Without the abort this would train for many minutes (the most epochs allowed) and hit the test's
    // timeout: reaching the assertion is the proof (no wall-clock bound, which a loaded machine could miss).
    await expect(
      tcdfMethod.discover(chain(2000, 1), { maxLag: 3, backend: "cpu", signal: later.signal, params: { epochs: 100_000, engine: "js" } }),
    ).rejects.toBeInstanceOf(AbortError);
  });

  it("rejects bad params with InputError", async () => {
    const s = chain(50, 1);
    await expect(tcdfMethod.discover(s, { maxLag: 3, backend: "cpu", params: { layers: 2 } })).rejects.toBeInstanceOf(InputError);
    await expect(tcdfMethod.discover(s, { maxLag: 3, backend: "cpu", params: { significance: 2 } })).rejects.toBeInstanceOf(InputError);
    await expect(tcdfMethod.discover(s, { maxLag: 3, backend: "cpu", params: { engine: "wasm", hiddenLayers: 1 } })).rejects.toBeInstanceOf(InputError);
  });

  it("finds longer delays with hidden layers (js engine)", async () => {
    // x1(t) = 0.9 x0(t - 6): beyond k = 4 without hidden layers; R = 1 + 3 + 12 = 16 with one
    const rng = new Rng(4);
    const T = 600;
    const data = new Float64Array(T * 2);
    for (let t = 0; t < T; t++) {
      data[t * 2] = rng.normal();
      data[t * 2 + 1] = (t >= 6 ? 0.9 * data[(t - 6) * 2] : 0) + 0.3 * rng.normal();
    }
    const r = await fitTcdf({ variables: ["a", "b"], length: T, data }, { epochs: 400, hiddenLayers: 1, seed: 2 });
    expect(r.receptiveField).toBe(16);
    expect(r.causes.filter((c) => c.effect === 1)).toEqual([expect.objectContaining({ cause: 0, delay: 6 })]);
  });
});

describeBackends("tcdf tensor engine", CPU_BACKENDS, (backend) => {
  it("computes the kernel's gradient", () => {
    for (const shape of [
      { V: 3, kernelSize: 4, dilation: 4, hiddenLayers: 0 },
      { V: 3, kernelSize: 3, dilation: 2, hiddenLayers: 1 },
    ] satisfies NetShape[]) {
      const rng = new Rng(9);
      const T = 25;
      const data = new Float64Array(T * 3).map(() => rng.normal());
      const inputs = makeInputs(data, T, 3, shape.kernelSize, true);
      const theta = initParams(shape, rng);
      for (let i = 0; i < theta.length; i++) theta[i] += 0.3 * rng.normal();
      const want = new Float64Array(theta.length);
      const losses = new Float64Array(3);
      lossAndGrad(shape, inputs, theta, want, losses, makeWorkspace(shape, T));
      const engine = new TensorEngine(shape, inputs);
      const got = new Float64Array(theta.length);
      const loss = engine.lossAndGrad(theta, got);
      engine.dispose();
      expect(loss).toBeCloseTo(losses[0] + losses[1] + losses[2], 4);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i]), `${backend} parameter ${i}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(want[i])));
    }
  });

  it("trains like the float64 kernel and leaves no tensors behind", async () => {
    const series = chain(200, 11);
    const options = { maxLag: 4, seed: 3, params: { epochs: 100 } };
    const want = await tcdfMethod.discover(series, { ...options, backend, params: { ...options.params, engine: "js" } });
    const before = tf.memory().numTensors;
    const got = await tcdfMethod.discover(series, { ...options, backend, params: { ...options.params, engine: "tensor" } });
    expect(tf.memory().numTensors).toBe(before);
    expect(got.meta).toMatchObject({ backend, params: { engine: "tensor" } });
    expect(edgeNames(got)).toEqual(edgeNames(want));
    const a = scoresFromNested(got.scores, 3, 4).data;
    const b = scoresFromNested(want.scores, 3, 4).data;
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-3);
  });
});
