export { MASK_VALUE, causalMask } from "./mask.js";
export { sinusoidalPositionalEncoding } from "./positional.js";
export { type AttentionOptions, scaledDotProductAttention, attentionWeights } from "./attention.js";
export { type AttentionKernel, type CausalAttentionOptions, causalAttention } from "./causal-attention.js";
export { type SeedLike, type Module, Linear, LayerNorm, linear, dense, layerNorm, gelu } from "./linear.js";
export {
  type MultiHeadAttentionOptions,
  type MultiHeadAttentionCall,
  type CrossVariableAttentionOptions,
  type CrossVariableAttentionResult,
  type TransformerBlockOptions,
  MultiHeadAttention,
  CrossVariableAttention,
  TransformerBlock,
  multiHeadAttention,
  crossVariableAttention,
  transformerBlock,
} from "./layers.js";
export {
  type CausalAttentionAttrs,
  type TypedKernelVariant,
  CAUSAL_ATTENTION,
  CAUSAL_ATTENTION_GRAD,
  causalAttentionConfig,
  causalAttentionWasmConfig,
  causalAttentionGradConfig,
  causalAttentionGradWasmConfig,
  causalAttentionWebgpuConfig,
  causalAttentionGradWebgpuConfig,
  causalAttentionGradientConfig,
  registerCausalAttentionKernels,
  hasCausalAttentionKernel,
  blockedKernelScratchBytes,
  setTypedKernelVariant,
} from "./kernels/CausalAttention.js";
export {
  type AttentionShape,
  type CausalAttentionForward,
  type CausalAttentionGrads,
  causalAttentionImpl,
  causalAttentionGradImpl,
} from "./kernels/causal-attention-impl.js";
export { causalAttentionSimd, causalAttentionGradSimd, prepareSimdKernel } from "./kernels/causal-attention-simd.js";
