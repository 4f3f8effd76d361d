import { describe, expect, it } from "vitest";
import { BatchedTrainer, type BatchedProblem } from "./ista.js";
import { groupPenalties, proxGroups, type GroupShape } from "./prox.js";

/**
 * V independent least-squares problems f_i(w) = ‖w_i - c_i‖² over a `[K=1, Vin, V, H=1]` first
 * layer, whose loss is NaN/Inf once any weight exceeds `blowUp` (an exploding network).
 */
function quadratic(c: number[][], blowUp = Infinity): BatchedProblem {
  const V = c.length;
  const Vin = c[0].length;
  const shape: GroupShape = { K: 1, Vin, Vt: V, H: 1 };
  return {
    V,
    views: [[Vin, V, 1]],
    lossAndGrads([w]) {
      const loss = new Float64Array(V);
      const g = new Float64Array(w.length);
      for (let j = 0; j < Vin; j++)
        for (let i = 0; i < V; i++) {
          const d = w[j * V + i] - c[i][j];
          loss[i] += d * d;
          g[j * V + i] = 2 * d;
          if (Math.abs(w[j * V + i]) > blowUp) loss[i] = NaN;
        }
      return { loss, grads: [g] };
    },
    prox: (w, tau) => proxGroups(w, shape, tau, "GL"),
    penalty: (w) => groupPenalties(w, shape, "GL"),
  };
}

describe("BatchedTrainer", () => {
  it("ISTA reaches the lasso solution of every target with per-target steps", () => {
    // f_i + λ Σ_j |w_ij| (groups of size 1): solution = soft-threshold(c, λ/2)
    const c = [
      [3, -0.2, 1],
      [0.1, -2, 0.4],
    ];
    const tr = new BatchedTrainer(quadratic(c), [new Float64Array(6)], { optimizer: "ista", step: 0.05, slack: 0 });
    tr.setLambda(1);
    tr.iterate(200);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) expect(tr.params[0][j * 2 + i]).toBeCloseTo(Math.sign(c[i][j]) * Math.max(0, Math.abs(c[i][j]) - 0.5), 8);
    expect(tr.nanSteps).toBe(0);
  });

  it("rejects NaN losses, keeps the last good weights, halves the step and goes on", () => {
    const c = [[2, -1], [0.5, 1.5]];
    // a step of 50 overshoots to |w| > 10, where the loss is NaN
    const tr = new BatchedTrainer(quadratic(c, 10), [new Float64Array(4)], { optimizer: "ista", step: 50, slack: 0 });
    tr.iterate(1);
    expect(tr.nanSteps).toBe(2);
    expect(Array.from(tr.params[0])).toEqual([0, 0, 0, 0]);
    expect(tr.eta[0]).toBe(25);
    tr.iterate(100);
    expect(tr.nanSteps).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(tr.params[0][j * 2 + i]).toBeCloseTo(c[i][j], 6);
    for (const l of tr.loss) expect(Number.isFinite(l)).toBe(true);
  });

  it("Adam converges on the smooth loss and its prox step zeroes groups", () => {
    const c = [[2, -0.1], [0.5, 1.5]];
    const tr = new BatchedTrainer(quadratic(c), [new Float64Array(4)], { optimizer: "adam", step: 0.01 });
    tr.iterate(1500);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(Math.abs(tr.params[0][j * 2 + i] - c[i][j])).toBeLessThan(0.02);
    // Adam's steps are ~lr in size whatever the gradient: a threshold lr·λ above them zeroes every group
    tr.setLambda(20);
    tr.iterate(300);
    expect(Array.from(tr.params[0], Math.abs)).toEqual([0, 0, 0, 0]);
  });

  it("Adam restores the last good weights and halves the rate after a NaN loss", () => {
    const tr = new BatchedTrainer(quadratic([[30], [-0.5]], 10), [new Float64Array(2)], { optimizer: "adam", step: 20 });
    tr.iterate(1); // target 0 jumps to |w| = 20 > 10: NaN; target 1 too
    expect(tr.nanSteps).toBe(2);
    expect(Array.from(tr.params[0])).toEqual([0, 0]);
    expect(Array.from(tr.eta)).toEqual([10, 10]);
    tr.iterate(1); // |w| = 10 is fine
    expect(tr.nanSteps).toBe(2);
    expect(Math.abs(tr.params[0][0])).toBeCloseTo(10, 6);
  });
});
