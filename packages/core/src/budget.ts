/**
 * Training budgets (`--budget fast|default|thorough|SECONDS`) and early stopping on a held-out
 * validation split: declared once here, used by every method that trains (cmlp, clstm, tcdf,
 * transformer). A method declares `budgets` (param presets) in its `defineMethod`; the wrapper
 * applies the preset to the params the caller did not give, turns a seconds budget into a
 * deadline (`MethodContext.deadline`) and records `meta.budget`.
 */
import { InputError } from "./errors.js";
import { segmentBounds } from "./samples.js";
import type { GraphWarning, TimeSeries } from "./types.js";

/** The named budgets, smallest first. */
export const BUDGET_NAMES = ["fast", "default", "thorough"] as const;
export type BudgetName = (typeof BUDGET_NAMES)[number];

/** A named budget, or a wall-clock budget in seconds (> 0). */
export type Budget = BudgetName | number;

/**
 * A method's param presets per named budget: values for the iteration/epoch params the caller did
 * not set (explicit params win). `default` is empty unless declared (the declared defaults apply).
 * A seconds budget runs the `default` preset with a deadline.
 */
export type BudgetPresets<P = Record<string, number | string | boolean>> = { fast: Partial<P>; thorough: Partial<P>; default?: Partial<P> };

/** What `meta.budget` records (formats.md "Discovered graph output"). */
export interface BudgetMeta {
  /** "fast", "default" or "thorough", or "seconds" for a wall-clock budget. */
  name: BudgetName | "seconds";
  /** The wall-clock budget, for `name: "seconds"`. */
  seconds?: number;
  /** The preset values applied (params the caller gave are not among them). */
  applied: Record<string, number | string | boolean>;
  /** True when training stopped at the deadline before it converged (a `budget_exhausted` warning says so). */
  cut?: boolean;
}

/**
 * A budget from a CLI flag, a job field or an option: a name, or seconds as a positive number
 * (`30`, `"30"`, `"30s"`, `"2.5"`). InputError naming the valid values otherwise.
 */
export function parseBudget(value: unknown): Budget {
  if (typeof value === "string" && (BUDGET_NAMES as readonly string[]).includes(value)) return value as BudgetName;
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*[0-9.eE+-]+\s*s?\s*$/.test(value) ? Number(value.trim().replace(/s$/, "")) : NaN;
  if (Number.isFinite(n) && n > 0) return n;
  throw new InputError(`budget must be one of ${BUDGET_NAMES.join(", ")} or a number of seconds > 0, got ${JSON.stringify(value)}`);
}

/** Whether a method takes a budget (it declares presets: the methods that train). */
export function takesBudget(method: { budgets?: unknown }): boolean {
  return method.budgets !== undefined;
}

/**
 * Checks that `method` takes `budget` (parsed): InputError naming the methods that do, among
 * `all` (the registry's), for a method without training (var, pcmci, corr, ...).
 */
export function checkBudget(method: { name: string; budgets?: unknown }, budget: unknown, all: readonly { name: string; budgets?: unknown }[] = []): Budget {
  const parsed = parseBudget(budget);
  if (!takesBudget(method)) {
    const accepting = all.filter(takesBudget).map((m) => m.name);
    throw new InputError(`${method.name} has no training to budget; --budget applies to ${accepting.length > 0 ? accepting.join(", ") : "methods that train"}`);
  }
  return parsed;
}

/** The preset a budget applies to a method's params (an empty object for a method without that preset). */
export function budgetPreset(presets: BudgetPresets | undefined, budget: Budget): Record<string, number | string | boolean> {
  if (!presets) return {};
  const name: BudgetName = typeof budget === "number" ? "default" : budget;
  return { ...(presets[name] ?? {}) } as Record<string, number | string | boolean>;
}

/**
 * The preset values a budget applies given the params the caller set: a param set to another
 * value is left out (explicit params win); one set to the preset's value (a server job stores its
 * params with the preset resolved in) counts as applied. `{ ...applied, ...given }` is what the run
 * resolves; the CLI and the server price a run with it before starting it.
 */
export function budgetApplied(presets: BudgetPresets | undefined, budget: Budget | undefined, given: Record<string, unknown> = {}): Record<string, number | string | boolean> {
  if (budget === undefined) return {};
  return Object.fromEntries(Object.entries(budgetPreset(presets, budget)).filter(([k, v]) => given[k] === undefined || given[k] === v));
}

/**
 * A run's clock for a seconds budget: `expired()` once the deadline has passed (`Date.now()`
 * milliseconds, so it holds across worker threads); without a deadline it never expires.
 */
export class Deadline {
  /** Absolute deadline in `Date.now()` milliseconds, or Infinity. */
  readonly at: number;
  /** Set by `expired()` the first time it answers true: the run was cut. */
  hit = false;

  constructor(seconds?: number, now = Date.now()) {
    this.at = seconds === undefined ? Infinity : now + seconds * 1000;
  }

  /** True once the deadline has passed (and records that it was hit). */
  expired(): boolean {
    if (this.at === Infinity || Date.now() < this.at) return false;
    this.hit = true;
    return true;
  }

  /** Seconds left (Infinity without a deadline). */
  secondsLeft(): number {
    return this.at === Infinity ? Infinity : Math.max(0, (this.at - Date.now()) / 1000);
  }
}

/** The warning of a run whose training a seconds budget cut before convergence. */
export function budgetWarning(method: string, seconds: number, what: string): GraphWarning {
  return {
    code: "budget_exhausted",
    message: `${method}: the ${seconds} s budget ran out before training converged (${what}); scores come from the partly trained model: give more seconds or a named budget`,
  };
}

/**
 * Splits target rows into training and validation rows: the last `fraction` (rounded, at least
 * one when the segment has 5 or more rows) of each segment's rows is held out, so validation is
 * always later in time than the training rows of its recording.
 *
 * @param rows target rows in increasing order (e.g. `validTargetRows(series, K)`)
 * @example const { train, validation } = validationSplit(series, validTargetRows(series, 3));
 */
export function validationSplit(series: TimeSeries, rows: Int32Array, fraction = 0.2): { train: Int32Array; validation: Int32Array } {
  if (!(fraction >= 0 && fraction < 1)) throw new InputError(`validation fraction must be in [0, 1), got ${fraction}`);
  const bounds = segmentBounds(series);
  const train: number[] = [];
  const validation: number[] = [];
  let r = 0;
  for (let s = 0; s + 1 < bounds.length; s++) {
    const start = r;
    while (r < rows.length && rows[r] < bounds[s + 1]) r++;
    const n = r - start;
    const held = n >= 5 ? Math.max(1, Math.round(n * fraction)) : 0;
    for (let i = start; i < r; i++) (i < r - held ? train : validation).push(rows[i]);
  }
  return { train: Int32Array.from(train), validation: Int32Array.from(validation) };
}

/**
 * Early stopping (Prechelt 1998, "Early stopping - but when?"): call `update` with each evaluation's
 * validation loss; it says whether this is the best so far (keep these weights) and `stop` turns
 * true after `patience` evaluations without an improvement larger than `minDelta` (relative).
 */
export class EarlyStopping {
  best = Infinity;
  /** Evaluations since the best one. */
  since = 0;
  /** Evaluations so far. */
  evaluations = 0;
  stop = false;

  constructor(
    readonly patience: number,
    readonly minDelta = 0,
  ) {
    if (!Number.isInteger(patience) || patience < 1) throw new InputError(`patience must be an integer >= 1, got ${patience}`);
  }

  /** Records a validation loss; true when it is the best so far (NaN never is). */
  update(loss: number): boolean {
    this.evaluations++;
    if (loss < this.best - this.minDelta * Math.abs(this.best === Infinity ? 0 : this.best)) {
      this.best = loss;
      this.since = 0;
      return true;
    }
    if (++this.since >= this.patience) this.stop = true;
    return false;
  }
}
