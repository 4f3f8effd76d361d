import { afterAll, describe, expect, it } from "vitest";
import { Rng, useBackend, type TimeSeries } from "@causeway/core";
import { cmlpMethod } from "@causeway/granger";
import { discoverSplit, MethodPool, splitsByTargets, targetChunks } from "./index.js";

/** A nonlinear ring: x_i(t) = 0.4 x_i(t-1) + tanh(2 x_{i-1}(t-1)) + noise, `[T, V]`. */
function ring(V: number, T: number, seed: number): TimeSeries {
  const rng = new Rng(seed);
  const data = new Float64Array(T * V);
  for (let t = 1; t < T; t++)
    for (let i = 0; i < V; i++) data[t * V + i] = 0.4 * data[(t - 1) * V + i] + Math.tanh(2 * data[(t - 1) * V + ((i + V - 1) % V)]) + 0.5 * rng.normal();
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
});
