import { InputError, getScore, scoresFromNested, truthTensor, type CausalGraph, type GroundTruth } from "@causeway/core";
import { aurocUnchecked, auprcUnchecked, prfFromCounts, type Confusion } from "./binary.js";

export interface ScoreGraphOptions {
  /**
   * Predict every lagged edge whose score is >= threshold, instead of using the graph's own
   * thresholded `edges` list (the default, which may hold edges a method validated itself).
   */
  threshold?: number;
}

/** Confusion counts of one predicted edge set, plus the sizes of both sets. */
export interface EdgeCounts extends Confusion {
  /** Number of true edges. */
  truth: number;
  /** Number of predicted edges. */
  predicted: number;
}

/** Every figure `scoreGraph` reports (formats.md "Scoring"). `null` = undefined here; see `notes`. */
export interface GraphScore {
  /** ROC AUC over every (effect, cause, lag), lag in 1..max(truth.maxLag, graph.maxLag), self-loops included. */
  aurocLagged: number | null;
  /** ROC AUC over every (effect, cause) of the summary graph (max over lags), self pairs included. */
  aurocSummary: number | null;
  /** `aurocSummary` without the V self pairs. */
  aurocSummaryNoSelf: number | null;
  /** ROC AUC over unordered pairs {i, j}, i != j: score = max of both directions, label = edge either way. */
  aurocSkeleton: number | null;
  /** Average precision over the same items as `aurocLagged`. */
  auprcLagged: number | null;
  /** Average precision over the same items as `aurocSummary`. */
  auprcSummary: number | null;
  /** Lagged precision / recall / F1 of the predicted edges (the graph's `edges`, or `options.threshold`). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** The same on summary pairs (a pair is predicted when any of its lags is). */
  precisionSummary: number;
  recallSummary: number;
  f1Summary: number;
  /** Lagged structural Hamming distance: number of (effect, cause, lag) triples where prediction and truth differ. */
  shd: number | null;
  /** Summary SHD: per unordered pair {i, j}, i != j, 1 if the set of directions differs (a reversed edge is 1 error); plus 1 per self pair that differs. */
  shdSummary: number;
  counts: {
    variables: number;
    /** Lags scored by the lagged metrics: max(truth.maxLag, graph.maxLag). */
    maxLag: number;
    truthMaxLag: number;
    graphMaxLag: number;
    /** True lagged edges at lags the graph has no score for (scored lowest, so they rank last). */
    truthEdgesBeyondGraphMaxLag: number;
    /** The threshold the predicted set came from, or null when it is the graph's `edges` list. */
    threshold: number | null;
    lagged: EdgeCounts | null;
    summary: EdgeCounts;
  };
  /** Why a metric is null (a summary-only truth, or labels all of one class). */
  notes: string[];
}

/** Name -> index, rejecting empty and duplicate names. */
function indexNames(names: string[], what: string): Map<string, number> {
  if (!Array.isArray(names) || names.length === 0) throw new InputError(`${what} has no variables`);
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (index.has(name)) throw new InputError(`${what} names variable "${name}" twice`);
    index.set(name, i);
  });
  return index;
}

function checkMaxLag(maxLag: number, what: string): void {
  if (!Number.isInteger(maxLag) || maxLag < 1) throw new InputError(`${what} maxLag must be an integer >= 1, got ${String(maxLag)}`);
}

/** Confusion counts of `predicted` against `truth` over the same `[n]` items. */
function confusion(predicted: Uint8Array, truth: Uint8Array): EdgeCounts {
  const c: EdgeCounts = { tp: 0, fp: 0, fn: 0, tn: 0, truth: 0, predicted: 0 };
  for (let i = 0; i < truth.length; i++) {
    c.truth += truth[i];
    c.predicted += predicted[i];
    if (predicted[i] && truth[i]) c.tp++;
    else if (predicted[i]) c.fp++;
    else if (truth[i]) c.fn++;
    else c.tn++;
  }
  return c;
}

/**
 * Score a discovered graph against ground truth (formats.md "Scoring"). Variables are
 * matched by name, so the graph may list them in another order; a truth variable missing
 * from the graph, or a graph variable not in the truth, is an `InputError`.
 *
 * Lags: lagged metrics run over lags 1..max(truth.maxLag, graph.maxLag). Lags the truth
 * does not cover are negatives; true edges at lags beyond the graph's maxLag get the lowest
 * possible score (below every real score, tied with each other) and are never predicted.
 * A `summaryOnly` truth gets `null` lagged metrics. A ranking metric whose labels are all of
 * one class (e.g. the skeleton of a 2-variable graph with an edge) is `null`, with the reason
 * in `notes`. A truth with no edges is an `InputError`: nothing can be scored.
 *
 * @example
 * const s = scoreGraph(truth, graph);
 * console.log(s.aurocLagged, s.aurocSummary, s.f1, s.shd);
 */
export function scoreGraph(truth: GroundTruth, graph: CausalGraph, options: ScoreGraphOptions = {}): GraphScore {
  // --- Validate and match variables by name.
  const truthIndex = indexNames(truth.variables, "the ground truth");
  const graphIndex = indexNames(graph.variables, "the graph");
  checkMaxLag(truth.maxLag, "the ground truth's");
  checkMaxLag(graph.maxLag, "the graph's");
  const missing = truth.variables.filter((v) => !graphIndex.has(v));
  if (missing.length > 0) throw new InputError(`the graph has no variable ${missing.map((v) => `"${v}"`).join(", ")} from the ground truth`);
  const extra = graph.variables.filter((v) => !truthIndex.has(v));
  if (extra.length > 0) throw new InputError(`the graph has variable ${extra.map((v) => `"${v}"`).join(", ")} that the ground truth does not`);
  const { threshold } = options;
  if (threshold !== undefined && Number.isNaN(threshold)) throw new InputError("threshold must be a number, got NaN");

  const V = truth.variables.length;
  const Lt = truth.maxLag;
  const Lg = graph.maxLag;
  const L = Math.max(Lt, Lg);
  const T = truthTensor(truth); // [V, V, Lt] in truth order, 0/1
  const G = scoresFromNested(graph.scores, V, Lg); // [V, V, Lg] in graph order, finite
  const g = truth.variables.map((v) => graphIndex.get(v) as number); // truth index -> graph index

  // --- Predicted lagged set [V, V, Lg] in graph order.
  const predictedG = new Uint8Array(V * V * Lg);
  if (threshold !== undefined) {
    for (let i = 0; i < G.data.length; i++) predictedG[i] = G.data[i] >= threshold ? 1 : 0;
  } else {
    if (!Array.isArray(graph.edges)) throw new InputError("the graph has no edges list");
    for (const e of graph.edges) {
      const ei = graphIndex.get(e.effect);
      const ci = graphIndex.get(e.cause);
      if (ei === undefined || ci === undefined) throw new InputError(`graph edge ${e.cause} -> ${e.effect} names a variable that is not in the graph's "variables"`);
      if (e.lag === 0) continue; // a contemporaneous edge (pcmciplus, varlingam, dynotears): scoring ignores lag 0 (formats.md)
      if (!Number.isInteger(e.lag) || e.lag < 1 || e.lag > Lg) throw new InputError(`graph edge ${e.cause} -> ${e.effect} has lag ${e.lag} outside 1..${Lg}`);
      predictedG[(ei * V + ci) * Lg + (e.lag - 1)] = 1;
    }
  }

  // --- Lagged items [V, V, L] in truth order: score, label, predicted.
  const lagScore = new Float64Array(V * V * L); // -Infinity where the graph has no such lag
  const lagTruth = new Uint8Array(V * V * L);
  const lagPred = new Uint8Array(V * V * L);
  // --- Summary items [V, V] in truth order.
  const sumScore = new Float64Array(V * V).fill(-Infinity);
  const sumTruth = new Uint8Array(V * V);
  const sumPred = new Uint8Array(V * V);
  let beyond = 0;
  for (let e = 0; e < V; e++)
    for (let c = 0; c < V; c++) {
      const pair = e * V + c;
      for (let l = 1; l <= L; l++) {
        const k = pair * L + (l - 1);
        const inGraph = l <= Lg;
        const t = l <= Lt ? getScore(T, e, c, l) : 0;
        lagScore[k] = inGraph ? getScore(G, g[e], g[c], l) : -Infinity;
        lagTruth[k] = t;
        lagPred[k] = inGraph ? predictedG[(g[e] * V + g[c]) * Lg + (l - 1)] : 0;
        if (t && !inGraph) beyond++;
        sumScore[pair] = Math.max(sumScore[pair], lagScore[k]);
        sumTruth[pair] |= t;
        sumPred[pair] |= lagPred[k];
      }
    }
  const truthEdges = sumTruth.reduce((a, b) => a + b, 0);
  if (truthEdges === 0) throw new InputError("the ground truth has no edges: AUROC, AUPRC and recall are undefined");

  const notes: string[] = [];
  /** AUROC and AUPRC of `[n]` items, or nulls with a note when one class is missing. */
  const rank = (name: string, scores: Float64Array, labels: Uint8Array, withAuprc: boolean) => {
    const positives = labels.reduce((a, b) => a + b, 0);
    if (positives === 0 || positives === labels.length) {
      notes.push(`${name} is undefined: all ${labels.length} labels are ${positives === 0 ? "negative" : "positive"}`);
      return { auroc: null, auprc: null };
    }
    return { auroc: aurocUnchecked(scores, labels, positives), auprc: withAuprc ? auprcUnchecked(scores, labels, positives) : null };
  };

  // Lagged figures (skipped for a summary-only truth).
  let lagged: { auroc: number | null; auprc: number | null } = { auroc: null, auprc: null };
  let lagCounts: EdgeCounts | null = null;
  if (truth.summaryOnly) {
    notes.push("lagged metrics are null: the ground truth is summary-only");
  } else {
    lagged = rank("lagged AUROC/AUPRC", lagScore, lagTruth, true);
    lagCounts = confusion(lagPred, lagTruth);
  }
  const lagPrf = lagCounts ? prfFromCounts(lagCounts) : null;

  // Summary, summary without self pairs, skeleton.
  const summary = rank("summary AUROC/AUPRC", sumScore, sumTruth, true);
  const offScore = new Float64Array(V * V - V);
  const offTruth = new Uint8Array(V * V - V);
  const skelScore = new Float64Array((V * (V - 1)) / 2);
  const skelTruth = new Uint8Array((V * (V - 1)) / 2);
  let shdSummary = 0;
  for (let e = 0, o = 0, s = 0; e < V; e++)
    for (let c = 0; c < V; c++) {
      const ec = e * V + c;
      const ce = c * V + e;
      if (e === c) {
        shdSummary += sumPred[ec] !== sumTruth[ec] ? 1 : 0;
        continue;
      }
      offScore[o] = sumScore[ec];
      offTruth[o++] = sumTruth[ec];
      if (c < e) continue; // each unordered pair once (e < c)
      skelScore[s] = Math.max(sumScore[ec], sumScore[ce]);
      skelTruth[s++] = sumTruth[ec] | sumTruth[ce];
      // A pair is one error when its set of directions differs (missing, extra or reversed).
      shdSummary += sumPred[ec] !== sumTruth[ec] || sumPred[ce] !== sumTruth[ce] ? 1 : 0;
    }
  const noSelf = V > 1 ? rank("summary AUROC without self pairs", offScore, offTruth, false) : null;
  if (V === 1) notes.push("summary AUROC without self pairs and skeleton AUROC are undefined for 1 variable");
  const skeleton = V > 1 ? rank("skeleton AUROC", skelScore, skelTruth, false) : null;
  const sumCounts = confusion(sumPred, sumTruth);
  const sumPrf = prfFromCounts(sumCounts);

  return {
    aurocLagged: lagged.auroc,
    aurocSummary: summary.auroc,
    aurocSummaryNoSelf: noSelf?.auroc ?? null,
    aurocSkeleton: skeleton?.auroc ?? null,
    auprcLagged: lagged.auprc,
    auprcSummary: summary.auprc,
    precision: lagPrf?.precision ?? null,
    recall: lagPrf?.recall ?? null,
    f1: lagPrf?.f1 ?? null,
    precisionSummary: sumPrf.precision,
    recallSummary: sumPrf.recall,
    f1Summary: sumPrf.f1,
    shd: lagCounts ? lagCounts.fp + lagCounts.fn : null,
    shdSummary,
    counts: {
      variables: V,
      maxLag: L,
      truthMaxLag: Lt,
      graphMaxLag: Lg,
      truthEdgesBeyondGraphMaxLag: truth.summaryOnly ? 0 : beyond,
      threshold: threshold ?? null,
      lagged: lagCounts,
      summary: sumCounts,
    },
    notes,
  };
}
