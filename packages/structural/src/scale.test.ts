import { type Discoverer, InputError, type TimeSeries } from "@causeway/core";
import { generateSvar } from "@causeway/synth";
import { describe, expect, it } from "vitest";
import { dynotearsMethod, varlingamMethod } from "./methods.js";

const { series } = generateSvar({ vars: 4, length: 300, maxLag: 2, seed: 3, noise: "laplace" });
const CASES: [string, (x: number) => number][] = [
  ["x1e-12", (x) => x * 1e-12],
  ["x1e12", (x) => x * 1e12],
  ["+1000", (x) => x + 1000],
  ["x1e300", (x) => x * 1e300],
  ["x1e-300", (x) => x * 1e-300],
];
const EXTREME = new Set(["x1e300", "x1e-300"]);
const scaled = (f: (x: number) => number): TimeSeries => ({ ...series, data: series.data.map(f) });
/** Lagged scores then lag-0 scores, one flat list. */
const flat = (g: Awaited<ReturnType<Discoverer["discover"]>>) => [...g.scores.flat(2), ...(g.contemporaneous?.flat() ?? [])];

/** Scores (|B| in standardized units) on each transformed series equal the original's to `tol`; `scale` is warned at the extremes only. */
async function expectScaleFree(method: Discoverer, tol: number): Promise<void> {
  const run = (s: TimeSeries) => method.discover(s, { maxLag: 2 });
  const base = flat(await run(series));
  expect(Math.max(...base)).toBeGreaterThan(100 * tol); // planted effects score far above the tolerance
  for (const [name, f] of CASES) {
    const g = await run(scaled(f));
    const diff = Math.max(...flat(g).map((v, i) => Math.abs(v - base[i])));
    expect(diff, name).toBeLessThan(tol);
    expect((g.warnings ?? []).filter((w) => w.code === "scale").length, name).toBe(EXTREME.has(name) ? 1 : 0);
  }
}

describe("scale extremes: structural scores do not depend on units or offset", () => {
  it("varlingam (x1e300 gave all-zero scores and x1e-300 'constant variable' before zscoreData's power-of-two rescaling)", async () => {
    await expectScaleFree(varlingamMethod, 1e-9);
  });
  it("dynotears (the same fixes)", async () => {
    await expectScaleFree(dynotearsMethod, 1e-4); // z-scores equal to rounding; the L-BFGS stop (causalnex-like) leaves ~1e-5
  });
  it("refuses extreme magnitudes with standardize=false (raw squares overflow), naming the way out", async () => {
    for (const method of [varlingamMethod, dynotearsMethod])
      for (const k of [1e300, 1e-300]) {
        const run = method.discover(scaled((x) => x * k), { maxLag: 2, params: { standardize: false } });
        await expect(run, method.name).rejects.toThrow(InputError);
        await expect(run, method.name).rejects.toThrow(`${method.name} with standardize=false fits the raw values, and x0, x1, x2, x3 have magnitudes beyond`);
      }
  });
});
