import { type TimeSeries } from "@causeway/core";
import { generateVar } from "@causeway/synth";
import { describe, expect, it } from "vitest";
import { SCALE_TRANSFORMS, flatScores, transformSeries } from "@causeway/test-utils";
import { transformerMethod } from "./discover.js";

const { series } = generateVar({ vars: 3, length: 150, maxLag: 2, seed: 6 });
const SMALL = { dModel: 8, heads: 2, layers: 1, ffHidden: 8, epochs: 3, samples: 16 };

describe("transformer at scale extremes (it z-scores its input)", () => {
  it("scores x1e-12, x1e12, +1000 and x1e300 data as the original (float32 training: to 1e-3), warning `scale` at 1e300 only", async () => {
    const run = (s: TimeSeries) => transformerMethod.discover(s, { maxLag: 2, seed: 0, backend: "wasm", params: SMALL });
    const base = flatScores(await run(series));
    // the scores must spread far beyond the 1e-3 tolerance, or equal scores would pass the comparisons below
    expect(Math.max(...base) - Math.min(...base)).toBeGreaterThan(0.1);
    for (const [name, f] of SCALE_TRANSFORMS) {
      const g = await run(transformSeries(series, f));
      const diff = Math.max(...flatScores(g).map((v, i) => Math.abs(v - base[i])));
      expect(diff, name).toBeLessThan(1e-3);
      expect((g.warnings ?? []).some((w) => w.code === "scale"), name).toBe(name === "x1e300");
    }
  });
});
