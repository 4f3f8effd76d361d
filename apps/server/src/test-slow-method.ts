// Test-only method module (loaded through CAUSEWAY_METHOD_MODULES): "sleep" takes as long as asked,
// reports progress each step and honours its AbortSignal, so tests can follow, cancel and crash jobs.
import { AbortError, buildGraph, createScores, throwIfAborted, validateDiscoverInput, type Discoverer } from "@causeway/core";

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: keeps the thread's event loop blocked, as a heavy numeric method does
  }
}

export const sleepMethod: Discoverer = {
  name: "sleep",
  description: "test-only: waits `ms` milliseconds in `steps` steps, then returns all-zero scores",
  usesTensors: false,
  lagResolved: true,
  defaultThreshold: 0.5,
  params: [
    { name: "ms", type: "integer", default: 1000, min: 0, max: 600_000, description: "total time" },
    { name: "steps", type: "integer", default: 10, min: 1, max: 10_000, description: "progress events" },
    { name: "busy", type: "boolean", default: false, description: "spin the CPU instead of waiting on timers (blocks the thread's event loop)" },
    { name: "fail", type: "boolean", default: false, description: "throw an error at the end" },
  ],
  async discover(series, options) {
    validateDiscoverInput(series, options);
    const ms = Number(options.params?.ms ?? 1000);
    const steps = Number(options.params?.steps ?? 10);
    const busy = options.params?.busy === true || options.params?.busy === "true";
    for (let i = 0; i < steps; i++) {
      options.onProgress?.({ method: "sleep", stage: "sleep", fraction: i / steps, step: i, total: steps });
      throwIfAborted(options.signal);
      if (busy) spin(ms / steps);
      else
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, ms / steps);
          options.signal?.addEventListener("abort", () => (clearTimeout(timer), reject(new AbortError(String(options.signal?.reason)))), { once: true });
        });
    }
    options.onProgress?.({ method: "sleep", stage: "sleep", fraction: 1, step: steps, total: steps });
    if (options.params?.fail === true) throw new Error("sleep: failing as asked");
    return buildGraph({
      method: "sleep",
      variables: series.variables,
      scores: createScores(series.variables.length, options.maxLag),
      threshold: options.threshold ?? 0.5,
      meta: { backend: "none", seconds: ms / 1000, seed: options.seed ?? 0, params: { ms, steps, busy } },
    });
  },
};

export const methods = [sleepMethod];
