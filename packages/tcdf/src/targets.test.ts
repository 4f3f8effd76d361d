// `targets`: a fit of a subset of effects equals those rows of the full fit (how threads split one run).
import { InputError, Rng, resolveTargets, type TimeSeries } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { tcdfMethod } from "./method.js";
import { wasmStepAvailable } from "./wasm-step.js";

/** A nonlinear ring on 5 variables, `[T, 5]`: x_i(t) = 0.4 x_i(t-1) + tanh(2 x_{i-1}(t-1)) + 0.5 e. */
function ring(T: number, seed: number): TimeSeries {
  const rng = new Rng(seed);
  const V = 5;
  const x = new Float64Array(T * V);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < V; i++) x[t * V + i] = (t > 0 ? 0.4 * x[(t - 1) * V + i] + Math.tanh(2 * x[(t - 1) * V + ((i + V - 1) % V)]) : 0) + 0.5 * rng.normal();
  return { variables: ["x0", "x1", "x2", "x3", "x4"], length: T, data: x };
}

describe("tcdf targets", () => {
  it("resolves names and indices, rejects unknown ones", () => {
    expect(resolveTargets("", ["a", "b"])).toEqual([0, 1]);
    expect(resolveTargets("b, 0", ["a", "b"])).toEqual([0, 1]);
    expect(() => resolveTargets("c", ["a", "b"])).toThrow(InputError);
  });

  for (const engine of wasmStepAvailable() ? (["js", "wasm"] as const) : (["js"] as const))
    for (const earlyStop of [false, true])
      it(`two disjoint subsets merge into the full fit: scores and edges (engine ${engine}, earlyStop ${earlyStop}: each target stops on its own)`, async () => {
        const s = ring(150, 2);
        const o = { maxLag: 2, seed: 5, checks: false, params: { epochs: 150, engine, earlyStop, patience: 2 } };
        const full = await tcdfMethod.discover(s, o);
        const a = await tcdfMethod.discover(s, { ...o, params: { ...o.params, targets: "0,1" } });
        const b = await tcdfMethod.discover(s, { ...o, params: { ...o.params, targets: "x2,x3,x4" } });
        for (let e = 0; e < 5; e++) {
          const [mine, other] = e < 2 ? [a, b] : [b, a];
          expect(mine.scores[e]).toEqual(full.scores[e]);
          expect(other.scores[e].flat().every((x) => x === 0)).toBe(true);
        }
        expect(full.scores.flat(2).some((x) => x > 0.1)).toBe(true);
        const names = (g: typeof full) => g.edges.map((x) => `${x.cause}>${x.effect}@${x.lag}`);
        expect([...names(a), ...names(b)].sort()).toEqual(names(full).sort());
      });
});
