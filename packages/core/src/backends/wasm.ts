import * as tf from "@tensorflow/tfjs-core";
import type { BackendProvider } from "./registry.js";

/**
 * WebAssembly kernels (tfjs-backend-wasm, XNNPACK). SIMD is used when the runtime has it;
 * threads only where SharedArrayBuffer and cross-origin isolation exist (tfjs disables them in Node).
 * The .wasm binaries are resolved from the installed package: nothing is fetched from the network.
 */
export const wasmProvider: BackendProvider = {
  name: "wasm",
  description: "WebAssembly + XNNPACK kernels (@tensorflow/tfjs-backend-wasm)",
  async probe() {
    if (typeof WebAssembly !== "object") return { available: false, reason: "this runtime has no WebAssembly" };
    await import("@tensorflow/tfjs-backend-wasm");
    const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    const threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
    return { available: true, fast: true, detail: `simd ${simd ? "yes" : "no"}, threads ${threads ? "yes" : "no"}` };
  },
  async register() {
    await import("@tensorflow/tfjs-backend-wasm");
  },
};
