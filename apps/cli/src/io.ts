/** Where the CLI writes: stdout for results, stderr for logs and progress (injectable for tests). */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is an interactive terminal (progress redraws in place). */
  isTTY: boolean;
}

export const processIO: CliIO = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY),
};

/** Raised for bad command-line usage; printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
