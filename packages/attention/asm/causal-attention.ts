// AssemblyScript source of the WebAssembly SIMD causal attention kernel (forward and backward)
// behind `@causeway/attention`'s `cpu`/`wasm` CausalAttention kernels.
//
// Regenerate the committed module (src/kernels/causal-attention-wasm.ts) after editing:
//   node scripts/build-wasm.mjs
//
// One call handles one (batch, head) slice. Every operand is f32, row-major `[tp][dp]`, with the
// time padded to a multiple of TILE (`tp`) and the head width padded to a multiple of 4 (`dp`);
// the caller zero-fills the padding, which leaves the real rows' results unchanged.
// Forward: FlashAttention-2 (Dao 2023) Algorithm 1; backward: Algorithm 2.
// The tile size and vector helpers are in common.ts, the passes in forward.ts and backward.ts.

export { tile } from "./common";
export { forward } from "./forward";
export { backward } from "./backward";
