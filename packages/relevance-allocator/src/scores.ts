// Relevance score containers, rank correlation and the two model-free baselines (correlation, random).
import { InputError, Rng, midRanks } from "@causeway/core";

/**
 * One relevance score per token of a `[W, V]` window, token index `n = t * V + v`
 * (`t = 0` oldest .. `W - 1` newest), the `CausalTransformer` layout.
 */
export interface RelevanceScores {
  /** W: time steps of the window. */
  window: number;
  /** V: variables. */
  vars: number;
  /** `[W * V]` score of token `t * V + v`; higher = more relevant. */
  tokens: Float64Array;
  /** `[V]` sum of the variable's token scores over the window. */
  perVariable: Float64Array;
  /** `[W]` sum over variables at lag `l` (index `l - 1`): the token at step `t` has lag `W - t` from the predicted step. */
  perLag: Float64Array;
}

/** Wrap `[W * V]` token scores with their per-variable and per-lag sums. */
export function relevanceScores(window: number, vars: number, tokens: ArrayLike<number>): RelevanceScores {
  if (!Number.isInteger(window) || window < 1 || !Number.isInteger(vars) || vars < 1) throw new InputError(`relevanceScores: window and vars must be positive integers, got ${window} and ${vars}`);
  if (tokens.length !== window * vars) throw new InputError(`relevanceScores: ${tokens.length} scores for a ${window} x ${vars} window (${window * vars} tokens)`);
  const t64 = Float64Array.from(tokens);
  const perVariable = new Float64Array(vars);
  const perLag = new Float64Array(window);
  for (let t = 0; t < window; t++)
    for (let v = 0; v < vars; v++) {
      const s = t64[t * vars + v];
      if (Number.isNaN(s)) throw new InputError(`relevanceScores: score of token (t ${t}, v ${v}) is NaN`);
      perVariable[v] += s;
      perLag[window - 1 - t] += s;
    }
  return { window, vars, tokens: t64, perVariable, perLag };
}

/** `[V]` indices of the query tokens: the newest step's tokens `(W - 1, v)`, which the read-out uses. */
export function queryTokens(window: number, vars: number): Int32Array {
  return Int32Array.from({ length: vars }, (_, v) => (window - 1) * vars + v);
}

/** Pearson correlation of two equal-length arrays; 0 when either is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new InputError(`pearson: lengths differ (${n} vs ${b.length})`);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/**
 * Spearman rank correlation (Pearson correlation of mid-ranks, so ties are handled exactly).
 * `subset` restricts both arrays to those indices (e.g. the non-query tokens).
 *
 * @example spearman([1, 2, 3], [10, 30, 20]) // 0.5
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>, subset?: ArrayLike<number>): number {
  const pick = (xs: ArrayLike<number>) => (subset ? Array.from(subset, (i) => xs[i]) : Array.from(xs));
  return pearson(midRanks(pick(a)).ranks, midRanks(pick(b)).ranks);
}

/**
 * Baseline: |Pearson correlation| of every token's value with the target over a set of windows,
 * the "co-occurs with good outputs" score this package argues against.
 *
 * @param x `[count, W, V]` windows, row-major
 * @param y `[count]` the target value each window predicts (e.g. the next step of one variable)
 */
export function correlationScores(x: Float32Array | Float64Array, y: ArrayLike<number>, window: number, vars: number): RelevanceScores {
  const count = y.length;
  const size = window * vars;
  if (x.length !== count * size) throw new InputError(`correlationScores: x has ${x.length} values, expected ${count} windows x ${size}`);
  if (count < 3) throw new InputError(`correlationScores: needs at least 3 windows, got ${count}`);
  const tokens = new Float64Array(size);
  const column = new Float64Array(count);
  for (let n = 0; n < size; n++) {
    for (let i = 0; i < count; i++) column[i] = x[i * size + n];
    tokens[n] = Math.abs(pearson(column, y));
  }
  return relevanceScores(window, vars, tokens);
}

/** Baseline: i.i.d. uniform scores (a random allocation), seeded. */
export function randomScores(window: number, vars: number, seed = 0): RelevanceScores {
  const rng = new Rng(seed);
  return relevanceScores(window, vars, Float64Array.from({ length: window * vars }, () => rng.uniform()));
}
