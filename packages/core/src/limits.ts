/**
 * Resource bounds and sample checks shared by every method: each `Discoverer` declares what a
 * run costs (`estimate`) and how many rows it needs (`samplesNeeded`); `checkRun` applies both
 * before any work, so a request that would exhaust memory or fit on almost nothing is refused
 * with a message that says the estimate and the limit.
 */
import { InputError } from "./errors.js";
import { listMethods, resolveParams, validateDiscoverInput, type Discoverer, type DiscoverOptions } from "./discoverer.js";
import { countMissing, hasSegments, possibleTargetRows, validateLayout, validTargetRows } from "./samples.js";
import { assumptionWarnings } from "./checks/index.js";
import type { GraphWarning, TimeSeries } from "./types.js";

/** The size of a run: T rows, V variables, lags 1..maxLag. */
export interface RunShape {
  T: number;
  V: number;
  maxLag: number;
  /**
   * With several segments or missing cells: the rows of one complete recording that give as many
   * lagged samples (valid target rows + maxLag); the sample checks use it instead of T.
   */
  samplesT?: number;
}

/** What a run needs: peak bytes held (inputs, model, optimiser state, output graph) and floating-point operations. */
export interface RunEstimate {
  bytes: number;
  flops: number;
}

/** Rows (T) a run needs: below `min` it is refused; below `comfortable` its graph carries a `short_series` warning. */
export interface SamplesNeeded {
  min: number;
  comfortable: number;
  /** Why `min`, in a few words (the error quotes it). */
  why: string;
}

/** Configured bounds on one run. */
export interface RunLimits {
  /** Largest estimated peak memory in bytes (CAUSEWAY_MAX_RUN_BYTES; CLI --max-memory). */
  maxBytes: number;
  /** Largest estimated work in floating-point operations (CAUSEWAY_MAX_RUN_FLOPS; CLI --max-flops). */
  maxFlops: number;
  /** Most scored (effect, cause, lag) triples, V·V·maxLag: a larger graph's JSON overflows a JS string (~512 MB). */
  maxScores: number;
}

/** Defaults: 4 GB, 1e14 flops (about a day of single-core JS, minutes on a GPU), 5 million scores. */
export const DEFAULT_RUN_LIMITS: Readonly<RunLimits> = { maxBytes: 4e9, maxFlops: 1e14, maxScores: 5e6 };

/** Where each limit is configured, for the messages. */
const LIMIT_SOURCES: Record<keyof RunLimits, string> = {
  maxBytes: "CAUSEWAY_MAX_RUN_BYTES / --max-memory",
  maxFlops: "CAUSEWAY_MAX_RUN_FLOPS / --max-flops",
  maxScores: "the graph's JSON would overflow a JavaScript string",
};

/** A run refused because its estimate exceeds a configured limit (an InputError: the request is at fault). */
export class LimitError extends InputError {
  override name = "LimitError";
  constructor(
    message: string,
    readonly limit: keyof RunLimits,
    readonly estimate: number,
    readonly max: number,
  ) {
    super(message);
  }
}

/**
 * Worst-case bytes of a method's output for V variables and maxLag lags: the Float64 score
 * tensor, its nested JSON form, an `edges` list that may hold every triple, and the JSON text.
 * Measured: corr on T = maxLag + 2 (every score 1) holds ~190 bytes per triple before writing.
 */
export const GRAPH_BYTES_PER_SCORE = 400;

/** Worst-case bytes of the output graph (see `GRAPH_BYTES_PER_SCORE`). */
export function graphBytes(V: number, maxLag: number): number {
  return V * V * maxLag * GRAPH_BYTES_PER_SCORE;
}

/** Bytes of the input series and one standardised copy. */
export function seriesBytes(T: number, V: number): number {
  return 2 * T * V * 8;
}

/** Rows for 10 samples per parameter of a regression on V·maxLag lagged inputs plus an intercept. */
export function comfortableRows(V: number, maxLag: number, window = maxLag): number {
  return window + 10 * (V * maxLag + 1);
}

const ENV_NAMES: Partial<Record<keyof RunLimits, string>> = { maxBytes: "CAUSEWAY_MAX_RUN_BYTES", maxFlops: "CAUSEWAY_MAX_RUN_FLOPS" };

/** Process environment where there is one (Node), else nothing (browsers). */
function processEnv(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

/**
 * Limits in force: `given` over the environment (CAUSEWAY_MAX_RUN_BYTES, CAUSEWAY_MAX_RUN_FLOPS,
 * numbers such as `2e9`) over `DEFAULT_RUN_LIMITS`. A bad value is an InputError naming it.
 */
export function runLimits(given: Partial<RunLimits> = {}, env: Record<string, string | undefined> = processEnv()): RunLimits {
  const out: RunLimits = { ...DEFAULT_RUN_LIMITS };
  for (const key of Object.keys(out) as (keyof RunLimits)[]) {
    const name = ENV_NAMES[key];
    const raw = name ? env[name] : undefined;
    if (raw !== undefined && raw.trim() !== "") {
      const n = Number(raw);
      if (!(n > 0)) throw new InputError(`${name} must be a number > 0, got "${raw}"`);
      out[key] = n;
    }
    const v = given[key];
    if (v !== undefined) {
      if (!(v > 0)) throw new InputError(`limit ${key} must be a number > 0, got ${v}`);
      out[key] = v;
    }
  }
  return out;
}

/** `1.2 GB`, `350 MB`, `12 kB`. */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1e12, "TB"],
    [1e9, "GB"],
    [1e6, "MB"],
    [1e3, "kB"],
  ];
  for (const [size, unit] of units) if (bytes >= size) return `${Number((bytes / size).toPrecision(2))} ${unit}`;
  return `${Math.round(bytes)} B`;
}

/** `3.2e+15`, `1e+14`: flop and score counts, two significant digits. */
function formatCount(n: number): string {
  return Number(n.toPrecision(2)).toExponential();
}

/** What `checkRun` found: resolved params, warnings for the graph, and the estimate. */
export interface RunCheck {
  params: Record<string, number | string | boolean>;
  warnings: GraphWarning[];
  estimate: RunEstimate;
  samples: SamplesNeeded;
}

/** Fallback for a method that declares no `samplesNeeded`: formats.md's floor, no warning. */
function defaultSamples(maxLag: number): SamplesNeeded {
  return { min: maxLag + 2, comfortable: maxLag + 2, why: "maxLag + 2" };
}

/**
 * The central pre-run check, the same wherever a method is called from: resolves `given`
 * params against the method's specs (unknown names and out-of-range values are InputErrors
 * that name the bound), refuses a series shorter than the method's hard minimum (InputError
 * naming T, the minimum and why), warns (`short_series`) below the comfortable length, and
 * refuses a run whose estimate exceeds `limits` (LimitError with the estimate and the limit).
 * Nothing is allocated in proportion to the shape.
 */
export function checkRun(method: Discoverer, shape: RunShape, given: Record<string, unknown> | undefined, limits: Partial<RunLimits> = {}): RunCheck {
  const { T, V, maxLag } = shape;
  if (!Number.isInteger(maxLag) || maxLag < 1) throw new InputError(`maxLag must be an integer >= 1, got ${maxLag}`);
  const params = resolveParams(method.params, given ?? {}, method.name);
  const bounds = runLimits(limits);
  const size = `${method.name} on ${T} x ${V} with maxLag ${maxLag}`;
  const estimate = method.estimate?.(shape, params) ?? { bytes: seriesBytes(T, V) + graphBytes(V, maxLag), flops: T * V * V * maxLag };
  if (estimate.bytes > bounds.maxBytes)
    throw new LimitError(
      `${size} needs ~${formatBytes(estimate.bytes)}, over the ${formatBytes(bounds.maxBytes)} limit (${LIMIT_SOURCES.maxBytes})`,
      "maxBytes",
      estimate.bytes,
      bounds.maxBytes,
    );
  if (estimate.flops > bounds.maxFlops)
    throw new LimitError(
      `${size} needs ~${formatCount(estimate.flops)} floating-point operations, over the ${formatCount(bounds.maxFlops)} limit (${LIMIT_SOURCES.maxFlops})`,
      "maxFlops",
      estimate.flops,
      bounds.maxFlops,
    );
  const scores = V * V * maxLag;
  if (scores > bounds.maxScores)
    throw new LimitError(
      `${size} scores ${formatCount(scores)} (effect, cause, lag) triples, over the limit of ${formatCount(bounds.maxScores)} (${LIMIT_SOURCES.maxScores}); use fewer variables or a smaller maxLag`,
      "maxScores",
      scores,
      bounds.maxScores,
    );
  const samples = method.samplesNeeded?.({ V, maxLag }, params) ?? defaultSamples(maxLag);
  const rows = shape.samplesT ?? T;
  const has = shape.samplesT === undefined ? `T = ${T}` : `T = ${T} rows but only ${rows - maxLag} usable lagged samples (as many as ${rows} rows of one complete recording)`;
  if (rows < samples.min) throw new InputError(`${method.name} needs at least ${samples.min} rows for ${V} variables at maxLag ${maxLag} (${samples.why}); the series has ${has}`);
  const warnings: GraphWarning[] = [];
  if (rows < samples.comfortable)
    warnings.push({
      code: "short_series",
      message: `${shape.samplesT === undefined ? `${T} rows` : `${rows - maxLag} usable lagged samples`} for ${V} variables at maxLag ${maxLag}: ${method.name} needs about ${samples.comfortable} for dependable scores (at least ${samples.min}); treat weak edges as unreliable or lower maxLag`,
    });
  return { params, warnings, estimate, samples };
}

/**
 * What every method's `discover` calls first: `validateDiscoverInput`, then `checkRun` with the
 * series' shape and `options.limits`, then the assumption checks (`assumptionWarnings`: lags and
 * variables beyond the method's reach, refused with `options.strict`; nonstationary, collinear and
 * near-constant variables). `given` overrides `options.params` (a method that
 * normalises some params before resolving them).
 */
export function prepareRun(method: Discoverer, series: TimeSeries, options: DiscoverOptions, given: Record<string, unknown> | undefined = options.params): RunCheck {
  validateDiscoverInput(series, options);
  const layout = checkLayout(method, series, options.maxLag);
  const shape: RunShape = { T: series.length, V: series.variables.length, maxLag: options.maxLag };
  if (layout) shape.samplesT = layout.samplesT;
  const check = checkRun(method, shape, given, options.limits);
  if (layout) check.warnings.push(...layout.warnings);
  // the assumption checks (checks/): reach (strict: refused), stationarity, collinearity, near-constant
  if (options.checks !== false) check.warnings.push(...assumptionWarnings(method, series, options, check.params));
  return check;
}

/** Names of the registered methods whose `supports[what]` is true, for messages. */
function methodsThatCan(what: "segments" | "mask"): string {
  const names = listMethods()
    .filter((m) => m.supports?.[what])
    .map((m) => m.name);
  return names.length > 0 ? names.join(", ") : "(none registered)";
}

/**
 * Several segments or missing cells: refuses a method whose `supports` says it cannot use them
 * (InputError naming the method and those that can), checks the layout, and counts the valid
 * lagged samples (`samplesT`) and the `missing_values` warning. Undefined for a plain series.
 */
function checkLayout(method: Discoverer, series: TimeSeries, maxLag: number): { samplesT: number; warnings: GraphWarning[] } | undefined {
  validateLayout(series);
  const missing = countMissing(series);
  const segmented = hasSegments(series);
  if (!segmented && missing === 0) return undefined;
  if (segmented && !method.supports?.segments)
    throw new InputError(`${method.name} cannot use several recordings (segments); methods that can: ${methodsThatCan("segments")}`);
  if (missing > 0 && !method.supports?.mask)
    throw new InputError(`${method.name} cannot use missing cells (--missing mask); methods that can: ${methodsThatCan("mask")}`);
  const valid = validTargetRows(series, maxLag).length;
  if (valid === 0)
    throw new InputError(
      `no lagged window of ${maxLag + 1} rows lies inside one segment${missing > 0 ? " without a missing cell" : ""}; lower maxLag${missing > 0 ? " or fill the gaps" : ""}`,
    );
  const warnings: GraphWarning[] = [];
  if (missing > 0) {
    const possible = possibleTargetRows(series, maxLag);
    const left = possible - valid;
    warnings.push({
      code: "missing_values",
      message: `${missing} of ${series.length * series.variables.length} cells are missing; ${left} of ${possible} lagged samples (windows of ${maxLag + 1} rows) touch one and were left out`,
    });
  }
  return { samplesT: valid + maxLag, warnings };
}
