import { afterAll, describe, expect, it } from "vitest";
import { Rng, useBackend, type TimeSeries } from "@causeway/core";
import { cmlpMethod } from "@causeway/granger";
import { pcmciMethod, pcmciplusMethod } from "@causeway/pcmci";
import { transformerMethod } from "@causeway/transformer";
import { discoverSplit, MethodPool, splitsByTargets, targetChunks } from "./index.js";

/** A nonlinear ring: x_i(t) = 0.4 x_i(t-1) + tanh(2 x_{i-1}(t-1)) + noise, `[T, V]`. */
function ring(V: number, T: number, seed: number): TimeSeries {
  const rng = new Rng(seed);
  const data = new Float64Array(T * V);
  for (let t = 1; t < T; t++)
    for (let i = 0; i < V; i++) data[t * V + i] = 0.4 * data[(t - 1) * V + i] + Math.tanh(2 * data[(t - 1) * V + ((i + V - 1) % V)]) + 0.5 * rng.normal();
  return { variables: Array.from({ length: V }, (_, i) => `x${i}`), length: T, data };
}

/** A linear chain with lag-0 links: x_i(t) = 0.5 x_i(t-1) + 0.4 x_{i-1}(t - (i % 3)) + noise, `[T, V]`. */
function chain(V: number, T: number, seed: number): TimeSeries {
  const rng = new Rng(seed);
  const data = new Float64Array(T * V);
  for (let t = 2; t < T; t++)
    for (let i = 0; i < V; i++) data[t * V + i] = 0.5 * data[(t - 1) * V + i] + (i > 0 ? 0.4 * data[(t - (i % 3)) * V + i - 1] : 0) + rng.normal();
  return { variables: Array.from({ length: V }, (_, i) => `x${i}`), length: T, data };
}

describe("discoverSplit", () => {
  const pool = new MethodPool(2);
  afterAll(() => pool.close());

  it("chunks targets evenly and knows which methods split", () => {
    expect(targetChunks(5, 2)).toEqual([[0, 1], [2, 3, 4]]);
    expect(targetChunks(2, 4)).toEqual([[0], [1]]);
    expect(splitsByTargets(cmlpMethod)).toBe(true);
  });

  it("the threads' progress reaches the caller as one run's: fractions averaged over the parts, rising to 1", async () => {
    const events: { fraction: number; message?: string }[] = [];
    const params = { hidden: 4, lambdaFactor: 2, pathSteps: 3, warmupIters: 40, stepIters: 10 };
    const g = await discoverSplit(pool, "cmlp", ring(4, 120, 1), { maxLag: 1, params, backend: "cpu" }, (e) => events.push(e));
    expect(g.meta.threads).toBe(2);
    expect(events.length).toBeGreaterThanOrEqual(4); // at least a first and a last event from each thread
    expect(events.every((e) => e.message === "2 threads")).toBe(true);
    for (let k = 1; k < events.length; k++) expect(events[k].fraction).toBeGreaterThanOrEqual(events[k - 1].fraction);
    expect(events[events.length - 1].fraction).toBe(1);
    expect(events[0].fraction).toBeLessThanOrEqual(0.5);
  });

  it("cmlp on 2 threads (half the effects each) equals the serial run, edge for edge", async () => {
    await useBackend("cpu");
    const series = ring(6, 150, 3);
    // tol 1e-12: every λ runs its full iterations, so no stopping rule depends on the other thread's targets
    const params = { hidden: 8, lambdaFactor: 2, pathSteps: 4, warmupIters: 60, stepIters: 15, tol: 1e-12 };
    const options = { maxLag: 2, seed: 7, params, backend: "cpu" as const };
    const serial = await cmlpMethod.discover(series, options);
    const split = await discoverSplit(pool, "cmlp", series, options);
    expect(split.meta.threads).toBe(2);
    expect(split.meta.params.targets).toBeUndefined();
    const a = serial.scores.flat(2);
    const b = split.scores.flat(2);
    expect(b.length).toBe(a.length);
    b.forEach((x, k) => expect(x).toBeCloseTo(a[k], 5));
    expect(a.some((x) => x > 0.3)).toBe(true); // a real fit, not all zeros
    expect(split.edges.map((e) => `${e.cause}>${e.effect}@${e.lag}`).sort()).toEqual(serial.edges.map((e) => `${e.cause}>${e.effect}@${e.lag}`).sort());
  });

  it("pcmci on 2 threads (PC1 and MCI stages over targets) equals the serial run p-value for p-value; pcmciplus too", async () => {
    expect(splitsByTargets(pcmciMethod)).toBe(true);
    const series = chain(8, 1000, 2);
    const options = { maxLag: 3, params: { tauMin: 0, pcAlpha: "0.1" } };
    const serial = await pcmciMethod.discover(series, options);
    const split = await discoverSplit(pool, "pcmci", series, options);
    expect(split.meta.threads).toBe(2);
    const a = serial.pvalues!.flat(2);
    const b = split.pvalues!.flat(2);
    expect(b.length).toBe(a.length);
    b.forEach((p, k) => expect(Math.abs(p - a[k])).toBeLessThanOrEqual(1e-12));
    expect(a.filter((p) => p < 1e-6).length).toBeGreaterThan(5); // real links found
    expect(split.edges).toEqual(serial.edges);
    expect(split.contemporaneous).toEqual(serial.contemporaneous);
    expect(split.meta.parents).toEqual(serial.meta.parents);

    const plusSerial = await pcmciplusMethod.discover(series, { maxLag: 2 });
    const plusSplit = await discoverSplit(pool, "pcmciplus", series, { maxLag: 2 });
    expect(plusSplit.pvalues).toEqual(plusSerial.pvalues);
    expect(plusSplit.edges).toEqual(plusSerial.edges);
    expect(plusSerial.edges.some((e) => e.lag === 0)).toBe(true);
  });

  it("transformer: ensemble members train on the threads (each on the run's backend) and average to the serial ensemble's scores", async () => {
    await useBackend("cpu");
    const series = ring(3, 160, 4);
    const params = { ensemble: 3, epochs: 4, patience: 4, dModel: 8, heads: 2, layers: 1, ffHidden: 8, samples: 64 };
    const options = { maxLag: 2, seed: 5, params, backend: "cpu" as const };
    const serial = await transformerMethod.discover(series, options);
    const events: { fraction: number; message?: string }[] = [];
    const split = await discoverSplit(pool, "transformer", series, options, (e) => events.push(e));
    expect(serial.meta.threads).toBe(1);
    expect(split.meta.threads).toBe(2); // three members on two threads
    expect(split.meta.epochs).toEqual(serial.meta.epochs);
    const a = serial.scores.flat(2);
    const b = split.scores.flat(2);
    b.forEach((x, k) => expect(Math.abs(x - a[k])).toBeLessThanOrEqual(1e-12));
    expect(new Set(a.map((x) => x.toFixed(6))).size).toBeGreaterThan(5); // real, differing scores
    expect(events.at(-1)?.fraction).toBe(1);
    expect(events.some((e) => /models \(2 threads\)/.test(e.message ?? ""))).toBe(true);
    // one member: nothing to split, it trains in this thread
    const one = await discoverSplit(pool, "transformer", series, { ...options, params: { ...params, ensemble: 1 } });
    expect(one.meta.threads).toBe(1);
  });

  it("a stage the method lacks is an InputError from the thread", async () => {
    const series = chain(3, 100, 2);
    await expect(pool.stage("pcmciplus", "mci", series, {})).rejects.toThrow(/has no stage "mci"; its stages: gram, pc1/);
  });
});
