/**
 * The blocked causal attention kernel as a TensorFlow.js custom kernel: `CausalAttention`
 * (inputs q, k, v; outputs out and the per-row logsumexp) and `CausalAttentionGrad` (its
 * FlashAttention-2 backward), with a registered gradient tying them together.
 *
 * `cpu` and `wasm` (and tfjs-node's `tensorflow`) run the typed-array kernels: the WebAssembly
 * SIMD module where the runtime has SIMD, else the pure reference `causalAttentionImpl`.
 * `webgpu` runs WGSL programs (CausalAttentionProgram.ts).
 */
import * as tf from "@tensorflow/tfjs-core";
import { causalAttentionGradImpl, causalAttentionImpl, type AttentionShape } from "./causal-attention-impl.js";
import { causalAttentionGradSimd, causalAttentionSimd, simdKernel, simdWorkingSetBytes } from "./causal-attention-simd.js";
import { WEBGPU_MAX_DHEAD, causalAttentionGradWebgpu, causalAttentionWebgpu, webgpuScratchBytes } from "./CausalAttentionProgram.js";

export const CAUSAL_ATTENTION = "CausalAttention";
export const CAUSAL_ATTENTION_GRAD = "CausalAttentionGrad";

/** Attributes of both kernels. */
export interface CausalAttentionAttrs extends tf.NamedAttrMap {
  /** Score scale, usually `1 / sqrt(dHead)`. */
  scale: number;
}

/** Which implementation the typed-array kernels use. */
export type TypedKernelVariant = "simd" | "reference";

/** Kernel variant for the typed-array backends: "simd" (default, falls back to "reference" without SIMD) or "reference". */
let variant: TypedKernelVariant = "simd";

/** Choose the typed-array implementation (tests and benchmarks compare them); returns the previous one. */
export function setTypedKernelVariant(v: TypedKernelVariant): TypedKernelVariant {
  const prev = variant;
  variant = v;
  return prev;
}

/** The backend methods the typed-array kernels use (every tfjs backend has them). */
interface TypedBackend {
  readSync(dataId: object): tf.backend_util.BackendValues;
  write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): object;
}

/** Read a float32 tensor's values from any backend (a view on cpu, a copy on wasm). */
function readF32(backend: TypedBackend, t: tf.TensorInfo): Float32Array {
  const values = backend.readSync(t.dataId);
  if (!(values instanceof Float32Array)) throw new Error(`CausalAttention: expected float32 input, got ${t.dtype}`);
  return values;
}

/** Hand a computed Float32Array to the backend as a new output tensor. */
function writeF32(backend: TypedBackend, shape: number[], values: Float32Array): tf.TensorInfo {
  return { dataId: backend.write(values, shape, "float32"), shape, dtype: "float32" };
}

/** The named inputs of a kernel call, checked present. */
function inputsOf<K extends string>(inputs: tf.NamedTensorInfoMap, names: readonly K[]): Record<K, tf.TensorInfo> {
  const out = {} as Record<K, tf.TensorInfo>;
  for (const n of names) {
    const t = inputs[n];
    if (!t) throw new Error(`CausalAttention: missing input "${n}"`);
    out[n] = t;
  }
  return out;
}

const FORWARD_INPUTS = ["q", "k", "v"] as const;
const BACKWARD_INPUTS = ["q", "k", "v", "out", "lse", "dy"] as const;

function shapeOf(q: tf.TensorInfo): AttentionShape {
  const [batch, heads, time, dHead] = q.shape;
  return { batch, heads, time, dHead };
}

const typedForward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as TypedBackend;
  const { q, k, v } = inputsOf(inputs, FORWARD_INPUTS);
  const { scale } = attrs as CausalAttentionAttrs;
  const shape = shapeOf(q);
  const [qa, ka, va] = [readF32(b, q), readF32(b, k), readF32(b, v)];
  const res = (variant === "simd" ? causalAttentionSimd(qa, ka, va, shape, scale) : null) ?? causalAttentionImpl(qa, ka, va, shape, scale);
  return [writeF32(b, q.shape, res.out), writeF32(b, q.shape.slice(0, 3), res.lse)];
};

const typedBackward: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const b = backend as unknown as TypedBackend;
  const { q, k, v, out, lse, dy } = inputsOf(inputs, BACKWARD_INPUTS);
  const { scale } = attrs as CausalAttentionAttrs;
  const shape = shapeOf(q);
  const a = [q, k, v, out, lse, dy].map((t) => readF32(b, t));
  const res =
    (variant === "simd" ? causalAttentionGradSimd(a[0], a[1], a[2], a[3], a[4], a[5], shape, scale) : null) ??
    causalAttentionGradImpl(a[0], a[1], a[2], a[3], a[4], a[5], shape, scale);
  return [writeF32(b, q.shape, res.dq), writeF32(b, q.shape, res.dk), writeF32(b, q.shape, res.dv)];
};

/** `CausalAttention` on the `cpu` backend (typed arrays). */
export const causalAttentionConfig: tf.KernelConfig = { kernelName: CAUSAL_ATTENTION, backendName: "cpu", kernelFunc: typedForward };
/** `CausalAttention` on the `wasm` backend (typed arrays copied out of and into its heap). */
export const causalAttentionWasmConfig: tf.KernelConfig = { kernelName: CAUSAL_ATTENTION, backendName: "wasm", kernelFunc: typedForward };
/** `CausalAttentionGrad` on the `cpu` backend. */
export const causalAttentionGradConfig: tf.KernelConfig = { kernelName: CAUSAL_ATTENTION_GRAD, backendName: "cpu", kernelFunc: typedBackward };
/** `CausalAttentionGrad` on the `wasm` backend. */
export const causalAttentionGradWasmConfig: tf.KernelConfig = { kernelName: CAUSAL_ATTENTION_GRAD, backendName: "wasm", kernelFunc: typedBackward };

type WebgpuBackend = Parameters<typeof causalAttentionWebgpu>[0];

/** `CausalAttention` on `webgpu` (WGSL), for heads up to WEBGPU_MAX_DHEAD wide. */
export const causalAttentionWebgpuConfig: tf.KernelConfig = {
  kernelName: CAUSAL_ATTENTION,
  backendName: "webgpu",
  kernelFunc: (args) => {
    const { q, k, v } = inputsOf(args.inputs, FORWARD_INPUTS);
    return causalAttentionWebgpu(args.backend as WebgpuBackend, q, k, v, (args.attrs as CausalAttentionAttrs).scale);
  },
};

/** `CausalAttentionGrad` on `webgpu` (WGSL). */
export const causalAttentionGradWebgpuConfig: tf.KernelConfig = {
  kernelName: CAUSAL_ATTENTION_GRAD,
  backendName: "webgpu",
  kernelFunc: (args) => {
    const { q, k, v, out, lse, dy } = inputsOf(args.inputs, BACKWARD_INPUTS);
    return causalAttentionGradWebgpu(args.backend as WebgpuBackend, { q, k, v, out, lse, dy }, (args.attrs as CausalAttentionAttrs).scale);
  },
};

/**
 * Gradient of `CausalAttention`: one `CausalAttentionGrad` call yields dq, dk and dv from the
 * saved inputs, output and logsumexp. The logsumexp output is auxiliary: its gradient is ignored.
 */
export const causalAttentionGradientConfig: tf.GradConfig = {
  kernelName: CAUSAL_ATTENTION,
  inputsToSave: ["q", "k", "v"],
  outputsToSave: [true, true],
  gradFunc: (dys, saved, attrs) => {
    const dy = Array.isArray(dys) ? dys[0] : dys;
    const [q, k, v, out, lse] = saved;
    // computed eagerly: the engine's backward scope disposes whichever gradient goes unused
    const [dq, dk, dv] = tf.engine().runKernel(CAUSAL_ATTENTION_GRAD, { q, k, v, out, lse, dy }, attrs) as tf.Tensor[];
    return { q: () => dq, k: () => dk, v: () => dv };
  },
};

const KERNELS: tf.KernelConfig[] = [
  causalAttentionConfig,
  causalAttentionWasmConfig,
  { ...causalAttentionConfig, backendName: "tensorflow" },
  causalAttentionGradConfig,
  causalAttentionGradWasmConfig,
  { ...causalAttentionGradConfig, backendName: "tensorflow" },
  causalAttentionWebgpuConfig,
  causalAttentionGradWebgpuConfig,
];

let registered = false;

/**
 * Register the kernels and the gradient with TensorFlow.js (idempotent; `causalAttention` calls
 * it). Registration is per backend name, so it may happen before the backends load.
 */
export function registerCausalAttentionKernels(): void {
  if (registered) return;
  for (const config of KERNELS) if (!tf.getKernel(config.kernelName, config.backendName)) tf.registerKernel(config);
  if (!tf.getGradient(CAUSAL_ATTENTION)) tf.registerGradient(causalAttentionGradientConfig);
  registered = true;
}

/**
 * Whether the blocked kernel runs on `backendName` (default: the active one) for heads `dHead`
 * wide; where it does not, `causalAttention` composes tfjs ops instead.
 */
export function hasCausalAttentionKernel(backendName: string = tf.getBackend(), dHead = 1): boolean {
  registerCausalAttentionKernels();
  if (backendName === "webgpu" && dHead > WEBGPU_MAX_DHEAD) return false;
  return tf.getKernel(CAUSAL_ATTENTION, backendName) != null;
}

/**
 * Bytes the blocked kernel allocates outside TensorFlow.js's tensor accounting (`tf.memory()`)
 * during one forward + backward pass at `shape` on `backendName`: the SIMD module's working set,
 * the reference kernel's float64 gradient accumulators, or the WebGPU intermediates. Transient
 * JavaScript copies of inputs and outputs (a few times the input size) are not counted.
 */
export function blockedKernelScratchBytes(backendName: string, shape: AttentionShape): number {
  if (backendName === "webgpu") return webgpuScratchBytes(shape);
  if (variant === "simd" && simdKernel()) return simdWorkingSetBytes(shape);
  const n = shape.batch * shape.heads * shape.time * shape.dHead;
  return 8 * (3 * n + n / shape.dHead);
}
