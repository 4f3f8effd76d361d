import { InputError } from "./errors.js";
import type { ProgressCallback } from "./progress.js";
import type { BackendChoice } from "./backends/registry.js";
import type { CausalGraph, Correction, TimeSeries } from "./types.js";
import type { Budget, BudgetPresets } from "./budget.js";
import type { RunEstimate, RunLimits, RunShape, SamplesNeeded } from "./limits.js";
import type { MethodStage, StageExecutor } from "./stages.js";

/** Options every method accepts. Method-specific knobs go in `params`. */
export interface DiscoverOptions {
  /** Largest lag considered (>= 1). */
  maxLag: number;
  /** Seed for every random choice; same seed, same graph. Default 0. */
  seed?: number;
  /**
   * Tensor backend for methods that use tensors: the caller's explicit choice, activated before the
   * run. Absent: the run uses the active backend (`currentBackend()`) and switches nothing.
   */
  backend?: BackendChoice;
  /** Cancels the run; the method throws AbortError at its next check. */
  signal?: AbortSignal;
  /** Progress events for long runs. */
  onProgress?: ProgressCallback;
  /** Score threshold for the `edges` list; each method documents its default. Given, it also selects the edges of a method with p-values (instead of alpha). */
  threshold?: number;
  /** For methods with p-values: `edges` are those whose adjusted p-value is <= alpha (default 0.05). */
  alpha?: number;
  /** Multiple-testing correction before alpha (default "fdr_bh"). */
  correction?: Correction;
  /** Fail (InputError) instead of warning when the run asks for what the method cannot vouch for (lags beyond its reach, ...). */
  strict?: boolean;
  /**
   * false: skip the assumption checks (reach, stationarity, collinearity, near-constant) in
   * `prepareRun`: for the repeated runs of a bootstrap or surrogate test on a series whose observed
   * run was checked (they cost more than a fast method's fit). Default true.
   */
  checks?: boolean;
  /**
   * Training budget of a method that trains (it declares `budgets`): "fast", "default", "thorough"
   * (param presets for the params not given in `params`), or seconds > 0 (the default preset, and
   * training stops at the deadline). InputError for a method without `budgets`. Absent: no preset.
   */
  budget?: Budget;
  /** Method-specific parameters, validated against `Discoverer.params`. */
  params?: Record<string, unknown>;
  /** Bounds on the run's estimated memory and work (default: `runLimits()`, from the environment or `DEFAULT_RUN_LIMITS`). */
  limits?: Partial<RunLimits>;
  /**
   * Runs the method's `stages` on other threads or machines (`MethodPool.executor()`); a method
   * with stages splits its work over it, and the graph equals the serial run's. Others ignore it.
   */
  executor?: StageExecutor;
}

/** Declares one method-specific parameter (CLI flags and server schemas are generated from it). */
export interface ParamSpec {
  name: string;
  type: "number" | "integer" | "string" | "boolean";
  default: number | string | boolean;
  description: string;
  /** Allowed values for string params. */
  choices?: string[];
  /** Bounds of a numeric param, checked by `resolveParams`; every shipped method gives both, finite. */
  min?: number;
  max?: number;
}

/** A causal discovery method: series in, `causeway.graph/v1` out. */
export interface Discoverer {
  /** Registry name, e.g. "corr", "var", "tcdf". */
  name: string;
  /** One line for `causeway methods`. */
  description: string;
  /** Whether it runs on a tensor backend (otherwise plain typed arrays). */
  usesTensors: boolean;
  /** Whether scores differ per lag. */
  lagResolved: boolean;
  /** Default threshold for `edges` when the caller gives none. */
  defaultThreshold: number;
  /** Method-specific parameters. */
  params: ParamSpec[];
  /**
   * Whether it can use several recordings (`series.segments`) and missing cells (`series.mask`);
   * absent: neither (`prepareRun` refuses such a series, naming the methods that can).
   */
  supports?: { segments: boolean; mask: boolean };
  /** Param presets per training budget (`DiscoverOptions.budget`); absent: the method has no training to budget. */
  budgets?: BudgetPresets;
  /** Peak memory and work of a run of this shape with these resolved params (`checkRun` refuses what exceeds the limits). */
  estimate?(shape: RunShape, params: Record<string, number | string | boolean>): RunEstimate;
  /** Rows a run needs for V variables at maxLag: a hard minimum and a comfortable length (below it: a `short_series` warning). */
  samplesNeeded?(shape: { V: number; maxLag: number }, params: Record<string, number | string | boolean>): SamplesNeeded;
  /** What it can score with these params: lags up to `maxLag`, up to `variables` variables (absent: no bound). Beyond: `lag_beyond_reach` / `too_many_variables`. */
  reach?(params: Record<string, number | string | boolean>): MethodReach;
  /** Parts of a run other threads or machines can do (see `StageExecutor`); absent: the run is one piece. */
  stages?: Readonly<Record<string, MethodStage>>;
  discover(series: TimeSeries, options: DiscoverOptions): Promise<CausalGraph>;
}

/** What a method can score (see `Discoverer.reach`). */
export interface MethodReach {
  maxLag?: number;
  variables?: number;
}

/** What a method is, without its code: what the server's `/v1/methods` and the viewer's worker send. */
export type MethodInfo = Omit<Discoverer, "discover" | "estimate" | "samplesNeeded" | "reach" | "stages">;

/** A method's description as plain data (JSON-safe). */
export function describeMethod(m: Discoverer): MethodInfo {
  const info: MethodInfo = { name: m.name, description: m.description, usesTensors: m.usesTensors, lagResolved: m.lagResolved, defaultThreshold: m.defaultThreshold, params: m.params };
  if (m.supports) info.supports = { ...m.supports };
  if (m.budgets) info.budgets = { fast: { ...m.budgets.fast }, thorough: { ...m.budgets.thorough }, ...(m.budgets.default ? { default: { ...m.budgets.default } } : {}) };
  return info;
}

const methods = new Map<string, Discoverer>();

/** Add a method to the registry used by the CLI, the server and the benchmarks. */
export function registerMethod(method: Discoverer): void {
  methods.set(method.name, method);
}

/** Look a method up by name; unknown names get an error that lists the valid ones. */
export function getMethod(name: string): Discoverer {
  const m = methods.get(name);
  if (!m) throw new InputError(`unknown method "${name}"; valid methods: ${[...methods.keys()].sort().join(", ") || "(none registered)"}`);
  return m;
}

export function listMethods(): Discoverer[] {
  return [...methods.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Validate and complete method params: unknown names and bad values are InputErrors,
 * missing ones get their defaults. Numeric strings (from a CLI or a query string) are parsed.
 */
export function resolveParams(specs: ParamSpec[], given: Record<string, unknown> = {}, method = "method"): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  const known = new Set(specs.map((s) => s.name));
  for (const key of Object.keys(given))
    if (!known.has(key)) throw new InputError(`${method} has no parameter "${key}"; its parameters: ${specs.map((s) => s.name).join(", ") || "(none)"}`);
  for (const spec of specs) {
    let v = given[spec.name];
    if (v === undefined) {
      out[spec.name] = spec.default;
      continue;
    }
    if (spec.type === "number" || spec.type === "integer") {
      const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
      if (typeof n !== "number" || !Number.isFinite(n)) throw new InputError(`${method} parameter "${spec.name}" must be a number, got ${JSON.stringify(v)}`);
      if (spec.type === "integer" && !Number.isInteger(n)) throw new InputError(`${method} parameter "${spec.name}" must be an integer, got ${n}`);
      if (spec.min !== undefined && n < spec.min) throw new InputError(`${method} parameter "${spec.name}" must be >= ${spec.min}, got ${n}`);
      if (spec.max !== undefined && n > spec.max) throw new InputError(`${method} parameter "${spec.name}" must be <= ${spec.max}, got ${n}`);
      v = n;
    } else if (spec.type === "boolean") {
      if (v === "true") v = true;
      else if (v === "false") v = false;
      if (typeof v !== "boolean") throw new InputError(`${method} parameter "${spec.name}" must be true or false, got ${JSON.stringify(v)}`);
    } else {
      if (typeof v !== "string") throw new InputError(`${method} parameter "${spec.name}" must be a string, got ${JSON.stringify(v)}`);
      if (spec.choices && !spec.choices.includes(v)) throw new InputError(`${method} parameter "${spec.name}" must be one of ${spec.choices.join(", ")}, got "${v}"`);
    }
    out[spec.name] = v as number | string | boolean;
  }
  return out;
}

/** Checks shared by every method: maxLag range and series length (formats.md: T >= maxLag + 2). */
export function validateDiscoverInput(series: TimeSeries, options: DiscoverOptions): void {
  const { maxLag } = options;
  if (!Number.isInteger(maxLag) || maxLag < 1) throw new InputError(`maxLag must be an integer >= 1, got ${maxLag}`);
  if (series.length < maxLag + 2) throw new InputError(`the series has ${series.length} rows; at least maxLag + 2 = ${maxLag + 2} are needed`);
  if (series.variables.length < 1) throw new InputError("the series has no variables");
  if (series.data.length !== series.length * series.variables.length) throw new Error(`series data has ${series.data.length} values, expected ${series.length} x ${series.variables.length}`);
  const V = series.variables.length;
  const { mask } = series; // a missing cell holds NaN
  for (let i = 0; i < series.data.length; i++)
    if (!Number.isFinite(series.data[i]) && !(mask && mask[i] !== 0))
      throw new InputError(`column "${series.variables[i % V]}" (#${(i % V) + 1}), row ${Math.floor(i / V) + 1}: the value ${series.data[i]} is not finite (values must lie within ±1.8e308)`, { row: Math.floor(i / V) + 1, column: series.variables[i % V] });
}
