import { describe, expect, it } from "vitest";
import { choleskyInPlace, choleskySolveInPlace, choleskyWithJitter, invertLower, logDetFromCholesky } from "./linalg.js";

// A = L Lᵀ with L = [[2, 0, 0], [1, 3, 0], [-1, 1, 2]], factored by hand:
// l11 = √4 = 2, l21 = 2/2 = 1, l31 = -2/2 = -1, l22 = √(10 - 1) = 3, l32 = (2 - 1·(-1))/3 = 1, l33 = √(6 - 1 - 1) = 2.
const A = () => new Float64Array([4, 2, -2, 2, 10, 2, -2, 2, 6]); // [3, 3]
const L = [2, 0, 0, 1, 3, 0, -1, 1, 2];

describe("choleskyInPlace", () => {
  it("factors a 3 x 3 SPD matrix into the hand-computed L, zeroing the upper triangle", () => {
    const a = A();
    a[1] = 99; // the strict upper triangle is not read
    expect(choleskyInPlace(a, 3)).toBe(true);
    expect(Array.from(a)).toEqual(L);
  });

  it("returns false for an indefinite matrix (eigenvalues 3 and -1)", () => {
    expect(choleskyInPlace(new Float64Array([1, 2, 2, 1]), 2)).toBe(false);
  });
});

describe("choleskyWithJitter", () => {
  it("needs no ridge for an SPD matrix and leaves the input alone", () => {
    const a = A();
    const { L: f, ridge } = choleskyWithJitter(a, 3);
    expect(ridge).toBe(0);
    expect(Array.from(f)).toEqual(L);
    expect(Array.from(a)).toEqual(Array.from(A()));
  });

  it("adds the smallest ridge, 1e-12 x mean diagonal, to a singular matrix", () => {
    const { L: f, ridge } = choleskyWithJitter(new Float64Array([1, 1, 1, 1]), 2);
    expect(ridge).toBe(1e-12);
    // (L Lᵀ)_11 = 1 + 1e-12
    expect(f[0] * f[0]).toBeCloseTo(1 + 1e-12, 15);
    expect(f[2] * f[0]).toBeCloseTo(1, 15);
  });

  it("throws when even a ridge of 1e-2 x mean diagonal leaves it indefinite", () => {
    expect(() => choleskyWithJitter(new Float64Array([1, 2, 2, 1]), 2)).toThrow("not positive definite");
  });
});

describe("choleskySolveInPlace", () => {
  it("solves A X = B for two right-hand sides", () => {
    // X = [[1, 0], [-1, 1], [2, 0.5]] -> B = A X = [[-2, 1], [-4, 11], [8, 5]]
    const b = new Float64Array([-2, 1, -4, 11, 8, 5]); // [3, 2]
    choleskySolveInPlace(new Float64Array(L), 3, b, 2);
    const x = [1, 0, -1, 1, 2, 0.5];
    for (let i = 0; i < 6; i++) expect(b[i]).toBeCloseTo(x[i], 14);
  });
});

describe("invertLower and logDetFromCholesky", () => {
  it("inverts L (L L⁻¹ = I) and gives ln det A = ln 144", () => {
    const inv = invertLower(new Float64Array(L), 3);
    // L⁻¹ by hand: [[1/2, 0, 0], [-1/6, 1/3, 0], [1/3, -1/6, 1/2]]
    const want = [1 / 2, 0, 0, -1 / 6, 1 / 3, 0, 1 / 3, -1 / 6, 1 / 2];
    for (let i = 0; i < 9; i++) expect(inv[i]).toBeCloseTo(want[i], 15);
    expect(logDetFromCholesky(new Float64Array(L), 3)).toBeCloseTo(Math.log(144), 14);
  });
});
