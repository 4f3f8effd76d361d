import { describe, expect, it } from "vitest";
import { attentionCandidates, discoverDelay, hardSoftmax, kernelOffset, offsetProfile, pivmIsCause } from "./selection.js";

describe("attentionCandidates (the largest-gap rule of §4.2)", () => {
  it("cuts at the largest gap in the first half", () => {
    // sorted: 2.5 2.4 | 1.2 1.1 0.9 0.8 0.5; gaps in the first half (q < 3): 0.1, 1.2, 0.1
    expect(attentionCandidates([1.2, 2.4, 0.9, 2.5, 0.5, 1.1, 0.8])).toEqual({ tau: 2.4, indices: [3, 1] });
  });

  it("ignores a larger gap in the second half", () => {
    // V = 5: only gaps q = 0, 1 count (0.1 each, the first wins); the 2.7 gap at q = 3 does not
    expect(attentionCandidates([3.0, 2.9, 2.8, 2.7, 0.0])).toEqual({ tau: 3.0, indices: [0] });
  });

  it("lets only scores >= 1 sit above the gap", () => {
    // 1.5 >= 1, then 0.9 < 1: the only gap is q = 0, although 0.9 - 0.2 would be larger
    expect(attentionCandidates([0.9, 1.5, 0.2, 0.1, 0.05])).toEqual({ tau: 1.5, indices: [1] });
  });

  it("finds no candidate when every score is below 1", () => {
    expect(attentionCandidates([0.99, 0.5, -1])).toEqual({ tau: null, indices: [] });
  });

  it("keeps ties with tau and handles one series", () => {
    expect(attentionCandidates([2, 2, 1, 0.5, 0.4])).toEqual({ tau: 2, indices: [0, 1] });
    expect(attentionCandidates([1.3])).toEqual({ tau: 1.3, indices: [0] });
    expect(attentionCandidates([0.7])).toEqual({ tau: null, indices: [] });
  });
});

describe("hardSoftmax", () => {
  it("is the softmax with the scores below tau truncated to zero", () => {
    const z = Math.exp(1) + Math.exp(2) + Math.exp(0);
    const h = hardSoftmax([1, 2, 0], 1);
    expect(h[0]).toBeCloseTo(Math.exp(1) / z, 14);
    expect(h[1]).toBeCloseTo(Math.exp(2) / z, 14);
    expect(h[2]).toBe(0);
    expect(Array.from(hardSoftmax([1, 2], null))).toEqual([0, 0]);
  });

  it("does not overflow on large scores", () => {
    const h = hardSoftmax([1000, 999], 999);
    expect(h[0] + h[1]).toBeCloseTo(1, 12);
  });
});

describe("pivmIsCause (§4.3)", () => {
  // training took the loss from 1.0 to 0.5, a decrease of 0.5; significance 0.8 -> threshold 0.4
  it("validates a candidate whose permutation undoes more than 20% of the decrease", () => {
    expect(pivmIsCause(1.0, 0.5, 0.65, 0.8)).toBe(true); // decrease left: 0.35 <= 0.4
    expect(pivmIsCause(1.0, 0.5, 0.6, 0.8)).toBe(true); // exactly at the threshold
  });

  it("rejects a candidate whose permutation barely matters", () => {
    expect(pivmIsCause(1.0, 0.5, 0.55, 0.8)).toBe(false); // decrease left: 0.45 > 0.4
    expect(pivmIsCause(1.0, 0.5, 0.55, 0.95)).toBe(true); // a laxer significance accepts it
  });
});

describe("delay discovery (§4.4)", () => {
  it("reads the offset of the largest |weight|", () => {
    // tap m multiplies x(t - (k-1-m)): m = 1 is 2 steps back
    expect(kernelOffset([0.1, -0.9, 0.3, 0.2])).toBe(2);
    expect(kernelOffset([0.1, 0.2, 0.3, 0.4])).toBe(0);
    expect(kernelOffset([0.5, 0.5])).toBe(0); // ties: the shortest offset
  });

  it("sums offsets along the dilated path and adds the row shift", () => {
    // layer 0 (dilation 1): offset 2; layer 1 (dilation 4): offset 1 -> 2 + 4, +1 for a shifted row
    expect(discoverDelay([[0, 1, 0, 0], [0, 0, 1, 0]], 4, 1)).toBe(7);
    expect(discoverDelay([[0, 0, 0, 1]], 4, 0)).toBe(0);
  });

  it("gives each offset its best path weight", () => {
    const one = offsetProfile([[0.1, -0.9, 0.3, 0.2]], 4);
    expect(Array.from(one)).toEqual([0.2 / 0.9, 0.3 / 0.9, 1, 0.1 / 0.9].map((x) => expect.closeTo(x, 12)));
    // two layers, k = 2, c = 2: offsets q = o0 + 2 o1 in 0..3
    const two = offsetProfile([[1, 0.5], [0.25, 1]], 2);
    expect(Array.from(two)).toEqual([0.5, 1, 0.125, 0.25].map((x) => expect.closeTo(x, 12)));
  });
});
