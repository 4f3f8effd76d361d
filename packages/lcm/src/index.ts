export { type LcmArchitecture, DEFAULT_ARCHITECTURE, PAPER_ARCHITECTURE, resolveArchitecture } from "./config.js";
export {
  type LcmInput,
  PAD_STD,
  minMaxNormalize,
  laggedCrossCorrelation,
  laggedPartialCorrelation,
  EDGE_FEATURES,
  edgeFeatures,
  modelFeatures,
  slotStatistics,
  type LcmFeatures,
  buildInput,
  windowStarts,
  coveringSubsets,
} from "./features.js";
export { type BatchMoments, type LcmBatch, type LcmBatchBuffers, LcmModel } from "./model.js";
export {
  type MixtureWeights,
  type DataRecipe,
  type SeriesPair,
  type TrainingExample,
  type DataShape,
  DEFAULT_RECIPE,
  mix,
  samplePair,
  labelTensor,
  prepareExample,
  validationSet,
  TrainingPool,
} from "./data.js";
export {
  type LcmModelJson,
  type SerializedModel,
  MODEL_FORMAT,
  WEIGHTS_FILE,
  DEFAULT_MODEL_NAME,
  V1_MODEL_NAME,
  SHIPPED_MODELS,
  shippedModelUrl,
  serializeModel,
  deserializeModel,
  saveModel,
  loadModel,
  defaultModelUrl,
  loadDefaultModel,
} from "./io.js";
export {
  type TrainConfig,
  type TrainOptions,
  type TrainResult,
  type ValidationPoint,
  DEFAULT_TRAIN_CONFIG,
  resolveTrainConfig,
  learningRate,
  lcmLoss,
  stack,
  batchBuffers,
  validationAuroc,
  trainLcm,
} from "./train.js";
export { type PredictOptions, type PredictInfo, predictScores, forwardPasses } from "./infer.js";
export { lcmMethod } from "./method.js";
export { type FeatureSet, type FeatureTable, type FeatureOptions, FEATURE_SETS, featureNames, featureTable, defaultMaxConds, pairContext } from "./v2/features.js";
export { zColumns, laggedCross, varTStats, mciStats, type VarT, type MciStats } from "./v2/stats.js";
export { MODEL_V2_FORMAT, type LcmV2Json, type TrainedRange, LcmV2Model, predictV2 } from "./v2/model.js";
export { V2_FAMILIES, type V2Family, type V2Ranges, type V2Sample, DEFAULT_V2_RANGES, TRAIN_SEED_FLOOR, sampleV2, labelsV2 } from "./v2/data.js";
export { type TrainV2Config, type TrainV2Result, type V2EpochLog, type RowSet, DEFAULT_V2_CONFIG, RAW_STATISTICS, resolveV2Config, buildRows, familyAuroc, trainLcmV2 } from "./v2/train.js";
export { type AnyLcmModel, loadV2Model, loadAnyModelOnce, loadDefaultV2Model } from "./v2/io.js";
