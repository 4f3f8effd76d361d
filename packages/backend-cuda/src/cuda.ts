import type { BackendProvider } from "@causeway/core";

const INSTALL_HINT =
  "install the optional native backend next to your project: `npm install @tensorflow/tfjs-node-gpu@4.22.0` (needs CUDA 11.2 + cuDNN 8.1 and network access to download libtensorflow at install time)";

/** The native package, named by a variable so that bundlers leave this Node-only import alone. */
const NODE_GPU_PACKAGE: string = "@tensorflow/tfjs-node-gpu";

/** Load tfjs-node-gpu from this package or from the working directory, whichever has it. */
async function loadNodeGpu(): Promise<unknown> {
  try {
    return await import(/* @vite-ignore */ NODE_GPU_PACKAGE);
  } catch (first) {
    try {
      // process.getBuiltinModule (Node >= 20.16), not an import: this module is also bundled for browsers.
      const nodeModule = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.("node:module") as
        | { createRequire(path: string): NodeJS.Require }
        | undefined;
      if (!nodeModule) throw first;
      const req = nodeModule.createRequire(`${process.cwd()}/`);
      return req(req.resolve("@tensorflow/tfjs-node-gpu"));
    } catch {
      throw first;
    }
  }
}

/** NVIDIA GPUs through libtensorflow (@tensorflow/tfjs-node-gpu), when installed. */
export const cudaProvider: BackendProvider = {
  name: "cuda",
  description: "NVIDIA GPU through libtensorflow (@tensorflow/tfjs-node-gpu, optional)",
  tfName: "tensorflow",
  async probe() {
    if (typeof process === "undefined" || !process.versions?.node) return { available: false, reason: "cuda needs Node.js", fix: "use webgpu in the browser" };
    try {
      await loadNodeGpu();
    } catch (e) {
      const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
      const missing = /Cannot find (module|package)/.test(msg);
      return {
        available: false,
        reason: missing ? "@tensorflow/tfjs-node-gpu is not installed" : `@tensorflow/tfjs-node-gpu is installed but failed to load: ${msg}`,
        fix: INSTALL_HINT,
      };
    }
    return { available: true, fast: true };
  },
  async register() {
    // tfjs-node-gpu registers itself with the engine as "tensorflow" on import.
    await loadNodeGpu();
  },
};
