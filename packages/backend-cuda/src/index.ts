/**
 * The `cuda` backend for @causeway/core: NVIDIA GPUs through libtensorflow, when the optional
 * `@tensorflow/tfjs-node-gpu` is installed (in this project or the working directory). Importing
 * this package once registers the backend; without tfjs-node-gpu it is listed as unavailable with
 * the install command.
 *
 * @example
 * import "@causeway/backend-cuda";
 * import { probeBackend } from "@causeway/core";
 * console.log(await probeBackend("cuda"));
 */
import { registerBackendProvider } from "@causeway/core";
import { cudaProvider } from "./cuda.js";

registerBackendProvider(cudaProvider);

export { cudaProvider } from "./cuda.js";
