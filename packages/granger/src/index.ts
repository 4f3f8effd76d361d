export { logGamma, logBeta, logBetaInc, betaInc, logFSurvival, fSurvival, fCdf } from "./special.js";
export {
  type InfoCriterion,
  type VarGrangerOptions,
  type VarGrangerResult,
  type OrderCriteria,
  INFO_CRITERIA,
  varGranger,
  varScores,
  varMethod,
} from "./var.js";
