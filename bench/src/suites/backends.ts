import * as tf from "@tensorflow/tfjs-core";
import { listBackends, shutdownBackends, useBackend, type BackendName, type BackendStatus } from "@causeway/core";
import { median } from "@causeway/metrics";
import type { BenchContext, BenchReport, BenchSuite } from "../types.js";

interface Row {
  backend: BackendName;
  op: string;
  /** Median wall time of one run, including reading the result back. */
  ms: number;
  gflops: number;
}

/** One timed workload: `setup` builds inputs once, `run` returns a tensor that is read back. */
interface Workload {
  op: string;
  /** Floating-point operations of one run. */
  flop: number;
  setup(): tf.Tensor[];
  run(inputs: tf.Tensor[]): tf.Tensor;
}

const N = 512;

// Causal two-layer TCN-style block, fwd+bwd: x [batch 16, time 256, vars 8] -> conv1d(width 4, 64)
// -> relu -> conv1d(width 4, 64) -> relu -> dense(8) -> MSE against x. (No dilation: tfjs 4.22 has
// no gradient for conv1d with dilation > 1.)
const B = 16, T = 256, V = 8, H = 64, K = 4;
const FWD_FLOP = 2 * B * T * K * V * H + 2 * B * T * K * H * H + 2 * B * T * H * V;

const WORKLOADS: readonly Workload[] = [
  {
    op: `matmul ${N}x${N}x${N}`,
    flop: 2 * N ** 3,
    setup: () => [tf.randomNormal([N, N], 0, 1, "float32", 1), tf.randomNormal([N, N], 0, 1, "float32", 2)],
    run: ([a, b]) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
  },
  {
    op: `conv block fwd+bwd B${B} T${T} V${V} H${H}`,
    // the backward pass costs about twice the forward (gradients for inputs and weights)
    flop: 3 * FWD_FLOP,
    setup: () => [
      tf.randomNormal([B, T, V], 0, 1, "float32", 3),
      tf.randomNormal([K, V, H], 0, 0.3, "float32", 4),
      tf.randomNormal([K, H, H], 0, 0.1, "float32", 5),
      tf.randomNormal([H, V], 0, 0.1, "float32", 6),
    ],
    run: ([x, w1, w2, w3]) => {
      const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
        const h1 = tf.relu(tf.conv1d(tf.pad(x as tf.Tensor3D, [[0, 0], [K - 1, 0], [0, 0]]), a as tf.Tensor3D, 1, "valid")); // [B, T, H]
        const h2 = tf.relu(tf.conv1d(tf.pad(h1, [[0, 0], [K - 1, 0], [0, 0]]), b as tf.Tensor3D, 1, "valid")); // [B, T, H]
        const y = tf.matMul(tf.reshape(h2, [B * T, H]), c as tf.Tensor2D); // [B*T, V]
        return tf.mean(tf.squaredDifference(y, tf.reshape(x, [B * T, V])));
      };
      const grads = tf.grads(loss)([w1, w2, w3]);
      return tf.concat(grads.map((g) => g.flatten()));
    },
  },
];

/** Flags: --backends cpu,wasm (default: every available backend). */
function selectedBackends(args: string[], statuses: BackendStatus[]): BackendStatus[] {
  const i = args.indexOf("--backends");
  const wanted = i >= 0 ? args[i + 1]?.split(",") : undefined;
  return statuses.filter((s) => s.available && (!wanted || wanted.includes(s.name)));
}

/**
 * Median ms of up to `reps` runs after one warm-up run (kernel compilation, shader caches). Runs stop
 * once `budgetMs` has passed since the start; a warm-up slower than a quarter of the budget counts
 * as a sample (so a very slow backend costs one run, not `reps`).
 */
async function time(w: Workload, reps: number, budgetMs: number): Promise<number> {
  const inputs = w.setup();
  try {
    const once = async () => {
      const started = performance.now();
      const out = tf.tidy(() => w.run(inputs));
      await out.data();
      out.dispose();
      return performance.now() - started;
    };
    const deadline = performance.now() + budgetMs;
    const first = await once();
    const ms: number[] = first > budgetMs / 4 ? [first] : [];
    while (ms.length < reps && (ms.length === 0 || performance.now() < deadline)) ms.push(await once());
    return median(ms);
  } finally {
    tf.dispose(inputs);
  }
}

async function run(ctx: BenchContext): Promise<BenchReport> {
  const statuses = await listBackends();
  const backends = selectedBackends(ctx.args, statuses);
  const reps = ctx.quick ? 2 : 7;
  const budgetMs = ctx.quick ? 3000 : 15_000;
  const rows: Row[] = [];
  for (const status of backends) {
    await useBackend(status.name);
    for (const w of WORKLOADS) {
      const ms = await time(w, reps, budgetMs);
      const row: Row = { backend: status.name, op: w.op, ms: Number(ms.toFixed(2)), gflops: Number((w.flop / ms / 1e6).toFixed(3)) };
      rows.push(row);
      if (ctx.json) process.stdout.write(JSON.stringify(row) + "\n");
      ctx.log(`${row.backend.padEnd(7)} ${row.op.padEnd(40)} ${row.ms.toFixed(1).padStart(9)} ms ${row.gflops.toFixed(2).padStart(8)} GFLOP/s`);
    }
  }
  await shutdownBackends();

  const lines = [
    `Median wall time of one run after a warm-up (up to ${reps} runs within ${budgetMs / 1000} s per op), including reading the result back to JavaScript.`,
    `GFLOP/s counts 2·M·N·K for the matmul and 3x the forward FLOPs (${(FWD_FLOP / 1e6).toFixed(0)} M) for the conv block's forward + backward.`,
    "",
    "| backend | op | median ms | GFLOP/s |",
    "|---|---|---:|---:|",
    ...rows.map((r) => `| ${r.backend} | ${r.op} | ${r.ms.toFixed(1)} | ${r.gflops.toFixed(2)} |`),
    "",
    "Backends:",
    "",
    ...statuses.map((s) => `- **${s.name}**: ${s.available ? `available${s.fast === false ? " (not fast: auto skips it)" : ""}${s.detail ? `; ${s.detail}` : ""}` : `not available: ${s.reason ?? "unknown"}`}`),
    "",
  ];
  return { rows: rows as unknown as Record<string, unknown>[], markdown: lines.join("\n") };
}

/** Raw speed of each available TensorFlow.js backend on a matmul and a small training step. */
export const suite: BenchSuite = {
  name: "backends",
  description: "median ms and GFLOP/s per backend: 512^3 matmul and a conv block forward + backward",
  run,
};
