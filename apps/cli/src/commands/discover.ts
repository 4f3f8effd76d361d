import { budgetApplied, checkBudget, getMethod, listMethods, prepareRun, resolveBackend, useBackend, type CausalGraph, type Discoverer, type RunLimits } from "@causeway/core";
import { readSeriesFiles, writeGraph } from "@causeway/core/node";
import { intFlag, keyValues, numFlag, parse } from "../args.js";
import { UsageError, type CliIO } from "../io.js";
import { progressPrinter } from "../progress.js";
import { describeGraph, edgeSigns, type Signs } from "../summary.js";
import { discoverInThreads, shouldSplit } from "./split-run.js";
import { addTrust, checkTrustRuns, trustFlags, trustHelp, trustOptions } from "./trust.js";

export const discoverHelp = `Usage: causeway discover <file.csv|file.json> [more files...] [options]

Discover the lagged causal graph of a multivariate time series. Several files (or a JSON with
"segments") are several recordings of one system (subjects, trials, regimes): they need the same
variables, and methods that can pool them (see \`causeway methods\`) fit one graph on all, no
lagged window crossing from one recording into the next.

Options:
  -m, --method <name>     method to run (default: corr; see \`causeway methods\`)
  -l, --max-lag <n>       largest lag considered (default: 3)
  -b, --backend <name>    tensor backend: auto|cpu|wasm|webgpu|cuda (default: auto)
  -s, --seed <n>          random seed, an integer 0..2147483647 (default: 0)
      --budget <b>        training budget of a method that trains (cmlp, clstm, tcdf,
                          transformer): fast | default | thorough (presets of its epoch and
                          iteration params; -p values win), or seconds (training stops there)
  -t, --threshold <x>     score threshold for the edge list (default: the method's; a method
                          with p-values then selects by score instead of --alpha)
  -p, --param <k=v>       method parameter, repeatable (see \`causeway methods <name>\`)
      --readout <name>    read-out of a method with a \`readout\` param, e.g. transformer:
                          gradient (lagged, default) | attention (summary); same as -p readout=<name>
      --ensemble <n>      models averaged over seeds seed..seed+n-1, for a method with an
                          \`ensemble\` param (e.g. transformer); same as -p ensemble=<n>
      --impute ffill      forward-fill missing or NaN cells instead of failing
      --missing mask      read empty, NA and NaN cells as missing and leave out the samples
                          whose lagged window touches one (methods that can: see \`causeway methods\`)
      --max-memory <GB>   refuse a run whose estimated memory exceeds this
                          (default: 4, or CAUSEWAY_MAX_RUN_BYTES in bytes)
      --max-flops <n>     refuse a run whose estimated work exceeds n floating-point
                          operations (default: 1e14, or CAUSEWAY_MAX_RUN_FLOPS)
${trustHelp}                          --threads also splits one run of a per-target method
                          (cmlp, clstm, tcdf): each thread fits a share of the effects;
                          pcmci, pcmciplus: PC1 (and pcmci's MCI) tests over the threads;
                          transformer: its --ensemble members (one model per thread)
  -o, --out <file>        write the graph (causeway.graph/v1 JSON) to a file
      --top <n>           strongest (cause, effect) pairs to print, one line each at the
                          pair's best lag, with the sign for var and corr (default: 10)
      --show-self         include self-loops (x -> x) in that table
      --json              print the graph JSON on stdout
      --progress          progress with an ETA on stderr even when it is not a terminal
                          (on a terminal it is shown anyway)
  -q, --quiet             no progress on stderr
  -h, --help              this help
`;

export async function discoverCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      method: { type: "string", short: "m" },
      "max-lag": { type: "string", short: "l" },
      backend: { type: "string", short: "b" },
      seed: { type: "string", short: "s" },
      budget: { type: "string" },
      threshold: { type: "string", short: "t" },
      param: { type: "string", short: "p", multiple: true },
      readout: { type: "string" },
      ensemble: { type: "string" },
      impute: { type: "string" },
      missing: { type: "string" },
      "max-memory": { type: "string" },
      "max-flops": { type: "string" },
      out: { type: "string", short: "o" },
      top: { type: "string" },
      "show-self": { type: "boolean" },
      progress: { type: "boolean" },
      json: { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
      ...trustOptions,
    },
    "discover",
  );
  if (values.help) return void io.out(discoverHelp), 0;
  if (positionals.length === 0) throw new UsageError("discover needs an input file, or several recordings of the same variables (see `causeway discover --help`)");
  if (values.impute !== undefined && values.impute !== "ffill" && values.impute !== "none")
    throw new UsageError(`--impute must be "ffill" or "none", got "${values.impute}"`);
  if (values.missing !== undefined && values.missing !== "mask" && values.missing !== "error")
    throw new UsageError(`--missing must be "mask" or "error", got "${values.missing}"`);
  if (values.missing === "mask" && values.impute === "ffill") throw new UsageError("--impute ffill and --missing mask both given; use one");
  const method = getMethod(values.method ?? "corr");
  const maxLag = intFlag(values["max-lag"], "max-lag", 3, 1, 1000);
  const seed = intFlag(values.seed, "seed", 0, 0, 2 ** 31 - 1);
  const threshold = numFlag(values.threshold, "threshold");
  // a budget for a method without training is refused here, in one line naming the methods that train
  const budget = values.budget === undefined ? undefined : checkBudget(method, values.budget, listMethods());
  const top = intFlag(values.top, "top", 10, 0);
  const params = methodParams(method, keyValues(values.param), { readout: values.readout, ensemble: values.ensemble });
  const limits = limitFlags(values["max-memory"], values["max-flops"]);
  const trust = trustFlags(values);
  const series = await readSeriesFiles(positionals, {
    maxLag,
    impute: (values.impute as "ffill" | "none" | undefined) ?? "none",
    missing: (values.missing as "mask" | "error" | undefined) ?? "error",
  });
  // Refuse too short a series, segments or missing cells the method cannot use, or too large a run
  // before any backend starts; the assumption checks (stationarity, breaks, reach) run once, in discover.
  // (priced with the budget's preset, as the run will resolve it)
  prepareRun(method, series, { maxLag, params: { ...budgetApplied(method.budgets, budget, params), ...params }, limits, checks: false });
  checkTrustRuns(method, series, maxLag, params, limits, trust);
  // The backend is the caller's choice: a bad or unavailable one fails before any work, and a
  // tensor method finds it active (methods never switch backends themselves).
  const backend = await resolveBackend(values.backend ?? "auto");
  if (method.usesTensors) await useBackend(backend);

  const controller = new AbortController();
  const onSigint = () => controller.abort("interrupted");
  process.once("SIGINT", onSigint);
  const progress = progressPrinter(io, { quiet: values.quiet, force: values.progress });
  let graph: CausalGraph;
  try {
    const options = { maxLag, seed, threshold, params, budget, limits, alpha: trust.alpha, correction: trust.correction, strict: trust.strict };
    // --threads n with a per-target method (cmlp) or one with stages (pcmci, transformer members): split over n worker threads
    graph = shouldSplit(method, values.threads === undefined ? undefined : trust.threads, params)
      ? await discoverInThreads(method, series, { ...options, backend }, trust.threads, controller.signal, progress.onProgress)
      : await method.discover(series, { ...options, signal: controller.signal, onProgress: progress.onProgress });
    graph = await addTrust(method, series, graph, { ...options, backend: method.usesTensors ? backend : undefined }, trust, {
      signal: controller.signal,
      onProgress: progress.onProgress,
      note: (line) => io.err(`note: ${line}\n`),
    });
  } finally {
    progress.done();
    process.off("SIGINT", onSigint);
  }
  // what the run could not vouch for (formats.md `warnings`), one line each on stderr
  for (const w of graph.warnings ?? []) io.err(`warning ${w.code}: ${w.message}\n`);
  if (values.out) await writeGraph(values.out, graph);
  if (values.json) {
    io.out(JSON.stringify(graph) + "\n");
    return 0;
  }
  io.out(describeGraph(graph, top, { showSelf: values["show-self"], signs: signsOf(graph, series) }));
  if (values.out) io.out(`graph written to ${values.out}\n`);
  return 0;
}

/** `--max-memory` (GB) and `--max-flops` as run limits; absent flags leave the environment's or the defaults. */
export function limitFlags(maxMemory: string | undefined, maxFlops: string | undefined): Partial<RunLimits> {
  const limits: Partial<RunLimits> = {};
  const positive = (value: string, flag: string): number => {
    const n = Number(value);
    if (!(n > 0 && Number.isFinite(n))) throw new UsageError(`--${flag} must be a number > 0, got "${value}"`);
    return n;
  };
  if (maxMemory !== undefined) limits.maxBytes = positive(maxMemory, "max-memory") * 1e9;
  if (maxFlops !== undefined) limits.maxFlops = positive(maxFlops, "max-flops");
  return limits;
}

/**
 * Merge the shorthand flags (`--readout`, `--ensemble`) into the `--param` pairs. A flag is a usage
 * error for a method without that param, or when the same param is also given with `--param`.
 */
export function methodParams(method: Discoverer, params: Record<string, string>, shorthands: Record<string, string | undefined>): Record<string, string> {
  const out = { ...params };
  for (const [name, value] of Object.entries(shorthands)) {
    if (value === undefined) continue;
    if (!method.params.some((p) => p.name === name))
      throw new UsageError(`--${name} applies to methods with a "${name}" parameter; ${method.name} has none (its parameters: ${method.params.map((p) => p.name).join(", ") || "none"})`);
    if (name in out) throw new UsageError(`--${name} and --param ${name}=... both given; use one`);
    out[name] = value;
  }
  return out;
}

/** The signs of the effects (var, corr), or none: a sign is a nicety, never a reason to fail the run. */
function signsOf(graph: CausalGraph, series: Parameters<typeof edgeSigns>[1]): Signs | undefined {
  try {
    return edgeSigns(graph, series);
  } catch {
    return undefined;
  }
}
