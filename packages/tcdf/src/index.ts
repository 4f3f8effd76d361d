export { tcdfMethod, tcdfScores, tcdfGraph } from "./method.js";
export {
  fitTcdf,
  trainTcdf,
  interpretTcdf,
  TCDF_PARAMS,
  TCDF_PARAM_DECLS,
  TCDF_DEFAULTS,
  type TcdfOptions,
  type InterpretOptions,
  type TcdfModel,
  type TcdfResult,
  type TcdfCause,
  type TcdfEngine,
} from "./tcdf.js";
export { receptiveField, paramLayout, initParams, softmaxGates, type NetShape, type ParamLayout } from "./network.js";
export { attentionCandidates, hardSoftmax, pivmIsCause, kernelOffset, discoverDelay, offsetProfile, type Candidates } from "./selection.js";
export { wasmStepAvailable } from "./wasm-step.js";
/** Moved to @causeway/core (one Adam for every package); re-exported here for existing imports. */
export { Adam } from "@causeway/core";
