/**
 * The `wasm` backend for @causeway/core: TensorFlow.js's WebAssembly kernels (XNNPACK, SIMD).
 * Importing this package once registers the backend, after which `useBackend("wasm")` (and
 * `auto`) can use it:
 *
 * @example
 * import "@causeway/backend-wasm";
 * import { useBackend } from "@causeway/core";
 * await useBackend("wasm");
 */
import { registerBackendProvider } from "@causeway/core";
import { wasmProvider } from "./wasm.js";

registerBackendProvider(wasmProvider);

export { wasmProvider } from "./wasm.js";
export { WASM_MISSING_KERNELS, registerWasmFallbacks } from "./wasm-fallbacks.js";
