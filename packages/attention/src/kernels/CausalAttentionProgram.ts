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
 */
import type * as tf from "@tensorflow/tfjs-core";

/** Query (or key) rows per workgroup: one invocation each. */
const ROWS = 64;
/** Widest head the WGSL path takes; wider heads use the typed-array kernel. */
export const WEBGPU_MAX_DHEAD = 128;

/** The subset of tfjs-backend-webgpu's `WebGPUProgram` these programs fill in. */
interface Program {
  outputShape: number[];
  shaderKey: string;
  /** A `y` entry makes tfjs call `main()` without a flat index (the row programs index by workgroup). */
  dispatchLayout: { x: number[]; y?: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  variableNames: string[];
  uniforms?: string;
  size?: boolean;
  getUserCode(): string;
}

type Uniform = { type: "float32" | "int32"; data: number[] };

/** The `webgpu` backend methods used here. */
interface WebGPUBackendLike {
  runWebGPUProgram(program: Program, inputs: tf.TensorInfo[], outputDtype: tf.DataType, uniforms?: Uniform[]): tf.TensorInfo;
  disposeData(dataId: object): boolean;
}

/** Key rows per workgroup-memory tile, so that tiles fit in 16 KiB of workgroup storage. */
function keyTile(d: number): number {
  return d <= 64 ? 16 : 8;
}

/** Flat index of this workgroup, valid however tfjs reshapes a large dispatch. */
const WORKGROUP_INDEX = "i32(workgroupId.z * numWorkgroups.x * numWorkgroups.y + workgroupId.y * numWorkgroups.x + workgroupId.x)";

const ROW_LAYOUT = { x: [0], y: [1] };

/** One workgroup per block of ROWS rows of each (batch, head). */
function rowsDispatch(bh: number, T: number): [number, number, number] {
  return [bh * Math.ceil(T / ROWS), 1, 1];
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

/** Per row: `[L_i, D_i]` with `D_i = rowsum(dO_i * O_i)` (Alg. 2, line 4). */
function statsProgram(rows: number, d: number): Program {
  return {
    outputShape: [rows, 2],
    shaderKey: `causalAttentionStats_${d}`,
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil(rows / 64), 1, 1],
    workgroupSize: [64, 1, 1],
    variableNames: ["lse", "dy", "o"],
    uniforms: "rows : i32,",
    getUserCode: () => `
      const D = ${d};
      fn main(index : i32) {
        if (index < uniforms.rows) {
          var acc = 0.0;
          for (var e = 0; e < D; e++) {
            acc += dy[index * D + e] * o[index * D + e];
          }
          result[2 * index] = lse[index];
          result[2 * index + 1] = acc;
        }
      }`,
  };
}

/** Common prologue: which (batch*head, row) this invocation owns. */
function rowPrologue(): string {
  return `
        let T = uniforms.T;
        let blocks = (T + ROWS - 1) / ROWS;
        // the workgroup index through workgroup memory, so loops bounded by it count as uniform
        if (localIndex == 0u) { workgroupIndex = ${WORKGROUP_INDEX}; }
        let wg = workgroupUniformLoad(&workgroupIndex);
        let bh = wg / blocks;
        let row0 = (wg % blocks) * ROWS;
        let tid = i32(localId.x);
        let row = row0 + tid;
        let valid = row < T;
        let base = bh * T;`;
}

/** Forward: packed `[bh * T, d + 1]` = `[O_i, L_i]` per row. Inputs q `[.., d]`, kv `[.., 2d]`. */
function forwardProgram(bhT: number, T: number, d: number, kt: number): Program {
  return {
    outputShape: [bhT, d + 1],
    shaderKey: `causalAttentionForward_${d}_${kt}`,
    dispatchLayout: ROW_LAYOUT,
    dispatch: rowsDispatch(bhT / T, T),
    workgroupSize: [ROWS, 1, 1],
    variableNames: ["q", "kv"],
    uniforms: "T : i32, scale : f32,",
    getUserCode: () => `
      const D = ${d};
      const ROWS = ${ROWS};
      const KT = ${kt};
      var<workgroup> workgroupIndex : i32;
      var<workgroup> kvTile : array<f32, ${2 * kt * d}>;
      fn main() {
        ${rowPrologue()}
        var qr : array<f32, ${d}>;
        var acc : array<f32, ${d}>;
        var sc : array<f32, ${kt}>;
        for (var e = 0; e < D; e++) {
          acc[e] = 0.0;
          qr[e] = 0.0;
          if (valid) { qr[e] = q[(base + row) * D + e] * uniforms.scale; }
        }
        var m = -3.402823e+38;
        var l = 0.0;
        let keyEnd = min(row0 + ROWS, T); // keys after the workgroup's last query are never loaded
        for (var j0 = 0; j0 < keyEnd; j0 += KT) {
          for (var x = tid; x < KT * 2 * D; x += ROWS) {
            let j = j0 + x / (2 * D);
            var val = 0.0;
            if (j < T) { val = kv[(base + j) * 2 * D + x % (2 * D)]; }
            kvTile[x] = val;
          }
          workgroupBarrier();
          if (valid) {
            let cEnd = min(KT, row - j0 + 1); // causal: keys j <= row
            // S = scale q K^T for this tile and its max (Alg. 1, line 8-9)
            var tmax = m;
            for (var c = 0; c < cEnd; c++) {
              var s = 0.0;
              for (var e = 0; e < D; e++) { s += qr[e] * kvTile[c * 2 * D + e]; }
              sc[c] = s;
              tmax = max(tmax, s);
            }
            // rescale by exp(m_old - m_new), accumulate P V (Alg. 1, line 10)
            let corr = exp(m - tmax);
            l = l * corr;
            for (var e = 0; e < D; e++) { acc[e] = acc[e] * corr; }
            for (var c = 0; c < cEnd; c++) {
              let p = exp(sc[c] - tmax);
              l += p;
              for (var e = 0; e < D; e++) { acc[e] += p * kvTile[c * 2 * D + D + e]; }
            }
            m = tmax;
          }
          workgroupBarrier();
        }
        if (valid) {
          let out0 = (base + row) * (D + 1);
          for (var e = 0; e < D; e++) { result[out0 + e] = acc[e] / l; }
          result[out0 + D] = m + log(l); // L_i (Alg. 1, line 13)
        }
      }`,
  };
}

/** dQ `[bh * T, d]`: one invocation per query row over key tiles j <= i (Alg. 2, line 14). */
function gradQueryProgram(bhT: number, T: number, d: number, kt: number): Program {
  return {
    outputShape: [bhT, d],
    shaderKey: `causalAttentionGradQ_${d}_${kt}`,
    dispatchLayout: ROW_LAYOUT,
    dispatch: rowsDispatch(bhT / T, T),
    workgroupSize: [ROWS, 1, 1],
    variableNames: ["qdo", "kv", "stats"],
    uniforms: "T : i32, scale : f32,",
    getUserCode: () => `
      const D = ${d};
      const ROWS = ${ROWS};
      const KT = ${kt};
      var<workgroup> workgroupIndex : i32;
      var<workgroup> kvTile : array<f32, ${2 * kt * d}>;
      fn main() {
        ${rowPrologue()}
        var qr : array<f32, ${d}>;
        var gr : array<f32, ${d}>;
        var acc : array<f32, ${d}>;
        var li = 0.0;
        var di = 0.0;
        for (var e = 0; e < D; e++) {
          acc[e] = 0.0;
          qr[e] = 0.0;
          gr[e] = 0.0;
          if (valid) {
            qr[e] = qdo[(base + row) * 2 * D + e] * uniforms.scale;
            gr[e] = qdo[(base + row) * 2 * D + D + e];
          }
        }
        if (valid) {
          li = stats[2 * (base + row)];
          di = stats[2 * (base + row) + 1];
        }
        let keyEnd = min(row0 + ROWS, T);
        for (var j0 = 0; j0 < keyEnd; j0 += KT) {
          for (var x = tid; x < KT * 2 * D; x += ROWS) {
            let j = j0 + x / (2 * D);
            var val = 0.0;
            if (j < T) { val = kv[(base + j) * 2 * D + x % (2 * D)]; }
            kvTile[x] = val;
          }
          workgroupBarrier();
          if (valid) {
            let cEnd = min(KT, row - j0 + 1);
            for (var c = 0; c < cEnd; c++) {
              var s = 0.0;
              var dp = 0.0;
              for (var e = 0; e < D; e++) {
                s += qr[e] * kvTile[c * 2 * D + e];
                dp += gr[e] * kvTile[c * 2 * D + D + e];
              }
              let p = exp(s - li); // P_ij = exp(S_ij - L_i) (line 10)
              let ds = p * (dp - di); // dS_ij (line 13)
              for (var e = 0; e < D; e++) { acc[e] += ds * kvTile[c * 2 * D + e]; }
            }
          }
          workgroupBarrier();
        }
        if (valid) {
          for (var e = 0; e < D; e++) { result[(base + row) * D + e] = acc[e] * uniforms.scale; }
        }
      }`,
  };
}

/** dK|dV `[bh * T, 2d]`: one invocation per key row over query tiles i >= j (Alg. 2, lines 11, 15). */
function gradKeyValueProgram(bhT: number, T: number, d: number, kt: number): Program {
  return {
    outputShape: [bhT, 2 * d],
    shaderKey: `causalAttentionGradKV_${d}_${kt}`,
    dispatchLayout: ROW_LAYOUT,
    dispatch: rowsDispatch(bhT / T, T),
    workgroupSize: [ROWS, 1, 1],
    variableNames: ["qdo", "kv", "stats"],
    uniforms: "T : i32, scale : f32,",
    getUserCode: () => `
      const D = ${d};
      const ROWS = ${ROWS};
      const QT = ${kt};
      var<workgroup> workgroupIndex : i32;
      var<workgroup> qdoTile : array<f32, ${2 * kt * d}>;
      var<workgroup> statTile : array<f32, ${2 * kt}>;
      fn main() {
        ${rowPrologue()}
        var kr : array<f32, ${d}>;
        var vr : array<f32, ${d}>;
        var dk : array<f32, ${d}>;
        var dv : array<f32, ${d}>;
        for (var e = 0; e < D; e++) {
          dk[e] = 0.0;
          dv[e] = 0.0;
          kr[e] = 0.0;
          vr[e] = 0.0;
          if (valid) {
            kr[e] = kv[(base + row) * 2 * D + e] * uniforms.scale;
            vr[e] = kv[(base + row) * 2 * D + D + e];
          }
        }
        // queries before this workgroup's first key never attend to it
        for (var i0 = row0; i0 < T; i0 += QT) {
          for (var x = tid; x < QT * 2 * D; x += ROWS) {
            let i = i0 + x / (2 * D);
            var val = 0.0;
            if (i < T) { val = qdo[(base + i) * 2 * D + x % (2 * D)]; }
            qdoTile[x] = val;
          }
          for (var x = tid; x < QT * 2; x += ROWS) {
            let i = i0 + x / 2;
            var val = 0.0;
            if (i < T) { val = stats[2 * (base + i) + x % 2]; }
            statTile[x] = val;
          }
          workgroupBarrier();
          if (valid) {
            let rStart = max(0, row - i0); // causal: queries i >= row
            let rEnd = min(QT, T - i0);
            for (var r = rStart; r < rEnd; r++) {
              var s = 0.0;
              var dp = 0.0;
              for (var e = 0; e < D; e++) {
                s += qdoTile[r * 2 * D + e] * kr[e];
                dp += qdoTile[r * 2 * D + D + e] * vr[e];
              }
              let p = exp(s - statTile[2 * r]);
              let ds = p * (dp - statTile[2 * r + 1]);
              for (var e = 0; e < D; e++) {
                dv[e] += p * qdoTile[r * 2 * D + D + e];
                dk[e] += ds * qdoTile[r * 2 * D + e];
              }
            }
          }
          workgroupBarrier();
        }
        if (valid) {
          for (var e = 0; e < D; e++) {
            result[(base + row) * 2 * D + e] = dk[e] * uniforms.scale;
            result[(base + row) * 2 * D + D + e] = dv[e];
          }
        }
      }`,
  };
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
