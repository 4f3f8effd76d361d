export { type Label, type Confusion, type PrecisionRecallF1, auroc, auprc, precisionRecallF1 } from "./binary.js";
export { type ScoreGraphOptions, type EdgeCounts, type GraphScore, scoreGraph } from "./graph-score.js";
export {
  type WilcoxonResult,
  type MethodComparison,
  WILCOXON_EXACT_MAX_N,
  wilcoxonSignedRank,
  bonferroni,
  compareMethods,
} from "./wilcoxon.js";
export { type MeanCi, mean, std, median, meanCi95 } from "./stats.js";
export { normalSf, studentTQuantile } from "./distributions.js";
