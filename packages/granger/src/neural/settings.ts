/**
 * Settings shared by the neural Granger methods (cMLP, cLSTM): declared once, with defaults,
 * as `ParamSpec`s for the CLI and server, and validated into a typed object.
 */
import { InputError, param, paramSpecs, type ParamSpec, type ParamValues, type ProgressCallback } from "@causeway/core";
import { NEURAL_OPTIMIZERS, type NeuralOptimizer } from "./ista.js";
import { GROUP_PENALTIES, type GroupPenalty } from "./prox.js";

/** Options of a neural Granger fit (every field but `maxLag` has a per-method default). */
export interface NeuralOptions {
  /** cMLP: lags fed to every network; cLSTM: the context (truncated-BPTT window) is its own setting. */
  maxLag: number;
  /** Hidden units per target network. */
  hidden?: number;
  /** First-layer penalty (cLSTM: GL only, one group per input series). Default "H" (cMLP). */
  penalty?: GroupPenalty;
  /** "auto" (default): a λ path that ranks every edge; or a fixed λ >= 0. */
  lambda?: number | "auto";
  /** Ridge on the layers after the first. Default 1e-2 (the reference code's value). */
  ridge?: number;
  /** λ path: first (smallest) λ, where the dense fit is made. */
  lambdaStart?: number;
  /** λ path: ratio between consecutive λ values (> 1). */
  lambdaFactor?: number;
  /** λ path: most λ values (it stops once every target keeps at most one input series). */
  pathSteps?: number;
  /** λ path: most iterations of the dense fit at the first λ. */
  warmupIters?: number;
  /** λ path: most iterations per later λ value. */
  stepIters?: number;
  /** Fixed λ: most iterations. */
  maxIter?: number;
  /** A λ value (or a fixed-λ fit) ends when no target's objective fell by more than tol (relative) over `checkEvery` iterations. */
  tol?: number;
  /** Iterations between convergence checks, progress events and abort checks. */
  checkEvery?: number;
  /** "ista" (proximal gradient with line search, the default) or "adam". */
  optimizer?: NeuralOptimizer;
  /** Initial step size (ISTA adapts it per target; Adam's learning rate). */
  step?: number;
  /**
   * Early stopping of the dense fit (the λ path's warm-up, or a fixed-λ fit) on held-out rows: the
   * last 20% of each recording's target rows are validation, evaluated every `checkEvery`
   * iterations; the fit stops after `patience` evaluations without a lower validation error and
   * keeps the best weights. The λ path then runs on the training rows.
   */
  earlyStop?: boolean;
  /** Early stopping: evaluations without a better validation error before the dense fit stops. */
  patience?: number;
  seed?: number;
  /**
   * Effects to fit: indices (0-based) or a comma-separated list of indices or variable names;
   * default every variable. Other effects' score rows stay 0. Each target network starts from
   * the same random weights whatever the subset, so runs on disjoint subsets (one per worker
   * thread) merge into the full fit (see `@causeway/methods/node`).
   */
  targets?: string | readonly number[];
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** A seconds budget's deadline (core's `Deadline`): training stops at the next convergence check after it. */
  deadline?: { expired(): boolean };
}

/** Completed, validated settings. */
export type NeuralSettings = Required<Omit<NeuralOptions, "signal" | "onProgress" | "targets" | "deadline">> & Pick<NeuralOptions, "signal" | "onProgress" | "targets" | "deadline">;

/** Per-method defaults. */
export type NeuralDefaults = Omit<NeuralSettings, "maxLag" | "seed" | "signal" | "onProgress" | "targets" | "deadline">;

/** Fill defaults and check ranges (InputError on bad values). */
export function neuralSettings(o: NeuralOptions, d: NeuralDefaults): NeuralSettings {
  const optimizer = o.optimizer ?? d.optimizer;
  const s: NeuralSettings = {
    ...d,
    ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
    optimizer,
    step: o.step ?? (optimizer === "adam" ? 1e-3 : d.step),
    seed: o.seed ?? 0,
  } as NeuralSettings;
  const int = (name: keyof NeuralSettings, min: number): void => {
    const v = s[name] as number;
    if (!Number.isInteger(v) || v < min) throw new InputError(`${name} must be an integer >= ${min}, got ${String(v)}`);
  };
  const pos = (name: keyof NeuralSettings): void => {
    const v = s[name] as number;
    if (!(typeof v === "number" && v > 0 && Number.isFinite(v))) throw new InputError(`${name} must be a number > 0, got ${String(v)}`);
  };
  int("maxLag", 1);
  int("hidden", 1);
  int("pathSteps", 1);
  int("warmupIters", 1);
  int("stepIters", 1);
  int("maxIter", 1);
  int("checkEvery", 1);
  int("patience", 1);
  pos("lambdaStart");
  pos("step");
  pos("tol");
  if (!(s.lambdaFactor > 1)) throw new InputError(`lambdaFactor must be > 1, got ${s.lambdaFactor}`);
  if (!(s.ridge >= 0)) throw new InputError(`ridge must be >= 0, got ${s.ridge}`);
  if (!GROUP_PENALTIES.includes(s.penalty)) throw new InputError(`penalty must be one of ${GROUP_PENALTIES.join(", ")}, got "${String(s.penalty)}"`);
  if (!NEURAL_OPTIMIZERS.includes(s.optimizer)) throw new InputError(`optimizer must be one of ${NEURAL_OPTIMIZERS.join(", ")}, got "${String(s.optimizer)}"`);
  if (s.lambda !== "auto" && !(typeof s.lambda === "number" && s.lambda >= 0 && Number.isFinite(s.lambda)))
    throw new InputError(`lambda must be "auto" or a number >= 0, got ${String(s.lambda)}`);
  return s;
}

const PENALTY_NAMES: Record<GroupPenalty, string> = { GL: "group lasso", GSGL: "group sparse group lasso", H: "hierarchical lags" };

/** Largest fixed λ (as lambdaStart's bound): on z-scored data every group is zero long before it. */
const MAX_LAMBDA = 1e6;

/** `lambda` as typed: "auto" or a number >= 0 (a number may arrive as a string from the CLI). */
function readLambda(v: string): "auto" | number {
  if (v === "auto") return "auto";
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n < 0 || n > MAX_LAMBDA) throw new InputError(`lambda must be "auto" or a number in 0..${MAX_LAMBDA}, got ${JSON.stringify(v)}`);
  return n;
}

/** Typed param declarations of a neural method with its defaults (the CLI flags, server schema and viewer form). */
export function neuralParams(d: NeuralDefaults, penalties: readonly GroupPenalty[]) {
  return {
    lambda: param.string({
      default: "auto",
      description: 'sparsity: "auto" (a λ path; score λ*/(λ* + 0.1), λ* = largest λ keeping the group) or a fixed λ in 0..1e6 (z-scored data; ~0.1 is reasonable)',
      numberAsString: true,
      read: readLambda,
    }),
    penalty: param.choice(penalties, { default: d.penalty, description: `first-layer group penalty: ${penalties.map((p) => `${p} ${PENALTY_NAMES[p]}`).join(", ")}` }),
    hidden: param.integer({ default: d.hidden, min: 1, max: 1024, description: "hidden units per target network" }),
    ridge: param.number({ default: d.ridge, min: 0, max: 1e6, description: "ridge penalty on the layers after the first" }),
    lambdaStart: param.number({ default: d.lambdaStart, min: 0, max: 1e6, description: "λ path: first (smallest) λ, where the dense fit is made" }),
    lambdaFactor: param.number({ default: d.lambdaFactor, min: 1, max: 100, description: "λ path: ratio between consecutive λ values" }),
    pathSteps: param.integer({ default: d.pathSteps, min: 1, max: 1000, description: "λ path: most λ values" }),
    warmupIters: param.integer({ default: d.warmupIters, min: 1, max: 100_000, description: "λ path: most iterations of the dense fit" }),
    stepIters: param.integer({ default: d.stepIters, min: 1, max: 100_000, description: "λ path: most iterations per later λ" }),
    maxIter: param.integer({ default: d.maxIter, min: 1, max: 1_000_000, description: "fixed λ: most iterations" }),
    tol: param.number({ default: d.tol, min: 0, max: 1, description: "relative objective decrease per check below which a λ value is done" }),
    optimizer: param.choice(NEURAL_OPTIMIZERS, { default: d.optimizer, description: "ista (proximal gradient with line search) or adam (option)" }),
    step: param.number({ default: d.step, min: 0, max: 100, description: "initial step size (ISTA adapts it per target; Adam uses 1e-3 unless given)" }),
    earlyStop: param.boolean({ default: d.earlyStop, description: "early stopping of the dense fit on the last 20% of each recording's rows (best weights kept); the λ path runs on the other 80%" }),
    patience: param.integer({ default: d.patience, min: 1, max: 10_000, description: "early stopping: checks (every checkEvery iterations) without a better validation error" }),
  };
}

/** The `targets` param of a per-target method (cmlp): which effects to fit; how worker threads split one run. */
export const TARGETS_PARAM = param.string({
  default: "",
  description: "effects to fit: comma-separated variable names or 0-based indices (empty: all); other effects' rows score 0 (how worker threads split one run)",
});

/** The typed params of a neural method. */
export type NeuralParams = ParamValues<ReturnType<typeof neuralParams>>;

/** ParamSpecs (CLI flags, server schema) of a neural method with its defaults. */
export function neuralParamSpecs(d: NeuralDefaults, penalties: readonly GroupPenalty[]): ParamSpec[] {
  return paramSpecs(neuralParams(d, penalties));
}

/**
 * Most optimiser iterations a fit with these params may run: the λ path's warm-up plus every
 * later λ (lambda "auto"), else `maxIter`. Each iteration evaluates the loss about twice (the
 * line search's proposal and its acceptance check).
 */
export function neuralIterations(p: Pick<NeuralParams, "lambda" | "warmupIters" | "pathSteps" | "stepIters" | "maxIter">): number {
  return p.lambda === "auto" ? p.warmupIters + p.pathSteps * p.stepIters : p.maxIter;
}

/** NeuralOptions fields from typed params; Adam's learning rate defaults to 1e-3 unless a step was `given`. */
export function neuralOptionsFromParams(p: NeuralParams, given: Readonly<Record<string, unknown>>): Partial<NeuralOptions> {
  const { step, ...rest } = p;
  return given.step === undefined ? rest : { ...rest, step };
}
