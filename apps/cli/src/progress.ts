import { etaSeconds, formatDuration, type ProgressEvent } from "@causeway/core";
import type { CliIO } from "./io.js";

export interface ProgressOptions {
  /** No progress at all (`--quiet`). */
  quiet?: boolean;
  /** Progress also when stderr is not a terminal (`--progress`): one line per 10%. */
  force?: boolean;
}

/** One progress line: method, stage, step, percent, metrics, elapsed and ETA. */
export function progressLine(e: ProgressEvent, elapsedSeconds: number): string {
  const pct = Math.round(e.fraction * 100);
  const eta = etaSeconds(e.fraction, elapsedSeconds);
  const metrics = e.metrics ? " " + Object.entries(e.metrics).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`).join(" ") : "";
  const steps = e.step !== undefined && e.total !== undefined ? ` ${e.step}/${e.total}` : "";
  const time = ` | ${formatDuration(elapsedSeconds)} elapsed${eta === undefined ? "" : `, eta ${formatDuration(eta)}`}`;
  return `${e.method} ${e.stage}${steps} ${String(pct).padStart(3)}%${metrics}${time}${e.message ? ` ${e.message}` : ""}`;
}

/**
 * Renders progress events on stderr, with an ETA from the fraction done and the time elapsed:
 * redrawn in place on a terminal; elsewhere only with `force` (`--progress`), one line per 10% (so
 * logs stay short). A boolean argument is the old `quiet` flag (progress also off a terminal).
 */
export function progressPrinter(io: CliIO, options: ProgressOptions | boolean = {}): { onProgress: (e: ProgressEvent) => void; done: () => void } {
  const { quiet = false, force = false } = typeof options === "boolean" ? { quiet: options, force: true } : options;
  const started = Date.now();
  let lastDecile = -1;
  let drawn = false;
  const onProgress = (e: ProgressEvent): void => {
    if (quiet || (!io.isTTY && !force)) return;
    const line = progressLine(e, (Date.now() - started) / 1000);
    if (io.isTTY) {
      io.err(`\r\x1b[2K${line}`);
      drawn = true;
    } else {
      const decile = Math.floor(Math.round(e.fraction * 100) / 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        io.err(`${line}\n`);
      }
    }
  };
  const done = (): void => {
    if (drawn) io.err("\n");
    drawn = false;
  };
  return { onProgress, done };
}
