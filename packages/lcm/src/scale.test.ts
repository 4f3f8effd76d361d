import type { TimeSeries } from "@causeway/core";
import { generateVar } from "@causeway/synth";
import { describe, expect, it } from "vitest";
import { SCALE_TRANSFORMS, flatScores, transformSeries } from "@causeway/test-utils";
import { lcmMethod } from "./method.js";

const { series } = generateVar({ vars: 4, length: 300, maxLag: 2, seed: 4 });

describe("lcm at scale extremes (min-max normalisation is scale-invariant)", () => {
  it("scores x1e-12, x1e12, +1000, x1e300 and ±1.5e308 data as the original (float32 model: to 1e-4), warning `scale` at the extremes", async () => {
    const run = (s: TimeSeries) => lcmMethod.discover(s, { maxLag: 2, seed: 0, backend: "wasm" });
    const base = flatScores(await run(series));
    // confident and unconfident edges alike (one score everywhere would pass the comparisons below)
    expect(Math.max(...base) - Math.min(...base)).toBeGreaterThan(0.5);
    let scale = 0;
    for (const [name, f] of [
      ...SCALE_TRANSFORMS,
      ["x1.5e308 / max|x|", (x: number) => (x / 6) * 1.5e308],
    ] as const) {
      const g = await run(transformSeries(series, f));
      const diff = Math.max(...flatScores(g).map((v, i) => Math.abs(v - base[i])));
      expect(diff, name).toBeLessThan(1e-4);
      if (g.warnings?.some((w) => w.code === "scale")) scale++;
    }
    expect(scale).toBe(2);
  });
});
