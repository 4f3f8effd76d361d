import { describe, expect, it } from "vitest";
import type { Discoverer } from "./discoverer.js";
import { InputError } from "./errors.js";
import { checkRun, DEFAULT_RUN_LIMITS, formatBytes, LimitError, runLimits } from "./limits.js";
import { corrMethod } from "./methods/corr.js";
import { Rng } from "./random.js";
import type { TimeSeries } from "./types.js";

function noise(T: number, V: number, seed = 1): TimeSeries {
  const rng = new Rng(seed);
  const data = new Float64Array(T * V);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return { variables: Array.from({ length: V }, (_, v) => `x${v}`), length: T, data };
}

describe("runLimits", () => {
  it("takes given values over the environment over the defaults, and names a bad variable", () => {
    expect(runLimits({}, {})).toEqual(DEFAULT_RUN_LIMITS);
    expect(runLimits({}, { CAUSEWAY_MAX_RUN_BYTES: "2e9", CAUSEWAY_MAX_RUN_FLOPS: "1e12" })).toEqual({ maxBytes: 2e9, maxFlops: 1e12, maxScores: 5e6 });
    expect(runLimits({ maxBytes: 1e6 }, { CAUSEWAY_MAX_RUN_BYTES: "2e9" }).maxBytes).toBe(1e6);
    expect(() => runLimits({}, { CAUSEWAY_MAX_RUN_BYTES: "lots" })).toThrow(/CAUSEWAY_MAX_RUN_BYTES must be a number > 0, got "lots"/);
    expect(() => runLimits({ maxFlops: 0 })).toThrow(InputError);
  });

  it("formats byte counts with two significant digits", () => {
    expect(formatBytes(5.4e9)).toBe("5.4 GB");
    expect(formatBytes(4e9)).toBe("4 GB");
    expect(formatBytes(123_456)).toBe("120 kB");
    expect(formatBytes(12)).toBe("12 B");
  });
});

describe("checkRun (corr)", () => {
  it("refuses corr on T = maxLag + 2 with the minimum and why", async () => {
    const s = noise(5, 3);
    await expect(corrMethod.discover(s, { maxLag: 3 })).rejects.toThrow("corr needs at least 13 rows for 3 variables at maxLag 3 (10 pairs per correlation); the series has T = 5");
  });

  it("warns short_series just above the minimum, and not on a comfortable series", async () => {
    // comfortable for V = 3, maxLag = 3: 3 + ceil(2 ln 27 / 0.09) = 3 + 74 = 77 rows
    expect(corrMethod.samplesNeeded!({ V: 3, maxLag: 3 }, {})).toEqual({ min: 13, comfortable: 77, why: "10 pairs per correlation" });
    const short = await corrMethod.discover(noise(13, 3), { maxLag: 3 });
    expect(short.warnings).toHaveLength(1);
    expect(short.warnings![0].code).toBe("short_series");
    expect(short.warnings![0].message).toMatch(/^13 rows for 3 variables at maxLag 3: corr needs about 77/);
    const justShort = await corrMethod.discover(noise(76, 3), { maxLag: 3 });
    expect(justShort.warnings?.map((w) => w.code)).toEqual(["short_series"]);
    const fine = await corrMethod.discover(noise(77, 3), { maxLag: 3 });
    // every check ran and passed
    expect(fine.warnings).toEqual([]);
  });

  it("refuses a huge maxLag on a wide series with the estimate and the limit, before allocating", () => {
    // 200 x 300 with maxLag 150: 300·300·150 = 1.35e7 triples at 400 B each plus the inputs: ~5.4 GB
    const e = corrMethod.estimate!({ T: 200, V: 300, maxLag: 150 }, {});
    expect(e.bytes).toBeCloseTo(1.35e7 * 400 + 2 * 200 * 300 * 8 + 301 * 50 * 8, 0);
    // only the shape is needed: no 200 x 300 series exists here (default limits: 4 GB)
    let err: unknown;
    try {
      checkRun(corrMethod, { T: 200, V: 300, maxLag: 150 }, {}, {});
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(LimitError);
    expect(err).toBeInstanceOf(InputError);
    expect((err as LimitError).message).toBe("corr on 200 x 300 with maxLag 150 needs ~5.4 GB, over the 4 GB limit (CAUSEWAY_MAX_RUN_BYTES / --max-memory)");
    expect((err as LimitError).limit).toBe("maxBytes");
    // under a larger memory limit the score count still refuses it: 1.35e7 triples > 5e6
    expect(() => checkRun(corrMethod, { T: 200, V: 300, maxLag: 150 }, {}, { maxBytes: 1e10 })).toThrow(
      "corr on 200 x 300 with maxLag 150 scores 1.4e+7 (effect, cause, lag) triples, over the limit of 5e+6 (the graph's JSON would overflow a JavaScript string); use fewer variables or a smaller maxLag",
    );
  });

  it("refuses a run over the work limit, through discover's options.limits", async () => {
    // 2·V²·maxLag·n + 4·V·(maxLag + 1)·n with n = 97: 5238 + 4656 = 9894
    expect(corrMethod.estimate!({ T: 100, V: 3, maxLag: 3 }, {}).flops).toBe(9894);
    await expect(corrMethod.discover(noise(100, 3), { maxLag: 3, limits: { maxFlops: 1000 } })).rejects.toThrow(
      "corr on 100 x 3 with maxLag 3 needs ~9.9e+3 floating-point operations, over the 1e+3 limit (CAUSEWAY_MAX_RUN_FLOPS / --max-flops)",
    );
  });

  it("resolves params with their bounds and falls back to maxLag + 2 without samplesNeeded", () => {
    const m: Discoverer = {
      name: "fake",
      description: "",
      usesTensors: false,
      lagResolved: true,
      defaultThreshold: 0.5,
      params: [{ name: "epochs", type: "integer", default: 10, min: 1, max: 1e5, description: "" }],
      discover: () => Promise.reject(new Error("unused")),
    };
    expect(() => checkRun(m, { T: 50, V: 2, maxLag: 3 }, { epochs: 1e12 })).toThrow('fake parameter "epochs" must be <= 100000, got 1000000000000');
    expect(() => checkRun(m, { T: 4, V: 2, maxLag: 3 }, {})).toThrow("fake needs at least 5 rows for 2 variables at maxLag 3 (maxLag + 2); the series has T = 4");
    expect(checkRun(m, { T: 5, V: 2, maxLag: 3 }, {}).warnings).toEqual([]);
  });
});
