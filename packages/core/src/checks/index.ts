/**
 * The assumption checks every run goes through (`prepareRun` calls `assumptionWarnings` before
 * any method): lags and variables beyond the method's reach, nonstationary variables (ADF and
 * KPSS, breaks in level or variance), duplicated and collinear variables, near-constant ones. Each
 * finding is one `warnings` entry saying what was found, the statistic, and what to do. Cost
 * O(T · V · k) for the per-variable tests (k: the ADF lag bound, ~12 (T/100)^¼) and O(T · V²) for
 * the correlation matrix: below any method's own fit.
 */
import { InputError } from "../errors.js";
import { listMethods, resolveParams, type Discoverer, type MethodReach } from "../discoverer.js";
import { powerOfTwoRescale, scaleWarnings } from "../transform.js";
import type { GraphWarning, TimeSeries } from "../types.js";
import { levelBreakTest, varianceBreakTest, type BreakResult } from "./breaks.js";
import { collinearity, COLLINEAR_CONDITION } from "./collinear.js";
import { adfTest, kpssTailP, kpssTest, type AdfResult, type KpssResult } from "./stationarity.js";

export { adfTest, kpssTest, mackinnonP, kpssPValue, kpssTailP, type AdfResult, type KpssResult } from "./stationarity.js";
export { levelBreakTest, varianceBreakTest, supWaldP, kolmogorovSf, type BreakResult } from "./breaks.js";
export { collinearity, COLLINEAR_CONDITION, type CollinearResult } from "./collinear.js";

/** Family-wise level of the unit-root decision over the V variables (Bonferroni: each KPSS at FAMILY_LEVEL / V). */
export const FAMILY_LEVEL = 0.01;
/**
 * Family-wise level of the break tests (each at BREAK_LEVEL / V): decisive evidence only. A
 * persistent stationary VAR (companion radius ~0.9, T = 500) wanders in slow excursions that
 * Andrews' asymptotics score down to p ~ 1e-5 (sup-Wald) or 1e-4 (sup-LM), while a regime switch
 * worth a warning (a shift of one standard deviation or a doubling of the noise, over 800 rows)
 * scores below 1e-6.
 */
export const BREAK_LEVEL = 1e-4;
/** ADF p-value above which a unit root is not rejected. */
export const ADF_LEVEL = 0.05;
/** Rows below which a variable's stationarity is not tested (ADF and KPSS would say little). */
export const MIN_STATIONARITY_ROWS = 30;

/** The stationarity tests of one variable, on its longest stretch without a missing cell or a segment start. */
export interface StationarityReport {
  variable: string;
  /** Rows [start, end) of the stretch tested. */
  start: number;
  end: number;
  adf?: AdfResult;
  kpss?: KpssResult;
  level?: BreakResult;
  variance?: BreakResult;
  /** Why the variable is judged nonstationary (empty: it is not). */
  reasons: string[];
}

/** Longest run of rows of variable v inside one segment with no missing cell: [start, end). */
function longestStretch(series: TimeSeries, v: number): [number, number] {
  const V = series.variables.length;
  const starts = new Set(series.segments ?? [0]);
  let best: [number, number] = [0, 0];
  let from = 0;
  for (let t = 0; t <= series.length; t++) {
    const breaks = t === series.length || starts.has(t) || (series.mask !== undefined && series.mask[t * V + v] !== 0);
    if (!breaks) continue;
    if (t - from > best[1] - best[0]) best = [from, t];
    from = series.mask !== undefined && t < series.length && series.mask[t * V + v] !== 0 ? t + 1 : t;
  }
  return best;
}

const fmtP = (p: number): string => (p < 1e-4 ? p.toExponential(0) : p < 0.01 ? p.toFixed(4) : p.toFixed(2));

/**
 * ADF, KPSS and the two break tests of every variable, with the decision: nonstationary when the
 * KPSS statistic rejects level stationarity at .01 and at FAMILY_LEVEL / V (its Cramér-von Mises
 * tail) while ADF does not reject a unit root at .05, or when a break in level or variance has
 * p <= BREAK_LEVEL / V. On a stationary series ADF rejects strongly and no break is found, so a
 * false alarm needs two tests to err together.
 */
export function stationarityReports(series: TimeSeries): StationarityReport[] {
  const V = series.variables.length;
  const level = FAMILY_LEVEL / V;
  const breakLevel = BREAK_LEVEL / V;
  const out: StationarityReport[] = [];
  for (let v = 0; v < V; v++) {
    const [start, end] = longestStretch(series, v);
    const report: StationarityReport = { variable: series.variables[v], start, end, reasons: [] };
    out.push(report);
    if (end - start < MIN_STATIONARITY_ROWS) continue;
    const x = new Float64Array(end - start); // [n] the stretch of variable v
    for (let t = start; t < end; t++) x[t - start] = series.data[t * V + v];
    report.adf = adfTest(x);
    report.kpss = kpssTest(x);
    if (report.adf) {
      report.level = levelBreakTest(report.adf.regression);
      report.variance = varianceBreakTest(report.adf.regression);
    }
    const { adf, kpss } = report;
    // the regression's row i is x row start + usedLag + 1 + i; rows are numbered from 1 for people
    const row = (b: BreakResult) => start + (adf?.usedLag ?? 0) + 2 + b.at;
    if (adf && kpss && adf.pvalue > ADF_LEVEL && kpss.pvalue <= 0.01 && kpssTailP(kpss.stat) <= level)
      report.reasons.push(`drifts: ADF p = ${fmtP(adf.pvalue)} (a unit root not rejected), KPSS ${kpss.stat.toFixed(2)}, p < 0.01 (level stationarity rejected)`);
    if (report.level && report.level.pvalue <= breakLevel)
      report.reasons.push(`shifts level near row ${row(report.level)}: sup-LM ${report.level.stat.toFixed(1)}, p = ${fmtP(report.level.pvalue)}`);
    if (report.variance && report.variance.pvalue <= breakLevel)
      report.reasons.push(`changes variance near row ${row(report.variance)}: κ2 ${report.variance.stat.toFixed(2)}, p = ${fmtP(report.variance.pvalue)}`);
  }
  return out;
}

function nameList(names: string[], max = 6): string {
  return names.length > max ? `${names.slice(0, max).join(", ")} and ${names.length - max} more` : names.join(", ");
}

/** The `nonstationary` warning of `stationarityReports`, or none. */
function nonstationaryWarning(reports: StationarityReport[]): GraphWarning[] {
  const bad = reports.filter((r) => r.reasons.length > 0);
  if (bad.length === 0) return [];
  const shown = bad.slice(0, 6).map((r) => `${r.variable} ${r.reasons.join("; ")}`);
  const more = bad.length > 6 ? `; and ${bad.length - 6} more variables` : "";
  const drift = bad.some((r) => r.reasons.some((s) => s.startsWith("drifts")));
  const broken = bad.some((r) => r.reasons.some((s) => !s.startsWith("drifts")));
  const todo = [
    drift ? "difference drifting series (x(t) - x(t-1)) or remove their trend" : "",
    broken ? "split series at a break and pass the pieces as segments (one file per regime)" : "",
  ].filter(Boolean);
  return [
    {
      code: "nonstationary",
      message: `${shown.join("; ")}${more}. Lagged dependence fitted across a drift or a regime change can be spurious: ${todo.join(", and ")}, then run again`,
      variables: bad.map((r) => r.variable),
    },
  ];
}

/** `duplicated`/`collinear` findings as one `collinear` warning each. */
function collinearWarnings(series: TimeSeries): GraphWarning[] {
  const names = series.variables;
  const c = collinearity(series);
  const out: GraphWarning[] = [];
  if (c.duplicates.length > 0)
    out.push({
      code: "collinear",
      message: `${c.duplicates.map(([a, b, r]) => `${names[a]} and ${names[b]} are duplicates (r = ${r.toFixed(6)})`).join("; ")}: a method cannot tell them apart, so their edges are split or arbitrary; drop one of each pair`,
      variables: [...new Set(c.duplicates.flatMap(([a, b]) => [names[a], names[b]]))],
    });
  if (c.condition !== undefined && c.condition > COLLINEAR_CONDITION && c.group.length > 0) {
    const group = c.group.map((v) => names[v]);
    const kappa = Number.isFinite(c.condition) ? `condition number ${c.condition.toExponential(1)}, index ${Math.sqrt(c.condition).toFixed(0)}` : "their correlation matrix is singular";
    out.push({
      code: "collinear",
      message: `${nameList(group)} are nearly linear combinations of one another (${kappa}, over 30): their separate edges are poorly determined and may be scored 0 or swapped; drop or combine one of them`,
      variables: group,
    });
  }
  return out;
}

/** What the method can score and which methods could do more, for `reachWarnings`. */
export interface ReachContext {
  method: string;
  reach?: MethodReach;
  maxLag: number;
  /** Registered methods that reach `maxLag` (for the message). */
  alternatives?: string[];
  /** Fail instead of warning (`DiscoverOptions.strict`). */
  strict?: boolean;
}

/**
 * `lag_beyond_reach` when maxLag exceeds what the method can score, `too_many_variables` when V
 * exceeds its trained count; with `strict`, an InputError instead.
 */
export function reachWarnings(V: number, ctx: ReachContext): GraphWarning[] {
  const out: GraphWarning[] = [];
  const { reach, method, maxLag } = ctx;
  const others = ctx.alternatives && ctx.alternatives.length > 0 ? ` or a method that reaches it (${ctx.alternatives.join(", ")})` : "";
  if (reach?.maxLag !== undefined && maxLag > reach.maxLag) {
    const lags = reach.maxLag + 1 === maxLag ? `lag ${maxLag}` : `lags ${reach.maxLag + 1}..${maxLag}`;
    out.push({
      code: "lag_beyond_reach",
      message: `${method} scores lags 1..${reach.maxLag} with these settings, but maxLag is ${maxLag}: scores at ${lags} are not evidence (an edge there would score 0 all the same); lower maxLag to ${reach.maxLag}${others}`,
    });
  }
  if (reach?.variables !== undefined && V > reach.variables)
    out.push({
      code: "too_many_variables",
      message: `${method} was trained for at most ${reach.variables} variables and the series has ${V}: its scores are not evidence; select ${reach.variables} variables or use another method`,
    });
  if (ctx.strict && out.length > 0) throw new InputError(`${out.map((w) => w.message).join("; ")} (strict: refused instead of warned)`);
  return out;
}

/**
 * Every data check of a series (formats.md `warnings`): `nonstationary`, `collinear` and
 * `near_constant`, in that order; [] when every check passed.
 *
 * @example const warnings = dataWarnings(series); // [{ code: "nonstationary", message: "x0 drifts: ADF p = 0.41 ...", variables: ["x0"] }]
 */
export function dataWarnings(series: TimeSeries): GraphWarning[] {
  // the tests are scale-invariant: an exact power-of-two rescaling keeps 1e300 data from overflowing
  const safe = powerOfTwoRescale(series).series;
  return [...nonstationaryWarning(stationarityReports(safe)), ...collinearWarnings(safe), ...scaleWarnings(series).filter((w) => w.code === "near_constant")];
}

/** Whether method `m` with its default params scores lags up to `maxLag`. */
function reaches(m: Discoverer, maxLag: number): boolean {
  if (!m.reach) return true;
  try {
    return (m.reach(resolveParams(m.params, {}, m.name)).maxLag ?? Infinity) >= maxLag;
  } catch {
    return false;
  }
}

/**
 * What `prepareRun` adds for every method: `reachWarnings` (an InputError with `strict`), then
 * `dataWarnings`. `params`: the resolved params (the method's `reach` reads them).
 */
export function assumptionWarnings(method: Discoverer, series: TimeSeries, options: { maxLag: number; strict?: boolean }, params: Record<string, number | string | boolean>): GraphWarning[] {
  const { maxLag } = options;
  const reach = method.reach?.(params);
  const alternatives = reach?.maxLag !== undefined && maxLag > reach.maxLag ? listMethods().filter((m) => m.name !== method.name && reaches(m, maxLag)).map((m) => m.name) : [];
  const ctx: ReachContext = { method: method.name, maxLag, alternatives, ...(reach ? { reach } : {}), ...(options.strict ? { strict: true } : {}) };
  return [...reachWarnings(series.variables.length, ctx), ...dataWarnings(series)];
}
