// The backward WGSL programs of the blocked causal attention kernel (FlashAttention-2, Dao 2023,
// Alg. 2): row statistics, dQ per query row, dK|dV per key row; see CausalAttentionProgram.ts.
import { ROWS, ROW_LAYOUT, declareVecs, dotRow, loadTile, range, rowPrologue, rowsDispatch, storeRow, vec4At, type Program } from "./webgpu-codegen.js";

/** Per row: `[L_i, D_i]` with `D_i = rowsum(dO_i * O_i)` (Alg. 2, line 4). */
export function statsProgram(rows: number, d: number): Program {
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

/** dQ `[bh * T, d]`: one invocation per query row over key tiles j <= i (Alg. 2, line 14). */
export function gradQueryProgram(bhT: number, T: number, d: number, kt: number): Program {
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
export function gradKeyValueProgram(bhT: number, T: number, d: number, kt: number): Program {
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
