#!/usr/bin/env node
import { run } from "./cli.js";
import { processIO } from "./io.js";

const code = await run(process.argv.slice(2), processIO);
process.exitCode = code;
// Native GPU runtimes (Dawn) can keep the event loop alive after the work is done: leave anyway.
setTimeout(() => process.exit(code), 200).unref();
