// Test helper: run the CLI in-process, capturing stdout and stderr (used by the CLI's test files).
import { run } from "./cli.js";
import type { CliIO } from "./io.js";

/** Run `causeway ...argv` in-process; its exit code and what it wrote to stdout and stderr. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false };
  const code = await run(argv, io);
  return { code, out, err };
}
