import { describe, expect, it } from "vitest";
import { midRanks } from "./ranks.js";

describe("midRanks", () => {
  it("gives 1-based ranks, ties sharing their mean rank", () => {
    const { ranks, ties } = midRanks([10, 30, 20, 20]);
    expect(Array.from(ranks)).toEqual([1, 4, 2.5, 2.5]);
    expect(ties).toEqual([2]);
  });

  it("lists tie groups in ascending order of value", () => {
    // sorted: 1 | 5 5 5 | 7 7 -> ranks 1 | (2+3+4)/3 = 3 | (5+6)/2 = 5.5
    const { ranks, ties } = midRanks(new Float64Array([5, 5, 5, 1, 7, 7]));
    expect(Array.from(ranks)).toEqual([3, 3, 3, 1, 5.5, 5.5]);
    expect(ties).toEqual([3, 2]);
  });

  it("ranks distinct values by order, negatives first, with no ties", () => {
    const { ranks, ties } = midRanks([0.5, -2, 3, -0.25]);
    expect(Array.from(ranks)).toEqual([3, 1, 4, 2]);
    expect(ties).toEqual([]);
    expect(Array.from(midRanks([]).ranks)).toEqual([]);
  });
});
