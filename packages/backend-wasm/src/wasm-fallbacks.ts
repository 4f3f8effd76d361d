import * as tf from "@tensorflow/tfjs-core";
import { convGradientKernels } from "@causeway/core";

/**
 * Kernels that tfjs-backend-wasm 4.22 does not have but training needs: the filter gradient of every
 * convolution (`tf.conv1d`/`conv2d`/depthwise), the depthwise input gradient, and Einsum. Without
 * them, `tf.grad` through a convolution throws "Kernel 'Conv2DBackpropFilter' not registered for
 * backend 'wasm'". The convolution gradients run as typed-array loops (`conv-gradients.ts`), the
 * rest on tfjs-backend-cpu's kernels.
 */
export const WASM_MISSING_KERNELS: readonly string[] = [
  "Conv2DBackpropFilter",
  "DepthwiseConv2dNativeBackpropFilter",
  "DepthwiseConv2dNativeBackpropInput",
  "Einsum",
];

/** The parts of the cpu and wasm backends used to move data between them. */
interface DataBackend {
  readSync(dataId: object): tf.backend_util.BackendValues;
  disposeData(dataId: object, force?: boolean): boolean;
}
interface CpuBackend extends DataBackend {
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}
interface WasmBackend extends DataBackend {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

/** Run a cpu kernel on wasm tensors: copy the inputs out of the wasm heap, copy the outputs back in. */
function runOnCpu(kernel: tf.KernelConfig, inputs: tf.NamedTensorInfoMap, wasm: WasmBackend, attrs?: tf.NamedAttrMap): tf.TensorInfo | tf.TensorInfo[] {
  const cpu = tf.findBackend("cpu") as unknown as CpuBackend | null;
  if (!cpu) throw new Error(`${kernel.kernelName} on wasm needs the cpu backend registered`);
  const copies: tf.TensorInfo[] = [];
  const cpuInputs: Record<string, tf.TensorInfo> = Array.isArray(inputs) ? ([] as unknown as Record<string, tf.TensorInfo>) : {};
  for (const [key, t] of Object.entries(inputs)) {
    if (!t) continue;
    const copy = cpu.makeTensorInfo(t.shape, t.dtype, wasm.readSync(t.dataId));
    copies.push(copy);
    cpuInputs[key] = copy;
  }
  try {
    const out = kernel.kernelFunc({ inputs: cpuInputs, backend: cpu as unknown as tf.KernelBackend, attrs });
    const outs = Array.isArray(out) ? out : [out];
    const results = outs.map((o) => {
      const values = cpu.readSync(o.dataId);
      cpu.disposeData(o.dataId, true);
      return wasm.makeOutput(o.shape, o.dtype, undefined, values);
    });
    return Array.isArray(out) ? results : results[0];
  } finally {
    for (const c of copies) cpu.disposeData(c.dataId, true);
  }
}

/**
 * Register {@link WASM_MISSING_KERNELS} for wasm (only those still missing, so a newer
 * tfjs-backend-wasm's own kernels win). Needs tfjs-backend-cpu imported first.
 */
export function registerWasmFallbacks(): void {
  const fast = new Map(
    convGradientKernels("wasm", {
      read: (backend, t) => (backend as WasmBackend).readSync(t.dataId) as Float32Array,
      write: (backend, shape, values) => (backend as WasmBackend).makeOutput(shape, "float32", undefined, values),
    }).map((k) => [k.kernelName, k]),
  );
  for (const name of WASM_MISSING_KERNELS) {
    if (tf.getKernel(name, "wasm")) continue;
    const cpuKernel = tf.getKernel(name, "cpu");
    const fastKernel = fast.get(name);
    if (!cpuKernel) continue;
    tf.registerKernel({
      kernelName: name,
      backendName: "wasm",
      kernelFunc: (args) =>
        fastKernel && args.attrs?.dataFormat !== "NCHW"
          ? fastKernel.kernelFunc(args)
          : runOnCpu(cpuKernel, args.inputs, args.backend as unknown as WasmBackend, args.attrs),
    });
  }
}
