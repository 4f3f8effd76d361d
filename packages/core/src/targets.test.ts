import { describe, expect, it } from "vitest";
import { InputError } from "./errors.js";
import { resolveTargets } from "./targets.js";

describe("resolveTargets", () => {
  it("reads names and 0-based indices, ascending and distinct; empty means every variable", () => {
    expect(resolveTargets("", ["a", "b", "c"])).toEqual([0, 1, 2]);
    expect(resolveTargets(undefined, ["a", "b"])).toEqual([0, 1]);
    expect(resolveTargets("c, 0, a", ["a", "b", "c"])).toEqual([0, 2]);
    expect(resolveTargets([1, 1], ["a", "b", "c"])).toEqual([1]);
  });
  it("refuses an unknown name or an index out of range, saying what to give", () => {
    expect(() => resolveTargets("3", ["a", "b", "c"])).toThrow(InputError);
    expect(() => resolveTargets("d", ["a", "b", "c"])).toThrow(/comma-separated list/);
  });
});
