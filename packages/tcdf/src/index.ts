export { tcdfMethod, fitTcdf, tcdfScores, TCDF_PARAMS, type TcdfOptions, type TcdfResult, type TcdfCause, type TcdfEngine } from "./tcdf.js";
export { receptiveField, paramLayout, initParams, softmaxGates, type NetShape, type ParamLayout } from "./network.js";
export { attentionCandidates, hardSoftmax, pivmIsCause, kernelOffset, discoverDelay, offsetProfile, type Candidates } from "./selection.js";
export { Adam } from "./adam.js";
