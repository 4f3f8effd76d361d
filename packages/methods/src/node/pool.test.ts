import { afterAll, describe, expect, it } from "vitest";
import { bootstrapStability, corrMethod, InputError, Rng, type TimeSeries } from "@causeway/core";
import { MethodPool } from "./index.js";

function series(T: number, seed: number): TimeSeries {
  const rng = new Rng(seed);
  const data = new Float64Array(T * 2); // [T, 2]: x0 -> x1 at lag 1
  for (let t = 1; t < T; t++) {
    data[t * 2] = 0.5 * data[(t - 1) * 2] + rng.normal();
    data[t * 2 + 1] = 0.8 * data[(t - 1) * 2] + rng.normal();
  }
  return { variables: ["x0", "x1"], length: T, data };
}

describe("MethodPool", () => {
  const pool = new MethodPool(2);
  afterAll(() => pool.close());

  it("runs a method by name in worker threads: the bootstrap in parallel equals the serial one", async () => {
    const s = series(200, 1);
    const options = { resamples: 8, maxLag: 2, seed: 4 };
    const serial = await bootstrapStability(s, options, (r) => corrMethod.discover(r, { maxLag: 2 }));
    const parallel = await bootstrapStability(s, { ...options, concurrency: pool.size }, pool.runner("corr", { maxLag: 2 }));
    expect(parallel.stability.data).toEqual(serial.stability.data);
    expect(parallel.lower.data).toEqual(serial.lower.data);
    expect(parallel.upper.data).toEqual(serial.upper.data);
  });

  it("an InputError in a thread is an InputError here", async () => {
    await expect(pool.run("corr", series(200, 2), { maxLag: 0 })).rejects.toBeInstanceOf(InputError);
    await expect(pool.run("no-such-method", series(50, 2), { maxLag: 1 })).rejects.toThrow(/unknown method "no-such-method"/);
  });
});
