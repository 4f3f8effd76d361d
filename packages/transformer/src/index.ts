export { type TransformerConfig, type EncodeOptions, type ForwardOptions, type EncodeResult, CausalTransformer, timeMask, fastGelu, bmm, detach, selectTokens } from "./model.js";
export { type RidgeHighway, leastSquaresHighway, RIDGE_GRID, ridgeHighway } from "./highway.js";
export { type FitStep, type EarlyStoppingFit, type FitHistory, fitEarlyStopping } from "./fit.js";
export {
  type TrainOptions,
  type TrainHistory,
  type Predictor,
  MODEL_DEFAULTS,
  TRAIN_DEFAULTS,
  trainTransformer,
  trainPredictor,
  windows,
  resolveConfig,
  evaluate,
} from "./train.js";
export { type AttributionRule, type GradientAttributionOptions, type GradientAttributionsOptions, type Normalisation, ATTRIBUTION_RULES, NORMALISATIONS, gradientAttribution, gradientAttributions, normalizeGlobal, normalizePerEffect } from "./gradient.js";
export { type CausalformerConfig, CausalformerModel, attentionScores } from "./attention-readout.js";
export {
  type Readout,
  type Highway,
  HIGHWAYS,
  type FitTransformerOptions,
  type TransformerFit,
  type TransformerParams,
  READOUTS,
  TRANSFORMER_DEFAULTS,
  TRANSFORMER_PARAMS,
  TRANSFORMER_PARAM_DECLS,
  fitTransformer,
  transformerMethod,
} from "./discover.js";
