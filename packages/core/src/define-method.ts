/**
 * `defineMethod`: a method declared once. Its typed parameter declarations are the single source
 * of the `ParamSpec` list (CLI `--help` and `causeway methods NAME`, the server's validation, the
 * viewer's form), and the wrapper does what every method needs around its fit: `prepareRun`
 * (input, params, limits, samples, warnings), the backend rule, timing, and `buildGraph`.
 */
import { budgetApplied, budgetWarning, checkBudget, Deadline, type BudgetMeta, type BudgetPresets } from "./budget.js";
import { buildGraph, type ScoreTensor } from "./graph.js";
import type { ContemporaneousResult } from "./trust/edges.js";
import { currentBackend, useBackend } from "./backends/registry.js";
import { listMethods, resolveParams, type Discoverer, type DiscoverOptions, type MethodReach, type ParamSpec } from "./discoverer.js";
import type { MethodStage, StageExecutor } from "./stages.js";
import { prepareRun, type RunEstimate, type RunShape, type SamplesNeeded } from "./limits.js";
import type { ProgressCallback, ProgressEvent } from "./progress.js";
import type { CausalGraph, GraphWarning, ScoredEdge, TimeSeries } from "./types.js";
import { DEFAULT_ALPHA, DEFAULT_CORRECTION, checkAlpha } from "./trust/multiple-testing.js";

/** A resolved param as `resolveParams` gives it (and `meta.params` records it). */
export type RawParam = number | string | boolean;

/** One typed parameter: its `ParamSpec` (less the name, which is its key) and how `run` reads it. */
export interface ParamDecl<T> {
  readonly spec: Omit<ParamSpec, "name">;
  /** The value `run` sees, from the resolved one. */
  readonly read: (value: RawParam) => T;
  /** A string param that also takes a number (sent as JSON), turned into its decimal string before resolving. */
  readonly numberAsString?: boolean;
}

/** A method's parameters by name, in declaration order. */
export type ParamDecls = Record<string, ParamDecl<unknown>>;

/** The typed values of declared params: `{ epochs: number, engine: "auto" | "js", ... }`. */
export type ParamValues<D extends ParamDecls> = { readonly [K in keyof D]: D[K] extends ParamDecl<infer T> ? T : never };

interface NumberOptions {
  default: number;
  /** Bounds checked by `resolveParams`; both finite (the server and CLI print them). */
  min: number;
  max: number;
  description: string;
}

const asNumber = (v: RawParam): number => Number(v);

/** Builders of typed parameter declarations, e.g. `param.integer({ default: 1000, min: 1, max: 1e5, description: "epochs" })`. */
export const param = {
  integer(o: NumberOptions): ParamDecl<number> {
    return { spec: { type: "integer", default: o.default, min: o.min, max: o.max, description: o.description }, read: asNumber };
  },
  number(o: NumberOptions): ParamDecl<number> {
    return { spec: { type: "number", default: o.default, min: o.min, max: o.max, description: o.description }, read: asNumber };
  },
  boolean(o: { default: boolean; description: string }): ParamDecl<boolean> {
    return { spec: { type: "boolean", default: o.default, description: o.description }, read: (v) => v === true };
  },
  /** One of `choices` (a string param with `choices`); `run` sees the union of the choices. */
  choice<const C extends readonly string[]>(choices: C, o: { default: C[number]; description: string }): ParamDecl<C[number]> {
    return { spec: { type: "string", default: o.default, choices: [...choices], description: o.description }, read: (v) => String(v) as C[number] };
  },
  /** Free text; `read` turns it into what `run` needs (it may throw an InputError naming the param). */
  string<T = string>(o: { default: string; description: string; read?: (value: string) => T; numberAsString?: boolean }): ParamDecl<T> {
    const read = o.read ?? ((v: string) => v as unknown as T);
    return { spec: { type: "string", default: o.default, description: o.description }, read: (v) => read(String(v)), ...(o.numberAsString ? { numberAsString: true } : {}) };
  },
};

/** The `ParamSpec` list of declared params (what `Discoverer.params` holds), in declaration order. */
export function paramSpecs(decls: ParamDecls): ParamSpec[] {
  return Object.entries(decls).map(([name, d]) => ({ name, ...d.spec }));
}

/** Typed values from resolved params (a missing name reads its default). */
export function readParams<D extends ParamDecls>(decls: D, resolved: Record<string, RawParam>): ParamValues<D> {
  const out: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(decls)) out[name] = d.read(resolved[name] ?? d.spec.default);
  return out as ParamValues<D>;
}

/** `resolveParams` and `readParams` in one: validated, completed, typed (InputError on a bad or unknown param). */
export function resolveTypedParams<D extends ParamDecls>(decls: D, given: Record<string, unknown> = {}, method = "method"): ParamValues<D> {
  return readParams(decls, resolveParams(paramSpecs(decls), normalizeGiven(decls, given), method));
}

/** Numbers given to `numberAsString` params become their decimal strings (JSON clients send `lambda: 0.1`). */
function normalizeGiven(decls: ParamDecls, given: Record<string, unknown>): Record<string, unknown> {
  const out = { ...given };
  for (const [name, d] of Object.entries(decls)) if (d.numberAsString && typeof out[name] === "number") out[name] = String(out[name]);
  return out;
}

/** What `run` receives: the validated series and settings, the typed params, and the backend it runs on. */
export interface MethodContext<P> {
  /** The series as given (validated; `T` rows, `V` variables). */
  series: TimeSeries;
  maxLag: number;
  seed: number;
  /** Typed params, defaults filled in. */
  params: P;
  /** The params as the caller gave them (before defaults), for a default that depends on whether one was given. */
  given: Readonly<Record<string, unknown>>;
  /** The edges' threshold: the caller's, else the declared default (for a method that lists its own edges). */
  threshold: number;
  /** The tensor backend the run is on ("none" for a method without tensors). */
  backend: string;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** Warnings for the graph: push onto it (they follow `prepareRun`'s). */
  warnings: GraphWarning[];
  /** The caller's level and correction for p-value based edges (a method that selects its own conditions may use alpha). */
  alpha: number;
  /**
   * The seconds budget's deadline (never expires without one): a training loop checks
   * `deadline.expired()` at its convergence checks and stops there, keeping what it has, and
   * returns `cutAt` when that was before convergence (a `budget_exhausted` warning, `meta.budget.cut`).
   */
  deadline: Deadline;
  /** Where the method's `stages` may run (threads, other machines); absent: run them here. */
  executor?: StageExecutor;
}

/** What `run` returns; the wrapper builds the graph from it. */
export interface MethodResult {
  /** `[V, V, maxLag]` scores: they must rank (never saturate where p-values still order edges). */
  scores: ScoreTensor;
  /** `[V, V, maxLag]` p-values of the method's test (untested: 1); `edges` then come from alpha and the correction. */
  pvalues?: ScoreTensor;
  /** Lag-0 results, for methods that test instantaneous links. */
  contemporaneous?: ContemporaneousResult;
  /** The thresholded edge list, when the method makes its own (TCDF's validated causes). */
  edges?: ScoredEdge[];
  /** Extra meta keys, after `backend, seconds, seed, params, lagResolved` (a key given here replaces that one's value). */
  meta?: Record<string, unknown>;
  /**
   * Warnings found while fitting, after `ctx.warnings`. The graph carries `warnings` whenever
   * `prepareRun` ran the assumption checks (an empty list says every check ran and passed).
   */
  warnings?: GraphWarning[];
  /** This run's default threshold when the caller gives none (otherwise the declared one). */
  defaultThreshold?: number;
  /** Where the deadline cut training before it converged (e.g. "epoch 12 of 1000"): a `budget_exhausted` warning and `meta.budget.cut`. */
  cutAt?: string;
}

/** A method's declaration: what it is, its typed params, its costs, and its fit. */
export interface MethodDefinition<D extends ParamDecls> {
  name: string;
  description: string;
  usesTensors: boolean;
  lagResolved: boolean;
  defaultThreshold: number;
  params: D;
  /**
   * Param presets per training budget (`DiscoverOptions.budget`): "fast" and "thorough" (and
   * "default" if it differs from the declared defaults) set the iteration/epoch params the caller
   * did not give. Only methods that train declare it; others refuse a budget.
   */
  budgets?: BudgetPresets<Record<keyof D, RawParam>>;
  /** Several recordings and missing cells it can use (default: neither). */
  supports?: { segments: boolean; mask: boolean };
  estimate?(shape: RunShape, params: ParamValues<D>): RunEstimate;
  samplesNeeded?(shape: { V: number; maxLag: number }, params: ParamValues<D>): SamplesNeeded;
  /** What it can score with these params (a model's trained maxLag and V, a CNN's receptive field); absent: everything. */
  reach?(params: ParamValues<D>): MethodReach;
  run(ctx: MethodContext<ParamValues<D>>): Promise<MethodResult> | MethodResult;
  /** Parts of `run` that a `StageExecutor` may run elsewhere (pure functions of the series and a plain-data payload). */
  stages?: Record<string, MethodStage>;
}

/**
 * The backend rule: an explicit `options.backend` is the caller's choice and is activated;
 * otherwise the run uses the active backend, switching nothing. Methods without tensors: "none".
 */
async function runBackend(usesTensors: boolean, choice: DiscoverOptions["backend"]): Promise<string> {
  if (!usesTensors) return "none";
  return choice === undefined ? currentBackend() : useBackend(choice);
}

/**
 * A `Discoverer` from one declaration. `discover` runs `prepareRun`, the backend rule, `run`, and
 * `buildGraph` with `meta: { backend, seconds, seed, params, lagResolved, ...result.meta }`, the
 * threshold `options.threshold ?? result.defaultThreshold ?? defaultThreshold`, and the warnings.
 */
export function defineMethod<const D extends ParamDecls>(def: MethodDefinition<D>): Discoverer {
  const method: Discoverer = {
    name: def.name,
    description: def.description,
    usesTensors: def.usesTensors,
    lagResolved: def.lagResolved,
    defaultThreshold: def.defaultThreshold,
    params: paramSpecs(def.params),
    supports: { segments: false, mask: false, ...def.supports },
    ...(def.budgets ? { budgets: def.budgets as BudgetPresets } : {}),
    ...(def.estimate ? { estimate: (shape: RunShape, raw: Record<string, RawParam>) => def.estimate!(shape, readParams(def.params, raw)) } : {}),
    ...(def.samplesNeeded ? { samplesNeeded: (shape: { V: number; maxLag: number }, raw: Record<string, RawParam>) => def.samplesNeeded!(shape, readParams(def.params, raw)) } : {}),
    ...(def.reach ? { reach: (raw: Record<string, RawParam>) => def.reach!(readParams(def.params, raw)) } : {}),
    ...(def.stages ? { stages: def.stages } : {}),
    discover,
  };

  async function discover(series: TimeSeries, options: DiscoverOptions): Promise<CausalGraph> {
    const budget = options.budget === undefined ? undefined : checkBudget(method, options.budget, listMethods());
    const explicit = normalizeGiven(def.params, options.params ?? {});
    // the budget's preset fills the params the caller did not give (explicit params win)
    const preset = budgetApplied(def.budgets as BudgetPresets, budget, explicit);
    const given = { ...preset, ...explicit };
    const check = prepareRun(method, series, options, given);
    const warnings = [...check.warnings];
    const start = performance.now();
    const backend = await runBackend(def.usesTensors, options.backend);
    const seed = options.seed ?? 0;
    const params = readParams(def.params, check.params);
    const threshold = options.threshold ?? def.defaultThreshold;
    const alpha = options.alpha ?? DEFAULT_ALPHA;
    if (options.alpha !== undefined || options.correction !== undefined) checkAlpha(alpha, options.correction ?? DEFAULT_CORRECTION);
    const deadline = new Deadline(typeof budget === "number" ? budget : undefined);
    // with a seconds budget, progress is at least the share of the budget spent (so the ETA never passes the deadline)
    const onProgress =
      typeof budget === "number" && options.onProgress
        ? (e: ProgressEvent) => options.onProgress!({ ...e, fraction: Math.max(e.fraction, Math.min(0.99, (budget - deadline.secondsLeft()) / budget)) })
        : options.onProgress;
    const ctx: MethodContext<ParamValues<D>> = { series, maxLag: options.maxLag, seed, params, given, threshold, backend, signal: options.signal, onProgress, warnings, alpha, deadline, ...(options.executor ? { executor: options.executor } : {}) };
    const result = await def.run(ctx);
    if (result.warnings) warnings.push(...result.warnings);
    const cut = deadline.hit && result.cutAt !== undefined && typeof budget === "number";
    if (cut) warnings.push(budgetWarning(def.name, budget, result.cutAt!));
    const budgetMeta: BudgetMeta | undefined =
      budget === undefined ? undefined : { name: typeof budget === "number" ? "seconds" : budget, ...(typeof budget === "number" ? { seconds: budget } : {}), applied: preset as Record<string, RawParam>, ...(cut ? { cut: true } : {}) };
    // a method's own check that repeats prepareRun's (the same code and message) is listed once
    const listed = warnings.filter((w, i) => warnings.findIndex((x) => x.code === w.code && x.message === w.message) === i);
    const reach = def.reach?.(params);
    return buildGraph({
      method: def.name,
      variables: series.variables,
      scores: result.scores,
      threshold: options.threshold ?? result.defaultThreshold ?? def.defaultThreshold,
      ...(result.edges ? { edges: result.edges } : {}),
      meta: { backend, seconds: (performance.now() - start) / 1000, seed, params: check.params, lagResolved: def.lagResolved, ...(reach ? { reach: { ...reach } } : {}), ...(budgetMeta ? { budget: budgetMeta } : {}), ...result.meta },
      // prepareRun ran the checks: [] says every one passed. Without them (options.checks false, the
      // repeated runs of a bootstrap) an empty list would claim what nobody checked: leave it out.
      ...(options.checks !== false || listed.length > 0 ? { warnings: listed } : {}),
      ...(result.pvalues ? { pvalues: result.pvalues, alpha, correction: options.correction, selectBy: options.threshold === undefined ? ("pvalue" as const) : ("score" as const) } : {}),
      ...(result.contemporaneous ? { contemporaneous: result.contemporaneous } : {}),
    });
  }

  return method;
}
