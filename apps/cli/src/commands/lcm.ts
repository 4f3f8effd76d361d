import { readFile } from "node:fs/promises";
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "@causeway/core";
import { trainLcm, trainLcmV2, type TrainConfig, type TrainV2Config } from "@causeway/lcm";
import { intFlag, parse } from "../args.js";
import { UsageError, type CliIO } from "../io.js";
import { progressPrinter } from "../progress.js";

export const lcmHelp = `Usage: causeway lcm train --config <file.json> [options]

Train a Large Causal Model on pairs streamed from @causeway/synth (seeded, reproducible).
The config is JSON: { architecture, recipe, seed, steps, batchSize, lr, ..., outDir } (see the
@causeway/lcm README; every field but outDir has a default). outDir is resolved against the
config file's folder and receives model.json + weights.bin (best validation AUROC),
training.json (the validation curve) and checkpoint/.
A config with "version": 2 trains an LCM v2 edge model instead ({ featureSet, trainSeries,
epochs, hidden, cacheDir, ... }): model.json, training.json, training-log.txt and
checkpoint-v2.json (one per epoch; --steps/--max-steps then count epochs).

Options:
  -c, --config <file>     training config (JSON)
      --out <dir>         override the config's outDir
      --resume            continue from <outDir>/checkpoint when it exists
      --steps <n>         override the config's total steps
      --max-steps <n>     stop after n steps in this sitting (resume later)
  -b, --backend <name>    backend: auto|cpu|wasm|webgpu|cuda (default: the config's, else auto)
  -q, --quiet             no progress on stderr
  -h, --help              this help
`;

export async function lcmCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      config: { type: "string", short: "c" },
      out: { type: "string" },
      resume: { type: "boolean" },
      steps: { type: "string" },
      "max-steps": { type: "string" },
      backend: { type: "string", short: "b" },
      quiet: { type: "boolean", short: "q" },
    },
    "lcm",
  );
  if (values.help) return void io.out(lcmHelp), 0;
  if (positionals[0] !== "train" || positionals.length !== 1) throw new UsageError("lcm: the only subcommand is `train` (see `causeway lcm --help`)");
  if (!values.config) throw new UsageError("lcm train needs --config <file.json>");
  let config: Partial<TrainConfig>;
  try {
    config = JSON.parse(await readFile(values.config, "utf8")) as Partial<TrainConfig>;
  } catch (e) {
    throw new InputError(`lcm train: cannot read config ${values.config}: ${(e as Error).message}`);
  }
  const outDir = values.out ? resolve(values.out) : config.outDir ? resolve(dirname(values.config), config.outDir) : "";
  if (!outDir) throw new UsageError("lcm train: give outDir in the config or --out <dir>");
  const steps = values.steps === undefined ? config.steps : intFlag(values.steps, "steps", 1, 1);
  const maxSteps = values["max-steps"] === undefined ? undefined : intFlag(values["max-steps"], "max-steps", 1, 1);

  const controller = new AbortController();
  const onSigint = () => controller.abort("interrupted");
  process.once("SIGINT", onSigint);
  if ((config as { version?: number }).version === 2) {
    try {
      return await trainV2(config as Partial<TrainV2Config>, values.config, outDir, steps, maxSteps, values.resume, values.quiet, controller.signal, io);
    } finally {
      process.off("SIGINT", onSigint);
    }
  }
  const progress = progressPrinter(io, values.quiet);
  try {
    const result = await trainLcm(
      { ...config, outDir, ...(steps ? { steps } : {}), ...(values.backend ? { backend: values.backend } : {}) } as TrainConfig,
      {
        resume: values.resume,
        maxStepsThisRun: maxSteps,
        signal: controller.signal,
        onProgress: progress.onProgress,
        log: (line) => {
          progress.done();
          if (!values.quiet) io.err(`${line}\n`);
        },
      },
    );
    progress.done();
    io.out(
      `lcm train: step ${result.step}, best validation AUROC ${result.bestAuroc.toFixed(4)}, ${result.pairsPerSecond.toFixed(1)} pairs/s on ${result.backend} (${result.stopped}); model in ${outDir}\n`,
    );
    result.model.dispose();
    return 0;
  } finally {
    process.off("SIGINT", onSigint);
  }
}

/** `causeway lcm train` with a v2 config: epochs instead of steps, the log also written to outDir/training-log.txt. */
async function trainV2(
  config: Partial<TrainV2Config>,
  configPath: string,
  outDir: string,
  epochs: number | undefined,
  maxEpochs: number | undefined,
  resume: boolean | undefined,
  quiet: boolean | undefined,
  signal: AbortSignal,
  io: CliIO,
): Promise<number> {
  mkdirSync(outDir, { recursive: true });
  const logFile = join(outDir, "training-log.txt");
  const cacheDir = config.cacheDir ? resolve(dirname(configPath), config.cacheDir) : "";
  const result = await trainLcmV2(
    { ...config, outDir, cacheDir, ...(epochs ? { epochs } : {}) },
    {
      resume,
      maxEpochsThisRun: maxEpochs,
      signal,
      log: (line) => {
        appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
        if (!quiet) io.err(`${line}\n`);
      },
    },
  );
  io.out(`lcm train (v2): epoch ${result.log.length}, best validation AUROC ${result.bestAuroc.toFixed(4)} at epoch ${result.bestEpoch} (${result.stopped}); model in ${outDir}\n`);
  return 0;
}
