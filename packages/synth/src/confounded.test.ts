import { InputError } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { generateConfounded } from "./confounded.js";

/** max over lags -4..4 of |corr(x_a(t), x_b(t + lag))|. */
function maxLaggedCorr(x: Float64Array, V: number, a: number, b: number): number {
  const T = x.length / V;
  let best = 0;
  for (let lag = -4; lag <= 4; lag++) {
    const pairs: [number, number][] = [];
    for (let t = Math.max(0, -lag); t < T && t + lag < T; t++) pairs.push([x[t * V + a], x[(t + lag) * V + b]]);
    const n = pairs.length;
    const ma = pairs.reduce((s, p) => s + p[0], 0) / n;
    const mb = pairs.reduce((s, p) => s + p[1], 0) / n;
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (const [p, q] of pairs) {
      sab += (p - ma) * (q - mb);
      saa += (p - ma) ** 2;
      sbb += (q - mb) ** 2;
    }
    best = Math.max(best, Math.abs(sab / Math.sqrt(saa * sbb)));
  }
  return best;
}

describe("generateConfounded", () => {
  it("outputs the observed columns of the full system and the truth among them only", () => {
    const r = generateConfounded({ vars: 8, length: 400, hidden: 2, seed: 1 });
    expect(r.series.variables.length).toBe(8);
    expect(r.full.series.variables.length).toBe(10);
    for (let t = 0; t < 400; t++) for (let i = 0; i < 8; i++) expect(r.series.data[t * 8 + i]).toBe(r.full.series.data[t * 10 + i]);
    const observed = (n: string): boolean => Number(n.slice(1)) < 8;
    expect(r.truth.edges).toEqual(r.full.truth.edges.filter((e) => observed(e.cause) && observed(e.effect)));
    for (const h of ["h0", "h1"]) {
      const children = r.hiddenEdges.filter((e) => e.cause === h).map((e) => e.effect);
      expect(new Set(children).size).toBeGreaterThanOrEqual(2);
      expect(children.length).toBeLessThanOrEqual(3);
    }
    expect(r.full.truth.edges.some((e) => e.cause === "x8" && e.effect === "x8")).toBe(true);
    expect(r.full.truth.edges.some((e) => !observed(e.effect) && e.cause !== e.effect)).toBe(false);
  });

  it("makes the hidden driver's children dependent though no observed edge joins them", () => {
    // monotone links, so the dependence shows in a linear correlation
    for (const model of ["var", "nonlinear"] as const) {
      const r = generateConfounded({ vars: 6, length: 3000, hidden: 1, childrenRange: [3, 3], density: 0, seed: 4, model, coefRange: [0.5, 0.8], functions: ["linear", "tanh"] });
      expect(r.truth.edges.every((e) => e.cause === e.effect)).toBe(true);
      const children = r.hiddenEdges.map((e) => Number(e.effect.slice(1)));
      const others = [0, 1, 2, 3, 4, 5].filter((i) => !children.includes(i));
      expect(maxLaggedCorr(r.series.data, 6, children[0], children[1])).toBeGreaterThan(0.15);
      expect(maxLaggedCorr(r.series.data, 6, others[0], others[1])).toBeLessThan(0.1);
    }
  });

  it("rejects impossible options", () => {
    expect(() => generateConfounded({ vars: 3, length: 100, childrenRange: [2, 4] })).toThrow(InputError);
    expect(() => generateConfounded({ vars: 3, length: 100, model: "ode" as never })).toThrow(/model/);
  });
});
