import { describe, expect, it } from "vitest";
import { LAMBDA_REF, LambdaPath } from "./path.js";

describe("LambdaPath", () => {
  it("ranks groups by the last λ at which they were non-zero, then by their norm there", () => {
    // one target, three input series, one lag
    const path = new LambdaPath(1, 3, 1, 0.01, 2, 4);
    expect(path.lambda(2)).toBeCloseTo(0.04, 15);
    expect(path.record(0, [1, 0.5, 0.2])).toBe(3);
    expect(path.record(1, [0.9, 0.3, 0])).toBe(2);
    expect(path.record(2, [0.8, 0, 0])).toBe(1);
    const s = path.scores();
    // series 0: last alive at step 2 (λ = 0.04) with ν = 1; series 1: step 1, ν = 1/3; series 2: step 0, ν = 0.2
    const score = (lam: number): number => lam / (lam + LAMBDA_REF);
    expect(s[0]).toBeCloseTo(score(0.04 * 2), 15);
    expect(s[1]).toBeCloseTo(score(0.02 * 2 ** (0.3 / 0.9)), 15);
    expect(s[2]).toBeCloseTo(score(0.01 * 2 ** 0.2), 15);
    expect(LambdaPath.lambdaAtScore(s[1])).toBeCloseTo(0.02 * 2 ** (1 / 3), 15);
    expect(s[0]).toBeGreaterThan(s[1]);
    expect(s[1]).toBeGreaterThan(s[2]);
  });

  it("scores groups that were never non-zero 0", () => {
    const path = new LambdaPath(2, 2, 2, 0.1, 1.5, 3);
    path.record(0, [1, 0, 0, 0, 0, 0, 2, 2]);
    expect(Array.from(path.scores()).map((x) => x > 0)).toEqual([true, false, false, false, false, false, true, true]);
  });
});
