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
