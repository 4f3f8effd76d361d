import { describe, expect, it } from "vitest";
import { intFlag, joinNegativeValues, parse } from "./args.js";

const OPTIONS = { seed: { type: "string", short: "s" }, threshold: { type: "string" }, quiet: { type: "boolean", short: "q" } } as const;

describe("negative numbers are values, not flags", () => {
  it("joins a value-taking flag and a following negative number", () => {
    expect(joinNegativeValues(["--seed", "-5", "-q", "x.csv"], OPTIONS)).toEqual(["--seed=-5", "-q", "x.csv"]);
    expect(joinNegativeValues(["-s", "-0.5", "--threshold", "-.25", "--threshold", "-1e3"], OPTIONS)).toEqual(["-s-0.5", "--threshold=-.25", "--threshold=-1e3"]);
    // a boolean flag takes no value; a flag-looking word after a string flag stays a flag
    expect(joinNegativeValues(["-q", "-5"], OPTIONS)).toEqual(["-q", "-5"]);
    expect(joinNegativeValues(["--seed", "-q"], OPTIONS)).toEqual(["--seed", "-q"]);
  });

  it("parse reads --seed -5 and -s -5 as the value -5", () => {
    expect(parse(["--seed", "-5", "data.csv"], OPTIONS, "discover").values.seed).toBe("-5");
    expect(parse(["-s", "-5"], OPTIONS, "discover").values.seed).toBe("-5");
    expect(parse(["--threshold", "-0.5"], OPTIONS, "discover").values.threshold).toBe("-0.5");
  });

  it("seeds outside 0..2^31-1 get an error naming the range", () => {
    const seed = (v: string) => intFlag(parse(["--seed", v], OPTIONS, "discover").values.seed, "seed", 0, 0, 2 ** 31 - 1);
    expect(seed("7")).toBe(7);
    expect(seed("2147483647")).toBe(2147483647);
    expect(() => seed("-5")).toThrow("--seed must be between 0 and 2147483647, got -5");
    expect(() => seed("1e30")).toThrow("--seed must be between 0 and 2147483647, got 1e+30");
    expect(() => seed("2147483648")).toThrow("got 2147483648");
    expect(() => seed("1.5")).toThrow('--seed must be an integer, got "1.5"');
  });
});
