/** A progress report from a long-running method (training epochs, permutations, ...). */
export interface ProgressEvent {
  /** Method name. */
  method: string;
  /** Current stage, e.g. "train", "validate", "fit". */
  stage: string;
  /** Work done so far in this run, 0..1. */
  fraction: number;
  /** Optional counters, e.g. epoch / epochs. */
  step?: number;
  total?: number;
  /** Optional scalar diagnostics (loss, lambda, ...). */
  metrics?: Record<string, number>;
  message?: string;
}

export type ProgressCallback = (event: ProgressEvent) => void;

/**
 * Rate-limited progress reporter: emits at most every `minIntervalMs`, plus the first and
 * last events, so that callbacks never dominate a tight training loop.
 */
export function progressReporter(method: string, cb: ProgressCallback | undefined, minIntervalMs = 100) {
  let last = -Infinity;
  return (stage: string, fraction: number, extra: Omit<ProgressEvent, "method" | "stage" | "fraction"> = {}): void => {
    if (!cb) return;
    const now = Date.now();
    if (fraction < 1 && fraction > 0 && now - last < minIntervalMs) return;
    last = now;
    cb({ method, stage, fraction: Math.min(1, Math.max(0, fraction)), ...extra });
  };
}
