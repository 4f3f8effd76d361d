import { type Discoverer, type TimeSeries } from "@causeway/core";
import { generateVar } from "@causeway/synth";
import { describe, expect, it } from "vitest";
import { SCALE_TRANSFORMS, flatScores, transformSeries } from "@causeway/test-utils";
import { clstmMethod } from "./clstm.js";
import { cmlpMethod } from "./cmlp.js";
import { varMethod } from "./var.js";

const { series } = generateVar({ vars: 4, length: 200, maxLag: 2, seed: 3 });
const CASES = SCALE_TRANSFORMS;

/** Scores on each transformed series equal the original's to `tol`; `scale` is warned at 1e300 only. */
async function expectScaleFree(method: Discoverer, params: Record<string, unknown>, tol: number): Promise<void> {
  const run = (s: TimeSeries) => method.discover(s, { maxLag: 2, seed: 1, backend: "cpu", params });
  const base = flatScores(await run(series));
  // the scores must spread far beyond tol, or equal (or near-equal) scores would pass the comparisons below
  expect(Math.max(...base) - Math.min(...base)).toBeGreaterThan(100 * tol);
  for (const [name, f] of CASES) {
    const g = await run(transformSeries(series, f));
    const diff = Math.max(...flatScores(g).map((v, i) => Math.abs(v - base[i])));
    expect(diff, name).toBeLessThan(tol);
    expect((g.warnings ?? []).filter((w) => w.code === "scale").length, name).toBe(name === "x1e300" ? 1 : 0);
  }
}

describe("scale extremes: scores do not depend on units or offset", () => {
  it("var (F-tests are scale-invariant; exact power-of-two rescaling keeps x1e300 finite)", async () => {
    await expectScaleFree(varMethod, {}, 1e-9);
  });
  it("cmlp (z-scores its input)", async () => {
    await expectScaleFree(cmlpMethod, { hidden: 4, pathSteps: 3, warmupIters: 30, stepIters: 10 }, 1e-4);
  });
  it("clstm (z-scores its input)", async () => {
    await expectScaleFree(clstmMethod, { hidden: 4, pathSteps: 2, warmupIters: 15, stepIters: 5 }, 1e-4);
  });
});
