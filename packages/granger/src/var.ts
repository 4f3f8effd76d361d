import {
  comfortableRows,
  createScores,
  defineMethod,
  graphBytes,
  hasMissing,
  hasSegments,
  InputError,
  param,
  powerOfTwoRescale,
  progressReporter,
  scaleWarnings,
  seriesBytes,
  throwIfAborted,
  type Discoverer,
  type ScoreTensor,
  type TimeSeries,
  validTargetRows,
} from "@causeway/core";
import { choleskyWithJitter, invertLower, logDetFromCholesky } from "@causeway/core";
import { gramFromCrossProducts, gramFromRows, laggedCrossProducts, solveFromGram, zscoreColumns } from "./var-gram.js";
import { logFSurvival } from "@causeway/core";
import { pairwiseGranger, type PairwiseGrangerResult } from "./var-pairwise.js";

/** Information criterion used to pick the VAR order below `maxLag` ("none": use `maxLag`). */
export type InfoCriterion = "aic" | "bic" | "hqic" | "none";

export const INFO_CRITERIA: readonly InfoCriterion[] = ["aic", "bic", "hqic", "none"];

export interface VarGrangerOptions {
  /** Largest VAR order considered (the order itself when `ic` is "none"). */
  maxLag: number;
  /** Criterion for the order; default "none" (use maxLag, as statsmodels' `VAR.fit(maxlags)`). */
  ic?: InfoCriterion;
  signal?: AbortSignal;
  /** Called with the stage name and the fraction of the work done. */
  onStage?: (stage: string, fraction: number) => void;
}

/** Information criteria of VAR(1..maxLag) fitted on the common sample t = maxLag .. T-1. */
export interface OrderCriteria {
  /** `aic[q - 1]` for order q (statsmodels' definition: ln det Σ_ML + 2 k / n, k = q V² + V). */
  aic: Float64Array;
  bic: Float64Array;
  hqic: Float64Array;
}

/** A fitted VAR(p) with every pairwise conditional Granger F-test. */
export interface VarGrangerResult {
  V: number;
  maxLag: number;
  /** The VAR order p used for the tests (chosen by `ic`, or `maxLag`). */
  order: number;
  ic: InfoCriterion;
  /** Criteria per order; absent when `ic` is "none". */
  criteria?: OrderCriteria;
  /** Observations in the regression: T - p (with segments or missing cells: the valid target rows for order p). */
  nobs: number;
  /** Residual degrees of freedom per equation: nobs - (1 + p V). */
  dfResid: number;
  /** Coefficients in the data's units, `[effect, cause, lag - 1]` flat with stride `order`. */
  coef: Float64Array;
  /** t-statistics of the coefficients, same layout as `coef`. */
  tStats: Float64Array;
  /**
   * ln p-values of each coefficient's own test, same layout as `coef`: the F(1, dfResid) test of
   * dropping that one lag of the cause from the full VAR (t² = F; the two-sided t-test).
   */
  lagLogP: Float64Array;
  /** Intercepts `[effect]`. */
  intercept: Float64Array;
  /** Residual variance per equation (RSS / dfResid), in the data's units, `[effect]`. */
  sigma2: Float64Array;
  /** Joint Granger F statistics `[effect * V + cause]` (all `order` lags of the cause dropped), with (order, dfResid) degrees of freedom. */
  fStat: Float64Array;
  /** ln p-values of the joint test, `[effect * V + cause]` (finite even where p underflows). */
  logP: Float64Array;
  /** p-values of the joint test, `[effect * V + cause]`. */
  pValue: Float64Array;
  /** Ridge added to the Gram matrix when the regressors were collinear (0 normally). */
  ridge: number;
}


/**
 * Fit a VAR(p) by OLS in float64 and run every pairwise conditional Granger F-test
 * (`cause`'s p lags dropped from `effect`'s equation, all other regressors kept).
 *
 * The data are z-scored first (OLS with an intercept is invariant to it; it conditions
 * the Gram matrix). One Gram matrix serves every equation; the restricted models are never
 * refitted: by the partitioned inverse (Schur complement), dropping the block B of
 * regressors raises the RSS by `β_Bᵀ [(XᵀX)⁻¹]_BB⁻¹ β_B`, so each test costs O(p²).
 * Cost: O((P + 1) V² T) for the lagged cross-products plus O((pV)³) for the solve.
 *
 * @example
 * const r = varGranger(series, { maxLag: 3, ic: "bic" });
 * r.pValue[effect * r.V + cause]; // P(F > f) under "cause does not Granger-cause effect"
 */
export function varGranger(series: TimeSeries, options: VarGrangerOptions): VarGrangerResult {
  const { length: T } = series;
  const V = series.variables.length;
  const P = options.maxLag;
  const ic = options.ic ?? "none";
  if (!Number.isInteger(P) || P < 1) throw new InputError(`maxLag must be an integer >= 1, got ${P}`);
  if (!INFO_CRITERIA.includes(ic)) throw new InputError(`ic must be one of ${INFO_CRITERIA.join(", ")}, got "${String(ic)}"`);
  // several recordings or missing cells: the samples are the valid target rows (no window crosses a
  // segment start or touches a missing cell), stacked; otherwise t = P .. T-1 as ever
  const pooled = hasSegments(series) || hasMissing(series);
  const rowsP = pooled ? validTargetRows(series, P) : undefined; // [n] target rows at order P
  const nP = rowsP ? rowsP.length : T - P;
  if (nP - (1 + P * V) < 1)
    throw new InputError(
      pooled
        ? `a VAR(${P}) of ${V} variables needs more than ${1 + P * V} lagged samples (one per regressor); the series' segments and missing cells leave ${nP}`
        : `a VAR(${P}) of ${V} variables needs more than ${P + 1 + P * V} rows (T - maxLag > 1 + maxLag·V regressors); the series has ${T}`,
    );
  const { x, mean, sd } = zscoreColumns(series); // x: [V, T]
  let logSdSum = 0;
  for (let a = 0; a < V; a++) logSdSum += Math.log(sd[a]);

  options.onStage?.("cross-products", 0);
  const { R, sums } = pooled ? { R: [], sums: new Float64Array(V) } : laggedCrossProducts(x, V, T, P, options.signal, (f) => options.onStage?.("cross-products", f));
  throwIfAborted(options.signal);
  // Gram of the VAR(q) design on the sample of order `order` (t = start .. T-1, or the valid rows)
  const gram = (q: number, start: number): Float64Array =>
    pooled ? gramFromRows(x, V, T, start === P && rowsP ? rowsP : validTargetRows(series, start), q, options.signal) : gramFromCrossProducts(x, V, T, R, sums, q, start);

  // Order selection on the common sample t = P .. T-1 (as statsmodels' select_order).
  let order = P;
  let criteria: OrderCriteria | undefined;
  let gramP: Float64Array | undefined;
  if (ic !== "none") {
    gramP = gram(P, P);
    const D = 1 + (P + 1) * V;
    const n = nP;
    criteria = { aic: new Float64Array(P), bic: new Float64Array(P), hqic: new Float64Array(P) };
    for (let q = 1; q <= P; q++) {
      throwIfAborted(options.signal);
      const { S } = solveFromGram(gramP, D, 1 + q * V, 1 + P * V, V);
      for (let i = 0; i < V * V; i++) S[i] /= n; // Σ_ML of the z-scored data
      const { L } = choleskyWithJitter(S, V);
      // back to the data's units: ln det(D_sd Σ D_sd) = ln det Σ + 2 Σ ln sd
      const ld = logDetFromCholesky(L, V) + 2 * logSdSum;
      const k = q * V * V + V; // free parameters: lag coefficients + intercepts
      criteria.aic[q - 1] = ld + (2 / n) * k;
      criteria.bic[q - 1] = ld + (Math.log(n) / n) * k;
      criteria.hqic[q - 1] = ld + ((2 * Math.log(Math.log(n))) / n) * k;
    }
    const values = criteria[ic];
    order = 1;
    for (let q = 2; q <= P; q++) if (values[q - 1] < values[order - 1]) order = q;
  }
  options.onStage?.("fit", 0);

  // Final fit of VAR(order) on t = order .. T-1 (the longest sample for that order).
  const p = order;
  const n = pooled ? (p === P ? nP : validTargetRows(series, p).length) : T - p;
  const K = 1 + p * V;
  const D = 1 + (p + 1) * V;
  const dfResid = n - K;
  const G = p === P && gramP ? gramP : gram(p, p);
  // with the final order's Gram: responses follow the lag blocks, as in gramFromCrossProducts
  const { L, B, S, ridge } = solveFromGram(G, D, K, 1 + p * V, V);
  throwIfAborted(options.signal);
  const Linv = invertLower(L, K); // (XᵀX)⁻¹ = L⁻ᵀ L⁻¹

  const coef = new Float64Array(V * V * p);
  const tStats = new Float64Array(V * V * p);
  const lagLogP = new Float64Array(V * V * p);
  const fStat = new Float64Array(V * V);
  const logP = new Float64Array(V * V);
  const pValue = new Float64Array(V * V);
  const sigma2 = new Float64Array(V);
  const intercept = new Float64Array(V);
  const s2 = new Float64Array(V); // residual variance of the z-scored equations
  for (let e = 0; e < V; e++) {
    // a perfect fit would give RSS <= 0 by cancellation: clamp to a tiny positive value
    const rss = Math.max(S[e * V + e], n * 1e-15);
    s2[e] = rss / dfResid;
    sigma2[e] = s2[e] * sd[e] * sd[e];
  }
  const M = new Float64Array(p * p); // [(XᵀX)⁻¹]_BB of one cause's lag block
  const beta = new Float64Array(p);
  const Mchol = new Float64Array(p * p);
  for (let c = 0; c < V; c++) {
    // block B = cause c at lags 1..p: columns 1 + (l - 1) V + c
    for (let l1 = 0; l1 < p; l1++)
      for (let l2 = 0; l2 <= l1; l2++) {
        const i1 = 1 + l1 * V + c;
        const i2 = 1 + l2 * V + c;
        let s = 0;
        for (let k = i1; k < K; k++) s += Linv[k * K + i1] * Linv[k * K + i2];
        M[l1 * p + l2] = s;
        M[l2 * p + l1] = s;
      }
    const { L: LM } = choleskyWithJitter(M, p);
    Mchol.set(LM);
    for (let e = 0; e < V; e++) {
      // ΔRSS = β_Bᵀ M⁻¹ β_B = |LM⁻¹ β_B|² (partitioned inverse; Schur complement of the block)
      for (let l = 0; l < p; l++) beta[l] = B[(1 + l * V + c) * V + e];
      let delta = 0;
      for (let i = 0; i < p; i++) {
        let s = beta[i];
        for (let k = 0; k < i; k++) s -= Mchol[i * p + k] * beta[k];
        beta[i] = s / Mchol[i * p + i];
        delta += beta[i] * beta[i];
      }
      const f = delta / p / s2[e];
      const lp = logFSurvival(f, p, dfResid);
      const pair = e * V + c;
      fStat[pair] = f;
      logP[pair] = lp;
      pValue[pair] = Math.exp(lp);
      for (let l = 0; l < p; l++) {
        const b = B[(1 + l * V + c) * V + e];
        const idx = pair * p + l;
        coef[idx] = (b * sd[e]) / sd[c];
        tStats[idx] = b / Math.sqrt(s2[e] * M[l * p + l]);
        lagLogP[idx] = logFSurvival(tStats[idx] ** 2, 1, dfResid); // t² ~ F(1, dfResid)
      }
    }
  }
  // intercept in the data's units: y = m_e + sd_e (b0 + Σ b (x - m_c) / sd_c)
  for (let e = 0; e < V; e++) {
    let c0 = mean[e] + sd[e] * B[e];
    for (let l = 0; l < p; l++) for (let c = 0; c < V; c++) c0 -= coef[(e * V + c) * p + l] * mean[c];
    intercept[e] = c0;
  }
  options.onStage?.("fit", 1);
  return { V, maxLag: P, order: p, ic, criteria, nobs: n, dfResid, coef, tStats, lagLogP, intercept, sigma2, fStat, logP, pValue, ridge };
}

const LN10 = Math.log(10);

/** `-log10 p` from `ln p`, exact in log space (so p far below 1e-308 still orders). */
export function minusLog10(logP: number): number {
  return logP === 0 ? 0 : -logP / LN10;
}

/**
 * Lag-resolved p-values `[V, V, maxLag]` of a conditional VAR fit: entry (e, c, l) is the test
 * of the cause's lag-l coefficient in the effect's equation of the full VAR(p) (t² ~ F(1, dfResid)).
 * Lags above the fitted order are not tested: p = 1.
 */
export function varPvalues(r: VarGrangerResult): ScoreTensor {
  const { V, maxLag, order: p } = r;
  const out = createScores(V, maxLag, 1);
  for (let pair = 0; pair < V * V; pair++) for (let l = 0; l < p; l++) out.data[pair * maxLag + l] = Math.exp(r.lagLogP[pair * p + l]);
  return out;
}

/**
 * Lag-resolved scores `[V, V, maxLag]`: the pair's joint evidence `-log10 p` (all the cause's
 * lags, F(p, dfResid)) shared out by lag, `score(e, c, l) = -log10 p_ec · t_ecl² / max_k t_eck²`,
 * computed from ln p so that they never saturate (p = 1e-400 scores 400). The lag with the
 * largest |t| gets the whole joint score, so the summary graph (max over lags) is the joint
 * Granger test; another lag gets its share of the squared t, roughly its own χ² evidence.
 * Lags above the fitted order score 0. Why not each lag's own `-log10 p` as the score: on
 * smooth (continuous-time) systems the lags are collinear, each t is diluted while the joint
 * test stays strong, and the summary ranking drops (Lorenz-96 V=10 summary AUROC .94 -> .84).
 * The edges come from the per-lag p-values (`varPvalues`), not from these scores.
 */
export function varScores(r: VarGrangerResult): ScoreTensor {
  const { V, maxLag, order: p } = r;
  const out = createScores(V, maxLag);
  for (let pair = 0; pair < V * V; pair++) {
    let maxT2 = 0;
    for (let l = 0; l < p; l++) maxT2 = Math.max(maxT2, r.tStats[pair * p + l] ** 2);
    const joint = minusLog10(r.logP[pair]);
    for (let l = 0; l < p; l++) out.data[pair * maxLag + l] = maxT2 > 0 ? (joint * r.tStats[pair * p + l] ** 2) / maxT2 : joint;
  }
  return out;
}

/** Lag-resolved p-values and scores of the pairwise tests: entry (e, c, L) is order L's test (c's lags 1..L jointly). */
export function pairwiseTensors(r: PairwiseGrangerResult): { scores: ScoreTensor; pvalues: ScoreTensor } {
  const scores = createScores(r.V, r.maxLag);
  const pvalues = createScores(r.V, r.maxLag);
  for (let i = 0; i < r.logP.length; i++) {
    scores.data[i] = minusLog10(r.logP[i]);
    pvalues.data[i] = Math.exp(r.logP[i]);
  }
  return { scores, pvalues };
}

/** How `var` tests each (effect, cause, lag). */
export type VarTest = "conditional" | "pairwise";
export const VAR_TESTS: readonly VarTest[] = ["conditional", "pairwise"];

/** `-log10(0.05)`: the score of an unadjusted p = 0.05, the threshold when the caller asks for score-based edges. */
const P05_SCORE = -Math.log10(0.05);

/**
 * `var`: linear Granger causality with F-test p-values (Granger 1969).
 * - `test: "conditional"` (default): OLS VAR(p) on every variable (p = maxLag, or chosen by
 *   AIC/BIC/HQ with `ic`); `pvalues[e][c][l]` tests c's lag-l coefficient in e's equation
 *   (t² ~ F(1, df)); the joint test of all c's lags (F(p, df)) is in `meta.jointPvalues`.
 * - `test: "pairwise"`: statsmodels' `grangercausalitytests` ssr F-test per lag order: entry
 *   (e, c, L) tests c's lags 1..L jointly in the bivariate model of e on its own and c's lags,
 *   each order on its own T - L rows; the maxLag entry is the joint test.
 * Scores are `-log10 p` computed in log space (they never saturate; conditional: the joint
 * test's, shared out by lag, see `varScores`); `edges` are the entries whose adjusted p-value
 * (fdr_bh by default) is at most alpha.
 */
export const varMethod: Discoverer = defineMethod({
  name: "var",
  description: "linear Granger causality: OLS VAR(p) F-tests per (effect, cause, lag), score -log10 p, edges by FDR",
  usesTensors: false,
  lagResolved: true,
  defaultThreshold: P05_SCORE,
  params: {
    ic: param.choice(INFO_CRITERIA, { default: "none", description: "criterion choosing the VAR order in 1..maxLag; none (default, as statsmodels' VAR.fit) uses maxLag" }),
    test: param.choice(VAR_TESTS, {
      default: "conditional",
      description: "conditional (default): each lag's coefficient tested in the VAR of all variables; pairwise: statsmodels' grangercausalitytests ssr F-test, lag L = the bivariate test of lags 1..L",
    }),
  },
  // pools several recordings and leaves out the samples a missing cell touches (validTargetRows)
  supports: { segments: true, mask: true },
  estimate({ T, V, maxLag: P }, params) {
    const D = 1 + (P + 1) * V; // Gram matrix side with every lag
    const orders = params.ic === "none" && params.test !== "pairwise" ? 1 : P + 1;
    const pairwise = params.test === "pairwise" ? V * V * P * (2 * P + 1) ** 3 : 0;
    return {
      // z-scored copy, lagged cross-products, Gram + factor + inverse, coefficients and t-stats, graph
      bytes: seriesBytes(T, V) + (P + 1) * V * V * 8 + 3 * D * D * 8 + 3 * V * V * P * 8 + 2 * graphBytes(V, P),
      flops: 2 * (P + 1) * V * V * T + orders * D * D * D + V * V * P * P * P + pairwise,
    };
  },
  samplesNeeded({ V, maxLag }, params) {
    if (params.test === "pairwise")
      return { min: 3 * maxLag + 2, comfortable: comfortableRows(2, maxLag), why: "T - maxLag observations must exceed the 2·maxLag + 1 regressors of each bivariate model" };
    // each equation regresses T - maxLag observations on 1 + V·maxLag regressors; the F-tests need a residual degree of freedom
    return { min: maxLag + V * maxLag + 2, comfortable: comfortableRows(V, maxLag), why: "T - maxLag observations must exceed the 1 + V·maxLag regressors of each equation" };
  },
  run({ series, maxLag, params, signal, onProgress, warnings }) {
    // F-tests are scale-invariant; an exact power-of-two rescaling per variable keeps the Gram
    // matrix finite at 1e300 (its squares overflow) and changes nothing for moderate data
    warnings.push(...scaleWarnings(series));
    const report = progressReporter("var", onProgress);
    report("fit", 0);
    const input = powerOfTwoRescale(series).series;
    if (params.test === "pairwise") {
      if (params.ic !== "none") throw new InputError(`ic=${params.ic} chooses the order of the conditional VAR; test=pairwise runs every order 1..maxLag: drop ic, or use test=conditional`);
      const r = pairwiseGranger(input, { maxLag, signal });
      report("fit", 1);
      return { ...pairwiseTensors(r), meta: { test: "pairwise", nobs: Array.from(r.nobs), dfDenom: Array.from(r.dfDenom), ridge: r.ridge } };
    }
    const r = varGranger(input, {
      maxLag,
      ic: params.ic,
      signal,
      onStage: (stage, f) => report(stage, stage === "fit" ? 0.9 + 0.1 * f : 0.9 * f),
    });
    report("fit", 1);
    const V = r.V;
    const meta = {
      test: "conditional",
      order: r.order,
      nobs: r.nobs,
      dfResid: r.dfResid,
      ridge: r.ridge,
      // the joint F(order, dfResid) test of all the cause's lags, [effect][cause]
      jointPvalues: Array.from({ length: V }, (_, e) => Array.from(r.pValue.subarray(e * V, (e + 1) * V))),
      ...(r.criteria ? { criteria: { aic: Array.from(r.criteria.aic), bic: Array.from(r.criteria.bic), hqic: Array.from(r.criteria.hqic) } } : {}),
    };
    return { scores: varScores(r), pvalues: varPvalues(r), meta };
  },
});
