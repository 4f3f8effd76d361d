export { type TransformerConfig, type EncodeOptions, type EncodeResult, CausalTransformer, timeMask } from "./model.js";
export { type TrainOptions, type TrainHistory, MODEL_DEFAULTS, TRAIN_DEFAULTS, trainTransformer, windows, resolveConfig, evaluate } from "./train.js";
