import { checkRun, InputError, LimitError, resolveParams, type TimeSeries } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { ALL_METHODS } from "./index.js";

const defaults = (m: (typeof ALL_METHODS)[number]) => resolveParams(m.params, {}, m.name);

describe("resource declarations of every shipped method", () => {
  it("gives every numeric param a finite min and max around its default, named in its description", () => {
    for (const m of ALL_METHODS)
      for (const p of m.params) {
        if (p.type !== "number" && p.type !== "integer") continue;
        const where = `${m.name}.${p.name}`;
        expect(Number.isFinite(p.min), `${where} min`).toBe(true);
        expect(Number.isFinite(p.max), `${where} max`).toBe(true);
        expect(p.min! <= (p.default as number) && (p.default as number) <= p.max!, `${where} default within bounds`).toBe(true);
        // the largest value resolves; one step beyond is refused with the bound in the message
        expect(resolveParams(m.params, { [p.name]: p.max }, m.name)[p.name]).toBe(p.max);
        expect(() => resolveParams(m.params, { [p.name]: p.max! * 2 + 1 }, m.name)).toThrow(`${m.name} parameter "${p.name}" must be <= ${p.max}`);
      }
  });

  it("refuses tcdf epochs 1e12 and cmlp hidden 1e8 up front, naming the bound", () => {
    const tcdf = ALL_METHODS.find((m) => m.name === "tcdf")!;
    const cmlp = ALL_METHODS.find((m) => m.name === "cmlp")!;
    expect(() => resolveParams(tcdf.params, { epochs: 1e12 }, "tcdf")).toThrow('tcdf parameter "epochs" must be <= 100000, got 1000000000000');
    expect(() => resolveParams(cmlp.params, { hidden: "1e8" }, "cmlp")).toThrow('cmlp parameter "hidden" must be <= 1024, got 100000000');
    // through the central check too (what the server runs at submission)
    expect(() => checkRun(tcdf, { T: 500, V: 5, maxLag: 3 }, { epochs: 1e12 })).toThrow(InputError);
    // a numeric value in a string param (cmlp's fixed lambda) is bounded too
    expect(() => checkRun(cmlp, { T: 500, V: 5, maxLag: 3 }, { lambda: "1e300" })).toThrow('lambda must be "auto" or a number in 0..1000000, got "1e300"');
    expect(() => checkRun(cmlp, { T: 500, V: 5, maxLag: 3 }, { lambda: "0.1" })).not.toThrow();
  });

  it("declares estimate and samplesNeeded, growing with V and maxLag", () => {
    for (const m of ALL_METHODS) {
      expect(m.estimate, m.name).toBeTypeOf("function");
      expect(m.samplesNeeded, m.name).toBeTypeOf("function");
      const p = defaults(m);
      const small = m.estimate!({ T: 1000, V: 5, maxLag: 2 }, p);
      const wider = m.estimate!({ T: 1000, V: 20, maxLag: 2 }, p);
      const deeper = m.estimate!({ T: 1000, V: 5, maxLag: 8 }, p);
      for (const e of [small, wider, deeper]) expect(e.bytes > 0 && e.flops > 0 && Number.isFinite(e.bytes) && Number.isFinite(e.flops), m.name).toBe(true);
      expect(wider.bytes, `${m.name} bytes in V`).toBeGreaterThan(small.bytes);
      expect(wider.flops, `${m.name} flops in V`).toBeGreaterThan(small.flops);
      expect(deeper.bytes, `${m.name} bytes in maxLag`).toBeGreaterThan(small.bytes);
      expect(deeper.flops, `${m.name} flops in maxLag`).toBeGreaterThanOrEqual(small.flops);
      const need = (V: number, maxLag: number) => m.samplesNeeded!({ V, maxLag }, p);
      for (const [V, L] of [[2, 1], [5, 3], [40, 3], [40, 10]]) {
        const n = need(V, L);
        expect(n.min, `${m.name} min >= maxLag + 2`).toBeGreaterThanOrEqual(L + 2);
        expect(n.comfortable, `${m.name} comfortable >= min`).toBeGreaterThanOrEqual(n.min);
        expect(n.why.length, m.name).toBeGreaterThan(0);
      }
      expect(need(40, 3).comfortable, `${m.name} comfortable in V`).toBeGreaterThan(need(5, 3).comfortable);
      expect(need(40, 10).comfortable, `${m.name} comfortable in maxLag`).toBeGreaterThanOrEqual(need(40, 3).comfortable);
    }
  });

  it("refuses T = maxLag + 2 in every method before any work, naming the minimum", async () => {
    const T = 5;
    const series: TimeSeries = { variables: ["a", "b", "c"], length: T, data: Float64Array.from({ length: T * 3 }, (_, i) => Math.sin(i * 1.7)) };
    for (const m of ALL_METHODS) {
      const min = m.samplesNeeded!({ V: 3, maxLag: 3 }, defaults(m)).min;
      await expect(m.discover(series, { maxLag: 3, backend: "cpu" }), m.name).rejects.toThrow(`${m.name} needs at least ${min} rows for 3 variables at maxLag 3`);
    }
  });

  it("refuses every method on a 200 x 300 series with maxLag 150 by the estimate alone", () => {
    for (const m of ALL_METHODS) {
      const err = (() => {
        try {
          checkRun(m, { T: 200, V: 300, maxLag: 150 }, {}, { maxScores: 1e9 });
        } catch (e) {
          return e;
        }
      })();
      expect(err, m.name).toBeInstanceOf(LimitError);
      expect((err as Error).message, m.name).toMatch(new RegExp(`^${m.name} on 200 x 300 with maxLag 150 needs ~`));
    }
  });
});
