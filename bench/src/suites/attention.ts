import { freemem } from "node:os";
import * as tf from "@tensorflow/tfjs-core";
import { listBackends, shutdownBackends, useBackend, type BackendName, type BackendStatus } from "@causeway/core";
import { blockedKernelScratchBytes, causalAttention, multiHeadAttention, scaledDotProductAttention } from "@causeway/attention";
import { median } from "@causeway/metrics";
import type { BenchContext, BenchReport, BenchSuite } from "../types.js";

type Kernel = "blocked" | "naive";

interface Row {
  backend: BackendName;
  /** "attention": causal self-attention on [batch, heads, T, dHead]; "mha": the multi-head layer with its four projections. */
  op: "attention" | "mha";
  kernel: Kernel;
  T: number;
  batch: number;
  heads: number;
  dHead: number;
  /** Median ms of one forward pass (result read back). */
  msForward: number | null;
  /** Median ms of one forward + backward pass (gradients read back). */
  msForwardBackward: number | null;
  /** Peak bytes during forward + backward: tfjs tensors plus the blocked kernel's own buffers. */
  peakBytes: number | null;
  /** Useful (causal) GFLOP/s of forward + backward, see FLOPS below. */
  gflops: number | null;
  /** gflops / this backend's 512^3 matmul GFLOP/s. */
  peakFraction: number | null;
  status: "ok" | "oom" | "skipped" | "error";
  note?: string;
}

/** Measured before any code existed (issue 4): PyTorch CPU, 1 thread, B16 T256 d_model 64, 4 heads, fwd+bwd. */
const PYTORCH_MS = 75;
/** The naive tfjs wasm composition on that shape, same measurement. */
const TFJS_WASM_NAIVE_MS = "520-590";

const SIZES = [256, 1024, 4096, 16384];
const QUICK_SIZES = [256, 1024];
const HEADS = 4;
const D_HEAD = 64;

/**
 * Causal FLOPs (only the unmasked half of each score matrix), FlashAttention-2 convention:
 * forward 2 matmuls = 2 * B * H * T^2 * d; backward 5 matmuls = 2.5 x forward.
 */
function attentionFlops(b: number, h: number, t: number, d: number): { forward: number; total: number } {
  const forward = 2 * b * h * t * t * d;
  return { forward, total: 3.5 * forward };
}

async function readAll(t: tf.TensorContainer): Promise<void> {
  const list = (Array.isArray(t) ? t : [t]) as tf.Tensor[];
  for (const x of list) await x.data();
}

/** Median ms of `reps` runs of `f` (result read back and disposed). */
async function timeRuns(f: () => tf.TensorContainer, reps: number): Promise<number> {
  const ms: number[] = [];
  for (let r = 0; r < reps; r++) {
    const started = performance.now();
    const out = f();
    await readAll(out);
    ms.push(performance.now() - started);
    tf.dispose(out);
  }
  return median(ms);
}

function isOutOfMemory(e: unknown): boolean {
  const msg = e instanceof Error ? `${e.name} ${e.message}` : String(e);
  return /memory|allocation|OOM|Array buffer|RangeError|too large|exceed/i.test(msg);
}

/** Why the naive composition obviously cannot run at this size here, or null. */
function naiveMemoryLimit(backend: BackendName, scoreBytes: number): string | null {
  // forward + backward keep about five score-sized tensors alive (scores, masked, softmax, their gradients)
  const need = 5 * scoreBytes;
  const gib = (n: number) => `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (backend === "wasm" && need > 4 * 2 ** 30) return `needs ~${gib(need)}: more than the 4 GiB wasm32 heap`;
  if (backend === "webgpu") {
    const limits = (tf.backend() as unknown as { device?: { limits?: { maxStorageBufferBindingSize?: number } } }).device?.limits;
    const max = limits?.maxStorageBufferBindingSize ?? 2 ** 27;
    if (scoreBytes > max) return `the ${gib(scoreBytes)} score matrix exceeds the adapter's ${gib(max)} storage-buffer limit`;
  }
  if (need > 0.6 * freemem()) return `needs ~${gib(need)}: more than 60% of the ${gib(freemem())} free memory`;
  return null;
}

interface Case {
  op: Row["op"];
  kernel: Kernel;
  batch: number;
  heads: number;
  T: number;
  dHead: number;
}

/** Forward and forward+backward closures for a case; disposer for its inputs. */
function makeCase(c: Case): { forward: () => tf.TensorContainer; forwardBackward: () => tf.TensorContainer; dispose: () => void } {
  if (c.op === "mha") {
    const dModel = c.heads * c.dHead;
    const mha = multiHeadAttention({ dModel, heads: c.heads, seed: 1, kernel: c.kernel });
    const x = tf.randomNormal([c.batch, c.T, dModel], 0, 1, "float32", 7) as tf.Tensor3D;
    return {
      forward: () => mha.apply(x, { causal: true }),
      forwardBackward: () => {
        const { value, grads } = tf.variableGrads(() => tf.sum(mha.apply(x, { causal: true })) as tf.Scalar, mha.variables);
        return [value, ...Object.values(grads)];
      },
      dispose: () => {
        x.dispose();
        mha.dispose();
      },
    };
  }
  const shape: [number, number, number, number] = [c.batch, c.heads, c.T, c.dHead];
  const [q, k, v] = [1, 2, 3].map((seed) => tf.randomNormal(shape, 0, 1, "float32", seed) as tf.Tensor4D);
  const attend = (a: tf.Tensor4D, b: tf.Tensor4D, d: tf.Tensor4D) =>
    c.kernel === "blocked" ? causalAttention(a, b, d, { kernel: "blocked" }) : scaledDotProductAttention(a, b, d, { causal: true });
  return {
    forward: () => attend(q, k, v),
    forwardBackward: () => tf.grads((a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => tf.sum(attend(a as tf.Tensor4D, b as tf.Tensor4D, d as tf.Tensor4D)))([q, k, v]),
    dispose: () => tf.dispose([q, k, v]),
  };
}

/** The backend's 512^3 matmul GFLOP/s (median of 3), the practical single-thread peak for the fraction column. */
async function matmulGflops(): Promise<number> {
  const n = 512;
  const [a, b] = [tf.randomNormal([n, n], 0, 1, "float32", 1), tf.randomNormal([n, n], 0, 1, "float32", 2)] as tf.Tensor2D[];
  await timeRuns(() => tf.matMul(a, b), 1);
  const ms = await timeRuns(() => tf.matMul(a, b), 3);
  tf.dispose([a, b]);
  return (2 * n ** 3) / ms / 1e6;
}

async function measure(backend: BackendName, c: Case, peakGflops: number, ctx: BenchContext, maxSeconds: number, predictedMs: number | null): Promise<Row> {
  const base: Omit<Row, "status"> = {
    backend,
    op: c.op,
    kernel: c.kernel,
    T: c.T,
    batch: c.batch,
    heads: c.heads,
    dHead: c.dHead,
    msForward: null,
    msForwardBackward: null,
    peakBytes: null,
    gflops: null,
    peakFraction: null,
  };
  const scoreBytes = 4 * c.batch * c.heads * c.T * c.T;
  if (c.kernel === "naive") {
    const why = naiveMemoryLimit(backend, scoreBytes);
    if (why) return { ...base, status: "oom", note: `not run: ${why}` };
  }
  if (predictedMs !== null && predictedMs > maxSeconds * 1000)
    return { ...base, status: "skipped", note: `predicted ~${(predictedMs / 1000).toFixed(0)} s per forward+backward (over --max-seconds ${maxSeconds})` };
  let cs: ReturnType<typeof makeCase> | null = null;
  try {
    cs = makeCase(c);
    const work = cs;
    // the first, profiled run doubles as the warm-up (kernel compilation, shader caches)
    const before = tf.memory().numBytes;
    const started = performance.now();
    const profile = await tf.profile(async () => {
      const out = work.forwardBackward();
      await readAll(out);
      return out;
    });
    const firstMs = performance.now() - started;
    tf.dispose(profile.result as tf.TensorContainer);
    const scratch = c.kernel === "blocked" ? blockedKernelScratchBytes(backend, { batch: c.batch, heads: c.heads, time: c.T, dHead: c.dHead }) : 0;
    const peakBytes = Math.max(0, profile.peakBytes - before) + scratch;
    // few repetitions for long runs
    const reps = ctx.quick ? 2 : firstMs > 20_000 ? 1 : firstMs > 3_000 ? 3 : 7;
    const msForwardBackward = await timeRuns(work.forwardBackward, reps);
    await timeRuns(work.forward, 1);
    const msForward = await timeRuns(work.forward, reps);
    const flops = attentionFlops(c.batch, c.heads, c.T, c.dHead).total + (c.op === "mha" ? 3 * 4 * 2 * c.batch * c.T * (c.heads * c.dHead) ** 2 : 0);
    const gflops = flops / msForwardBackward / 1e6;
    return {
      ...base,
      msForward: round(msForward),
      msForwardBackward: round(msForwardBackward),
      peakBytes,
      gflops: round(gflops, 3),
      peakFraction: round(gflops / peakGflops, 3),
      status: "ok",
    };
  } catch (e) {
    const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
    return { ...base, status: isOutOfMemory(e) ? "oom" : "error", note: msg.slice(0, 200) };
  } finally {
    cs?.dispose();
  }
}

function round(x: number, digits = 2): number {
  return Number(x.toFixed(digits));
}

/** Flags: --backends cpu,wasm (default: every available one), --max-seconds N (skip runs predicted longer; default 90). */
function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function run(ctx: BenchContext): Promise<BenchReport> {
  const statuses = await listBackends();
  const wanted = flag(ctx.args, "--backends")?.split(",");
  const backends = statuses.filter((s: BackendStatus) => s.available && (!wanted || wanted.includes(s.name)));
  const maxSeconds = Number(flag(ctx.args, "--max-seconds") ?? 90);
  const sizes = ctx.quick ? QUICK_SIZES : SIZES;
  const rows: Row[] = [];
  const peaks: Record<string, number> = {};
  const emit = (row: Row) => {
    rows.push(row);
    if (ctx.json) process.stdout.write(JSON.stringify(row) + "\n");
    const ms = (x: number | null) => (x === null ? "-" : x.toFixed(1)).padStart(9);
    ctx.log(
      `${row.backend.padEnd(7)} ${row.op.padEnd(9)} ${row.kernel.padEnd(7)} B${row.batch} H${row.heads} T${String(row.T).padEnd(6)} d${row.dHead}` +
        ` fwd ${ms(row.msForward)} ms  fwd+bwd ${ms(row.msForwardBackward)} ms  ${row.status}${row.note ? ` (${row.note})` : ""}`,
    );
  };
  for (const status of backends) {
    await useBackend(status.name);
    peaks[status.name] = await matmulGflops();
    ctx.log(`${status.name}: 512^3 matmul ${peaks[status.name].toFixed(1)} GFLOP/s`);
    // the shape of the issue's PyTorch figure: B16, T256, d_model 64 = 4 heads x 16
    for (const op of ["attention", "mha"] as const)
      for (const kernel of ["blocked", "naive"] as const) emit(await measure(status.name, { op, kernel, batch: 16, heads: 4, T: 256, dHead: 16 }, peaks[status.name], ctx, maxSeconds, null));
    // scaling in T, batch 1, 4 heads of 64; predict each run from the previous size (time ~ T^2)
    for (const kernel of ["blocked", "naive"] as const) {
      let previous: { T: number; ms: number } | null = null;
      for (const T of sizes) {
        const predicted: number | null = previous ? previous.ms * (T / previous.T) ** 2 : null;
        const row = await measure(status.name, { op: "attention", kernel, batch: 1, heads: HEADS, T, dHead: D_HEAD }, peaks[status.name], ctx, maxSeconds, predicted);
        emit(row);
        previous = row.msForwardBackward !== null ? { T, ms: row.msForwardBackward } : previous && predicted !== null ? { T, ms: predicted } : null;
      }
    }
  }
  await shutdownBackends();
  return { rows: rows as unknown as Record<string, unknown>[], markdown: report(rows, statuses, peaks, maxSeconds) };
}

function fmtBytes(n: number | null): string {
  if (n === null) return "-";
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  return `${(n / 2 ** 10).toFixed(0)} KiB`;
}

function report(rows: Row[], statuses: BackendStatus[], peaks: Record<string, number>, maxSeconds: number): string {
  const fmt = (x: number | null, digits = 1) => (x === null ? "-" : x.toFixed(digits));
  const table = (subset: Row[]) => [
    "| backend | op | kernel | batch | heads | T | dHead | fwd ms | fwd+bwd ms | peak memory | GFLOP/s | of matmul peak | status |",
    "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...subset.map(
      (r) =>
        `| ${r.backend} | ${r.op} | ${r.kernel} | ${r.batch} | ${r.heads} | ${r.T} | ${r.dHead} | ${fmt(r.msForward)} | ${fmt(r.msForwardBackward)} | ${fmtBytes(r.peakBytes)} | ${fmt(r.gflops, 2)} | ${r.peakFraction === null ? "-" : `${(100 * r.peakFraction).toFixed(0)}%`} | ${r.status}${r.note ? `: ${r.note}` : ""} |`,
    ),
  ];
  const issueShape = rows.filter((r) => r.batch === 16);
  const scaling = rows.filter((r) => r.batch !== 16);
  const best = issueShape.filter((r) => r.op === "mha" && r.kernel === "blocked" && r.msForwardBackward !== null);
  return [
    "Causal self-attention, naive tfjs composition (`softmax(QK^T/sqrt(d) + mask) V`, a `T x T` score matrix) vs the blocked kernel",
    "(`causalAttention`: FlashAttention-2 tiling, WebAssembly SIMD on cpu/wasm, WGSL on webgpu). Median wall time of one run",
    "with the result read back, after a warm-up; forward + backward = gradients with respect to q, k, v (attention) or every",
    "variable (mha, the `multiHeadAttention` layer with its Q/K/V/O projections).",
    "",
    "GFLOP/s counts useful causal FLOPs (FlashAttention-2 convention: forward `2·B·H·T²·d`, backward 2.5x forward; mha adds",
    "`3 · 4 · 2·B·T·d_model²` for the projections); the naive kernel does twice that work (full score matrix).",
    "\"Of matmul peak\" divides by the same backend's 512³ matmul rate measured in this run:",
    Object.entries(peaks)
      .map(([b, g]) => `${b} ${g.toFixed(1)} GFLOP/s`)
      .join(", ") + ".",
    "Peak memory: TensorFlow.js tensor bytes during forward + backward (`tf.profile`) plus the blocked kernel's own buffers",
    "(SIMD working set of one head, or WebGPU intermediates). Runs predicted to take over " + maxSeconds + " s (from the previous size, time ~ T²) are skipped.",
    "",
    "## The issue's shape: batch 16, T 256, d_model 64 (4 heads x 16)",
    "",
    `Reference figures from the issue (same machine class, 2 cores): PyTorch CPU 1 thread ${PYTORCH_MS} ms forward + backward; tfjs wasm naive composition ${TFJS_WASM_NAIVE_MS} ms; target ≤ ${2 * PYTORCH_MS} ms.`,
    best.length ? `Here: the mha layer with the blocked kernel takes ${best.map((r) => `${fmt(r.msForwardBackward)} ms on ${r.backend}`).join(", ")} (${best.map((r) => `${(r.msForwardBackward! / PYTORCH_MS).toFixed(2)}x PyTorch`).join(", ")}).` : "",
    "",
    ...table(issueShape),
    "",
    `## Scaling in T: batch 1, ${HEADS} heads, dHead ${D_HEAD}`,
    "",
    ...table(scaling),
    "",
    "Backends:",
    "",
    ...statuses.map((s) => `- **${s.name}**: ${s.available ? `available${s.detail ? `; ${s.detail}` : ""}` : `not available: ${s.reason ?? "unknown"}`}`),
    "",
  ].join("\n");
}

/** Naive vs blocked causal attention: time, peak memory and GFLOP/s per backend and sequence length. */
export const suite: BenchSuite = {
  name: "attention",
  description: "naive vs blocked causal attention: fwd and fwd+bwd ms, peak memory, GFLOP/s for T = 256..16384 and the B16/T256/d64 shape",
  run,
};
