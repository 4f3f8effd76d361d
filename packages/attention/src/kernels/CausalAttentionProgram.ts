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

// --- code generation helpers: the row programs are fully unrolled over the head width (vec4
// registers, constant indices) and over the rows of a workgroup-memory tile, so that no private
// array is indexed dynamically (which spills to memory on GPUs and on llvmpipe alike).

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** WGSL: vec4 of `arr[at + e0 .. at + e0 + 3]` with lanes at or past `d` zero (e0 static). */
function vec4At(arr: string, at: string, e0: number, d: number): string {
  const lanes = range(4).map((t) => (e0 + t < d ? `${arr}[${at} + ${e0 + t}]` : "0.0"));
  return `vec4<f32>(${lanes.join(", ")})`;
}

/** WGSL: declare `name0..name{n-1}` as vec4 registers with the given initialisers. */
function declareVecs(name: string, n: number, init: (e4: number) => string): string {
  return range(n)
    .map((e4) => `var ${name}${e4} = ${init(e4)};`)
    .join("\n        ");
}

/** WGSL: `sum_e dot(a_e, tile[base + e])` over the head width. */
function dotRow(regs: string, tile: string, base: string, d4: number, offset = 0): string {
  return range(d4)
    .map((e4) => `dot(${regs}${e4}, ${tile}[${base} + ${offset + e4}])`)
    .join(" + ");
}

/** WGSL: store registers `regs0..` (times `factor`) to the scalar array `result` at `at + offset`, lanes < d. */
function storeRow(regs: string, at: string, d: number, factor = "", offset = 0): string {
  const lines: string[] = [];
  for (let e = 0; e < d; e++) lines.push(`result[${at} + ${offset + e}] = ${regs}${e >> 2}[${e & 3}]${factor};`);
  return lines.join("\n          ");
}

/**
 * WGSL: cooperatively copy `rows` rows (from row `first`, zero past row `limit`) of `src`, whose
 * rows are `parts` operands of width `d` side by side (k|v or q|dO), into the vec4 tile `dst`,
 * each operand padded to ceil(d/4) vec4.
 */
function loadTile(src: string, dst: string, first: string, rows: number, parts: number, d: number, limit: string): string {
  const d4 = Math.ceil(d / 4);
  const lane = (t: number) => (d % 4 === 0 ? `${src}[at + ${t}]` : `select(0.0, ${src}[at + ${t}], e + ${t} < ${d})`);
  return `for (var x = tid; x < ${rows * parts * d4}; x += ROWS) {
            let rr = x / ${parts * d4};
            let rem = x % ${parts * d4};
            let e = (rem % ${d4}) * 4;
            let at = (base + ${first} + rr) * ${parts * d} + (rem / ${d4}) * ${d} + e;
            var val = vec4<f32>(0.0);
            if (${first} + rr < ${limit}) { val = vec4<f32>(${lane(0)}, ${lane(1)}, ${lane(2)}, ${lane(3)}); }
            ${dst}[x] = val;
          }`;
}

/** Forward: packed `[bh * T, d + 1]` = `[O_i, L_i]` per row. Inputs q `[.., d]`, kv `[.., 2d]`. */
function forwardProgram(bhT: number, T: number, d: number, kt: number): Program {
  const d4 = Math.ceil(d / 4);
  const kvRow = 2 * d4; // vec4 per tile row: k then v, each padded to d4
  // per key c of the tile: score, masked to "nothing" after the query (or past T)
  const scores = range(kt)
    .map((c) => `let s${c} = select(-3.402823e+38, ${dotRow("q", "kvTile", String(c * kvRow), d4)}, j0 + ${c} <= row);`)
    .join("\n            ");
  const tmax = `max(m, ${range(kt).reduce((acc, c) => (acc ? `max(${acc}, s${c})` : `s${c}`), "")})`;
  const probs = range(kt)
    .map((c) => `let p${c} = exp(s${c} - tmax);`)
    .join("\n            ");
  const accumulate = range(d4)
    .map((e4) => `a${e4} = a${e4} * corr + ${range(kt).map((c) => `p${c} * kvTile[${c * kvRow + d4 + e4}]`).join(" + ")};`)
    .join("\n            ");
  return {
    outputShape: [bhT, d + 1],
    shaderKey: `causalAttentionForward_${d}_${kt}`,
    dispatchLayout: ROW_LAYOUT,
    dispatch: rowsDispatch(bhT / T, T),
    workgroupSize: [ROWS, 1, 1],
    variableNames: ["q", "kv"],
    uniforms: "T : i32, scale : f32,",
    getUserCode: () => `
      const ROWS = ${ROWS};
      var<workgroup> workgroupIndex : i32;
      var<workgroup> kvTile : array<vec4<f32>, ${kt * kvRow}>;
      fn main() {
        ${rowPrologue()}
        let qAt = (base + min(row, T - 1)) * ${d};
        ${declareVecs("q", d4, (e4) => `${vec4At("q", "qAt", 4 * e4, d)} * uniforms.scale`)}
        ${declareVecs("a", d4, () => "vec4<f32>(0.0)")}
        var m = -3.402823e+38;
        var l = 0.0;
        let keyEnd = min(row0 + ROWS, T); // keys after the workgroup's last query are never loaded
        for (var j0 = 0; j0 < keyEnd; j0 += ${kt}) {
          ${loadTile("kv", "kvTile", "j0", kt, 2, d, "T")}
          workgroupBarrier();
          if (valid) {
            // S = scale q K^T for this tile (Alg. 1, line 8), running max, P = exp(S - m) (line 9)
            ${scores}
            let tmax = ${tmax};
            let corr = exp(m - tmax);
            ${probs}
            l = l * corr + ${range(kt).map((c) => `p${c}`).join(" + ")};
            // acc = corr acc + P V (line 10)
            ${accumulate}
            m = tmax;
          }
          workgroupBarrier();
        }
        if (valid) {
          let outAt = (base + row) * ${d + 1};
          let inv = 1.0 / l;
          ${storeRow("a", "outAt", d, " * inv")}
          result[outAt + ${d}] = m + log(l); // L_i (Alg. 1, line 13)
        }
      }`,
  };
}
/** dQ `[bh * T, d]`: one invocation per query row over key tiles j <= i (Alg. 2, line 14). */
function gradQueryProgram(bhT: number, T: number, d: number, kt: number): Program {
  const d4 = Math.ceil(d / 4);
  const kvRow = 2 * d4;
  const perKey = range(kt)
    .map(
      (c) => `{
              // S_ij, dP_ij = dO_i . v_j (lines 9, 12); P_ij = exp(S_ij - L_i) (line 10); dS (line 13)
              let s = ${dotRow("q", "kvTile", String(c * kvRow), d4)};
              let dp = ${dotRow("g", "kvTile", String(c * kvRow), d4, d4)};
              let p = select(0.0, exp(s - li), j0 + ${c} <= row);
              let ds = p * (dp - di);
              ${range(d4)
                .map((e4) => `a${e4} += ds * kvTile[${c * kvRow + e4}];`)
                .join(" ")}
            }`,
    )
    .join("\n            ");
  return {
    outputShape: [bhT, d],
    shaderKey: `causalAttentionGradQ_${d}_${kt}`,
    dispatchLayout: ROW_LAYOUT,
    dispatch: rowsDispatch(bhT / T, T),
    workgroupSize: [ROWS, 1, 1],
    variableNames: ["qdo", "kv", "stats"],
    uniforms: "T : i32, scale : f32,",
    getUserCode: () => `
      const ROWS = ${ROWS};
      var<workgroup> workgroupIndex : i32;
      var<workgroup> kvTile : array<vec4<f32>, ${kt * kvRow}>;
      fn main() {
        ${rowPrologue()}
        let at = (base + min(row, T - 1)) * ${2 * d};
        ${declareVecs("q", d4, (e4) => `${vec4At("qdo", "at", 4 * e4, d)} * uniforms.scale`)}
        ${declareVecs("g", d4, (e4) => vec4At("qdo", "at", d + 4 * e4, 2 * d))}
        ${declareVecs("a", d4, () => "vec4<f32>(0.0)")}
        let li = stats[2 * (base + min(row, T - 1))];
        let di = stats[2 * (base + min(row, T - 1)) + 1];
        let keyEnd = min(row0 + ROWS, T);
        for (var j0 = 0; j0 < keyEnd; j0 += ${kt}) {
          ${loadTile("kv", "kvTile", "j0", kt, 2, d, "T")}
          workgroupBarrier();
          if (valid) {
            ${perKey}
          }
          workgroupBarrier();
        }
        if (valid) {
          let outAt = (base + row) * ${d};
          ${storeRow("a", "outAt", d, " * uniforms.scale")}
        }
      }`,
  };
}

/** dK|dV `[bh * T, 2d]`: one invocation per key row over query tiles i >= j (Alg. 2, lines 11, 15). */
function gradKeyValueProgram(bhT: number, T: number, d: number, kt: number): Program {
  const d4 = Math.ceil(d / 4);
  const qdoRow = 2 * d4;
  const perQuery = range(kt)
    .map(
      (r) => `{
              let s = ${dotRow("k", "qdoTile", String(r * qdoRow), d4)};
              let p = select(0.0, exp(s - statTile[${2 * r}]), i0 + ${r} >= row && i0 + ${r} < T);
              let dp = ${dotRow("v", "qdoTile", String(r * qdoRow), d4, d4)};
              let ds = p * (dp - statTile[${2 * r + 1}]);
              ${range(d4)
                .map((e4) => `dv${e4} += p * qdoTile[${r * qdoRow + d4 + e4}]; dk${e4} += ds * qdoTile[${r * qdoRow + e4}];`)
                .join(" ")}
            }`,
    )
    .join("\n            ");
  return {
    outputShape: [bhT, 2 * d],
    shaderKey: `causalAttentionGradKV_${d}_${kt}`,
    dispatchLayout: ROW_LAYOUT,
    dispatch: rowsDispatch(bhT / T, T),
    workgroupSize: [ROWS, 1, 1],
    variableNames: ["qdo", "kv", "stats"],
    uniforms: "T : i32, scale : f32,",
    getUserCode: () => `
      const ROWS = ${ROWS};
      var<workgroup> workgroupIndex : i32;
      var<workgroup> qdoTile : array<vec4<f32>, ${kt * qdoRow}>;
      var<workgroup> statTile : array<f32, ${2 * kt}>;
      fn main() {
        ${rowPrologue()}
        let at = (base + min(row, T - 1)) * ${2 * d};
        ${declareVecs("k", d4, (e4) => `${vec4At("kv", "at", 4 * e4, d)} * uniforms.scale`)}
        ${declareVecs("v", d4, (e4) => vec4At("kv", "at", d + 4 * e4, 2 * d))}
        ${declareVecs("dk", d4, () => "vec4<f32>(0.0)")}
        ${declareVecs("dv", d4, () => "vec4<f32>(0.0)")}
        // queries before this workgroup's first key never attend to it
        for (var i0 = row0; i0 < T; i0 += ${kt}) {
          ${loadTile("qdo", "qdoTile", "i0", kt, 2, d, "T")}
          for (var x = tid; x < ${2 * kt}; x += ROWS) {
            var val = 0.0;
            if (i0 + x / 2 < T) { val = stats[2 * (base + i0) + x]; }
            statTile[x] = val;
          }
          workgroupBarrier();
          if (valid) {
            ${perQuery}
          }
          workgroupBarrier();
        }
        if (valid) {
          let outAt = (base + row) * ${2 * d};
          ${storeRow("dk", "outAt", d, " * uniforms.scale")}
          ${storeRow("dv", "outAt", d, "", d)}
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
