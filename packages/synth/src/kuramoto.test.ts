import { InputError, Rng } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { generateKuramoto, integrateKuramoto, kuramotoDrift } from "./kuramoto.js";

describe("Kuramoto", () => {
  it("drift matches a hand computation", () => {
    // theta = [0, pi/2], omega = [1, 2], oscillator 0 driven by 1 with K = 3:
    // d0 = 1 + 3 sin(pi/2 - 0) = 4; d1 = 2.
    const out = kuramotoDrift(Float64Array.of(0, Math.PI / 2), Float64Array.of(1, 2), [[{ cause: 1, k: 3 }], []], new Float64Array(2));
    expect(out[0]).toBeCloseTo(4, 14);
    expect(out[1]).toBe(2);
  });

  it("a strongly driven pair locks at the Adler fixed point; a weakly driven one drifts at the beat frequency", () => {
    // Oscillator 0 is driven by 1: with D = theta0 - theta1, dD/dt = (w0 - w1) - K sin D (Adler's equation).
    const omega = Float64Array.of(1, 1.5);
    const locked = integrateKuramoto(Float64Array.of(2, 0), { omega, drivers: [[{ cause: 1, k: 2 }], []], dt: 0.1, samples: 600 });
    // |w0 - w1| = 0.5 < K = 2: D -> asin(-0.25) (the stable root, cos D > 0).
    const d = locked[599 * 2] - locked[599 * 2 + 1];
    const wrapped = Math.atan2(Math.sin(d), Math.cos(d));
    expect(wrapped).toBeCloseTo(Math.asin(-0.25), 6);
    // K = 0.2 < 0.5: no locking; D slips at the beat frequency sqrt(0.5^2 - 0.2^2).
    const free = integrateKuramoto(Float64Array.of(0, 0), { omega, drivers: [[{ cause: 1, k: 0.2 }], []], dt: 0.1, samples: 20001 });
    const drift = (free[20000 * 2] - free[20000 * 2 + 1] - (free[0] - free[1])) / 2000;
    expect(drift).toBeCloseTo(-Math.sqrt(0.25 - 0.04), 2);
  });

  it("the generator's strongly coupled 2-oscillator pair phase-locks despite noise", () => {
    const options = { vars: 2, length: 1000, seed: 3, density: 1, omegaRange: [1, 2] as const };
    const r = generateKuramoto({ ...options, coupling: 4 });
    expect(r.couplingMatrix[1]).toBeGreaterThan(0); // 1 drives 0
    expect(r.couplingMatrix[2]).toBeGreaterThan(0); // 0 drives 1
    // Uncoupled, the phases would slip apart by |w0 - w1| * 99.9 time units.
    const freeSlip = (r.omega[0] - r.omega[1]) * 999 * 0.1;
    expect(Math.abs(freeSlip)).toBeGreaterThan(10);
    // Coupled: the phase difference stays within a narrow band over the whole series.
    let min = Infinity;
    let max = -Infinity;
    for (let t = 0; t < 1000; t++) {
      const diff = r.phases[t * 2] - r.phases[t * 2 + 1];
      min = Math.min(min, diff);
      max = Math.max(max, diff);
    }
    expect(max - min).toBeLessThan(0.5);
    // The same pair uncoupled (same frequencies) slips as predicted, up to the phase noise
    // (sd 0.1 sqrt(2 * 99.9) ~ 1.4 on the difference).
    const u = generateKuramoto({ ...options, coupling: 0 });
    expect(Array.from(u.omega)).toEqual(Array.from(r.omega));
    const slip = u.phases[999 * 2] - u.phases[999 * 2 + 1] - (u.phases[0] - u.phases[1]);
    expect(Math.abs(slip - freeSlip)).toBeLessThan(6);
    expect(u.truth.edges).toEqual([
      { cause: "x0", effect: "x0", lag: 1 },
      { cause: "x1", effect: "x1", lag: 1 },
    ]);
  });

  it("observes sin(theta) and lists the coupling graph plus self in the truth", () => {
    const r = generateKuramoto({ vars: 8, length: 300, seed: 5 });
    const V = 8;
    for (let k = 0; k < r.phases.length; k++) expect(r.series.data[k]).toBe(Math.sin(r.phases[k]));
    expect(r.truth.summaryOnly).toBe(true);
    expect(r.truth.maxLag).toBe(1);
    const fromMatrix = new Set<string>();
    for (let i = 0; i < V; i++) {
      fromMatrix.add(`x${i}>x${i}`);
      for (let j = 0; j < V; j++) if (r.couplingMatrix[i * V + j] !== 0) fromMatrix.add(`x${j}>x${i}`);
    }
    expect(new Set(r.truth.edges.map((e) => `${e.cause}>${e.effect}`))).toEqual(fromMatrix);
    expect(r.truth.edges.length).toBeGreaterThan(V);
    for (let i = 0; i < V; i++) expect(r.couplingMatrix[i * V + i]).toBe(0);
  });

  it("noise follows sigma sqrt(dt): uncoupled phase increments have the right spread", () => {
    const V = 1;
    const n = 20000;
    const theta = integrateKuramoto(new Float64Array(V), {
      omega: Float64Array.of(2),
      drivers: [[]],
      dt: 0.1,
      samples: n,
      noise: 0.5,
      rng: new Rng(1),
    });
    let m = 0;
    for (let t = 1; t < n; t++) m += theta[t] - theta[t - 1];
    m /= n - 1;
    let v = 0;
    for (let t = 1; t < n; t++) v += (theta[t] - theta[t - 1] - m) ** 2;
    v /= n - 1;
    expect(m).toBeCloseTo(0.2, 2); // omega dt
    expect(Math.sqrt(v) / (0.5 * Math.sqrt(0.1))).toBeGreaterThan(0.97);
    expect(Math.sqrt(v) / (0.5 * Math.sqrt(0.1))).toBeLessThan(1.03);
  });

  it("is deterministic by seed", () => {
    const a = generateKuramoto({ vars: 5, length: 200, seed: 9 });
    const b = generateKuramoto({ vars: 5, length: 200, seed: 9 });
    expect(Array.from(a.series.data)).toEqual(Array.from(b.series.data));
    expect(a.truth).toEqual(b.truth);
    const c = generateKuramoto({ vars: 5, length: 200, seed: 10 });
    expect(Array.from(c.series.data)).not.toEqual(Array.from(a.series.data));
  });

  it("rejects bad options with InputError", () => {
    expect(() => generateKuramoto({ vars: 0, length: 100 })).toThrow(InputError);
    expect(() => generateKuramoto({ vars: 3, length: 2 })).toThrow(/"length"/);
    expect(() => generateKuramoto({ vars: 3, length: 100, coupling: -1 })).toThrow(/"coupling"/);
    expect(() => generateKuramoto({ vars: 3, length: 100, dt: -0.1 })).toThrow(/"dt"/);
    expect(() => generateKuramoto({ vars: 3, length: 100, omegaRange: [2, 1] })).toThrow(/"omegaRange\[1\]"/);
    expect(() => generateKuramoto({ vars: 3, length: 100, noise: Number.POSITIVE_INFINITY })).toThrow(/"noise"/);
  });
});
