/**
 * The `webgpu` backend for @causeway/core: TensorFlow.js's WebGPU kernels, on the browser's
 * `navigator.gpu` or, in Node, on Dawn through the optional `webgpu` package. Importing this
 * package once registers the backend; `useBackend("webgpu")` then uses it.
 *
 * @example
 * import "@causeway/backend-webgpu";
 * import { listBackends } from "@causeway/core";
 * console.log((await listBackends()).find((b) => b.name === "webgpu"));
 */
import { registerBackendProvider } from "@causeway/core";
import { webgpuProvider } from "./webgpu.js";

registerBackendProvider(webgpuProvider);

export { type AdapterInfoLike, MESA_PACKAGES, webgpuProvider, isSoftwareAdapter, describeAdapter, missingMesaPackages, linuxGpuDevicePresent } from "./webgpu.js";
