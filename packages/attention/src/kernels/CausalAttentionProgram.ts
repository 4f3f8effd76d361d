/**
 * WGSL programs of the blocked causal attention kernel for TensorFlow.js's `webgpu` backend,
 * run through its `WebGPUProgram` interface (`backend.runWebGPUProgram`).
 *
 * Forward (FlashAttention-2, Dao 2023, Alg. 1): one invocation per query row, a workgroup of
 * ROWS consecutive queries loads key/value tiles of KT rows into workgroup memory; each row keeps
 * a running max and sum; tiles after the workgroup's last query are never loaded.
 * Backward (Alg. 2): dQ with one invocation per query row over the key tiles at or before it,
 * dK/dV with one invocation per key row over the query tiles at or after it, both recomputing
 * `P = exp(S - L)` from the saved logsumexp. Operands are interleaved (q|dO, k|v) so no program
 * binds more than four storage buffers (the WebGPU compatibility-mode minimum).
 *
 * This file runs them; the programs are in webgpu-forward.ts and webgpu-backward.ts, their shared
 * WGSL code generation in webgpu-codegen.ts.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { gradKeyValueProgram, gradQueryProgram, statsProgram } from "./webgpu-backward.js";
import { keyTile, type Program, type Uniform } from "./webgpu-codegen.js";
import { forwardProgram } from "./webgpu-forward.js";

/** Widest head the WGSL path takes; wider heads use the typed-array kernel. */
export const WEBGPU_MAX_DHEAD = 128;

/** The `webgpu` backend methods used here. */
interface WebGPUBackendLike {
  runWebGPUProgram(program: Program, inputs: tf.TensorInfo[], outputDtype: tf.DataType, uniforms?: Uniform[]): tf.TensorInfo;
  disposeData(dataId: object): boolean;
}

/** `out[r, 0:w] = a[r, :]`, `out[r, w:2w] = b[r, :]` for `[rows, w]` operands. */
function interleaveProgram(rows: number, w: number): Program {
  return {
    outputShape: [rows, 2 * w],
    shaderKey: "causalAttentionInterleave",
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil((rows * 2 * w) / 64), 1, 1],
    workgroupSize: [64, 1, 1],
    variableNames: ["a", "b"],
    uniforms: "w : i32,",
    size: true,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let row = index / (2 * uniforms.w);
          let col = index % (2 * uniforms.w);
          if (col < uniforms.w) {
            result[index] = a[row * uniforms.w + col];
          } else {
            result[index] = b[row * uniforms.w + col - uniforms.w];
          }
        }
      }`,
  };
}

/** Columns `start .. start + outShape.last` of a `[rows, width]` operand. */
function sliceColumnsProgram(outShape: number[]): Program {
  const size = outShape.reduce((a, b) => a * b, 1);
  return {
    outputShape: outShape,
    shaderKey: "causalAttentionSliceColumns",
    dispatchLayout: { x: outShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / 64), 1, 1],
    workgroupSize: [64, 1, 1],
    variableNames: ["packed"],
    uniforms: "start : i32, width : i32, cols : i32,",
    size: true,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let row = index / uniforms.cols;
          let col = index % uniforms.cols;
          result[index] = packed[row * uniforms.width + uniforms.start + col];
        }
      }`,
  };
}

/**
 * Bytes of GPU buffers the WGSL path allocates beyond its inputs and outputs (interleaved
 * operands, packed results, row statistics) in a forward + backward pass: O(time x dHead).
 */
export function webgpuScratchBytes(shape: { batch: number; heads: number; time: number; dHead: number }): number {
  const rows = shape.batch * shape.heads * shape.time;
  const d = shape.dHead;
  const forward = 2 * rows * d + rows * (d + 1); // kv, packed [O | L]
  const backward = 2 * rows * d * 3 + 2 * rows; // qdo, kv, dkv, stats
  return 4 * Math.max(forward, backward);
}

/** Run `program` and view its output with another shape of the same size (no copy). */
function reshaped(info: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

function sliceColumns(backend: WebGPUBackendLike, packed: tf.TensorInfo, rows: number, width: number, start: number, outShape: number[]): tf.TensorInfo {
  const cols = outShape.reduce((a, b) => a * b, 1) / rows;
  return backend.runWebGPUProgram(sliceColumnsProgram(outShape), [packed], "float32", [
    { type: "int32", data: [start] },
    { type: "int32", data: [width] },
    { type: "int32", data: [cols] },
  ]);
}

function interleave(backend: WebGPUBackendLike, a: tf.TensorInfo, b: tf.TensorInfo, rows: number, w: number): tf.TensorInfo {
  return backend.runWebGPUProgram(interleaveProgram(rows, w), [reshaped(a, [rows, w]), reshaped(b, [rows, w])], "float32", [{ type: "int32", data: [w] }]);
}

/** Forward on webgpu; returns [out, lse]. */
export function causalAttentionWebgpu(backend: WebGPUBackendLike, q: tf.TensorInfo, k: tf.TensorInfo, v: tf.TensorInfo, scale: number): tf.TensorInfo[] {
  const [B, H, T, d] = q.shape;
  const rows = B * H * T;
  const kt = keyTile(d);
  const kv = interleave(backend, k, v, rows, d);
  const packed = backend.runWebGPUProgram(forwardProgram(rows, T, d, kt), [reshaped(q, [rows, d]), kv], "float32", [
    { type: "int32", data: [T] },
    { type: "float32", data: [scale] },
  ]);
  backend.disposeData(kv.dataId);
  const out = sliceColumns(backend, packed, rows, d + 1, 0, [B, H, T, d]);
  const lse = sliceColumns(backend, packed, rows, d + 1, d, [B, H, T]);
  backend.disposeData(packed.dataId);
  return [out, lse];
}

/** Backward on webgpu; returns [dq, dk, dv]. */
export function causalAttentionGradWebgpu(
  backend: WebGPUBackendLike,
  inputs: { q: tf.TensorInfo; k: tf.TensorInfo; v: tf.TensorInfo; out: tf.TensorInfo; lse: tf.TensorInfo; dy: tf.TensorInfo },
  scale: number,
): tf.TensorInfo[] {
  const { q, k, v, out, lse, dy } = inputs;
  const [B, H, T, d] = q.shape;
  const rows = B * H * T;
  const kt = keyTile(d);
  const uniforms: Uniform[] = [
    { type: "int32", data: [T] },
    { type: "float32", data: [scale] },
  ];
  const qdo = interleave(backend, q, dy, rows, d);
  const kv = interleave(backend, k, v, rows, d);
  const stats = backend.runWebGPUProgram(statsProgram(rows, d), [reshaped(lse, [rows]), reshaped(dy, [rows, d]), reshaped(out, [rows, d])], "float32", [
    { type: "int32", data: [rows] },
  ]);
  const dq = backend.runWebGPUProgram(gradQueryProgram(rows, T, d, kt), [qdo, kv, stats], "float32", uniforms);
  const dkv = backend.runWebGPUProgram(gradKeyValueProgram(rows, T, d, kt), [qdo, kv, stats], "float32", uniforms);
  for (const t of [qdo, kv, stats]) backend.disposeData(t.dataId);
  const dk = sliceColumns(backend, dkv, rows, 2 * d, 0, [B, H, T, d]);
  const dv = sliceColumns(backend, dkv, rows, 2 * d, d, [B, H, T, d]);
  backend.disposeData(dkv.dataId);
  return [reshaped(dq, [B, H, T, d]), dk, dv];
}
