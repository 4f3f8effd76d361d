/** Moved to @causeway/core (one copy of the special functions); re-exported here for existing imports. */
export { logGamma, logBeta, logBetaInc, betaInc, logFSurvival, fSurvival, fCdf } from "@causeway/core";
export {
  type InfoCriterion,
  type VarGrangerOptions,
  type VarGrangerResult,
  type OrderCriteria,
  INFO_CRITERIA,
  type VarTest,
  VAR_TESTS,
  varGranger,
  varScores,
  varPvalues,
  pairwiseTensors,
  minusLog10,
  varMethod,
} from "./var.js";
export { type PairwiseGrangerOptions, type PairwiseGrangerResult, pairwiseGranger } from "./var-pairwise.js";
export { type GroupPenalty, type GroupShape, GROUP_PENALTIES, proxGroups, groupPenalties, lagNorms } from "./neural/prox.js";
export { type NeuralOptimizer, type BatchedProblem, type TrainerOptions, NEURAL_OPTIMIZERS, BatchedTrainer } from "./neural/ista.js";
export { LAMBDA_REF, LambdaPath } from "./neural/path.js";
export { type NeuralOptions, type NeuralSettings, type NeuralDefaults, type NeuralParams, neuralSettings, neuralParams, neuralParamSpecs } from "./neural/settings.js";
export { type NeuralFit, NONZERO_THRESHOLD } from "./neural/discover.js";
export { CMLP_DEFAULTS, CmlpProblem, laggedDesign, fitCmlp, cmlpMethod } from "./cmlp.js";
export { resolveTargets } from "./neural/targets.js";
export { CLSTM_DEFAULTS, CLSTM_CONTEXT, type ClstmOptions, ClstmProblem, lstmWindows, windowStarts, fitClstm, clstmMethod } from "./clstm.js";
