import type { ProgressEvent } from "@causeway/core";
import type { CliIO } from "./io.js";

/**
 * Renders progress events on stderr: redrawn in place on a terminal, one line per 10% otherwise
 * (so logs of CI runs stay short).
 */
export function progressPrinter(io: CliIO, quiet = false): { onProgress: (e: ProgressEvent) => void; done: () => void } {
  const started = Date.now();
  let lastDecile = -1;
  let drawn = false;
  const onProgress = (e: ProgressEvent): void => {
    if (quiet) return;
    const pct = Math.round(e.fraction * 100);
    const elapsed = (Date.now() - started) / 1000;
    const eta = e.fraction > 0.02 && e.fraction < 1 ? ` eta ${((elapsed * (1 - e.fraction)) / e.fraction).toFixed(0)}s` : "";
    const metrics = e.metrics
      ? " " + Object.entries(e.metrics).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`).join(" ")
      : "";
    const steps = e.step !== undefined && e.total !== undefined ? ` ${e.step}/${e.total}` : "";
    const line = `${e.method} ${e.stage}${steps} ${String(pct).padStart(3)}%${metrics}${eta}${e.message ? ` ${e.message}` : ""}`;
    if (io.isTTY) {
      io.err(`\r\x1b[2K${line}`);
      drawn = true;
    } else {
      const decile = Math.floor(pct / 10);
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
