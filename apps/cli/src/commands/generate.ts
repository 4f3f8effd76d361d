import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { GroundTruth, TimeSeries } from "@causeway/core";
import { writeSeries, writeTruth } from "@causeway/core/node";
import { generateFromSpec, type CollectionSpec, type GeneratorName } from "@causeway/synth";
import { intFlag, numFlag, parse } from "../args.js";
import { UsageError, type CliIO } from "../io.js";

export const GENERATORS = ["var", "nonlinear", "lorenz96", "kuramoto", "nonstationary", "spiking", "bold", "confounded"] as const satisfies readonly GeneratorName[];
export type GeneratorKind = GeneratorName;

export const generateHelp = `Usage: causeway generate <${GENERATORS.join("|")}> --out DIR [options]

Write a synthetic series with known ground truth: DIR/data.csv and DIR/truth.json.

Options:
  -o, --out <dir>         output directory (created if missing; required)
  -n, --vars <n>          number of variables (default: 5)
  -T, --length <n>        number of time steps (default: 1000)
  -l, --max-lag <n>       largest true lag: var, nonlinear, nonstationary, spiking, confounded (default: 3)
  -s, --seed <n>          random seed, an integer 0..2147483647 (default: 0)
  -F, --forcing <x>       Lorenz-96 forcing F (default: 10)
  -h, --help              this help
`;

export interface GenerateSpec {
  kind: GeneratorKind;
  vars: number;
  length: number;
  maxLag: number;
  seed: number;
  forcing?: number;
}

/** Run a generator by name (maxLag applies to the lagged ones, forcing to Lorenz-96; the summary-only ones take vars and length). */
export function generate(spec: GenerateSpec): { series: TimeSeries; truth: GroundTruth } {
  const { vars, length, maxLag, seed } = spec;
  const options = spec.kind === "lorenz96" ? { vars, length, forcing: spec.forcing ?? 10 } : spec.kind === "kuramoto" || spec.kind === "bold" ? { vars, length } : { vars, length, maxLag };
  return generateFromSpec({ name: spec.kind, description: "", generator: spec.kind, options } as CollectionSpec, seed);
}

export async function generateCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      out: { type: "string", short: "o" },
      vars: { type: "string", short: "n" },
      length: { type: "string", short: "T" },
      "max-lag": { type: "string", short: "l" },
      seed: { type: "string", short: "s" },
      forcing: { type: "string", short: "F" },
    },
    "generate",
  );
  if (values.help) return void io.out(generateHelp), 0;
  const kind = positionals[0];
  if (positionals.length !== 1 || !(GENERATORS as readonly string[]).includes(kind))
    throw new UsageError(`generate needs one kind: ${GENERATORS.join(", ")}${kind ? ` (got "${positionals.join(" ")}")` : ""}`);
  if (!values.out) throw new UsageError("generate needs --out DIR");
  const spec: GenerateSpec = {
    kind: kind as GeneratorKind,
    vars: intFlag(values.vars, "vars", 5, 1, 10_000),
    length: intFlag(values.length, "length", 1000, 3, 100_000_000),
    maxLag: intFlag(values["max-lag"], "max-lag", 3, 1, 100),
    seed: intFlag(values.seed, "seed", 0, 0, 2 ** 31 - 1),
    forcing: numFlag(values.forcing, "forcing"),
  };
  const { series, truth } = generate(spec);
  await mkdir(values.out, { recursive: true });
  const dataPath = join(values.out, "data.csv");
  const truthPath = join(values.out, "truth.json");
  await writeSeries(dataPath, series);
  await writeTruth(truthPath, truth);
  io.out(`wrote ${dataPath} (${series.length} x ${series.variables.length}) and ${truthPath} (${truth.edges.length} edges)\n`);
  return 0;
}
