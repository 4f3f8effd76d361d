// WGSL code generation shared by the causal attention programs (CausalAttentionProgram.ts): the
// program and uniform shapes tfjs-backend-webgpu takes, the row layout (one invocation per row,
// ROWS rows a workgroup, key tiles of keyTile(d) rows) and the unrolled vec4 helpers.

/** Query (or key) rows per workgroup: one invocation each. */
export const ROWS = 64;

/** The subset of tfjs-backend-webgpu's `WebGPUProgram` these programs fill in. */
export interface Program {
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

export type Uniform = { type: "float32" | "int32"; data: number[] };

/** Key rows per workgroup-memory tile, so that tiles fit in 16 KiB of workgroup storage. */
export function keyTile(d: number): number {
  return d <= 64 ? 16 : 8;
}

/** Flat index of this workgroup, valid however tfjs reshapes a large dispatch. */
const WORKGROUP_INDEX = "i32(workgroupId.z * numWorkgroups.x * numWorkgroups.y + workgroupId.y * numWorkgroups.x + workgroupId.x)";

export const ROW_LAYOUT = { x: [0], y: [1] };

/** One workgroup per block of ROWS rows of each (batch, head). */
export function rowsDispatch(bh: number, T: number): [number, number, number] {
  return [bh * Math.ceil(T / ROWS), 1, 1];
}

/** Common prologue: which (batch*head, row) this invocation owns. */
export function rowPrologue(): string {
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

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** WGSL: vec4 of `arr[at + e0 .. at + e0 + 3]` with lanes at or past `d` zero (e0 static). */
export function vec4At(arr: string, at: string, e0: number, d: number): string {
  const lanes = range(4).map((t) => (e0 + t < d ? `${arr}[${at} + ${e0 + t}]` : "0.0"));
  return `vec4<f32>(${lanes.join(", ")})`;
}

/** WGSL: declare `name0..name{n-1}` as vec4 registers with the given initialisers. */
export function declareVecs(name: string, n: number, init: (e4: number) => string): string {
  return range(n)
    .map((e4) => `var ${name}${e4} = ${init(e4)};`)
    .join("\n        ");
}

/** WGSL: `sum_e dot(a_e, tile[base + e])` over the head width. */
export function dotRow(regs: string, tile: string, base: string, d4: number, offset = 0): string {
  return range(d4)
    .map((e4) => `dot(${regs}${e4}, ${tile}[${base} + ${offset + e4}])`)
    .join(" + ");
}

/** WGSL: store registers `regs0..` (times `factor`) to the scalar array `result` at `at + offset`, lanes < d. */
export function storeRow(regs: string, at: string, d: number, factor = "", offset = 0): string {
  const lines: string[] = [];
  for (let e = 0; e < d; e++) lines.push(`result[${at} + ${offset + e}] = ${regs}${e >> 2}[${e & 3}]${factor};`);
  return lines.join("\n          ");
}

/**
 * WGSL: cooperatively copy `rows` rows (from row `first`, zero past row `limit`) of `src`, whose
 * rows are `parts` operands of width `d` side by side (k|v or q|dO), into the vec4 tile `dst`,
 * each operand padded to ceil(d/4) vec4.
 */
export function loadTile(src: string, dst: string, first: string, rows: number, parts: number, d: number, limit: string): string {
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
