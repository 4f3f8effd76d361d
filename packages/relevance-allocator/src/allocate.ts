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

/** Options every policy shares. */
interface PolicyBase {
  /**
   * Variables whose query token `(W - 1, v)` the plan always keeps at full depth: the predictions
   * the caller needs (default all V). The other newest-step tokens compete on score like any token,
   * and `applyPlan` returns NaN for a variable whose query token was dropped.
   */
  queries?: readonly number[];
}

/**
 * How to spend the budget.
 * - `topk`: keep the highest-scoring tokens, drop the rest.
 * - `tiers`: a level-of-detail pyramid. The best tokens stay full, then whole blocks of `poolSize`
 *   consecutive steps of one variable (the tokens of the block that are not full) are each merged into
 *   one pooled token, best blocks first (block score = sum of its token scores), the rest is skipped.
 *   `fullShare` is the part of the budget spent on full tokens (default 0.5, at least the query tokens);
 *   budget the pooled tier cannot use (too few blocks) goes to more full tokens.
 * - `depth`: per-token early-exit depth (progressive token elimination, Goyal et al. 2020, PoWER-BERT
 *   Sec. 3): token i takes part in the first `depth[i]` of the model's `layers` blocks and is then
 *   removed from the sequence (0 = skipped). Depth is proportional to the score, capped at `layers`
 *   (`round(layers * s_i / tau)`, `tau` the smallest scale that fits the budget), and what the rounding
 *   leaves is handed out one layer at a time in score order. The budget counts token-layers.
 */
export type AllocationPolicy = PolicyBase & ({ kind: "topk" } | { kind: "tiers"; poolSize?: number; fullShare?: number } | { kind: "depth"; layers: number });

/** A plan a `CausalTransformer` can consume through `applyPlan`, or through `keep` as an attention mask. */
export interface AllocationPlan {
  window: number;
  vars: number;
  policy: AllocationPolicy["kind"];
  /**
   * The requested budget: the fraction of ALL `W * V` tokens (mandatory query tokens included) the
   * model may process; for `depth` plans the fraction of all `W * V * layers` token-layers.
   */
  budget: number;
  /** Variables whose query token is always kept (ascending). */
  queries: Int32Array;
  /** `[W * V]` `TIER.full`, `TIER.pooled` or `TIER.skipped` per token (`depth` plans: full = depth >= 1). */
  tier: Uint8Array;
  /** `[W * V]` 1 for a full token, 0 otherwise (a key mask for `encode({ keep })`). */
  keep: Uint8Array;
  /** Ascending indices of the full tokens; always contains the query tokens of `queries`. */
  kept: Int32Array;
  /** Pooled groups: ascending token indices (one variable, one block of steps) merged into one token each. */
  pooled: Int32Array[];
  /** `depth` plans: `[W * V]` blocks each token takes part in (`layers` for the query tokens, 0 = skipped). */
  depth?: Uint8Array;
  /** `depth` plans: the model's number of blocks the depths refer to. */
  layers?: number;
  /** Tokens the model's first block processes: `kept.length + pooled.length`. */
  processed: number;
  /**
   * The share of the full compute unit actually used: `processed / (W * V)`, or for `depth` plans
   * `sum(depth) / (W * V * layers)`. At most `budget`.
   */
  fraction: number;
}

/** Indices sorted by descending score; ties broken by the newer token first (then by variable). */
function byScore(indices: number[], score: (i: number) => number): number[] {
  return indices.sort((a, b) => score(b) - score(a) || b - a);
}

/**
 * Turn relevance scores into a plan that processes at most `floor(budget * W * V)` tokens (`depth`:
 * token-layers `floor(budget * W * V * layers)`). The query tokens of `policy.queries` (default every
 * variable: the newest step, which the read-out uses) are always kept and COUNT against the budget;
 * only the other tokens compete on score. Ties go to the newer token.
 *
 * @param scores e.g. `causalRelevance(...).interventional`; higher = keep
 * @param budget fraction of the compute of the full window, in (0, 1]
 * @example
 * const plan = allocate(result.interventional!, 0.25, { kind: "topk", queries: [0] });
 * const run = applyPlan(model, x, plan); // run.flopsFraction ~ 0.25
 */
export function allocate(scores: RelevanceScores, budget: number, policy: AllocationPolicy = { kind: "topk" }): AllocationPlan {
  const { window: W, vars: V, tokens } = scores;
  const N = W * V;
  if (tokens.length !== N) throw new InputError(`allocate: ${tokens.length} scores for a ${W} x ${V} window`);
  if (!(budget > 0 && budget <= 1)) throw new InputError(`allocate: budget must be a fraction in (0, 1], got ${budget}`);
  const queryVars = policy.queries ?? Array.from({ length: V }, (_, v) => v);
  if (queryVars.length === 0 || queryVars.some((v) => !Number.isInteger(v) || v < 0 || v >= V) || new Set(queryVars).size !== queryVars.length)
    throw new InputError(`allocate: queries must be distinct variable indices in 0..${V - 1}, got [${queryVars}]`);
  const queries = Int32Array.from(queryVars).sort();
  const Q = queries.length;
  const allQueries = queryTokens(W, V);
  const mandatory = new Set(Array.from(queries, (v) => allQueries[v]));
  const candidates = Array.from({ length: N }, (_, i) => i).filter((i) => !mandatory.has(i));
  const others = byScore(candidates, (i) => tokens[i]);
  const tier = new Uint8Array(N).fill(TIER.skipped);
  for (const q of mandatory) tier[q] = TIER.full;
  const pooled: Int32Array[] = [];
  let depth: Uint8Array | undefined;
  let layers: number | undefined;
  let fraction: number | undefined;
  if (policy.kind === "topk" || policy.kind === "tiers") {
    const total = Math.floor(budget * N + 1e-9); // tokens the model may process
    if (total < Q)
      throw new InputError(`allocate: a budget of ${budget} allows ${total} of ${N} tokens, fewer than the ${Q} query tokens that are always kept (minimum budget ${(Q / N).toFixed(4)})`);
    if (policy.kind === "topk") {
      for (const i of others.slice(0, total - Q)) tier[i] = TIER.full;
    } else {
      const poolSize = policy.poolSize ?? 2;
      const fullShare = policy.fullShare ?? 0.5;
      if (!Number.isInteger(poolSize) || poolSize < 2) throw new InputError(`allocate: poolSize must be an integer >= 2, got ${poolSize}`);
      if (!(fullShare >= 0 && fullShare <= 1)) throw new InputError(`allocate: fullShare must be in [0, 1], got ${fullShare}`);
      const full = Math.min(total, Math.max(Q, Math.round(fullShare * total)));
      for (const i of others.slice(0, full - Q)) tier[i] = TIER.full;
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
    }
  } else if (policy.kind === "depth") {
    const L = policy.layers;
    if (!Number.isInteger(L) || L < 1 || L > 255) throw new InputError(`allocate: depth policy needs layers, an integer in 1..255, got ${L}`);
    const units = Math.floor(budget * N * L + 1e-9); // token-layers the model may process
    if (units < Q * L)
      throw new InputError(`allocate: a budget of ${budget} allows ${units} of ${N * L} token-layers, fewer than the ${Q * L} of the query tokens that always run every layer (minimum budget ${(Q / N).toFixed(4)})`);
    depth = new Uint8Array(N);
    layers = L;
    for (const q of mandatory) depth[q] = L;
    const free = units - Q * L;
    // depth_i = clamp(round(L s_i / tau), 0, L); the smallest tau (most depth) whose total fits
    const s = others.map((i) => Math.max(0, tokens[i]));
    const depthsAt = (tau: number) => s.map((x) => Math.min(L, Math.round((L * x) / tau)));
    const sum = (ds: number[]) => ds.reduce((a, b) => a + b, 0);
    let d = others.map(() => 0);
    const top = s.length > 0 ? s[0] : 0;
    if (top > 0) {
      let lo = top * 1e-12; // too small: everything at L (unless the budget allows it, taken below)
      let hi = 4 * L * top; // every depth rounds to 0
      if (sum(depthsAt(lo)) <= free) d = depthsAt(lo);
      else {
        for (let it = 0; it < 100; it++) {
          const mid = Math.sqrt(lo * hi);
          if (sum(depthsAt(mid)) <= free) hi = mid;
          else lo = mid;
        }
        d = depthsAt(hi);
      }
    }
    // hand out what the rounding left, one layer at a time in score order (keeps depth monotone)
    let left = free - sum(d);
    while (left > 0) {
      let gave = false;
      for (let k = 0; k < d.length && left > 0; k++)
        if (d[k] < L && (k === 0 || d[k] < d[k - 1])) {
          d[k]++;
          left--;
          gave = true;
        }
      if (!gave) break;
    }
    others.forEach((i, k) => (depth![i] = d[k]));
    for (let i = 0; i < N; i++) tier[i] = depth[i] > 0 ? TIER.full : TIER.skipped;
    fraction = depth.reduce((a, b) => a + b, 0) / (N * L);
  } else {
    throw new InputError(`allocate: unknown policy ${JSON.stringify(policy)}`);
  }
  const keep = Uint8Array.from(tier, (x) => (x === TIER.full ? 1 : 0));
  const kept = Int32Array.from(Array.from({ length: N }, (_, i) => i).filter((i) => keep[i] === 1));
  const processed = kept.length + pooled.length;
  const plan: AllocationPlan = { window: W, vars: V, policy: policy.kind, budget, queries, tier, keep, kept, pooled, processed, fraction: fraction ?? processed / N };
  if (depth) Object.assign(plan, { depth, layers });
  return plan;
}
