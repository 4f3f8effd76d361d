import { describe, expect, it } from "vitest";
import { InputError, Rng } from "@causeway/core";
import { allocate, TIER } from "./allocate.js";
import { correlationScores, queryTokens, randomScores, relevanceScores, spearman } from "./scores.js";

const W = 10;
const V = 4;
const N = W * V;

describe("allocate topk", () => {
  it("keeps exactly floor(budget * N) tokens, the query tokens and then the best scores", () => {
    // score = token index, except query tokens, which score lowest (they must still be kept)
    const tokens = Float64Array.from({ length: N }, (_, i) => (i >= N - V ? -1 : i));
    for (const budget of [0.1, 0.25, 0.5, 1]) {
      const plan = allocate(relevanceScores(W, V, tokens), budget);
      expect(plan.processed).toBe(Math.floor(budget * N));
      expect(plan.processed).toBeLessThanOrEqual(budget * N);
      for (const q of queryTokens(W, V)) expect(plan.keep[q]).toBe(1);
      // the non-query tokens kept are the highest indices below the query block
      const free = plan.processed - V;
      const expected = Array.from({ length: free }, (_, k) => N - V - free + k);
      expect(Array.from(plan.kept).slice(0, free)).toEqual(expected);
      expect(plan.pooled).toHaveLength(0);
      expect(plan.tier.filter((t) => t === TIER.skipped)).toHaveLength(N - plan.processed);
    }
  });

  it("rejects budgets below the query tokens and outside (0, 1]", () => {
    const s = randomScores(W, V, 1);
    expect(() => allocate(s, 0.05)).toThrow(InputError); // 2 tokens < 4 queries
    expect(() => allocate(s, 0)).toThrow(InputError);
    expect(() => allocate(s, 1.5)).toThrow(InputError);
    expect(allocate(s, 0.1).processed).toBe(4); // exactly the queries
  });
});

describe("allocate tiers (level-of-detail pyramid)", () => {
  it("spends the budget on full tokens and pooled blocks, each block one variable and poolSize steps", () => {
    const s = randomScores(W, V, 3);
    for (const [budget, poolSize, fullShare] of [
      [0.25, 2, 0.5],
      [0.5, 3, 0.3],
      [0.1, 4, 1],
      [0.9, 2, 0.1],
    ] as const) {
      const plan = allocate(s, budget, { kind: "tiers", poolSize, fullShare });
      const total = Math.floor(budget * N);
      expect(plan.processed).toBe(total);
      expect(plan.kept.length).toBeGreaterThanOrEqual(Math.max(V, Math.round(fullShare * total)));
      for (const q of queryTokens(W, V)) expect(plan.tier[q]).toBe(TIER.full);
      const seen = new Set<number>();
      for (const g of plan.pooled) {
        expect(g.length).toBeGreaterThanOrEqual(1);
        expect(g.length).toBeLessThanOrEqual(poolSize);
        const vs = new Set(Array.from(g, (i) => i % V));
        expect(vs.size).toBe(1); // one variable
        const ts = Array.from(g, (i) => Math.floor(i / V));
        expect(Math.floor(ts[0] / poolSize)).toBe(Math.floor(ts[ts.length - 1] / poolSize)); // one aligned block
        for (const i of g) {
          expect(plan.tier[i]).toBe(TIER.pooled);
          expect(seen.has(i)).toBe(false);
          seen.add(i);
        }
      }
      expect(plan.tier.filter((t) => t === TIER.pooled)).toHaveLength(seen.size);
    }
  });

  it("pools the highest-scoring blocks: a planted hot block is pooled, a cold one skipped", () => {
    const tokens = new Float64Array(N).fill(0.1);
    tokens[0 * V + 2] = 5; // (t 0, v 2): best single token -> full
    tokens[2 * V + 1] = 2; // block t 2..3 of v 1
    tokens[3 * V + 1] = 2;
    const plan = allocate(relevanceScores(W, V, tokens), 6 / N, { kind: "tiers", poolSize: 2, fullShare: 5 / 6 });
    expect(Array.from(plan.kept)).toEqual([2, ...queryTokens(W, V)]);
    expect(plan.pooled.map((g) => Array.from(g))).toEqual([[2 * V + 1, 3 * V + 1]]);
  });
});

describe("allocate: required query tokens", () => {
  it("keeps only the query tokens of `queries`; the other newest-step tokens compete on score", () => {
    const tokens = Float64Array.from({ length: N }, (_, i) => i); // newer = better
    const plan = allocate(relevanceScores(W, V, tokens), 0.1, { kind: "topk", queries: [2] }); // 4 tokens
    // the query of v 2 (token 38), then the best others: 39, 37, 36
    expect(Array.from(plan.kept)).toEqual([36, 37, 38, 39]);
    expect(Array.from(plan.queries)).toEqual([2]);
    const low = Float64Array.from({ length: N }, (_, i) => -i); // older = better
    expect(Array.from(allocate(relevanceScores(W, V, low), 0.1, { kind: "topk", queries: [2] }).kept)).toEqual([0, 1, 2, 38]);
    expect(allocate(relevanceScores(W, V, low), 1 / N, { kind: "topk", queries: [0] }).processed).toBe(1);
    expect(() => allocate(relevanceScores(W, V, low), 0.1, { kind: "topk", queries: [4] })).toThrow(InputError);
    expect(() => allocate(relevanceScores(W, V, low), 0.1, { kind: "topk", queries: [] })).toThrow(InputError);
    expect(() => allocate(relevanceScores(W, V, low), 0.1, { kind: "topk", queries: [1, 1] })).toThrow(InputError);
  });
});

describe("allocate depth (per-token early exit)", () => {
  // W 2, V 2: tokens 0 (t0 v0), 1 (t0 v1), 2 (t1 v0, the query of v 0), 3 (t1 v1)
  const s = (values: number[]) => relevanceScores(2, 2, values);
  it("depth proportional to the score, capped at the layers, within the token-layer budget", () => {
    // budget 0.75 of 4 tokens x 2 layers = 6 token-layers; the query takes 2; 4 left for scores 3, 1, -, 0.5
    const plan = allocate(s([3, 1, 0, 0.5]), 0.75, { kind: "depth", layers: 2, queries: [0] });
    expect(Array.from(plan.depth!)).toEqual([2, 1, 2, 1]);
    expect(plan.layers).toBe(2);
    expect(plan.fraction).toBe(0.75);
    expect(Array.from(plan.kept)).toEqual([0, 1, 2, 3]);
    // 5 token-layers: 3 left; 2 + 1 + 0 fits (2 + 1 + 1 does not)
    const tight = allocate(s([3, 1, 0, 0.5]), 0.625, { kind: "depth", layers: 2, queries: [0] });
    expect(Array.from(tight.depth!)).toEqual([2, 1, 2, 0]);
    expect(Array.from(tight.keep)).toEqual([1, 1, 1, 0]);
    expect(Array.from(tight.tier)).toEqual([TIER.full, TIER.full, TIER.full, TIER.skipped]);
    expect(tight.fraction).toBe(5 / 8);
  });

  it("hands out what rounding leaves one layer at a time in score order (ties: newer first)", () => {
    // equal scores: depth 1 each uses 3 of 4 free token-layers; the last one goes to the newest token
    const plan = allocate(s([1, 1, 0, 1]), 0.75, { kind: "depth", layers: 2, queries: [0] });
    expect(Array.from(plan.depth!)).toEqual([1, 1, 2, 2]);
    // all queries required: only they run, at full depth
    const q = allocate(s([1, 1, 0, 1]), 0.5, { kind: "depth", layers: 3 });
    expect(Array.from(q.depth!)).toEqual([0, 0, 3, 3]);
    expect(() => allocate(s([1, 1, 0, 1]), 0.25, { kind: "depth", layers: 3 })).toThrow(InputError);
    expect(() => allocate(s([1, 1, 0, 1]), 0.5, { kind: "depth", layers: 0 })).toThrow(InputError);
  });

  it("negative scores (a token that lowers the loss) get no depth before the budget is otherwise spent", () => {
    const plan = allocate(s([-2, 4, 0, 2]), 0.625, { kind: "depth", layers: 2, queries: [0] });
    expect(Array.from(plan.depth!)).toEqual([0, 2, 2, 1]);
  });
});

describe("scores", () => {
  it("per-variable and per-lag sums, lag 1 = newest step", () => {
    const s = relevanceScores(2, 2, [1, 2, 3, 4]); // t0: v0 1, v1 2; t1: v0 3, v1 4
    expect(Array.from(s.perVariable)).toEqual([4, 6]);
    expect(Array.from(s.perLag)).toEqual([7, 3]);
  });

  it("spearman matches hand-computed values, with ties", () => {
    expect(spearman([1, 2, 3], [10, 30, 20])).toBeCloseTo(0.5, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // ranks a: 1, 2.5, 2.5, 4; b: 1, 2, 3, 4 -> r = 0.9486832980505138
    expect(spearman([1, 5, 5, 9], [1, 2, 3, 4])).toBeCloseTo(0.9486832980505138, 12);
    expect(spearman([1, 2, 3, 9], [3, 2, 1, 0], [0, 1, 2])).toBeCloseTo(-1, 12);
  });

  it("correlationScores finds the token that copies the target", () => {
    const count = 50;
    const x = new Float32Array(count * N);
    const y = new Float64Array(count);
    const rng = new Rng(5);
    for (let i = 0; i < count; i++) {
      for (let n = 0; n < N; n++) x[i * N + n] = rng.normal();
      y[i] = -3 * x[i * N + 13];
    }
    const s = correlationScores(x, y, W, V);
    expect(s.tokens[13]).toBeCloseTo(1, 6);
    expect(Math.max(...Array.from(s.tokens).filter((_, n) => n !== 13))).toBeLessThan(0.6);
  });
});
