import { etaSeconds, formatDuration } from "@causeway/core";

/** " · 12s elapsed, eta 40s" after the progress bar's percent: the ETA from the fraction done, as the CLI's. */
export function timeText(fraction: number, startedMs: number, nowMs = Date.now()): string {
  if (!(startedMs > 0)) return "";
  const elapsed = (nowMs - startedMs) / 1000;
  const eta = etaSeconds(fraction, elapsed);
  return ` · ${formatDuration(elapsed)} elapsed${eta === undefined ? "" : `, eta ${formatDuration(eta)}`}`;
}
