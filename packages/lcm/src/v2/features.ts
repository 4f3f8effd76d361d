// LCM v2's per-entry feature table: for every (effect e, cause c, lag l) a vector of scale-free
// statistics computed on the z-scored input, in both directions, plus the pair's context.
// Permuting the variables permutes the rows of the table (every statistic is per pair or a rank
// within a row or column), so a per-entry model is permutation-equivariant by construction.
import { InputError } from "@causeway/core";
import { laggedCross, mciStats, rankColumns, varTStats, zColumns } from "./stats.js";

/** Which statistics the model sees: all of them, or only the lagged Pearson r (the LCM paper's injection). */
export type FeatureSet = "full" | "corr";

export const FEATURE_SETS: readonly FeatureSet[] = ["full", "corr"];

/** Options of `featureTable`. */
export interface FeatureOptions {
  /** PCMCI condition cap (PC1 condition sets and MCI parents per side). Default: `defaultMaxConds(V)`. */
  maxConds?: number;
}

/** The feature table of one series: `[V * V * L, names.length]` row-major, row `(e * V + c) * L + l - 1`. */
export interface FeatureTable {
  V: number;
  L: number;
  T: number;
  names: string[];
  data: Float32Array;
  /** The full VAR had too few samples: t-statistics are from bivariate VARs. */
  varFallback: boolean;
  /** PCMCI's condition cap used (full set only). */
  maxConds?: number;
}

/** PCMCI's condition cap: 3 up to 10 variables, then 2 (its cost grows with V^2 L x conditions). */
export function defaultMaxConds(V: number): number {
  return V <= 10 ? 3 : 2;
}

const BASE_FULL = ["r", "fisherZ", "varT", "varPcorr", "mciValue", "mciLogP", "spearman", "sqCorr", "absCorr"] as const;
const BASE_CORR = ["r"] as const;
const CONTEXT_FULL = ["pairMaxT", "pairMaxMci", "pairMaxR", "lagRankT", "rowRankT", "colRankT", "rowRankMci", "colRankMci", "rowRankR"] as const;
const CONTEXT_CORR = ["pairMaxR", "lagRankR", "rowRankR", "colRankR"] as const;
const GLOBAL_FULL = ["self", "lagFrac", "invLag", "logT", "logV", "varFallback"] as const;
const GLOBAL_CORR = ["self", "lagFrac", "invLag", "logT", "logV"] as const;

/** Feature names of a set, in table order: base statistics, the same reversed (`rev.`), context, globals. */
export function featureNames(set: FeatureSet): string[] {
  const base: readonly string[] = set === "full" ? BASE_FULL : BASE_CORR;
  const ctx: readonly string[] = set === "full" ? CONTEXT_FULL : CONTEXT_CORR;
  const glob: readonly string[] = set === "full" ? GLOBAL_FULL : GLOBAL_CORR;
  return [...base, ...base.map((b) => `rev.${b}`), ...ctx, ...glob];
}

const signedLog = (x: number): number => Math.sign(x) * Math.log1p(Math.abs(x));

/**
 * The feature table of a row-major `[T, V]` series for lags 1..L. Every value is scale-free:
 * correlations, `asinh` of t-statistics, `log1p` of -log10 p-values, ranks in [0, 1], flags.
 */
export function featureTable(data: ArrayLike<number>, T: number, V: number, L: number, set: FeatureSet, options: FeatureOptions = {}): FeatureTable {
  if (V < 2) throw new InputError(`lcm v2: at least 2 variables are needed, got ${V}`);
  if (!Number.isInteger(L) || L < 1) throw new InputError(`lcm v2: maxLag must be an integer >= 1, got ${L}`);
  if (T < L + 10) throw new InputError(`lcm v2: the series needs at least maxLag + 10 = ${L + 10} steps, got ${T}`);
  const cols = zColumns(data, T, V);
  const n = T - L;
  const base: Float64Array[] = []; // each [V, V, L]
  const r = laggedCross(cols, cols, T, L);
  base.push(r);
  let varFallback = false;
  let maxConds: number | undefined;
  let t: Float64Array | null = null;
  let mciLogP: Float64Array | null = null;
  if (set === "full") {
    base.push(r.map((x) => signedLog(Math.atanh(Math.max(-0.999999, Math.min(0.999999, x))) * Math.sqrt(Math.max(1, n - 3)))));
    const vt = varTStats(cols, T, L);
    varFallback = vt.fallback;
    t = vt.t;
    base.push(t.map(Math.asinh));
    base.push(t.map((x) => x / Math.sqrt(x * x + vt.df)));
    maxConds = options.maxConds ?? defaultMaxConds(V);
    const mci = mciStats(cols, T, L, maxConds);
    mciLogP = mci.minusLog10P;
    base.push(mci.value);
    base.push(mciLogP.map(Math.log1p));
    base.push(laggedCross(rankColumns(cols), rankColumns(cols), T, L)); // Spearman
    const sq = cols.map((c) => c.map((x) => x * x));
    base.push(laggedCross(sq, cols, T, L)); // corr(c(t-l)^2, e(t)): even links
    const abs = cols.map((c) => c.map(Math.abs));
    base.push(laggedCross(abs, abs, T, L)); // corr(|c(t-l)|, |e(t)|): coupled magnitudes
  }
  const absR = r.map(Math.abs);
  let ctx: Float64Array[]; // in the order of CONTEXT_FULL / CONTEXT_CORR
  if (set === "full" && t && mciLogP) {
    const [tMax, tLag, tRow, tCol] = pairContext(t.map(Math.abs), V, L, true);
    const [mMax, mRow, mCol] = pairContext(mciLogP, V, L, false);
    const [rMax, rRow] = pairContext(absR, V, L, false);
    ctx = [tMax, mMax, rMax, tLag, tRow, tCol, mRow, mCol, rRow];
  } else {
    ctx = pairContext(absR, V, L, true);
  }
  const names = featureNames(set);
  const F = names.length;
  const out = new Float32Array(V * V * L * F);
  const logT = Math.log(T) / 10;
  const logV = Math.log(V) / 5;
  for (let e = 0; e < V; e++) {
    for (let c = 0; c < V; c++) {
      for (let l = 1; l <= L; l++) {
        const i = (e * V + c) * L + l - 1;
        const rev = (c * V + e) * L + l - 1;
        let o = i * F;
        for (const b of base) out[o++] = b[i];
        for (const b of base) out[o++] = b[rev];
        for (const x of ctx) out[o++] = x[i];
        out[o++] = e === c ? 1 : 0;
        out[o++] = l / L;
        out[o++] = 1 / l;
        out[o++] = logT;
        out[o++] = logV;
        if (set === "full") out[o++] = varFallback ? 1 : 0;
      }
    }
  }
  return { V, L, T, names, data: out, varFallback, ...(maxConds !== undefined ? { maxConds } : {}) };
}

/**
 * Context of a non-negative strength `s [V, V, L]`: the pair's maximum over lags, then (with
 * `ranks`) this lag's rank among the pair's lags, the entry's rank within its effect's row (all
 * causes and lags) and within its cause's column (all effects and lags) - ranks as fractions,
 * 0 = strongest, 1 = weakest. Without `ranks`: max, row rank, column rank.
 */
export function pairContext(s: Float64Array, V: number, L: number, ranks: boolean): Float64Array[] {
  const N = V * V * L;
  const pairMax = new Float64Array(N);
  const lagRank = new Float64Array(N);
  const rowRank = new Float64Array(N);
  const colRank = new Float64Array(N);
  for (let p = 0; p < V * V; p++) {
    let m = 0;
    for (let l = 0; l < L; l++) m = Math.max(m, s[p * L + l]);
    for (let l = 0; l < L; l++) pairMax[p * L + l] = m;
    rankInto(Array.from({ length: L }, (_, l) => p * L + l), s, lagRank);
  }
  for (let e = 0; e < V; e++) rankInto(Array.from({ length: V * L }, (_, k) => e * V * L + k), s, rowRank);
  for (let c = 0; c < V; c++) {
    const idx: number[] = [];
    for (let e = 0; e < V; e++) for (let l = 0; l < L; l++) idx.push((e * V + c) * L + l);
    rankInto(idx, s, colRank);
  }
  return ranks ? [pairMax, lagRank, rowRank, colRank] : [pairMax, rowRank, colRank];
}

/** Descending rank fraction of `s` over the entries `idx` (ties share the mean rank), into `out`. */
function rankInto(idx: number[], s: Float64Array, out: Float64Array): void {
  const k = idx.length;
  if (k === 1) {
    out[idx[0]] = 0;
    return;
  }
  const order = [...idx].sort((a, b) => s[b] - s[a]);
  for (let i = 0; i < k; ) {
    let j = i + 1;
    while (j < k && s[order[j]] === s[order[i]]) j++;
    const rank = (i + j - 1) / 2 / (k - 1);
    for (let q = i; q < j; q++) out[order[q]] = rank;
    i = j;
  }
}
