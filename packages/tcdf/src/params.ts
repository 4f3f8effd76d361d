// The `tcdf` method's parameters, declared once (CLI flags, server schemas and the viewer's form come from them).
import { param, paramSpecs, type ParamSpec } from "@causeway/core";
import { VALIDATE_EVERY } from "./early-stop.js";

/**
 * Which code computes the training gradients: "wasm" (WebAssembly SIMD step, float32; the
 * default shape only: hiddenLayers 0, kernelSize 4), "js" (typed arrays, float64, any shape),
 * "tensor" (TensorFlow.js ops on the active backend, for GPUs). "auto": tensor on webgpu/cuda,
 * else wasm where it applies, else js.
 */
export type TcdfEngine = "auto" | "wasm" | "js" | "tensor";

/** Defaults: the paper's (Nauta et al. 2019 §5; `runTCDF.py`), plus this package's choices. */
export const TCDF_DEFAULTS = {
  epochs: 1000,
  kernelSize: 4,
  hiddenLayers: 0,
  learningRate: 0.01,
  dilation: 4,
  significance: 0.8,
  validation: "soft",
  instantaneous: true,
  engine: "auto",
  earlyStop: false,
  patience: 10,
} as const;

/** Method parameters (CLI flags and server schemas are generated from them). */
export const TCDF_PARAM_DECLS = {
  epochs: param.integer({ default: TCDF_DEFAULTS.epochs, min: 1, max: 100_000, description: "training epochs (full batch, Adam)" }),
  kernelSize: param.integer({ default: TCDF_DEFAULTS.kernelSize, min: 2, max: 64, description: "convolution kernel size k" }),
  hiddenLayers: param.integer({ default: TCDF_DEFAULTS.hiddenLayers, min: 0, max: 8, description: "hidden layers L of the depthwise convolution stack" }),
  learningRate: param.number({ default: TCDF_DEFAULTS.learningRate, min: 0, max: 1, description: "Adam learning rate" }),
  dilation: param.integer({ default: TCDF_DEFAULTS.dilation, min: 1, max: 64, description: "dilation coefficient c (layer l has dilation c^l)" }),
  significance: param.number({
    default: TCDF_DEFAULTS.significance,
    min: 0,
    max: 1,
    description: "PIVM: a candidate is a cause when, permuted, it leaves at most this fraction of the training loss decrease",
  }),
  validation: param.choice(["soft", "hard"], {
    default: TCDF_DEFAULTS.validation,
    description: "attention while PIVM permutes a candidate: soft (softmax, as the reference code) or hard (HardSoftmax: only candidates feed the network)",
  }),
  instantaneous: param.boolean({
    default: TCDF_DEFAULTS.instantaneous,
    description: "other series also enter at lag 0, as in the paper (delay-0 causes go to meta.unlistedCauses); false: only past values",
  }),
  engine: param.choice(["auto", "wasm", "js", "tensor"], {
    default: TCDF_DEFAULTS.engine,
    description: "gradient code: wasm (SIMD, default shape), js (typed arrays, any shape), tensor (tfjs ops, for GPUs); auto picks",
  }),
  earlyStop: param.boolean({
    default: TCDF_DEFAULTS.earlyStop,
    description: `early stopping: train on the first 80% of each recording, measure the loss on the rest every ${VALIDATE_EVERY} epochs, keep the best epoch`,
  }),
  patience: param.integer({ default: TCDF_DEFAULTS.patience, min: 1, max: 10_000, description: `early stopping: validation checks (every ${VALIDATE_EVERY} epochs) without a lower loss` }),
  targets: param.string({
    default: "",
    description: "effects to fit: comma-separated variable names or 0-based indices (empty: all); other effects' rows score 0 (how worker threads split one run)",
  }),
};

/** The same params as `ParamSpec`s (CLI flags and server schemas). */
export const TCDF_PARAMS: ParamSpec[] = paramSpecs(TCDF_PARAM_DECLS);
