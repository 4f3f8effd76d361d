import { Rng } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { GROUP_PENALTIES, groupPenalties, lagNorms, proxGroups, type GroupShape } from "./prox.js";

function randomLayer(shape: GroupShape, rng: Rng, scale = 1): Float64Array {
  const w = new Float64Array(shape.K * shape.Vin * shape.Vt * shape.H);
  for (let i = 0; i < w.length; i++) w[i] = scale * rng.normal();
  return w;
}

/** ½‖z - w‖² + Σ_i tau_i Ω_i(z): the function the prox minimises. */
function proxObjective(z: Float64Array, w: Float64Array, shape: GroupShape, tau: number[], penalty: (typeof GROUP_PENALTIES)[number]): number {
  let q = 0;
  for (let i = 0; i < z.length; i++) q += 0.5 * (z[i] - w[i]) ** 2;
  const omega = groupPenalties(z, shape, penalty);
  for (let i = 0; i < tau.length; i++) q += tau[i] * omega[i];
  return q;
}

describe("group proximal operators", () => {
  const shape: GroupShape = { K: 3, Vin: 2, Vt: 2, H: 4 };

  it("GL scales each group by max(0, 1 - tau/‖group‖)", () => {
    const rng = new Rng(1);
    const w = randomLayer(shape, rng);
    const norms = lagNorms(w, shape); // [Vt, Vin, K]
    const z = Float64Array.from(w);
    const tau = [1.5, 0.2];
    proxGroups(z, shape, tau, "GL");
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) {
        const n = Math.hypot(...[0, 1, 2].map((k) => norms[(i * 2 + j) * 3 + k]));
        const f = Math.max(0, 1 - tau[i] / n);
        for (let k = 0; k < 3; k++)
          for (let h = 0; h < 4; h++) {
            const idx = ((k * 2 + j) * 2 + i) * 4 + h;
            expect(z[idx]).toBeCloseTo(w[idx] * f, 14);
          }
      }
  });

  for (const penalty of GROUP_PENALTIES)
    it(`${penalty}: the result minimises ½‖z - w‖² + τΩ(z) (no perturbation does better)`, () => {
      const rng = new Rng(7);
      for (let trial = 0; trial < 5; trial++) {
        const w = randomLayer(shape, rng);
        const tau = [0.3 + trial * 0.4, 1.2];
        const z = Float64Array.from(w);
        proxGroups(z, shape, tau, penalty);
        const best = proxObjective(z, w, shape, tau, penalty);
        expect(best).toBeLessThanOrEqual(proxObjective(new Float64Array(w.length), w, shape, tau, penalty) + 1e-12);
        expect(best).toBeLessThanOrEqual(proxObjective(w, w, shape, tau, penalty) + 1e-12);
        for (let p = 0; p < 200; p++) {
          const eps = [1e-4, 1e-2, 0.3][p % 3];
          const y = Float64Array.from(z, (v) => v + eps * rng.normal());
          // also try zeroing one lag group, which random noise never does
          if (p % 10 === 0) for (let h = 0; h < shape.H; h++) y[rng.int(shape.K * shape.Vin * shape.Vt) * shape.H + h] = 0;
          expect(proxObjective(y, w, shape, tau, penalty)).toBeGreaterThanOrEqual(best - 1e-12);
        }
      }
    });

  for (const penalty of GROUP_PENALTIES)
    it(`${penalty}: the objective is stationary on the support of the result`, () => {
      // where z != 0 the penalty is differentiable, so every partial derivative of the prox objective vanishes
      const rng = new Rng(11);
      const w = randomLayer(shape, rng);
      // groups of very different sizes, so that some are zeroed and some kept
      const groupScale = [0.05, 0.3, 1, 3];
      for (let k = 0; k < shape.K; k++)
        for (let g = 0; g < 4; g++) for (let h = 0; h < shape.H; h++) w[(k * 4 + g) * shape.H + h] *= groupScale[g];
      const tau = [0.5, 0.8];
      const z = Float64Array.from(w);
      proxGroups(z, shape, tau, penalty);
      let checked = 0;
      for (let c = 0; c < z.length; c++) {
        if (z[c] === 0) continue;
        const eps = 1e-6;
        const up = Float64Array.from(z);
        const down = Float64Array.from(z);
        up[c] += eps;
        down[c] -= eps;
        const d = (proxObjective(up, w, shape, tau, penalty) - proxObjective(down, w, shape, tau, penalty)) / (2 * eps);
        expect(Math.abs(d), `coordinate ${c}`).toBeLessThan(1e-6);
        checked++;
      }
      expect(checked).toBeGreaterThan(10);
      expect(checked).toBeLessThan(z.length); // some groups were zeroed
    });

  it("H zeroes lags hierarchically: once lag k is zero, every larger lag is zero", () => {
    const rng = new Rng(3);
    const big: GroupShape = { K: 5, Vin: 4, Vt: 4, H: 3 };
    const w = randomLayer(big, rng);
    proxGroups(w, big, [1, 2, 3, 4], "H");
    const n = lagNorms(w, big);
    let sawZero = 0;
    for (let g = 0; g < 16; g++) {
      let zero = false;
      for (let k = 0; k < 5; k++) {
        if (n[g * 5 + k] === 0) zero = true;
        else expect(zero, `group ${g} lag ${k + 1} non-zero after a zero lag`).toBe(false);
        if (zero) sawZero++;
      }
    }
    expect(sawZero).toBeGreaterThan(0);
  });

  it("penalty values match their definitions", () => {
    const one: GroupShape = { K: 2, Vin: 1, Vt: 1, H: 2 };
    const w = Float64Array.from([3, 4, 0, 12]); // lag norms 5 and 12, total 13
    expect(groupPenalties(w, one, "GL")[0]).toBeCloseTo(13, 14);
    expect(groupPenalties(w, one, "GSGL")[0]).toBeCloseTo(13 + 5 + 12, 14);
    expect(groupPenalties(w, one, "H")[0]).toBeCloseTo(13 + 12, 14);
  });
});
