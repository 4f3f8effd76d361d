/**
 * What the surrogate test and the bootstrap share: a method run many times on altered copies of
 * one series. `checkRepeatedRuns` prices the whole batch against the run limits before any work;
 * `runConcurrently` runs a batch through the caller's `runOne` (serial in a browser, worker
 * threads in Node), at most `concurrency` at once, in a fixed order of dispatch.
 */
import { AbortError } from "../errors.js";
import type { Discoverer } from "../discoverer.js";
import { checkRun, formatBytes, LimitError, runLimits, type RunEstimate, type RunLimits, type RunShape } from "../limits.js";
import type { ProgressCallback } from "../progress.js";
import type { CausalGraph, TimeSeries } from "../types.js";

/** Runs the method on one altered series (the i-th of the batch) and returns its graph. */
export type RunOne = (series: TimeSeries, index: number) => Promise<CausalGraph>;

/** What a batch of runs costs: runs, work of all of them, memory of those at once. */
export interface BatchEstimate {
  runs: number;
  /** One run's estimate (`Discoverer.estimate`, else checkRun's default). */
  perRun: RunEstimate;
  flops: number;
  bytes: number;
}

function formatCount(n: number): string {
  return Number(n.toPrecision(2)).toExponential();
}

/**
 * Price `runs` runs of `method` on a series of `shape`, `concurrency` of them at once, against the
 * run limits: a LimitError (with the estimate, the limit and what to change) when the batch's work
 * exceeds `maxFlops` or the runs held at once exceed `maxBytes`. `what` names the batch in the
 * message, e.g. "--surrogates 99 (99 x 5 causes + the observed run)".
 */
export function checkRepeatedRuns(
  method: Discoverer,
  shape: RunShape,
  params: Record<string, unknown> | undefined,
  runs: number,
  what: string,
  options: { limits?: Partial<RunLimits>; concurrency?: number } = {},
): BatchEstimate {
  const { estimate } = checkRun(method, shape, params, options.limits);
  const bounds = runLimits(options.limits);
  const atOnce = Math.max(1, Math.min(options.concurrency ?? 1, runs));
  const flops = runs * estimate.flops;
  const bytes = atOnce * estimate.bytes;
  const size = `${method.name} on ${shape.T} x ${shape.V} with maxLag ${shape.maxLag}`;
  if (flops > bounds.maxFlops)
    throw new LimitError(
      `${what} costs ${runs} runs of ${size}, ~${formatCount(flops)} floating-point operations in all (${formatCount(estimate.flops)} each), over the ${formatCount(bounds.maxFlops)} limit (CAUSEWAY_MAX_RUN_FLOPS / --max-flops); use fewer, a smaller maxLag or raise the limit`,
      "maxFlops",
      flops,
      bounds.maxFlops,
    );
  if (bytes > bounds.maxBytes)
    throw new LimitError(
      `${what} holds ${atOnce} runs of ${size} at once, ~${formatBytes(bytes)} (${formatBytes(estimate.bytes)} each), over the ${formatBytes(bounds.maxBytes)} limit (CAUSEWAY_MAX_RUN_BYTES / --max-memory); use fewer threads or raise the limit`,
      "maxBytes",
      bytes,
      bounds.maxBytes,
    );
  return { runs, perRun: estimate, flops, bytes };
}

/** Options of a batch: how many at once, cancellation, progress. */
export interface BatchOptions {
  /** Runs in flight at once (default 1: serial). */
  concurrency?: number;
  signal?: AbortSignal;
  /** One event per finished run (`stage`, `step` of `total`). */
  onProgress?: ProgressCallback;
}

/**
 * Runs `total` jobs: `make(i)` builds the i-th series (called in order 0, 1, ... as slots free up,
 * so a seeded generator inside stays reproducible), `runOne` runs it, `use(i, graph)` consumes the
 * result. Rejects with the first failure (the runs in flight are awaited first).
 */
export async function runConcurrently(
  total: number,
  make: (i: number) => TimeSeries,
  runOne: RunOne,
  use: (i: number, graph: CausalGraph) => void,
  options: BatchOptions & { method: string; stage: string },
): Promise<void> {
  let next = 0;
  let done = 0;
  let failure: unknown = null;
  const worker = async (): Promise<void> => {
    while (next < total && failure === null) {
      if (options.signal?.aborted) throw new AbortError(String(options.signal.reason ?? "aborted"));
      const i = next++;
      try {
        use(i, await runOne(make(i), i));
      } catch (e) {
        failure ??= e;
        return;
      }
      done++;
      options.onProgress?.({ method: options.method, stage: options.stage, fraction: done / total, step: done, total });
    }
  };
  const slots = Math.max(1, Math.min(options.concurrency ?? 1, total));
  await Promise.all(Array.from({ length: slots }, worker));
  if (failure !== null) throw failure;
}
