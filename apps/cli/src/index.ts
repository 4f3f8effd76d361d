export { run, mainHelp } from "./cli.js";
export { type CliIO, UsageError } from "./io.js";
