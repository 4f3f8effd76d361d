import { describeMethod, getMethod, listBackends, listMethods, type ParamSpec } from "@causeway/core";
import { parse } from "../args.js";
import { table } from "../format.js";
import type { CliIO } from "../io.js";

export const methodsHelp = `Usage: causeway methods [name] [--json]

List the registered discovery methods, or one method's parameters.
`;

export async function methodsCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: "boolean" } }, "methods");
  if (values.help) return void io.out(methodsHelp), 0;
  if (positionals.length > 0) {
    const m = getMethod(positionals[0]);
    if (values.json) return void io.out(JSON.stringify(describeMethod(m)) + "\n"), 0;
    io.out(`${m.name}: ${m.description}\nlag-resolved: ${m.lagResolved ? "yes" : "no"} | tensors: ${m.usesTensors ? "yes" : "no"} | default threshold: ${m.defaultThreshold}\n`);
    io.out(`several recordings (segments): ${m.supports?.segments ? "yes" : "no"} | missing cells (--missing mask): ${m.supports?.mask ? "yes" : "no"}\n`);
    // --budget presets of a method that trains: what each named budget sets (unless -p gives it)
    const presets = m.budgets ? Object.entries(m.budgets).map(([name, p]) => `${name} ${Object.entries(p).map(([k, v]) => `${k}=${String(v)}`).join(" ") || "(the defaults)"}`) : [];
    io.out(presets.length > 0 ? `--budget: ${presets.join("; ")}; or seconds\n\n` : "\n");
    if (m.params.length === 0) io.out("no method parameters\n");
    else
      io.out(
        table(
          ["parameter", "type", "default", "range", "description"],
          m.params.map((p) => [p.name, p.choices ? p.choices.join("|") : p.type, String(p.default), range(p), p.description]),
        ),
      );
    return 0;
  }
  const methods = listMethods();
  if (values.json) {
    io.out(JSON.stringify(methods.map((m) => ({ name: m.name, description: m.description, usesTensors: m.usesTensors, lagResolved: m.lagResolved, params: m.params, supports: m.supports ?? { segments: false, mask: false } }))) + "\n");
    return 0;
  }
  // pools: which of several recordings (segments) and missing cells (mask) the method can use
  const pools = (m: (typeof methods)[number]) => [m.supports?.segments ? "segments" : "", m.supports?.mask ? "mask" : ""].filter(Boolean).join("+") || "no";
  io.out(table(["method", "tensors", "lags", "pools", "description"], methods.map((m) => [m.name, m.usesTensors ? "yes" : "no", m.lagResolved ? "yes" : "summary", pools(m), m.description])));
  return 0;
}

/** `min..max` of a numeric param (every shipped one has both: `resolveParams` refuses values outside). */
function range(p: ParamSpec): string {
  return p.min === undefined && p.max === undefined ? "" : `${p.min ?? ""}..${p.max ?? ""}`;
}

export const backendsHelp = `Usage: causeway backends [--json]

List the tensor backends with "available" or the exact reason one is not, and how to fix it.
`;

export async function backendsCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parse(argv, { json: { type: "boolean" } }, "backends");
  if (values.help) return void io.out(backendsHelp), 0;
  const list = await listBackends();
  if (values.json) return void io.out(JSON.stringify(list) + "\n"), 0;
  for (const b of list) {
    const status = b.available ? `available${b.fast === false ? " (slow here: auto skips it)" : ""}` : `not available: ${b.reason}`;
    io.out(`${b.name.padEnd(7)} ${status}${b.detail ? ` [${b.detail}]` : ""}\n`);
    if (!b.available && b.fix) io.out(`        fix: ${b.fix}\n`);
  }
  return 0;
}
