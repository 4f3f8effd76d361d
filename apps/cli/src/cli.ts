import { readFileSync } from "node:fs";
import { InputError } from "@causeway/core";
import { registerAllMethods } from "@causeway/methods";
import "./backends.js";
import { backendsCommand, methodsCommand } from "./commands/list.js";
import { demoCommand } from "./commands/demo.js";
import { discoverCommand } from "./commands/discover.js";
import { exportCommand, reportCommand } from "./commands/export.js";
import { generateCommand } from "./commands/generate.js";
import { lcmCommand } from "./commands/lcm.js";
import { scoreCommand } from "./commands/score.js";
import { UsageError, type CliIO } from "./io.js";

export const mainHelp = `causeway — temporal causal discovery: which variables drive which, at which lag.

Usage: causeway <command> [options]

Commands:
  demo                      generate a series, discover its graph, score it (the quick start)
  discover <file>           discover the lagged causal graph of a CSV/JSON series
  export <graph> --to F     write a graph as dot, mermaid, graphml, svg or png
  report <graph> --out F    write a self-contained HTML report (graph, heatmap, edges, warnings)
  score <truth> <graph>     score a discovered graph against ground truth
  generate <kind> --out DIR write a synthetic series with known ground truth
  lcm train --config FILE   train a Large Causal Model (the \`lcm\` method's pretrained model)
  methods [name]            list discovery methods, or one method's parameters
  backends                  list tensor backends and whether each is available here
  serve                     run the HTTP API (jobs on worker threads, or on Redis workers)
  worker                    take jobs from the Redis queue that \`serve --redis\` fills
  view                      serve the built web viewer (apps/web) on loopback

Run \`causeway <command> --help\` for a command's options.
`;

type Command = (argv: string[], io: CliIO) => Promise<number>;

const commands: Record<string, Command> = {
  demo: demoCommand,
  discover: discoverCommand,
  export: exportCommand,
  report: reportCommand,
  score: scoreCommand,
  generate: generateCommand,
  lcm: lcmCommand,
  methods: methodsCommand,
  backends: backendsCommand,
  // Loaded on use: the server's dependencies (Fastify, PGlite, BullMQ) stay out of the other commands.
  serve: async (argv, io) => (await loadServer("serve")).serveCommand(argv, io),
  worker: async (argv, io) => (await loadServer("worker")).workerCommand(argv, io),
  view: async (argv, io) => (await import("./commands/view.js")).viewCommand(argv, io),
};

/** The package's version, from its package.json (one level above both src/ and dist/). */
function version(): string {
  return (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
}

/**
 * The server package, an optional peer of the CLI (its Fastify, PGlite and BullMQ stay out of a
 * plain install): a clear error when it is not installed.
 */
async function loadServer(command: string): Promise<{ serveCommand: Command; workerCommand: Command }> {
  try {
    return await import("@causeway/server");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ERR_MODULE_NOT_FOUND" && /@causeway\/server/.test(err.message))
      throw new UsageError(`\`causeway ${command}\` needs the server package: npm install @causeway/server (beside @causeway/cli)`);
    throw e;
  }
}

/**
 * Run the CLI with `argv` (without node and script). Returns the exit code: 0 ok, 2 bad input
 * or usage (one-line reason on stderr), 1 unexpected failure, 130 interrupted.
 */
export async function run(argv: string[], io: CliIO): Promise<number> {
  registerAllMethods();
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(mainHelp);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    io.out(`causeway ${version()}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`causeway: unknown command "${name}"; commands: ${Object.keys(commands).join(", ")}\n`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    const err = e as Error;
    if (err.name === "AbortError") {
      io.err(`causeway: ${err.message}\n`);
      return 130;
    }
    if (e instanceof InputError || e instanceof UsageError) {
      io.err(`causeway: ${err.message}\n`);
      return 2;
    }
    io.err(`causeway: ${err.message}\n${process.env.CAUSEWAY_DEBUG ? `${err.stack}\n` : "(set CAUSEWAY_DEBUG=1 for the stack trace)\n"}`);
    return 1;
  }
}
