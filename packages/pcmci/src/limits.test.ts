import { checkRun, InputError, LimitError, resolveParams } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { MAX_PC_ALPHAS, pcmciMethod, readPcAlpha } from "./method.js";

describe("pcmci's run estimate: the pcAlpha list is bounded and priced, and so is maxCombinations", () => {
  it("refuses a hostile list of levels up front, naming the bound", () => {
    const shape = { T: 500, V: 5, maxLag: 3 };
    const many = Array.from({ length: 100_000 }, () => "0.1").join(",");
    // checkRun: what the CLI and the server run before any work
    expect(() => checkRun(pcmciMethod, shape, { pcAlpha: many })).toThrow(InputError);
    expect(() => checkRun(pcmciMethod, shape, { pcAlpha: many })).toThrow(`pcAlpha lists at most ${MAX_PC_ALPHAS} levels (PC1 runs once per level), got 100000`);
    const most = Array.from({ length: MAX_PC_ALPHAS }, (_, i) => String((i + 1) / 100)).join(",");
    expect(() => checkRun(pcmciMethod, shape, { pcAlpha: most })).not.toThrow();
    expect(readPcAlpha(most)).toHaveLength(MAX_PC_ALPHAS);
  });

  it("estimates the work of one PC1 run per level (auto: tigramite's 6 levels)", () => {
    const shape = { T: 1000, V: 10, maxLag: 3 };
    const flops = (pcAlpha: string) => pcmciMethod.estimate!(shape, resolveParams(pcmciMethod.params, { pcAlpha }, "pcmci")).flops;
    expect(flops("auto")).toBe(6 * flops("0.2"));
    expect(flops("0.05,0.1")).toBe(2 * flops("0.2"));
    // a run just under the work limit with one level is refused with the longest list
    const limit = 1.5 * flops("0.2");
    expect(() => checkRun(pcmciMethod, shape, { pcAlpha: "0.2" }, { maxFlops: limit })).not.toThrow();
    expect(() => checkRun(pcmciMethod, shape, { pcAlpha: "0.05,0.1" }, { maxFlops: limit })).toThrow(LimitError);
  });

  it("prices PC1's maxCombinations (condition subsets tried per size): the estimate grows with it", () => {
    const shape = { T: 1000, V: 10, maxLag: 3 };
    const flops = (maxCombinations: number) => pcmciMethod.estimate!(shape, resolveParams(pcmciMethod.params, { maxCombinations }, "pcmci")).flops;
    expect(flops(10_000)).toBeGreaterThan(1000 * flops(1) * 0.5);
    expect(flops(2)).toBeGreaterThan(flops(1));
  });
});
