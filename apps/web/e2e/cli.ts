// The CLI's answer for the same input, seed and options (run in process: `causeway discover --json`).
import { run } from "@causeway/cli";
import type { CausalGraph } from "@causeway/core";

/** `causeway discover <csv> -m <method> ... --json -q`; throws with stderr on failure. */
export async function cliGraph(csv: string, method: string, options: { maxLag: number; seed: number; backend: string; params?: Record<string, string | number> }): Promise<CausalGraph> {
  let out = "";
  let err = "";
  const args = ["discover", csv, "-m", method, "-l", String(options.maxLag), "-s", String(options.seed), "-b", options.backend, "--json", "-q"];
  for (const [k, v] of Object.entries(options.params ?? {})) args.push("-p", `${k}=${v}`);
  const code = await run(args, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false });
  if (code !== 0) throw new Error(`causeway ${args.join(" ")} exited ${code}: ${err}`);
  return JSON.parse(out) as CausalGraph;
}
