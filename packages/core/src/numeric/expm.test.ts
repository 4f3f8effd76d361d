import { describe, expect, it } from "vitest";
import { expm, luSolveInPlace } from "./expm.js";
import { Rng } from "../random.js";

/** e^A by its Taylor series Σ A^k / k!, summed until the terms vanish (fine for small norms). */
function expmSeries(a: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  let term = new Float64Array(n * n);
  for (let i = 0; i < n; i++) term[i * n + i] = 1;
  for (let k = 1; k < 200; k++) {
    for (let i = 0; i < n * n; i++) out[i] += term[i];
    const next = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let l = 0; l < n; l++) for (let j = 0; j < n; j++) next[i * n + j] += (term[i * n + l] * a[l * n + j]) / k;
    term = next;
    if (term.every((v) => Math.abs(v) < 1e-300)) break;
  }
  return out;
}

function randomMatrix(n: number, scale: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n * n }, () => scale * (2 * rng.uniform() - 1));
}

describe("expm", () => {
  it("equals the Taylor series on random matrices below and above θ13 (scaling and squaring)", () => {
    for (const [n, scale, seed] of [
      [3, 0.3, 1],
      [5, 1, 2],
      [8, 2, 3],
      [4, 6, 4],
    ] as const) {
      const a = randomMatrix(n, scale, seed);
      const e = expm(a, n);
      const ref = expmSeries(a, n);
      let maxRel = 0;
      let maxAbs = 0;
      for (let i = 0; i < n * n; i++) maxAbs = Math.max(maxAbs, Math.abs(ref[i]));
      for (let i = 0; i < n * n; i++) maxRel = Math.max(maxRel, Math.abs(e[i] - ref[i]) / maxAbs);
      expect(maxRel).toBeLessThan(1e-12);
    }
  });

  it("gives exact known exponentials: zero, diagonal, nilpotent, rotation", () => {
    expm(new Float64Array(4), 2).forEach((v, i) => expect(v).toBeCloseTo([1, 0, 0, 1][i], 15));
    const d = expm(new Float64Array([1, 0, 0, -2]), 2);
    expect(d[0]).toBeCloseTo(Math.E, 14);
    expect(d[3]).toBeCloseTo(Math.exp(-2), 15);
    expm(new Float64Array([0, 1, 0, 0]), 2).forEach((v, i) => expect(v).toBeCloseTo([1, 1, 0, 1][i], 15));
    const t = 10; // norm above θ13: exercises the squaring
    const r = expm(new Float64Array([0, -t, t, 0]), 2);
    expect(r[0]).toBeCloseTo(Math.cos(t), 12);
    expect(r[1]).toBeCloseTo(-Math.sin(t), 12);
    expect(r[2]).toBeCloseTo(Math.sin(t), 12);
  });

  it("tr(e^(W∘W)) - d is 0 for a DAG and positive with a cycle (NOTEARS' acyclicity)", () => {
    const dag = new Float64Array([0, 0.8, 0.5, 0, 0, -1.2, 0, 0, 0]);
    const cyc = new Float64Array([0, 0.8, 0, 0, 0, -1.2, 0.3, 0, 0]);
    const h = (w: Float64Array) => {
      const e = expm(w.map((v) => v * v), 3);
      return e[0] + e[4] + e[8] - 3;
    };
    expect(Math.abs(h(dag))).toBeLessThan(1e-15);
    expect(h(cyc)).toBeGreaterThan(1e-3);
  });
});

describe("luSolveInPlace", () => {
  it("solves a system that needs pivoting", () => {
    const a = new Float64Array([0, 2, 1, 1, 1, 0, 3, 0, 1]);
    const x = [1, -2, 3];
    const b = new Float64Array(3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) b[i] += a[i * 3 + j] * x[j];
    luSolveInPlace(Float64Array.from(a), 3, b, 1);
    b.forEach((v, i) => expect(v).toBeCloseTo(x[i], 14));
    expect(() => luSolveInPlace(new Float64Array([1, 2, 2, 4]), 2, new Float64Array(2), 1)).toThrow(/singular/);
  });
});
