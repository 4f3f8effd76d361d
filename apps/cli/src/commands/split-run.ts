// `discover --threads n` for a per-target method (cmlp, clstm, tcdf): one fit with its effects split over n
// worker threads (@causeway/methods/node), each thread with its own tensor backend.
import type { CausalGraph, DiscoverOptions, Discoverer, ProgressCallback, TimeSeries } from "@causeway/core";
import { discoverSplit, MethodPool, splitsByTargets } from "@causeway/methods/node";

/** What every thread imports first: the CLI's backend packages (each registers its provider). */
const BACKENDS_MODULE = new URL(import.meta.url.endsWith(".ts") ? "../backends.ts" : "../backends.js", import.meta.url).href;

/** Whether `discover` should split this run over `threads` threads (an explicit --threads > 1, a method with `targets`, no targets given). */
export function shouldSplit(method: Discoverer, threads: number | undefined, params: Record<string, unknown>): boolean {
  return threads !== undefined && threads > 1 && splitsByTargets(method) && (params.targets === undefined || params.targets === "");
}

/**
 * Runs `method` on `series` with its effects over `threads` worker threads (no more threads than
 * variables) and returns the merged graph; Ctrl-C (`signal`) stops the threads at once. `onProgress`
 * gets the threads' progress as one run's (their fractions averaged), for the progress line and its ETA.
 */
export async function discoverInThreads(
  method: Discoverer,
  series: TimeSeries,
  options: Omit<DiscoverOptions, "signal" | "onProgress">,
  threads: number,
  signal: AbortSignal,
  onProgress?: ProgressCallback,
): Promise<CausalGraph> {
  const pool = new MethodPool(Math.min(threads, series.variables.length), { modules: [BACKENDS_MODULE] });
  const stop = () => void pool.close();
  signal.addEventListener("abort", stop, { once: true });
  try {
    return await discoverSplit(pool, method.name, series, options, onProgress);
  } finally {
    signal.removeEventListener("abort", stop);
    await pool.close();
  }
}
