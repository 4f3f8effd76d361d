export type { TimeSeries, LaggedEdge, ScoredEdge, Orientation, GroundTruth, GraphMeta, CausalGraph, GraphWarning, WarningCode, Correction, SurrogateKind } from "./types.js";
export { WARNING_CODES, CORRECTIONS, SURROGATE_KINDS } from "./types.js";
export { InputError, AbortError, throwIfAborted, yieldToEventLoop } from "./errors.js";
export { Rng } from "./random.js";
export {
  type ScoreTensor,
  type BuildGraphOptions,
  createScores,
  scoreIndex,
  getScore,
  setScore,
  summarize,
  scoresToNested,
  scoresFromNested,
  thresholdEdges,
  rankEdges,
  buildGraph,
  truthTensor,
  sameEdge,
} from "./graph.js";
export {
  type Budget,
  type BudgetName,
  type BudgetPresets,
  type BudgetMeta,
  BUDGET_NAMES,
  parseBudget,
  takesBudget,
  checkBudget,
  budgetPreset,
  budgetApplied,
  budgetWarning,
  Deadline,
  validationSplit,
  EarlyStopping,
} from "./budget.js";
export { type ProgressEvent, type ProgressCallback, progressReporter, etaSeconds, formatDuration } from "./progress.js";
export {
  type DiscoverOptions,
  type ParamSpec,
  type Discoverer,
  type MethodInfo,
  type MethodReach,
  describeMethod,
  registerMethod,
  getMethod,
  listMethods,
  resolveParams,
  validateDiscoverInput,
} from "./discoverer.js";
export {
  type BackendName,
  type BackendChoice,
  type BackendProbe,
  type BackendProvider,
  type BackendStatus,
  BACKEND_NAMES,
  BACKEND_PACKAGES,
  BackendUnavailableError,
  registerBackendProvider,
  probeBackend,
  listBackends,
  resolveBackend,
  ensureGradients,
  useBackend,
  activeBackend,
  currentBackend,
  shutdownBackends,
} from "./backends/registry.js";
// for backend packages that lack fast convolution gradients (@causeway/backend-wasm)
export { type TensorIo, convGradientKernels } from "./backends/conv-gradients.js";
export {
  type RunShape,
  type RunEstimate,
  type SamplesNeeded,
  type RunLimits,
  type RunCheck,
  DEFAULT_RUN_LIMITS,
  GRAPH_BYTES_PER_SCORE,
  LimitError,
  graphBytes,
  seriesBytes,
  comfortableRows,
  runLimits,
  formatBytes,
  checkRun,
  prepareRun,
} from "./limits.js";
export {
  type RawParam,
  type ParamDecl,
  type ParamDecls,
  type ParamValues,
  type MethodContext,
  type MethodResult,
  type MethodDefinition,
  param,
  paramSpecs,
  readParams,
  resolveTypedParams,
  defineMethod,
} from "./define-method.js";
export { corrMethod, laggedCorrelation } from "./methods/corr.js";
export { resolveTargets } from "./targets.js";
export { type MethodStage, type StageExecutor, runStage } from "./stages.js";
export { segmentBounds, countMissing, hasSegments, hasMissing, validateLayout, validTargetRows, possibleTargetRows } from "./samples.js";
export * from "./io/index.js";
export * from "./numeric/index.js";
export * from "./transform.js";
// the assumption checks prepareRun runs before every method (stationarity, breaks, collinearity, reach)
export {
  type StationarityReport,
  type ReachContext,
  type AdfResult,
  type KpssResult,
  type BreakResult,
  type CollinearResult,
  dataWarnings,
  assumptionWarnings,
  reachWarnings,
  stationarityReports,
  adfTest,
  kpssTest,
  mackinnonP,
  kpssPValue,
  levelBreakTest,
  varianceBreakTest,
  collinearity,
  FAMILY_LEVEL,
  BREAK_LEVEL,
  ADF_LEVEL,
  COLLINEAR_CONDITION,
} from "./checks/index.js";
export * from "./trust/index.js";
