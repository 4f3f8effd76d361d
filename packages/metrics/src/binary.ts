import { InputError } from "@causeway/core";

/** A binary label: `true`/`1` = positive (edge exists), `false`/`0` = negative. */
export type Label = boolean | number;

/** Confusion counts of a predicted set against the labels. */
export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface PrecisionRecallF1 extends Confusion {
  /** tp / (tp + fp); 0 when nothing is predicted (sklearn's `zero_division=0`). */
  precision: number;
  /** tp / (tp + fn). */
  recall: number;
  /** 2 tp / (2 tp + fp + fn); 0 when precision + recall = 0. */
  f1: number;
}

/** Validated `[n]` labels as 0/1 bytes, with the positive count. */
function checkLabels(labels: ArrayLike<Label>, n: number, metric: string): { y: Uint8Array; positives: number } {
  if (labels.length !== n) throw new InputError(`${metric}: ${n} scores but ${labels.length} labels`);
  const y = new Uint8Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (v === true || v === 1) y[i] = 1;
    else if (v !== false && v !== 0) throw new InputError(`${metric}: label ${i} is ${String(v)}; labels must be true/false or 1/0`);
    positives += y[i];
  }
  return { y, positives };
}

function checkScores(scores: ArrayLike<number>, metric: string): Float64Array {
  const n = scores.length;
  if (n === 0) throw new InputError(`${metric} is undefined for empty input`);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = scores[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(`${metric}: score ${i} is not a finite number: ${String(v)}`);
    s[i] = v;
  }
  return s;
}

/** Both classes must be present for a ranking metric; otherwise a clear error, never NaN. */
function checkBothClasses(metric: string, n: number, positives: number): void {
  if (positives === n) throw new InputError(`${metric} is undefined: all ${n} labels are positive`);
  if (positives === 0) throw new InputError(`${metric} is undefined: all ${n} labels are negative`);
}

/** Indices `[n]` ordered by score, ascending. */
function order(scores: Float64Array): Uint32Array {
  const idx = new Uint32Array(scores.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  return idx.sort((a, b) => scores[a] - scores[b] || a - b);
}

/**
 * ROC AUC in the Mann-Whitney form, without input checks (scores may contain -Infinity,
 * which ranks below everything). Caller guarantees 0 < positives < n.
 * AUC = (R+ - P (P + 1) / 2) / (P N), R+ = sum of the positives' mid-ranks, so a
 * positive-negative tie counts half (Mann & Whitney 1947; Hanley & McNeil 1982, eq. 2).
 */
export function aurocUnchecked(scores: Float64Array, y: Uint8Array, positives: number): number {
  const n = scores.length;
  const idx = order(scores);
  let rankSum = 0; // sum of 1-based mid-ranks of positives
  for (let start = 0; start < n; ) {
    // Tie group [start, end): equal scores share the mid-rank (start + 1 + end) / 2.
    let end = start + 1;
    while (end < n && scores[idx[end]] === scores[idx[start]]) end++;
    let pos = 0;
    for (let k = start; k < end; k++) pos += y[idx[k]];
    rankSum += (pos * (start + 1 + end)) / 2;
    start = end;
  }
  const negatives = n - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Average precision without input checks (scores may contain -Infinity). Caller
 * guarantees positives > 0. AP = sum_k (R_k - R_{k-1}) P_k over distinct thresholds,
 * high to low, R_0 = 0: a tie group is one threshold (sklearn's `average_precision_score`).
 */
export function auprcUnchecked(scores: Float64Array, y: Uint8Array, positives: number): number {
  const n = scores.length;
  const idx = order(scores);
  let tp = 0;
  let ap = 0;
  for (let end = n; end > 0; ) {
    // Tie group [start, end) in ascending order = one threshold, walked from the top.
    let start = end - 1;
    while (start > 0 && scores[idx[start - 1]] === scores[idx[end - 1]]) start--;
    let pos = 0;
    for (let k = start; k < end; k++) pos += y[idx[k]];
    tp += pos;
    const predicted = n - start;
    // Recall rises by pos / P at this threshold; precision there is tp / predicted.
    if (pos > 0) ap += (pos / positives) * (tp / predicted);
    end = start;
  }
  return ap;
}

/**
 * Area under the ROC curve: the probability that a random positive outscores a random
 * negative, ties counting half (Mann-Whitney U / (P N)). O(n log n).
 *
 * @param scores [n] finite; higher = more confident the label is positive
 * @param labels [n] true/1 = positive, false/0 = negative; both classes must occur
 * @example
 * auroc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0]); // 0.75
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<Label>): number {
  const s = checkScores(scores, "AUROC");
  const { y, positives } = checkLabels(labels, s.length, "AUROC");
  checkBothClasses("AUROC", s.length, positives);
  return aurocUnchecked(s, y, positives);
}

/**
 * Average precision (area under the step-wise precision-recall curve), as sklearn's
 * `average_precision_score`: sum over distinct score thresholds, high to low, of
 * (R_k - R_{k-1}) P_k; tied scores form one threshold. O(n log n).
 *
 * @param scores [n] finite
 * @param labels [n] true/1 = positive; both classes must occur
 * @example
 * auprc([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0]); // 0.5 * 1 + 0.5 * 2/3 = 0.8333
 */
export function auprc(scores: ArrayLike<number>, labels: ArrayLike<Label>): number {
  const s = checkScores(scores, "AUPRC");
  const { y, positives } = checkLabels(labels, s.length, "AUPRC");
  checkBothClasses("AUPRC", s.length, positives);
  return auprcUnchecked(s, y, positives);
}

/** Precision, recall and F1 from confusion counts (precision 0 when nothing is predicted). */
export function prfFromCounts(c: Confusion): PrecisionRecallF1 {
  const { tp, fp, fn } = c;
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = tp > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
  return { ...c, precision, recall, f1 };
}

/**
 * Precision, recall and F1 of a predicted set against labels. At least one label must be
 * positive (recall is undefined otherwise); predicting nothing gives precision 0, f1 0.
 *
 * @param predicted [n] true/1 = predicted positive
 * @param labels [n] true/1 = positive
 * @example
 * precisionRecallF1([1, 1, 0, 0], [1, 0, 1, 0]); // { precision: 0.5, recall: 0.5, f1: 0.5, tp: 1, fp: 1, fn: 1, tn: 1 }
 */
export function precisionRecallF1(predicted: ArrayLike<Label>, labels: ArrayLike<Label>): PrecisionRecallF1 {
  const n = labels.length;
  if (n === 0) throw new InputError("precision/recall/F1 are undefined for empty input");
  if (predicted.length !== n) throw new InputError(`precision/recall/F1: ${predicted.length} predictions but ${n} labels`);
  const { y: p } = checkLabels(predicted, n, "precision/recall/F1 (predicted)");
  const { y, positives } = checkLabels(labels, n, "precision/recall/F1");
  if (positives === 0) throw new InputError(`recall is undefined: all ${n} labels are negative`);
  const c: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < n; i++) {
    if (p[i] && y[i]) c.tp++;
    else if (p[i]) c.fp++;
    else if (y[i]) c.fn++;
    else c.tn++;
  }
  return prfFromCounts(c);
}
