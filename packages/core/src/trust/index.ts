// The trust layer (issue #17): p-values, multiple-testing control, edges selected at alpha.
export { DEFAULT_ALPHA, DEFAULT_CORRECTION, adjustPvalues, checkAlpha } from "./multiple-testing.js";
export { type ContemporaneousResult, type EdgeSelection, selectByPvalue, contemporaneousEdges } from "./edges.js";
export { type RunOne, type BatchEstimate, type BatchOptions, checkRepeatedRuns, runConcurrently } from "./repeat.js";
export {
  type SurrogateTestOptions,
  MAX_SURROGATES,
  checkSurrogateOptions,
  surrogateRunCount,
  checkSurrogateRun,
  surrogateSeries,
  surrogatePvalues,
  withSurrogatePvalues,
} from "./surrogates.js";
export {
  type BootstrapOptions,
  type BootstrapResult,
  MAX_RESAMPLES,
  DEFAULT_INTERVAL_LEVEL,
  blockLengthFromAutocov,
  optimalBlockLength,
  seriesBlockLength,
  bootstrapResample,
  checkResamples,
  bootstrapStability,
  withBootstrap,
} from "./bootstrap.js";
