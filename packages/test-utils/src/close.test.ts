import { describe, expect, it } from "vitest";
import { expectClose, firstMismatch } from "./close.js";

describe("firstMismatch", () => {
  it("accepts a last-bit difference and names the path of a real one", () => {
    expect(firstMismatch([[0.00005716737395093272]], [[0.00005716737395093273]])).toBeNull();
    expect(firstMismatch({ a: [1, 2, 3] }, { a: [1, 2, 3.001] })).toMatch(/^\$\.a\[2\]: 3 vs 3\.001/);
    expect(firstMismatch([1, 2], [1, 2, 3])).toBe("$: length 2 vs 3");
    expect(firstMismatch({ cause: "x" }, { cause: "y" })).toBe('$.cause: "x" vs "y"');
    expect(firstMismatch(NaN, NaN)).toBeNull();
    expect(firstMismatch(NaN, 0)).toBe("$: NaN vs 0");
    expect(firstMismatch(0, 1e-300)).not.toBeNull();
    expect(firstMismatch(new Float32Array([1, 2]), [1, 2])).toBeNull();
  });
  it("expectClose throws on a mismatch beyond the tolerance", () => {
    expect(() => expectClose([1], [1 + 1e-6])).toThrow(/relative difference/);
    expect(() => expectClose([1], [1 + 1e-12])).not.toThrow();
  });
});
