import type { ProgressEvent } from "@causeway/core";
import type { CliIO } from "./io.js";

export interface ProgressOptions {
  /** No progress at all (`--quiet`). */
  quiet?: boolean;
  /** Progress also when stderr is not a terminal (`--progress`): one line per 10%. */
  force?: boolean;
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
