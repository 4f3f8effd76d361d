export { type RelevanceModel, fullTimes, blockFlops } from "./model.js";
export { type RelevanceScores, relevanceScores, queryTokens, pearson, spearman, correlationScores, randomScores } from "./scores.js";
export {
  type Estimator,
  type RelevanceOptions,
  type RelevanceInput,
  type RelevanceResult,
  ESTIMATORS,
  causalRelevance,
} from "./relevance.js";
export { type AllocationPolicy, type AllocationPlan, TIER, allocate } from "./allocate.js";
export { type PlanRun, applyPlan, planTokens } from "./apply.js";
export { type ConfoundedTaskOptions, type ConfoundedTask, type VariableRole, confoundedTask } from "./task.js";
export { type TrainForPlansOptions, type TrainForPlansHistory, trainForPlans } from "./train.js";
