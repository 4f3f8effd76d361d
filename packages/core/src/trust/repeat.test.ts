import { describe, expect, it } from "vitest";
import { corrMethod } from "../methods/corr.js";
import { Rng } from "../random.js";
import type { CausalGraph, TimeSeries } from "../types.js";
import { runConcurrently } from "./repeat.js";

const walk = (T: number): TimeSeries => {
  const rng = new Rng(2);
  const data = new Float64Array(T * 2); // [T, 2]: two random walks
  for (let t = 1; t < T; t++) for (let v = 0; v < 2; v++) data[t * 2 + v] = data[(t - 1) * 2 + v] + rng.normal();
  return { variables: ["a", "b"], length: T, data };
};

describe("repeated runs", () => {
  it("checks: false skips the assumption checks a repeated run need not redo", async () => {
    const series = walk(300);
    expect((await corrMethod.discover(series, { maxLag: 1 })).warnings?.map((w) => w.code)).toContain("nonstationary");
    // unchecked: no `warnings` list at all (an empty one would say every check passed)
    expect((await corrMethod.discover(series, { maxLag: 1, checks: false })).warnings).toBeUndefined();
  });

  it("runConcurrently builds the series in order, keeps at most `concurrency` in flight, reports each run and rethrows the first failure", async () => {
    const made: number[] = [];
    let inFlight = 0;
    let most = 0;
    const used: number[] = [];
    const events: number[] = [];
    const runOne = async (_s: TimeSeries, i: number): Promise<CausalGraph> => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, (7 - i) % 3));
      inFlight--;
      return { index: i } as unknown as CausalGraph;
    };
    const make = (i: number) => (made.push(i), walk(5));
    await runConcurrently(7, make, runOne, (i) => used.push(i), { method: "m", stage: "s", concurrency: 3, onProgress: (e) => events.push(e.step!) });
    expect(made).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(used.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(most).toBe(3);
    expect(events).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const failing = (_s: TimeSeries, i: number) => (i === 2 ? Promise.reject(new Error("run 2 failed")) : runOne(_s, i));
    await expect(runConcurrently(7, make, failing, () => {}, { method: "m", stage: "s", concurrency: 2 })).rejects.toThrow("run 2 failed");
  });
});
