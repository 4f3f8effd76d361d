#!/usr/bin/env node
// Standalone entry (`node dist/main.js serve|worker ...`; tests spawn it); `causeway serve` and
// `causeway worker` run the same commands through the CLI.
import { InputError } from "@causeway/core";
import { serveCommand, workerCommand } from "./commands.js";
import { debugEnabled } from "./env.js";

const io = { out: (t: string) => void process.stdout.write(t), err: (t: string) => void process.stderr.write(t) };
const [name, ...rest] = process.argv.slice(2);
const command = name === "serve" ? serveCommand : name === "worker" ? workerCommand : null;
let code = 2;
if (!command) io.err(`usage: main.ts serve|worker [options] (got ${JSON.stringify(name ?? "")})\n`);
else {
  try {
    code = await command(rest, io);
  } catch (e) {
    const err = e as Error;
    io.err(`causeway ${name}: ${err.message}\n${debugEnabled() && !(e instanceof InputError) ? `${err.stack}\n` : ""}`);
    code = e instanceof InputError ? 2 : 1;
  }
}
process.exitCode = code;
setTimeout(() => process.exit(code), 200).unref();
