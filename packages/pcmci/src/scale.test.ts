import { type Discoverer, type TimeSeries } from "@causeway/core";
import { generateVar } from "@causeway/synth";
import { SCALE_TRANSFORMS, flatScores, transformSeries } from "@causeway/test-utils";
import { describe, expect, it } from "vitest";
import { pcmciMethod, pcmciplusMethod } from "./method.js";

const { series } = generateVar({ vars: 4, length: 300, maxLag: 2, seed: 3 });
/** The shared transforms plus 1e-300, whose squares underflow. */
const CASES = [...SCALE_TRANSFORMS, ["x1e-300", (x: number) => x * 1e-300] as const];
const EXTREME = new Set(["x1e300", "x1e-300"]);

/** Scores (-log10 p) on each transformed series equal the original's to a relative `tol`; `scale` is warned at the extremes only. */
async function expectScaleFree(method: Discoverer, params: Record<string, unknown>, tol: number): Promise<void> {
  const run = (s: TimeSeries) => method.discover(s, { maxLag: 2, seed: 1, params });
  const base = flatScores(await run(series));
  // strong and absent links alike: the scores spread over many units of -log10 p
  expect(Math.max(...base) - Math.min(...base)).toBeGreaterThan(10);
  for (const [name, f] of CASES) {
    const g = await run(transformSeries(series, f));
    const diff = Math.max(...flatScores(g).map((v, i) => Math.abs(v - base[i]) / Math.max(1, Math.abs(base[i]))));
    expect(diff, name).toBeLessThan(tol);
    expect((g.warnings ?? []).filter((w) => w.code === "scale").length, name).toBe(EXTREME.has(name) ? 1 : 0);
  }
}

describe("scale extremes: pcmci and pcmciplus scores do not depend on units or offset", () => {
  it("pcmci with parcorr (x1e300 gave p = 1 everywhere before the power-of-two rescaling)", async () => {
    await expectScaleFree(pcmciMethod, {}, 1e-6);
  });
  it("pcmciplus with robust_parcorr", async () => {
    await expectScaleFree(pcmciplusMethod, { test: "robust_parcorr" }, 1e-6);
  });
});
