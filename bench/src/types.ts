/** What a benchmark suite receives from `pnpm bench <suite> [--json] [--quick] [...]`. */
export interface BenchContext {
  /** Print one JSON object per result row on stdout (human logs go to stderr). */
  json: boolean;
  /** A short run (fewer seeds/sizes) for smoke testing; never used for committed results. */
  quick: boolean;
  /** Remaining command-line arguments, for suite-specific flags. */
  args: string[];
  /** Log a human-readable line (stderr). */
  log(line: string): void;
}

/** A suite's result: rows (also printed as JSON lines with --json) and the markdown report. */
export interface BenchReport {
  rows: Record<string, unknown>[];
  /** Markdown body written to bench/results/<file>.md with a machine header prepended. */
  markdown: string;
  /** Results file name without extension; default: the suite name. */
  file?: string;
}

export interface BenchSuite {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchReport>;
}
