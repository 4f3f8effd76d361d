import * as tf from "@tensorflow/tfjs-core";
import type { BackendProvider } from "@causeway/core";
import { registerWasmFallbacks } from "./wasm-fallbacks.js";

/**
 * WebAssembly kernels (tfjs-backend-wasm, XNNPACK). SIMD is used when the runtime has it (Node 16+,
 * every current browser). Threads need SharedArrayBuffer plus cross-origin isolation (COOP/COEP
 * headers) in a browser; tfjs-backend-wasm never uses them in Node (tensorflow/tfjs#3830).
 *
 * In Node the .wasm binaries are read from the installed package with `fs` (no network, no
 * `setWasmPaths`). In a browser bundle, serve the package's `dist/*.wasm` files and call
 * `setWasmPaths(url)` from `@tensorflow/tfjs-backend-wasm` before `useBackend("wasm")`.
 *
 * Kernels wasm lacks but training needs (convolution filter gradients, Einsum) run on the cpu
 * kernels, see `wasm-fallbacks.ts`.
 */
export const wasmProvider: BackendProvider = {
  name: "wasm",
  description: "WebAssembly + XNNPACK kernels (@tensorflow/tfjs-backend-wasm)",
  async probe() {
    if (typeof WebAssembly !== "object") return { available: false, reason: "this runtime has no WebAssembly" };
    await import("@tensorflow/tfjs-backend-wasm");
    const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    const threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
    const isNode = typeof process !== "undefined" && typeof process.versions?.node === "string";
    const threadNote = threads ? "threads yes" : isNode ? "threads no (tfjs-backend-wasm runs single-threaded in Node)" : "threads no (needs cross-origin isolation: COOP/COEP headers)";
    return { available: true, fast: true, detail: `simd ${simd ? "yes" : "no"}, ${threadNote}` };
  },
  async register() {
    // The cpu kernels back the few kernels wasm lacks.
    await import("@tensorflow/tfjs-backend-cpu");
    await import("@tensorflow/tfjs-backend-wasm");
    registerWasmFallbacks();
  },
};
