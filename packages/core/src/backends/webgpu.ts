import type { BackendProvider } from "./registry.js";

/** WebGPU (tfjs-backend-webgpu): the browser's navigator.gpu, or Dawn in Node via the `webgpu` package. */
export const webgpuProvider: BackendProvider = {
  name: "webgpu",
  description: "WebGPU kernels (@tensorflow/tfjs-backend-webgpu; Node: Dawn through the `webgpu` package)",
  async probe() {
    return { available: false, reason: "not implemented yet" };
  },
  async register() {
    throw new Error("webgpu backend not implemented yet");
  },
};
