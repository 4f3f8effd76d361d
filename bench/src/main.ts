/**
 * `pnpm bench [suite ...] [--json] [--quick] [suite flags]` — runs benchmark suites and writes
 * bench/results/<suite>.md (the discovery suite writes latest.md). Human logs on stderr;
 * with --json, one JSON object per result row on stdout.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import "./backends.js";
import { RESULTS_DIR } from "./env.js";
import { SUITES } from "./suites/index.js";
import type { BenchContext } from "./types.js";

const argv = process.argv.slice(2);
const json = argv.includes("--json");
const quick = argv.includes("--quick");
const noWrite = argv.includes("--no-write");
const names: string[] = [];
for (const a of argv) {
  if (a.startsWith("-")) break;
  names.push(a);
}
const args = argv.slice(names.length);
if (argv.includes("--help") || argv.includes("-h")) {
  process.stdout.write(`Usage: pnpm bench [suite ...] [--json] [--quick] [--no-write] [suite flags]\n\nSuites:\n${SUITES.map((s) => `  ${s.name.padEnd(12)} ${s.description}`).join("\n")}\n\nDefault: discovery. Results go to bench/results/<suite>.md (discovery: latest.md); --quick runs are never written.\n`);
  process.exit(0);
}
const selected = names.length === 0 ? SUITES.filter((s) => s.name === "discovery") : names.includes("all") ? SUITES : names.map((n) => {
  const s = SUITES.find((x) => x.name === n);
  if (!s) {
    process.stderr.write(`bench: unknown suite "${n}"; suites: ${SUITES.map((x) => x.name).join(", ")}\n`);
    process.exit(2);
  }
  return s;
});

const ctx: BenchContext = { json, quick, args, log: (line) => void process.stderr.write(line + "\n") };
const machine = `${cpus().length} x ${cpus()[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}-${process.arch}`;

for (const s of selected) {
  const started = Date.now();
  ctx.log(`# bench ${s.name}${quick ? " (quick)" : ""}`);
  const report = await s.run(ctx);
  const header = `# Benchmark: ${s.name}\n\n- date: ${new Date().toISOString()}\n- machine: ${machine}\n- command: \`pnpm bench ${[s.name, ...args].map((a) => (/[\s"'$]/.test(a) ? `'${a}'` : a)).join(" ")}\`\n- wall time: ${((Date.now() - started) / 1000).toFixed(0)} s\n\n`;
  if (!quick && !noWrite) {
    await mkdir(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `${report.file ?? s.name}.md`);
    await writeFile(file, header + report.markdown);
    ctx.log(`wrote ${file}`);
  } else if (!json) process.stdout.write(header + report.markdown);
}
setTimeout(() => process.exit(0), 200).unref();
