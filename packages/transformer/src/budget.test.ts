import { Rng, type TimeSeries } from "@causeway/core";
import { describeBackends, probeBackends } from "@causeway/test-utils";
import { expect, it } from "vitest";
import { transformerMethod } from "./discover.js";

await probeBackends(["wasm"]);

// [T = 300, V = 2]: y(t) = tanh(2 x(t - 1)) + noise, x white noise
function pair(T: number, seed: number): TimeSeries {
  const rng = new Rng(seed);
  const data = new Float64Array(T * 2);
  for (let t = 0; t < T; t++) {
    data[t * 2] = rng.normal();
    data[t * 2 + 1] = (t > 0 ? Math.tanh(2 * data[(t - 1) * 2]) : 0) + 0.3 * rng.normal();
  }
  return { variables: ["x", "y"], data, length: T };
}

const SMALL = { dModel: 8, heads: 2, layers: 1, ffHidden: 16, samples: 64, batchSize: 32 };
const series = pair(300, 3);

describeBackends("transformer budgets", ["wasm"], (backend) => {
  it("fast caps the epochs; earlyStop false runs every epoch; a seconds budget stops at its deadline", async () => {
    const fast = await transformerMethod.discover(series, { maxLag: 2, backend, budget: "fast", params: SMALL });
    expect(fast.meta.params).toMatchObject({ epochs: 12, patience: 3 });
    expect(fast.meta.budget).toEqual({ name: "fast", applied: { epochs: 12, patience: 3 } });
    expect((fast.meta.epochs as number[])[0]).toBeLessThanOrEqual(12);
    const all = await transformerMethod.discover(series, { maxLag: 2, backend, params: { ...SMALL, epochs: 9, patience: 1, earlyStop: false } });
    expect(all.meta.epochs).toEqual([9]);
    const cut = await transformerMethod.discover(series, { maxLag: 2, backend, budget: 0.001, params: { ...SMALL, epochs: 500 } });
    expect(cut.meta.epochs).toEqual([1]);
    expect(cut.meta.budget).toMatchObject({ name: "seconds", seconds: 0.001, cut: true });
    expect(cut.warnings!.find((w) => w.code === "budget_exhausted")?.message).toContain("model 1 of 1 at epoch 1 of 500");
  });
});
