/**
 * The WebAssembly SIMD training step (built from asm/tcdf-step.ts) for the default network
 * shape (no hidden layers, k = 4): the same forward pass and gradient as the typed-array fast
 * path in `kernel.ts`, in float32, four time steps per instruction. Each model gets its own
 * module instance (own memory), so concurrent runs cannot overwrite each other's buffers.
 */
import { channelRow, type NetInputs } from "./kernel.js";
import { paramLayout, softmaxGates, type NetShape } from "./network.js";
import { TCDF_STEP_WASM } from "./tcdf-step-wasm.js";

interface StepExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  targetStep(
    rows: number, stride: number, sel: number, par: number, V: number, T: number, T4: number,
    target: number, y: number, dy: number, outBias: number, acc: number, withGrad: number,
  ): number;
}

const PAGE = 65536;
let compiled: WebAssembly.Module | null | undefined;

function wasmBytes(): Uint8Array<ArrayBuffer> {
  const bin = atob(TCDF_STEP_WASM);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** The compiled module, or null where this runtime has no WebAssembly SIMD. */
function stepModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = typeof WebAssembly === "object" ? new WebAssembly.Module(wasmBytes()) : null;
  } catch {
    compiled = null; // no SIMD support
  }
  return compiled;
}

/** Whether the SIMD step can run here. */
export function wasmStepAvailable(): boolean {
  return stepModule() !== null;
}

/** The batched model's loss and gradient on the SIMD step (see `lossAndGrad` in kernel.ts). */
export class WasmStep {
  private readonly ex: StepExports;
  private readonly f32: Float32Array;
  private readonly i32: Int32Array;
  /** Byte offsets of the buffers. */
  private readonly at: { rows: number; sel: number; par: number; target: number; y: number; dy: number; acc: number };
  private readonly stride: number;
  private readonly T4: number;

  constructor(
    private readonly shape: NetShape,
    private readonly inputs: NetInputs,
  ) {
    const mod = stepModule();
    if (!mod) throw new Error("the WebAssembly SIMD step is not available in this runtime");
    if (shape.hiddenLayers !== 0 || shape.kernelSize !== 4) throw new Error("the WebAssembly step handles hiddenLayers 0 and kernelSize 4 only");
    this.ex = new WebAssembly.Instance(mod, {}).exports as unknown as StepExports;
    const { V } = shape;
    const { T } = inputs;
    const T4 = Math.ceil(T / 4) * 4;
    const stride = 3 + T4; // 3 leading zeros, then x(0..T-1), zeros up to T4
    this.T4 = T4;
    this.stride = stride;
    // buffers in floats, each 16-byte aligned
    const sizes = { rows: 2 * V * stride, sel: V, par: 8 * V, target: V * T4, y: T4, dy: T4, acc: 8 * V };
    let next = this.ex.heapBase();
    const at = {} as Record<keyof typeof sizes, number>;
    for (const [name, n] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
      at[name] = next;
      next += Math.ceil(n / 4) * 16;
    }
    this.at = at;
    const have = this.ex.memory.buffer.byteLength;
    if (next > have) this.ex.memory.grow(Math.ceil((next - have) / PAGE));
    this.f32 = new Float32Array(this.ex.memory.buffer);
    this.i32 = new Int32Array(this.ex.memory.buffer);
    // rows 0..V-1: x_i(t); rows V..2V-1: x_i(t-1); targets [V][T4]
    const { pad } = inputs;
    for (let i = 0; i < V; i++) {
      this.f32.set(inputs.plain[i].subarray(pad - 3), (at.rows >> 2) + i * stride);
      this.f32.set(inputs.shifted[i].subarray(pad - 3), (at.rows >> 2) + (V + i) * stride);
      this.f32.set(inputs.target[i], (at.target >> 2) + i * T4);
    }
  }

  /** Same contract as `lossAndGrad` in kernel.ts (float32 inside). */
  lossAndGrad(theta: Float64Array, grad: Float64Array | null, losses: Float64Array): void {
    const { V } = this.shape;
    const { T } = this.inputs;
    const lay = paramLayout(this.shape);
    const gates = softmaxGates(this.shape, theta);
    const { f32, i32, at } = this;
    const par = at.par >> 2;
    const acc = at.acc >> 2;
    const dGates = new Float64Array(V);
    if (grad) grad.fill(0);
    losses.fill(0);
    for (const j of this.inputs.targets) {
      for (let i = 0; i < V; i++) {
        const c = j * V + i;
        i32[(at.sel >> 2) + i] = channelRow(this.inputs, j, i) === this.inputs.plain[i] ? i : V + i;
        const g = gates[c];
        for (let m = 0; m < 4; m++) f32[par + 8 * i + m] = g * theta[lay.weight + c * 4 + m];
        f32[par + 8 * i + 4] = theta[lay.bias + c];
        f32[par + 8 * i + 5] = theta[lay.slope + c];
        f32[par + 8 * i + 6] = theta[lay.pointwise + c];
      }
      const sse = this.ex.targetStep(at.rows, this.stride, at.sel, at.par, V, T, this.T4, at.target + 4 * j * this.T4, at.y, at.dy, theta[lay.outBias + j], at.acc, grad ? 1 : 0);
      losses[j] = sse / T;
      if (!grad) continue;
      let gOutBias = 0;
      for (let t = 0; t < T; t++) gOutBias += f32[(at.dy >> 2) + t];
      grad[lay.outBias + j] = gOutBias;
      for (let i = 0; i < V; i++) {
        const c = j * V + i;
        const g = gates[c];
        const alpha = theta[lay.slope + c];
        const p = theta[lay.pointwise + c];
        const o = acc + 8 * i;
        let dg = 0;
        for (let m = 0; m < 4; m++) {
          grad[lay.weight + c * 4 + m] = g * f32[o + m];
          dg += theta[lay.weight + c * 4 + m] * f32[o + m];
        }
        const sz = f32[o + 5];
        const saz = f32[o + 6];
        grad[lay.bias + c] = f32[o + 4];
        grad[lay.slope + c] = 0.5 * p * (sz - saz);
        grad[lay.pointwise + c] = 0.5 * (1 + alpha) * sz + 0.5 * (1 - alpha) * saz;
        dGates[i] = dg;
      }
      let dot = 0;
      for (let i = 0; i < V; i++) dot += gates[j * V + i] * dGates[i];
      for (let i = 0; i < V; i++) grad[lay.attention + j * V + i] = gates[j * V + i] * (dGates[i] - dot);
    }
  }
}
