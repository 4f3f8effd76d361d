import { InputError } from "./errors.js";
import { contemporaneousEdges, selectByPvalue, type ContemporaneousResult } from "./trust/edges.js";
import { DEFAULT_ALPHA, DEFAULT_CORRECTION } from "./trust/multiple-testing.js";
import type { CausalGraph, Correction, GraphMeta, GraphWarning, GroundTruth, LaggedEdge, ScoredEdge } from "./types.js";

/**
 * A dense score tensor `[V, V, maxLag]` indexed `(effect, cause, lag - 1)` (formats.md).
 * Plain typed array so that non-tensor methods need no TensorFlow.js.
 */
export interface ScoreTensor {
  V: number;
  maxLag: number;
  /** `data[(effect * V + cause) * maxLag + (lag - 1)]` */
  data: Float64Array;
}

export function createScores(V: number, maxLag: number, fill = 0): ScoreTensor {
  const data = new Float64Array(V * V * maxLag);
  if (fill !== 0) data.fill(fill);
  return { V, maxLag, data };
}

/** Flat index of `(effect, cause, lag)` with lag in 1..maxLag. */
export function scoreIndex(s: ScoreTensor, effect: number, cause: number, lag: number): number {
  return (effect * s.V + cause) * s.maxLag + (lag - 1);
}

export function getScore(s: ScoreTensor, effect: number, cause: number, lag: number): number {
  return s.data[scoreIndex(s, effect, cause, lag)];
}

export function setScore(s: ScoreTensor, effect: number, cause: number, lag: number, value: number): void {
  s.data[scoreIndex(s, effect, cause, lag)] = value;
}

/** Summary graph `[V, V]` (`summary[effect * V + cause]` = max over lags). */
export function summarize(s: ScoreTensor): Float64Array {
  const { V, maxLag, data } = s;
  const out = new Float64Array(V * V);
  for (let i = 0; i < V * V; i++) {
    let m = -Infinity;
    for (let l = 0; l < maxLag; l++) m = Math.max(m, data[i * maxLag + l]);
    out[i] = m;
  }
  return out;
}

/** Nested `scores[effect][cause][lag-1]` arrays as in the JSON format. */
export function scoresToNested(s: ScoreTensor): number[][][] {
  const out: number[][][] = [];
  for (let e = 0; e < s.V; e++) {
    const row: number[][] = [];
    for (let c = 0; c < s.V; c++) {
      const base = (e * s.V + c) * s.maxLag;
      row.push(Array.from(s.data.subarray(base, base + s.maxLag)));
    }
    out.push(row);
  }
  return out;
}

/** Inverse of `scoresToNested`, validating shape and finiteness. */
export function scoresFromNested(nested: number[][][], V: number, maxLag: number): ScoreTensor {
  const s = createScores(V, maxLag);
  if (!Array.isArray(nested) || nested.length !== V) throw new InputError(`scores must have ${V} rows (one per effect), found ${Array.isArray(nested) ? nested.length : typeof nested}`);
  for (let e = 0; e < V; e++) {
    if (!Array.isArray(nested[e]) || nested[e].length !== V) throw new InputError(`scores[${e}] must have ${V} entries (one per cause)`);
    for (let c = 0; c < V; c++) {
      const lags = nested[e][c];
      if (!Array.isArray(lags) || lags.length !== maxLag) throw new InputError(`scores[${e}][${c}] must have ${maxLag} entries (one per lag)`);
      for (let l = 0; l < maxLag; l++) {
        const v = lags[l];
        if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(`scores[${e}][${c}][${l}] is not a finite number: ${String(v)}`);
        s.data[(e * V + c) * maxLag + l] = v;
      }
    }
  }
  return s;
}

/** Lagged edges whose score is >= threshold, strongest first (ties: effect, cause, lag order). */
export function thresholdEdges(s: ScoreTensor, variables: string[], threshold: number): ScoredEdge[] {
  const edges: ScoredEdge[] = [];
  for (let e = 0; e < s.V; e++)
    for (let c = 0; c < s.V; c++)
      for (let l = 1; l <= s.maxLag; l++) {
        const score = getScore(s, e, c, l);
        if (score >= threshold) edges.push({ cause: variables[c], effect: variables[e], lag: l, score });
      }
  return edges.sort((a, b) => b.score - a.score);
}

/** All lagged edges ranked by score, strongest first (for "top edges" displays). */
export function rankEdges(s: ScoreTensor, variables: string[], k = Infinity): ScoredEdge[] {
  return thresholdEdges(s, variables, -Infinity).slice(0, k);
}

export interface BuildGraphOptions {
  method: string;
  variables: string[];
  scores: ScoreTensor;
  threshold: number;
  meta: GraphMeta;
  /** Override the thresholded edge list (e.g. TCDF's validated edges). */
  edges?: ScoredEdge[];
  /** What the run could not vouch for (formats.md "warnings"). */
  warnings?: GraphWarning[];
  /** `[V, V, maxLag]` p-values (untested entries: 1). Unless `selectBy` is "score", `edges` are those with adjusted p <= alpha. */
  pvalues?: ScoreTensor;
  /** Level for p-value selection (default 0.05). */
  alpha?: number;
  /** Multiple-testing correction for p-value selection (default fdr_bh). */
  correction?: Correction;
  /** "score": threshold scores even when there are p-values (the caller gave an explicit threshold). Default "pvalue" when `pvalues` exist. */
  selectBy?: "pvalue" | "score";
  /** Lag-0 scores, p-values and links (PCMCI+, VARLiNGAM, DYNOTEARS). */
  contemporaneous?: ContemporaneousResult;
  /** `[V, V, maxLag]` bootstrap selection frequencies. */
  stability?: ScoreTensor;
  /** Bootstrap percentile interval of each score. */
  scoreInterval?: { level: number; lower: ScoreTensor; upper: ScoreTensor };
}

/** Assemble a `causeway.graph/v1` object, checking every score is finite. */
export function buildGraph(o: BuildGraphOptions): CausalGraph {
  const { scores, variables } = o;
  if (scores.V !== variables.length) throw new Error(`score tensor has V=${scores.V} but ${variables.length} variables were given`);
  for (let i = 0; i < scores.data.length; i++)
    if (!Number.isFinite(scores.data[i])) {
      const L = scores.maxLag;
      const [effect, cause] = [Math.floor(i / (L * scores.V)), Math.floor(i / L) % scores.V];
      throw new Error(`method ${o.method} produced a non-finite score (${scores.data[i]}) for ${variables[cause]} -> ${variables[effect]} at lag ${(i % L) + 1}: its arithmetic overflowed or diverged`);
    }
  let edges = o.edges;
  let threshold = o.threshold;
  const meta: GraphMeta = { ...o.meta };
  if (o.pvalues) checkPvalues(o.pvalues, scores, o.method);
  if (!edges && o.pvalues && o.selectBy !== "score") {
    const alpha = o.alpha ?? DEFAULT_ALPHA;
    const correction = o.correction ?? DEFAULT_CORRECTION;
    const picked = selectByPvalue(scores, o.pvalues, variables, alpha, correction, o.contemporaneous);
    edges = picked.edges;
    threshold = picked.threshold;
    Object.assign(meta, { alpha, correction });
  } else if (!edges) {
    edges = thresholdEdges(scores, variables, o.threshold);
    if (o.contemporaneous) edges = [...edges, ...contemporaneousEdges(o.contemporaneous, variables).filter((e) => e.score >= o.threshold)].sort((a, b) => b.score - a.score);
  }
  if (o.stability) {
    const st = o.stability;
    edges = edges.map((e) => (e.lag === 0 ? e : { ...e, stability: getScore(st, variables.indexOf(e.effect), variables.indexOf(e.cause), e.lag) }));
  }
  const square = (a: Float64Array) => Array.from({ length: variables.length }, (_, e) => Array.from(a.subarray(e * variables.length, (e + 1) * variables.length)));
  return {
    format: "causeway.graph/v1",
    variables: [...variables],
    maxLag: scores.maxLag,
    method: o.method,
    scores: scoresToNested(scores),
    edges,
    threshold,
    meta,
    ...(o.warnings ? { warnings: o.warnings.map((w) => ({ ...w })) } : {}),
    ...(o.pvalues ? { pvalues: scoresToNested(o.pvalues) } : {}),
    ...(o.contemporaneous ? { contemporaneous: square(o.contemporaneous.scores) } : {}),
    ...(o.stability ? { stability: scoresToNested(o.stability) } : {}),
    ...(o.scoreInterval ? { scoreInterval: { level: o.scoreInterval.level, lower: scoresToNested(o.scoreInterval.lower), upper: scoresToNested(o.scoreInterval.upper) } } : {}),
  };
}

function checkPvalues(p: ScoreTensor, scores: ScoreTensor, method: string): void {
  if (p.V !== scores.V || p.maxLag !== scores.maxLag) throw new Error(`method ${method} gave p-values of shape [${p.V}, ${p.V}, ${p.maxLag}] for scores [${scores.V}, ${scores.V}, ${scores.maxLag}]`);
  for (let i = 0; i < p.data.length; i++) if (!(p.data[i] >= 0 && p.data[i] <= 1)) throw new Error(`method ${method} produced a p-value ${p.data[i]} outside [0, 1] at flat index ${i}`);
}

/** Binary adjacency `[V, V, maxLag]` of a ground truth, in its own variable order. */
export function truthTensor(truth: GroundTruth): ScoreTensor {
  const V = truth.variables.length;
  const index = new Map(truth.variables.map((v, i) => [v, i]));
  const s = createScores(V, truth.maxLag);
  for (const e of truth.edges) {
    const ei = index.get(e.effect);
    const ci = index.get(e.cause);
    if (ei === undefined || ci === undefined) throw new InputError(`ground-truth edge ${e.cause} -> ${e.effect} names a variable that is not in "variables"`);
    if (!(e.lag >= 1 && e.lag <= truth.maxLag)) throw new InputError(`ground-truth edge ${e.cause} -> ${e.effect} has lag ${e.lag} outside 1..${truth.maxLag}`);
    setScore(s, ei, ci, e.lag, 1);
  }
  return s;
}

/** Compare edges by (cause, effect, lag). */
export function sameEdge(a: LaggedEdge, b: LaggedEdge): boolean {
  return a.cause === b.cause && a.effect === b.effect && a.lag === b.lag;
}
