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

/**
 * Time left for a run `fraction` done after `elapsedSeconds`, assuming the rest goes at the same
 * pace: elapsed x (1 - f) / f. Undefined before 2% (too early to say) and once done.
 */
export function etaSeconds(fraction: number, elapsedSeconds: number): number | undefined {
  if (!(fraction >= 0.02 && fraction < 1) || !(elapsedSeconds >= 0)) return undefined;
  return (elapsedSeconds * (1 - fraction)) / fraction;
}

/** A duration as people read it: `42s`, `3m05s`, `2h07m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
