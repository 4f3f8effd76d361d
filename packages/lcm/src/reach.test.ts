import { prepareRun } from "@causeway/core";
import { generateVar } from "@causeway/synth";
import { describe, expect, it } from "vitest";
import { lcmMethod } from "./method.js";

const v1 = { model: "lcm-v12-l3" };

describe("lcm's reach: the default v2 model was trained on lags 1..10 and up to 20 variables", () => {
  it("warns nothing within reach, lag_beyond_reach beyond lag 10 and too_many_variables beyond 20", () => {
    const { series } = generateVar({ vars: 5, length: 800, maxLag: 3, seed: 0 });
    expect(prepareRun(lcmMethod, series, { maxLag: 10 }).warnings).toEqual([]);
    expect(prepareRun(lcmMethod, series, { maxLag: 12 }).warnings.map((w) => w.code)).toEqual(["lag_beyond_reach"]);
    const wide = generateVar({ vars: 22, length: 800, maxLag: 1, seed: 0 }).series;
    expect(prepareRun(lcmMethod, wide, { maxLag: 1 }).warnings.map((w) => w.code)).toEqual(["too_many_variables"]);
  });
});

describe("lcm's reach: the shipped v1 model (by name) scores lags 1..3", () => {
  it("warns nothing on stationary VARs within reach (five seeds) and lag_beyond_reach for maxLag 5", () => {
    for (const seed of [0, 1, 2, 3, 4]) {
      const { series } = generateVar({ vars: 5, length: 500, maxLag: 3, seed });
      expect(prepareRun(lcmMethod, series, { maxLag: 3, params: v1 }).warnings, `seed ${seed}`).toEqual([]);
      const beyond = prepareRun(lcmMethod, series, { maxLag: 5, params: v1 }).warnings;
      expect(beyond.map((w) => w.code)).toEqual(["lag_beyond_reach"]);
      expect(beyond[0].message).toMatch(/^lcm scores lags 1..3 with these settings, but maxLag is 5: scores at lags 4..5 are not evidence .* lower maxLag to 3/);
    }
  });

  it("a discovery at maxLag 5 carries the warning and meta.reach, scores 0 beyond lag 3; strict refuses it", async () => {
    const { series } = generateVar({ vars: 4, length: 300, maxLag: 2, seed: 4 });
    const g = await lcmMethod.discover(series, { maxLag: 5, seed: 0, backend: "cpu", params: v1 });
    expect(g.warnings!.map((w) => w.code)).toEqual(["lag_beyond_reach"]);
    expect(g.meta.reach).toEqual({ maxLag: 3 });
    for (const row of g.scores) for (const lags of row) expect(lags.slice(3)).toEqual([0, 0]);
    await expect(lcmMethod.discover(series, { maxLag: 5, strict: true, params: v1 })).rejects.toThrow(/lags 4..5 are not evidence/);
  });
});
