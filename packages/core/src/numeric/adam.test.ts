import { describe, expect, it } from "vitest";
import { Adam, adamDelta } from "./adam.js";

describe("Adam", () => {
  it("follows PyTorch's update: first step moves each parameter by lr * sign(grad)", () => {
    const theta = new Float64Array([1, -2, 0.5]);
    const adam = new Adam(3, 0.01);
    adam.step(theta, new Float64Array([3, -0.001, 0]));
    // mhat = g, vhat = g^2 -> step lr * g / (|g| + eps)
    expect(theta[0]).toBeCloseTo(1 - 0.01 * (3 / (3 + 1e-8)), 14);
    expect(theta[1]).toBeCloseTo(-2 + 0.01 * (0.001 / (0.001 + 1e-8)), 14);
    expect(theta[2]).toBe(0.5);
  });

  it("takes a second step from the bias-corrected moments, as computed by hand", () => {
    const theta = new Float64Array([1]);
    const adam = new Adam(1, 0.1);
    adam.step(theta, new Float64Array([2])); // m = 0.2, v = 0.004, mhat = 2, vhat = 4
    expect(theta[0]).toBeCloseTo(1 - 0.2 / (2 + 1e-8), 15);
    const after1 = theta[0];
    adam.step(theta, new Float64Array([-1]));
    // m = 0.9·0.2 - 0.1 = 0.08, v = 0.999·0.004 + 0.001 = 0.004996; c1 = 0.19, c2 = 1 - 0.999² = 0.001999
    const step2 = (0.1 * (0.08 / 0.19)) / (Math.sqrt(0.004996 / 0.001999) + 1e-8); // 0.0266336...
    expect(step2).toBeCloseTo(0.026634, 6);
    expect(theta[0]).toBeCloseTo(after1 - step2, 14);
  });

  it("minimises a quadratic", () => {
    const theta = new Float64Array([5, -3]);
    const adam = new Adam(2, 0.1);
    for (let i = 0; i < 2000; i++) adam.step(theta, new Float64Array([2 * (theta[0] - 1), 2 * (theta[1] + 2)]));
    expect(theta[0]).toBeCloseTo(1, 3);
    expect(theta[1]).toBeCloseTo(-2, 3);
  });
});

describe("adamDelta", () => {
  it("updates the moments in place and returns the same step as Adam, bit for bit", () => {
    const m = new Float64Array([0.5]);
    const v = new Float64Array([0.25]);
    const d = adamDelta(m, v, 0, 3, 0.01, 1 - 0.9 ** 3, 1 - 0.999 ** 3);
    expect(m[0]).toBe(0.9 * 0.5 + (1 - 0.9) * 3);
    expect(v[0]).toBe(0.999 * 0.25 + (1 - 0.999) * 3 * 3);
    expect(d).toBe((0.01 * (m[0] / (1 - 0.9 ** 3))) / (Math.sqrt(v[0] / (1 - 0.999 ** 3)) + 1e-8));

    const theta = new Float64Array([1, 2]);
    const grads = [new Float64Array([0.3, -4]), new Float64Array([-0.2, 5])];
    const adam = new Adam(2, 0.05);
    const mm = new Float64Array(2);
    const vv = new Float64Array(2);
    const manual = Float64Array.from(theta);
    for (let t = 1; t <= 2; t++) {
      adam.step(theta, grads[t - 1]);
      for (let i = 0; i < 2; i++) manual[i] -= adamDelta(mm, vv, i, grads[t - 1][i], 0.05, 1 - 0.9 ** t, 1 - 0.999 ** t);
    }
    expect(Array.from(theta)).toEqual(Array.from(manual));
  });
});
