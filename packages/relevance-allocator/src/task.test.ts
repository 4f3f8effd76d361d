import { InputError, zscore } from "@causeway/core";
import { windows } from "@causeway/transformer";
import { describe, expect, it } from "vitest";
import { correlationScores, pearson } from "./scores.js";
import { confoundedTask } from "./task.js";

/** Column v of a row-major [T, V] array. */
const col = (data: Float64Array, V: number, v: number) => Float64Array.from({ length: data.length / V }, (_, t) => data[t * V + v]);

function std(xs: Float64Array): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
}

/** Rank (0 = best) of each causal token among all tokens but y's own query token, by |corr| with y. */
function causeRanks(task: ReturnType<typeof confoundedTask>, W: number): { ranks: number[]; scores: Float64Array } {
  const V = task.series.variables.length;
  const z = zscore(task.series).series;
  const win = windows(z.data, z.length, V, W);
  const y = Float64Array.from({ length: win.n }, (_, i) => win.y[i * V]);
  const s = correlationScores(win.x, y, W, V);
  const order = Array.from({ length: W * V }, (_, i) => i)
    .filter((i) => i !== (W - 1) * V)
    .sort((a, b) => s.tokens[b] - s.tokens[a]);
  return { ranks: task.causes.map((c) => order.indexOf((W - c.lag) * V + c.variable)), scores: s.tokens };
}

describe("confoundedTask", () => {
  it("has the documented structure: y = sum of the lagged causes + targetNoise noise; distractors track one confounder", () => {
    const task = confoundedTask({ length: 5000, seed: 2 });
    const { variables, data } = task.series;
    expect(variables).toEqual(["y", "c1", "c2", "c3", "c4", "d1", "d2", "d3", "d4", "d5", "d6", "n1", "n2"]);
    expect(task.roles).toEqual(["target", ...Array(4).fill("cause"), ...Array(6).fill("distractor"), "noise", "noise"]);
    expect(task.causes).toEqual([
      { variable: 1, lag: 2 },
      { variable: 2, lag: 3 },
      { variable: 3, lag: 5 },
      { variable: 4, lag: 7 },
    ]);
    const V = 13;
    const T = 5000;
    const residual = Float64Array.from({ length: T - 7 }, (_, k) => {
      const t = k + 7;
      return data[t * V] - task.causes.reduce((s, c) => s + data[(t - c.lag) * V + c.variable], 0);
    });
    expect(std(residual)).toBeCloseTo(1, 1); // targetNoise
    // d2 (lead 1) at t is d1 (lead 0) at t + 1: both read Z(t + 1) with noise 0.3 -> r = 1 / 1.09
    const d1 = col(data, V, 5).subarray(1);
    const d2 = col(data, V, 6).subarray(0, T - 1);
    expect(pearson(d1, d2)).toBeCloseTo(1 / 1.09, 1);
    // causes share Z: corr(c1, c2) = 1 / (1 + 1.44)
    expect(pearson(col(data, V, 1), col(data, V, 2))).toBeCloseTo(1 / 2.44, 1);
    expect(Math.abs(pearson(col(data, V, 11), col(data, V, 0)))).toBeLessThan(0.05);
  });

  it("misleads correlation by default: every causal token ranks below 20+ distractor tokens; weak confounding does not", () => {
    const strong = causeRanks(confoundedTask({ length: 20000, seed: 1 }), 8);
    for (const r of strong.ranks) expect(r).toBeGreaterThanOrEqual(20);
    const weak = causeRanks(confoundedTask({ length: 20000, seed: 1, causeLags: [2, 3, 4], distractorLeads: [1, 2, 3], noise: 1, phi: 0.9, causeNoise: 1.5 }), 8);
    expect([...weak.ranks].sort()).toEqual([0, 1, 2]);
  });

  it("is reproducible from its seed and rejects bad options", () => {
    const a = confoundedTask({ length: 50, seed: 4 });
    expect(confoundedTask({ length: 50, seed: 4 }).series.data).toEqual(a.series.data);
    expect(confoundedTask({ length: 50, seed: 5 }).series.data).not.toEqual(a.series.data);
    expect(() => confoundedTask({ length: 5 })).toThrow(InputError);
    expect(() => confoundedTask({ causeLags: [] })).toThrow(InputError);
    expect(() => confoundedTask({ causeLags: [0] })).toThrow(InputError);
    expect(() => confoundedTask({ distractorLeads: [-1] })).toThrow(InputError);
    expect(() => confoundedTask({ phi: 1 })).toThrow(InputError);
  });
});
