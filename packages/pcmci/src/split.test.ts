// PCMCI / PCMCI+ split over targets (stages through an executor) equal the serial runs exactly.
import { runStage, type CausalGraph, type StageExecutor } from "@causeway/core";
import { maskAtRandom } from "@causeway/test-utils";
import { generateSvar, generateVar } from "@causeway/synth";
import { describe, expect, it } from "vitest";
import { pcmciMethod, pcmciplusMethod } from "./method.js";
import { dealTargets } from "./split.js";

/** An executor that runs each stage here, recording the payloads' targets per call. */
function inline(parallelism: number, calls: { stage: string; targets: number[] }[] = []): StageExecutor {
  const methods = { pcmci: pcmciMethod, pcmciplus: pcmciplusMethod };
  return {
    parallelism,
    run: async (method, stage, series, payloads) =>
      payloads.map((p) => {
        const part = p as { targets?: number[]; vars?: number[] };
        calls.push({ stage, targets: part.targets ?? part.vars! });
        // a structured clone, as a thread would receive it
        return runStage(methods[method as keyof typeof methods], stage, series, structuredClone(p));
      }),
  };
}


/** Everything but the timing equals (p-values, scores, edges, lag-0 links, parents, meta). */
function expectSame(split: CausalGraph, serial: CausalGraph): void {
  expect(split.pvalues).toEqual(serial.pvalues);
  expect(split.scores).toEqual(serial.scores);
  expect(split.edges).toEqual(serial.edges);
  expect(split.contemporaneous).toEqual(serial.contemporaneous);
  const { seconds: _a, ...a } = split.meta;
  const { seconds: _b, ...b } = serial.meta;
  expect(a).toEqual(b);
}

describe("pcmci split over targets", () => {
  it("deals targets round-robin into non-empty parts", () => {
    expect(dealTargets(5, 2)).toEqual([[0, 2, 4], [1, 3]]);
    expect(dealTargets(2, 4)).toEqual([[0], [1]]);
    expect(dealTargets(3, 1)).toEqual([[0, 1, 2]]);
  });

  const { series, truth } = generateVar({ vars: 7, length: 600, maxLag: 2, seed: 5 });

  it("the correlation matrix, PC1 and MCI in 3 parts give the serial graph, p-value for p-value", async () => {
    const calls: { stage: string; targets: number[] }[] = [];
    const options = { maxLag: 2, params: { pcAlpha: "0.2" } };
    const serial = await pcmciMethod.discover(series, options);
    const split = await pcmciMethod.discover(series, { ...options, executor: inline(3, calls) });
    expectSame(split, serial);
    expect(calls).toEqual([
      { stage: "gram", targets: [0, 3, 6] },
      { stage: "gram", targets: [1, 4] },
      { stage: "gram", targets: [2, 5] },
      { stage: "pc1", targets: [0, 3, 6] },
      { stage: "pc1", targets: [1, 4] },
      { stage: "pc1", targets: [2, 5] },
      { stage: "mci", targets: [0, 3, 6] },
      { stage: "mci", targets: [1, 4] },
      { stage: "mci", targets: [2, 5] },
    ]);
    // a real result: every true link among the edges
    const found = new Set(serial.edges.map((e) => `${e.cause}>${e.effect}@${e.lag}`));
    for (const e of truth.edges) expect(found.has(`${e.cause}>${e.effect}@${e.lag}`)).toBe(true);
  });

  it("lag 0, pcAlpha by AIC, prior knowledge, robust ParCorr and missing cells split the same", async () => {
    const cases = [
      { s: series, params: { tauMin: 0, pcAlpha: "auto", links: "x0->x1:1,!x2->x3" } },
      { s: series, params: { test: "robust_parcorr", maxCondsPx: 1 } },
      { s: maskAtRandom(series, 0.05, 2), params: { tauMin: 0 } },
    ];
    for (const { s, params } of cases) {
      const serial = await pcmciMethod.discover(s, { maxLag: 2, params });
      expectSame(await pcmciMethod.discover(s, { maxLag: 2, params, executor: inline(2) }), serial);
      expect(serial.pvalues!.flat(2).some((p) => p < 1e-6)).toBe(true);
    }
  });

  it("PCMCI+ with its matrix and PC1 phase split gives the serial graph, lag-0 orientation included", async () => {
    const svar = generateSvar({ vars: 6, length: 800, maxLag: 2, seed: 3, instantaneousDensity: 0.4 });
    const calls: { stage: string; targets: number[] }[] = [];
    const serial = await pcmciplusMethod.discover(svar.series, { maxLag: 2 });
    const split = await pcmciplusMethod.discover(svar.series, { maxLag: 2, executor: inline(2, calls) });
    expectSame(split, serial);
    expect(calls.map((c) => c.stage)).toEqual(["gram", "gram", "pc1", "pc1"]);
    expect(serial.edges.some((e) => e.lag === 0 && e.orientation === "directed")).toBe(true);
  });
});
