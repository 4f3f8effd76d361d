import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./io.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** A negative number such as `-5`, `-0.5`, `-.5` or `-1e3` (not a flag). */
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * Joins a value-taking flag and a following negative number (`--seed -5` → `--seed=-5`), which
 * node's parseArgs would otherwise read as the unknown flag `-5`.
 */
export function joinNegativeValues(argv: string[], options: Options): string[] {
  const takesValue = new Set<string>();
  for (const [name, o] of Object.entries(options)) {
    if (o.type !== "string") continue;
    takesValue.add(`--${name}`);
    if (o.short) takesValue.add(`-${o.short}`);
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (takesValue.has(argv[i]) && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(argv[i].startsWith("--") ? `${argv[i]}=${next}` : `${argv[i]}${next}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/** Parse a subcommand's arguments; unknown flags and bad shapes become UsageErrors. Negative numbers are values. */
export function parse<O extends Options>(argv: string[], options: O, command: string) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${command}: ${(e as Error).message.split("\n")[0]} (see \`causeway ${command} --help\`)`);
  }
}

/** Integer flag with bounds; absent → fallback. */
export function intFlag(value: unknown, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be an integer, got "${String(value)}"`);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Number flag; absent → undefined. */
export function numFlag(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${String(value)}"`);
  return n;
}

/** `--param key=value` pairs (repeatable) into an object. */
export function keyValues(values: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of (values as string[] | undefined) ?? []) {
    const i = kv.indexOf("=");
    if (i <= 0) throw new UsageError(`--param expects key=value, got "${kv}"`);
    out[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
  }
  return out;
}
