// The forward WGSL program of the blocked causal attention kernel (FlashAttention-2, Dao 2023,
// Alg. 1); see CausalAttentionProgram.ts for how it is run.
import { ROWS, ROW_LAYOUT, declareVecs, dotRow, loadTile, range, rowPrologue, rowsDispatch, storeRow, vec4At, type Program } from "./webgpu-codegen.js";

/** Forward: packed `[bh * T, d + 1]` = `[O_i, L_i]` per row. Inputs q `[.., d]`, kv `[.., 2d]`. */
export function forwardProgram(bhT: number, T: number, d: number, kt: number): Program {
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
