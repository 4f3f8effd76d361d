// Relevance scores -> a compute plan under a token budget.
import { InputError } from "@causeway/core";
import { queryTokens, type RelevanceScores } from "./scores.js";

/** Tier of a token in a plan (a three-level level-of-detail pyramid). */
export const TIER = {
  /** Processed as its own token. */
  full: 0,
  /** Merged with neighbours of the same variable into one pooled token. */
  pooled: 1,
  /** Removed from the sequence. */
  skipped: 2,
} as const;

/**
 * How to spend the budget.
 * - `topk`: keep the highest-scoring tokens, drop the rest.
 * - `tiers`: a level-of-detail pyramid. The best tokens stay full, then whole blocks of `poolSize`
 *   consecutive steps of one variable (the tokens of the block that are not full) are each merged into
 *   one pooled token, best blocks first (block score = sum of its token scores), the rest is skipped.
 *   `fullShare` is the part of the budget spent on full tokens (default 0.5, at least the query tokens);
 *   budget the pooled tier cannot use (too few blocks) goes to more full tokens.
 */
export type AllocationPolicy = { kind: "topk" } | { kind: "tiers"; poolSize?: number; fullShare?: number };

/** A plan a `CausalTransformer` can consume through `applyPlan`, or through `keep` as an attention mask. */
export interface AllocationPlan {
  window: number;
  vars: number;
  policy: AllocationPolicy["kind"];
  /** The requested budget: the fraction of ALL `W * V` tokens (query tokens included) the model may process. */
  budget: number;
  /** `[W * V]` `TIER.full`, `TIER.pooled` or `TIER.skipped` per token. */
  tier: Uint8Array;
  /** `[W * V]` 1 for a full token, 0 otherwise (a key mask for `encode({ keep })`). */
  keep: Uint8Array;
  /** Ascending indices of the full tokens; always contains the V query tokens `(W - 1, v)`. */
  kept: Int32Array;
  /** Pooled groups: ascending token indices (one variable, one block of steps) merged into one token each. */
  pooled: Int32Array[];
  /** Tokens the model processes: `kept.length + pooled.length` = `floor(budget * W * V)`. */
  processed: number;
  /** `processed / (W * V)`. */
  fraction: number;
}

/** Indices sorted by descending score; ties broken by the newer token first (then by variable). */
function byScore(indices: number[], score: (i: number) => number): number[] {
  return indices.sort((a, b) => score(b) - score(a) || b - a);
}

/**
 * Turn relevance scores into a plan that processes at most `floor(budget * W * V)` tokens.
 * The V query tokens (the newest step, which the read-out uses) are always kept and COUNT against
 * the budget, so the budget must be at least `1 / W`; only the other tokens compete on score.
 *
 * @param budget fraction of all `W * V` tokens, in (0, 1]
 * @example
 * const plan = allocate(result.interventional!, 0.25, { kind: "topk" });
 * const { prediction, flopsFraction } = applyPlan(model, x, plan);
 */
export function allocate(scores: RelevanceScores, budget: number, policy: AllocationPolicy = { kind: "topk" }): AllocationPlan {
  const { window: W, vars: V, tokens } = scores;
  const N = W * V;
  if (tokens.length !== N) throw new InputError(`allocate: ${tokens.length} scores for a ${W} x ${V} window`);
  if (!(budget > 0 && budget <= 1)) throw new InputError(`allocate: budget must be a fraction in (0, 1], got ${budget}`);
  const total = Math.floor(budget * N + 1e-9); // tokens the model may process
  if (total < V)
    throw new InputError(`allocate: a budget of ${budget} allows ${total} of ${N} tokens, fewer than the ${V} query tokens that are always kept (minimum budget ${(V / N).toFixed(4)})`);
  const tier = new Uint8Array(N).fill(TIER.skipped);
  for (const q of queryTokens(W, V)) tier[q] = TIER.full;
  const others = byScore(
    Array.from({ length: N - V }, (_, i) => i),
    (i) => tokens[i],
  ); // non-query tokens are exactly 0 .. N - V - 1
  const pooled: Int32Array[] = [];
  if (policy.kind === "topk") {
    for (const i of others.slice(0, total - V)) tier[i] = TIER.full;
  } else if (policy.kind === "tiers") {
    const poolSize = policy.poolSize ?? 2;
    const fullShare = policy.fullShare ?? 0.5;
    if (!Number.isInteger(poolSize) || poolSize < 2) throw new InputError(`allocate: poolSize must be an integer >= 2, got ${poolSize}`);
    if (!(fullShare >= 0 && fullShare <= 1)) throw new InputError(`allocate: fullShare must be in [0, 1], got ${fullShare}`);
    const full = Math.min(total, Math.max(V, Math.round(fullShare * total)));
    for (const i of others.slice(0, full - V)) tier[i] = TIER.full;
    // candidate blocks: per variable, steps [k * poolSize, (k + 1) * poolSize), minus full tokens
    const blocks: { members: number[]; score: number }[] = [];
    for (let v = 0; v < V; v++)
      for (let start = 0; start < W; start += poolSize) {
        const members: number[] = [];
        for (let t = start; t < Math.min(W, start + poolSize); t++) if (tier[t * V + v] === TIER.skipped) members.push(t * V + v);
        if (members.length > 0) blocks.push({ members, score: members.reduce((s, i) => s + tokens[i], 0) });
      }
    const order = byScore(
      blocks.map((_, i) => i),
      (i) => blocks[i].score,
    );
    for (const b of order.slice(0, total - full)) {
      for (const i of blocks[b].members) tier[i] = TIER.pooled;
      pooled.push(Int32Array.from(blocks[b].members));
    }
    // fewer blocks than the pooled share: spend what is left on more full tokens, first skipped
    // ones, then (when every token is covered) members split off pooled blocks, best scores first
    let left = total - full - pooled.length;
    for (const i of others) {
      if (left <= 0) break;
      if (tier[i] === TIER.skipped) {
        tier[i] = TIER.full;
        left--;
      } else if (tier[i] === TIER.pooled) {
        const g = pooled.findIndex((members) => members.includes(i));
        if (pooled[g].length < 2) continue;
        pooled[g] = pooled[g].filter((m) => m !== i);
        tier[i] = TIER.full;
        left--;
      }
    }
    pooled.sort((a, b) => a[0] - b[0]);
  } else {
    throw new InputError(`allocate: unknown policy ${JSON.stringify(policy)}`);
  }
  const keep = Uint8Array.from(tier, (x) => (x === TIER.full ? 1 : 0));
  const kept = Int32Array.from(Array.from({ length: N }, (_, i) => i).filter((i) => keep[i] === 1));
  const processed = kept.length + pooled.length;
  return { window: W, vars: V, policy: policy.kind, budget, tier, keep, kept, pooled, processed, fraction: processed / N };
}
