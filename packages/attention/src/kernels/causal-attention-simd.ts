/**
 * The WebAssembly SIMD causal attention kernel (built from asm/causal-attention.ts): same contract
 * as `causalAttentionImpl` / `causalAttentionGradImpl`, float32 throughout, one (batch, head)
 * slice per call so the module's memory grows to one head's working set, not the whole batch.
 */
import { CAUSAL_ATTENTION_WASM } from "./causal-attention-wasm.js";
import type { AttentionShape, CausalAttentionForward, CausalAttentionGrads } from "./causal-attention-impl.js";

interface KernelExports {
  memory: WebAssembly.Memory;
  tile(): number;
  forward(q: number, k: number, v: number, o: number, lse: number, kt: number, row: number, acc: number, ml: number, tp: number, dp: number, scale: number): void;
  backward(
    q: number, k: number, v: number, o: number, lse: number, dout: number,
    dq: number, dk: number, dv: number,
    kt: number, vt: number, dvec: number, pt: number, dst: number, dka: number, dva: number,
    tp: number, dp: number, scale: number,
  ): void;
}

/** First byte the kernels may use; below it sit the module's constant tables. */
const HEAP_BASE = 4096;
const PAGE = 65536;

let kernel: KernelExports | null | undefined;
let compiling: Promise<KernelExports | null> | undefined;

function wasmBytes(): Uint8Array<ArrayBuffer> {
  const bin = atob(CAUSAL_ATTENTION_WASM);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

function instantiate(mod: WebAssembly.Module): KernelExports {
  return new WebAssembly.Instance(mod, {}).exports as unknown as KernelExports;
}

/**
 * The compiled kernel, or null where this runtime has no WebAssembly SIMD (callers then fall back
 * to the typed-array reference). Compiles synchronously on first use; where synchronous
 * compilation is refused (a browser's main thread), call `prepareSimdKernel()` first.
 */
export function simdKernel(): KernelExports | null {
  if (kernel !== undefined) return kernel;
  if (typeof WebAssembly !== "object") return (kernel = null);
  try {
    kernel = instantiate(new WebAssembly.Module(wasmBytes()));
  } catch {
    // no SIMD, or synchronous compilation refused: try the asynchronous path once
    void prepareSimdKernel();
    return null;
  }
  return kernel;
}

/** Compile the SIMD kernel asynchronously; resolves to whether it is available. */
export async function prepareSimdKernel(): Promise<boolean> {
  if (kernel !== undefined) return kernel !== null;
  compiling ??= WebAssembly.compile(wasmBytes())
    .then((mod) => instantiate(mod))
    .catch(() => null);
  kernel = await compiling;
  return kernel !== null;
}

/** Lay out `sizes` (in floats) from HEAP_BASE, grow the memory to fit and return the byte offsets. */
function layout(k: KernelExports, sizes: number[]): { offsets: number[]; heap: Float32Array } {
  const offsets: number[] = [];
  let at = HEAP_BASE;
  for (const n of sizes) {
    offsets.push(at);
    at += Math.ceil(n / 4) * 16; // keep every block 16-byte aligned for v128 loads
  }
  const have = k.memory.buffer.byteLength;
  if (at > have) k.memory.grow(Math.ceil((at - have) / PAGE));
  return { offsets, heap: new Float32Array(k.memory.buffer) };
}

/** Copy a `[T][d]` slice into a zero-padded `[tp][dp]` block at byte offset `at`. */
function putPadded(heap: Float32Array, at: number, src: ArrayLike<number> & { subarray?: unknown }, srcOff: number, T: number, d: number, tp: number, dp: number): void {
  const base = at >> 2;
  if (d === dp && src instanceof Float32Array) {
    heap.set(src.subarray(srcOff, srcOff + T * d), base);
    heap.fill(0, base + T * d, base + tp * dp);
    return;
  }
  heap.fill(0, base, base + tp * dp);
  for (let i = 0; i < T; i++) for (let e = 0; e < d; e++) heap[base + i * dp + e] = src[srcOff + i * d + e];
}

/** Copy the real `[T][d]` part of a padded `[tp][dp]` block at `at` into `dst` at `dstOff`. */
function takePadded(heap: Float32Array, at: number, dst: Float32Array, dstOff: number, T: number, d: number, dp: number): void {
  const base = at >> 2;
  if (d === dp) {
    dst.set(heap.subarray(base, base + T * d), dstOff);
    return;
  }
  for (let i = 0; i < T; i++) for (let e = 0; e < d; e++) dst[dstOff + i * d + e] = heap[base + i * dp + e];
}

function padded(tile: number, shape: AttentionShape): { tp: number; dp: number; tile: number } {
  return { tp: Math.ceil(shape.time / tile) * tile, dp: Math.ceil(shape.dHead / 4) * 4, tile };
}

/** Block sizes (floats) of the forward call: q, k, v, o, lse, kt, row, acc, ml. */
function forwardBlocks(tp: number, dp: number, tile: number): number[] {
  const blk = tp * dp;
  return [blk, blk, blk, blk, tp, blk, 2 * tile, tile * dp, 2 * tile];
}

/** Block sizes (floats) of the backward call: q, k, v, o, lse, dout, dq, dk, dv, kt, vt, dvec, pt, dst, dka, dva. */
function backwardBlocks(tp: number, dp: number, tile: number): number[] {
  const blk = tp * dp;
  return [blk, blk, blk, blk, tp, blk, blk, blk, blk, blk, blk, tp, tile * tile, tile * tile, tile * dp, tile * dp];
}

/**
 * Bytes of the SIMD module's memory a forward + backward pass at `shape` uses (one head's
 * working set: it grows with time x dHead, never with time^2); 0 without SIMD.
 */
export function simdWorkingSetBytes(shape: AttentionShape): number {
  const kern = simdKernel();
  if (!kern) return 0;
  const { tp, dp, tile } = padded(kern.tile(), shape);
  const bytes = (blocks: number[]) => HEAP_BASE + blocks.reduce((a, n) => a + Math.ceil(n / 4) * 16, 0);
  return Math.max(bytes(forwardBlocks(tp, dp, tile)), bytes(backwardBlocks(tp, dp, tile)));
}

/** Forward pass on the SIMD kernel; null when it is unavailable. Inputs `[batch, heads, time, dHead]`. */
export function causalAttentionSimd(q: Float32Array, k: Float32Array, v: Float32Array, shape: AttentionShape, scale: number): CausalAttentionForward | null {
  const kern = simdKernel();
  if (!kern) return null;
  const { time: T, dHead: d } = shape;
  const BH = shape.batch * shape.heads;
  const { tp, dp, tile } = padded(kern.tile(), shape);
  const { offsets, heap } = layout(kern, forwardBlocks(tp, dp, tile));
  const [qo, ko, vo, oo, lo, kto, rowo, acco, mlo] = offsets;
  const out = new Float32Array(BH * T * d);
  const lse = new Float32Array(BH * T);
  for (let bh = 0; bh < BH; bh++) {
    const off = bh * T * d;
    putPadded(heap, qo, q, off, T, d, tp, dp);
    putPadded(heap, ko, k, off, T, d, tp, dp);
    putPadded(heap, vo, v, off, T, d, tp, dp);
    kern.forward(qo, ko, vo, oo, lo, kto, rowo, acco, mlo, tp, dp, scale);
    takePadded(heap, oo, out, off, T, d, dp);
    lse.set(heap.subarray(lo >> 2, (lo >> 2) + T), bh * T);
  }
  return { out, lse };
}

/** Backward pass on the SIMD kernel; null when it is unavailable. */
export function causalAttentionGradSimd(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  out: Float32Array,
  lse: Float32Array,
  dOut: Float32Array,
  shape: AttentionShape,
  scale: number,
): CausalAttentionGrads | null {
  const kern = simdKernel();
  if (!kern) return null;
  const { time: T, dHead: d } = shape;
  const BH = shape.batch * shape.heads;
  const { tp, dp, tile } = padded(kern.tile(), shape);
  const blk = tp * dp;
  const { offsets, heap } = layout(kern, backwardBlocks(tp, dp, tile));
  const [qo, ko, vo, oo, lo, go, dqo, dko, dvo, kto, vto, dveco, pto, dsto, dkao, dvao] = offsets;
  const dq = new Float32Array(BH * T * d);
  const dk = new Float32Array(BH * T * d);
  const dv = new Float32Array(BH * T * d);
  for (let bh = 0; bh < BH; bh++) {
    const off = bh * T * d;
    putPadded(heap, qo, q, off, T, d, tp, dp);
    putPadded(heap, ko, k, off, T, d, tp, dp);
    putPadded(heap, vo, v, off, T, d, tp, dp);
    putPadded(heap, oo, out, off, T, d, tp, dp);
    putPadded(heap, go, dOut, off, T, d, tp, dp);
    heap.set(lse.subarray(bh * T, bh * T + T), lo >> 2);
    heap.fill(0, (lo >> 2) + T, (lo >> 2) + tp);
    heap.fill(0, dqo >> 2, (dqo >> 2) + blk);
    kern.backward(qo, ko, vo, oo, lo, go, dqo, dko, dvo, kto, vto, dveco, pto, dsto, dkao, dvao, tp, dp, scale);
    takePadded(heap, dqo, dq, off, T, d, dp);
    takePadded(heap, dko, dk, off, T, d, dp);
    takePadded(heap, dvo, dv, off, T, d, dp);
  }
  return { dq, dk, dv };
}
