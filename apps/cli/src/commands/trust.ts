// `discover`'s trust flags (issue #17): --alpha/--correction/--strict for edges from p-values, and
// the repeated-run tests --surrogates (p-values for a method without its own test) and --bootstrap
// (edge stability), run on worker threads (@causeway/methods/node) or, with --threads 1, in-process.
import { availableParallelism } from "node:os";
import {
  bootstrapStability,
  checkAlpha,
  checkRepeatedRuns,
  checkResamples,
  checkSurrogateOptions,
  checkSurrogateRun,
  DEFAULT_ALPHA,
  DEFAULT_CORRECTION,
  surrogatePvalues,
  withBootstrap,
  withSurrogatePvalues,
  type CausalGraph,
  type Correction,
  type Discoverer,
  type ProgressCallback,
  type RunLimits,
  type RunOne,
  type SurrogateKind,
  type TimeSeries,
} from "@causeway/core";
import { MethodPool, type PoolDiscoverOptions } from "@causeway/methods/node";
import { intFlag, numFlag } from "../args.js";
import { UsageError } from "../io.js";

export const trustHelp = `  -a, --alpha <x>         level for edges from p-values, 0 < x < 1 (default: 0.05)
      --correction <c>    multiple-testing correction before --alpha: fdr_bh|bonferroni|none
                          (default: fdr_bh)
      --strict            fail instead of warning when the run asks for what the method cannot
                          vouch for (lags beyond its reach, ...)
      --surrogates <n>    p-values for a method without its own test: rerun it on n surrogates of
                          each cause (n x variables runs; 19 resolves p down to .05, 99 to .01)
      --surrogate-kind <k>
                          shift: circular time shift of the cause (default) | phase: phase-
                          randomised Fourier surrogate of the cause, keeping its spectrum
      --bootstrap <n>     edge stability: rerun on n stationary block-bootstrap resamples (block
                          length chosen automatically); adds stability and a 90% score interval
      --threads <n>       worker threads for --surrogates / --bootstrap (default: the cores)
`;

/** The CLI's module that imports the backend packages: each thread imports it so the same backends are there. */
const BACKENDS_MODULE = new URL(import.meta.url.endsWith(".ts") ? "../backends.ts" : "../backends.js", import.meta.url).href;

/** The trust flags' option definitions, for `parse`. */
export const trustOptions = {
  alpha: { type: "string", short: "a" },
  correction: { type: "string" },
  strict: { type: "boolean" },
  surrogates: { type: "string" },
  "surrogate-kind": { type: "string" },
  bootstrap: { type: "string" },
  threads: { type: "string" },
} as const;

/** What the flags ask for, validated. */
export interface TrustFlags {
  alpha?: number;
  correction?: Correction;
  strict?: boolean;
  surrogates?: { count: number; kind: SurrogateKind };
  bootstrap?: number;
  threads: number;
}

/** Validates the trust flags (UsageError naming the fix). */
export function trustFlags(values: { alpha?: string; correction?: string; strict?: boolean; surrogates?: string; "surrogate-kind"?: string; bootstrap?: string; threads?: string }): TrustFlags {
  const usage = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw new UsageError((e as Error).message.replace(/^(alpha|correction|surrogates|surrogate kind|bootstrap resamples)\b/, (m) => `--${m.replace(" kind", "-kind").replace(" resamples", "")}`));
    }
  };
  const out: TrustFlags = { threads: intFlag(values.threads, "threads", availableParallelism(), 1, 256) };
  const alpha = numFlag(values.alpha, "alpha");
  if (alpha !== undefined || values.correction !== undefined) {
    const correction = usage(() => checkAlpha(alpha ?? DEFAULT_ALPHA, values.correction ?? DEFAULT_CORRECTION));
    if (alpha !== undefined) out.alpha = alpha;
    if (values.correction !== undefined) out.correction = correction;
  }
  if (values.strict) out.strict = true;
  if (values["surrogate-kind"] !== undefined && values.surrogates === undefined) throw new UsageError("--surrogate-kind needs --surrogates <n>");
  if (values.surrogates !== undefined) {
    const count = intFlag(values.surrogates, "surrogates", 0);
    out.surrogates = { count, kind: usage(() => checkSurrogateOptions(count, values["surrogate-kind"] ?? "shift")) };
  }
  if (values.bootstrap !== undefined) out.bootstrap = usage(() => checkResamples(intFlag(values.bootstrap, "bootstrap", 0)));
  if (out.surrogates && out.bootstrap) throw new UsageError("--surrogates and --bootstrap together would cost surrogates x variables x resamples runs; run them separately");
  return out;
}

/** Prices the repeated runs against the run limits before any work (a LimitError with the estimate). */
export function checkTrustRuns(method: Discoverer, series: TimeSeries, maxLag: number, params: Record<string, unknown>, limits: Partial<RunLimits>, flags: TrustFlags): void {
  const shape = { T: series.length, V: series.variables.length, maxLag };
  if (flags.surrogates) checkSurrogateRun(method, shape, params, flags.surrogates.count, { limits, concurrency: flags.threads });
  if (flags.bootstrap) checkRepeatedRuns(method, shape, params, flags.bootstrap + 1, `--bootstrap ${flags.bootstrap} (the resamples + the observed run)`, { limits, concurrency: flags.threads });
}

/**
 * Adds surrogate p-values or bootstrap stability to the observed graph: reruns `method` with the
 * observed run's options (`options`; `backend`: the active one, for tensor methods in threads).
 */
export async function addTrust(
  method: Discoverer,
  series: TimeSeries,
  graph: CausalGraph,
  options: PoolDiscoverOptions,
  flags: TrustFlags,
  run: { signal: AbortSignal; onProgress: ProgressCallback; note?: (line: string) => void },
): Promise<CausalGraph> {
  const N = flags.surrogates ? flags.surrogates.count * series.variables.length : (flags.bootstrap ?? 0);
  if (N === 0) return graph;
  if (flags.surrogates && graph.pvalues && graph.meta.surrogates === undefined)
    throw new UsageError(`${method.name} has its own test (its graph has p-values); --surrogates is for methods without one`);
  const threads = Math.min(flags.threads, N);
  const pool = threads > 1 ? new MethodPool(threads, { modules: [BACKENDS_MODULE] }) : null;
  // Ctrl-C: the runs in the threads stop at once (they reject with AbortError)
  const stop = () => void pool?.close();
  run.signal.addEventListener("abort", stop, { once: true });
  // the observed run was checked: the repeated runs skip the assumption checks (they cost more than a fast fit);
  // in-process runs use the active backend (a method never switches it), threads activate options.backend
  const { backend: _threadsOnly, ...inProcess } = options;
  const runOne: RunOne = pool ? pool.runner(method.name, { ...options, checks: false }) : (s) => method.discover(s, { ...inProcess, checks: false });
  const batch = { concurrency: threads, signal: run.signal, onProgress: run.onProgress, maxLag: options.maxLag, seed: options.seed };
  try {
    if (flags.surrogates) {
      resolutionNote(flags.surrogates.count, series.variables.length * options.maxLag * series.variables.length, options, run.note);
      const p = await surrogatePvalues(graph, series, { ...batch, ...flags.surrogates }, runOne);
      // an explicit --threshold selects by score, as for a method with its own test
      return withSurrogatePvalues(graph, p, { ...flags.surrogates, alpha: options.alpha, correction: options.correction, selectBy: options.threshold === undefined ? "pvalue" : "score" });
    }
    const b = await bootstrapStability(series, { ...batch, resamples: flags.bootstrap!, segments: method.supports?.segments ?? false }, runOne, method.name);
    if (b.joined) run.note?.(`${method.name} cannot use segments, so each bootstrap resample joins its blocks end to end (lagged windows straddle the joins)`);
    return withBootstrap(graph, b);
  } finally {
    run.signal.removeEventListener("abort", stop);
    await pool?.close();
  }
}

/**
 * Notes when N surrogates cannot resolve a lone edge: the smallest p, 1 / (N + 1), must be at most
 * alpha / m after Bonferroni or fdr_bh over m entries (alpha with no correction).
 */
function resolutionNote(count: number, m: number, o: { alpha?: number; correction?: Correction }, note?: (line: string) => void): void {
  const alpha = o.alpha ?? DEFAULT_ALPHA;
  const correction = o.correction ?? DEFAULT_CORRECTION;
  const needed = correction === "none" ? alpha : alpha / m;
  if (1 / (count + 1) <= needed) return;
  note?.(`the smallest p-value ${count} surrogates give, 1/${count + 1}, is above ${Number(needed.toPrecision(2))}${correction === "none" ? " (alpha)" : ` (alpha / ${m} entries)`}: a lone edge cannot pass ${correction}; --surrogates ${Math.ceil(1 / needed) - 1} or more resolves it`);
}

/** The summary's words for p-value edges, surrogates and the bootstrap (empty when none was used). */
export function trustSummary(graph: CausalGraph): string {
  const m = graph.meta;
  let s = "";
  if (m.alpha !== undefined) s += ` at alpha ${m.alpha} (${m.correction ?? "fdr_bh"}${m.surrogates ? `, p from ${m.surrogates.count} ${m.surrogates.kind} surrogates per cause: smallest possible p ${Number((1 / (m.surrogates.count + 1)).toPrecision(2))}` : ""})`;
  if (m.bootstrap) s += ` | stability from ${m.bootstrap.resamples} bootstrap resamples (mean block length ${m.bootstrap.blockLength})`;
  return s;
}
