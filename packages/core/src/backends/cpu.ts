import * as tf from "@tensorflow/tfjs-core";
import { useFastCpuConvGradients } from "./conv-gradients.js";
import type { BackendProvider } from "./registry.js";

/** Pure-JavaScript kernels (tfjs-backend-cpu): always available, slowest. */
export const cpuProvider: BackendProvider = {
  name: "cpu",
  description: "pure JavaScript kernels (@tensorflow/tfjs-backend-cpu)",
  async probe() {
    return { available: true, fast: true };
  },
  async register() {
    await import("@tensorflow/tfjs-backend-cpu");
    // tfjs's cpu convolution-gradient kernels take ~35 s for one conv1d gradient at B16 T256 C64: use typed-array loops.
    useFastCpuConvGradients();
    // Silence tfjs's one-time "install tfjs-node" banner on the first tensor write.
    const backend = tf.findBackend("cpu") as { firstUse?: boolean } | null;
    if (backend) backend.firstUse = false;
  },
};
