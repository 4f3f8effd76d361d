/**
 * The two structural-VAR methods as registry entries: `varlingam` and `dynotears`. Both score
 * lagged effects by their |coefficient| and give the instantaneous ones as directed lag-0 links.
 */
import { comfortableRows, createScores, defineMethod, type Discoverer, graphBytes, type GraphWarning, InputError, type Orientation, param, scaleWarnings, seriesBytes, setScore, type TimeSeries } from "@causeway/core";
import { zscoreData } from "./design.js";
import { dynotears } from "./dynotears.js";
import { VAR_CRITERIA, varLingam } from "./varlingam.js";

/** A residual whose Jarque-Bera p-value exceeds this counts as Gaussian for the gaussian_noise warning. */
const GAUSSIAN_P = 0.01;

/**
 * scaleWarnings for a run. With standardize (the default) zscoreData rescales by exact powers of two first,
 * so 1e300 or 1e-300 fits as unit-scale data; without it the raw values are squared, so extreme magnitudes
 * are refused rather than fitted into overflow or all-zero scores.
 */
function scaleChecked(method: string, series: TimeSeries, standardize: boolean): GraphWarning[] {
  const found = scaleWarnings(series);
  const extreme = found.find((w) => w.code === "scale");
  if (!standardize && extreme)
    throw new InputError(`${method} with standardize=false fits the raw values, and ${extreme.variables?.join(", ")} have magnitudes beyond 1e-150 .. 1e150 (their squares overflow or underflow float64): keep standardize=true (the default) or rescale the data`);
  return found;
}

/** Lag-0 result from a `[V, V]` matrix of |effects| `[effect * V + cause]`: directed where >= `min`. */
function contemporaneousOf(strength: Float64Array, V: number, min: number) {
  const links: (Orientation | null)[] = Array.from(strength, (s, k) => (Math.floor(k / V) !== k % V && s > 0 && s >= min ? "directed" : null));
  return { scores: Float64Array.from(strength), links };
}

/** `varlingam`: VARLiNGAM (Hyvärinen et al. 2010) with DirectLiNGAM and adaptive-lasso pruning, as cdt15/lingam. */
export const varlingamMethod: Discoverer = defineMethod({
  name: "varlingam",
  description: "VARLiNGAM: OLS VAR, DirectLiNGAM on its residuals for instantaneous effects B0, lagged B_tau = (I - B0) M_tau, adaptive-lasso pruning (score |B|)",
  usesTensors: false,
  lagResolved: true,
  // an edge: a coefficient the pruning kept (nonzero); the scores are |B| in standardized units
  defaultThreshold: 1e-9,
  params: {
    criterion: param.choice(VAR_CRITERIA, { default: "bic", description: "criterion choosing the VAR order in 1..maxLag, each order fitted on its own sample (lingam's default bic); none uses maxLag" }),
    prune: param.boolean({ default: true, description: "re-estimate B0 and B_tau by adaptive lasso (LassoLarsIC BIC) on ancestors and lags, as lingam's prune=True; false keeps every coefficient" }),
    standardize: param.boolean({ default: true, description: "z-score each variable first so that |B| compares across pairs (the causal order and pruning do not depend on it)" }),
  },
  supports: { segments: true, mask: true },
  estimate({ T, V, maxLag: P }, params) {
    const D = (P + 1) * V;
    const orders = params.criterion === "none" ? 1 : P;
    return {
      // z-scored copy, residuals and their working copies, cross-products
      bytes: 2 * seriesBytes(T, V) + 3 * T * V * 8 + 3 * D * D * 8 + graphBytes(V, P),
      // VAR cross-products per order, DirectLiNGAM's pairwise entropies (~20 flops per sample), pruning's LARS
      flops: orders * (T * D * D + D * D * D) + 20 * V * V * V * T + T * D * D + V * D * D * D,
    };
  },
  samplesNeeded({ V, maxLag }) {
    // the pruning regresses each variable on V - 1 ancestors and V·maxLag lags and estimates the noise variance
    return { min: maxLag + V * (maxLag + 1) + 2, comfortable: comfortableRows(V, maxLag), why: "the pruning regression of each variable on its ancestors and V·maxLag lags needs more samples than regressors + 1" };
  },
  run({ series, maxLag, params, signal, onProgress, warnings: found }) {
    found.push(...scaleChecked("varlingam", series, params.standardize));
    onProgress?.({ method: "varlingam", stage: "fit", fraction: 0 });
    signal?.throwIfAborted();
    const V = series.variables.length;
    const r = varLingam(series, { maxLag, criterion: params.criterion, prune: params.prune, data: params.standardize ? zscoreData(series) : undefined });
    const scores = createScores(V, maxLag);
    for (let l = 1; l <= r.order; l++) for (let e = 0; e < V; e++) for (let c = 0; c < V; c++) setScore(scores, e, c, l, Math.abs(r.B[l - 1][e * V + c]));
    onProgress?.({ method: "varlingam", stage: "fit", fraction: 1 });
    // LiNGAM orients B0 only when at most one shock is Gaussian (Shimizu et al. 2006, identifiability)
    const gaussian = series.variables.filter((_, v) => r.gaussianityP[v] > GAUSSIAN_P);
    const warnings =
      gaussian.length >= 2
        ? [
            {
              code: "gaussian_noise" as const,
              message: `the VAR residuals of ${gaussian.join(", ")} look Gaussian (Jarque-Bera p > ${GAUSSIAN_P}: ${gaussian.map((v) => r.gaussianityP[series.variables.indexOf(v)].toPrecision(2)).join(", ")}): LiNGAM cannot orient instantaneous effects among them, so their lag-0 directions are not evidence; the lagged scores are unaffected`,
              variables: gaussian,
            },
          ]
        : [];
    return {
      scores,
      contemporaneous: contemporaneousOf(r.B0.map(Math.abs), V, 1e-300),
      meta: {
        order: r.order,
        nobs: r.nobs,
        causalOrder: r.causalOrder.map((i) => series.variables[i]),
        ...(r.criteria.length ? { criteria: Array.from(r.criteria) } : {}),
        gaussianityP: Array.from(r.gaussianityP),
      },
      warnings,
    };
  },
});

/** `dynotears`: DYNOTEARS (Pamfil et al. 2020), as causalnex's `from_numpy_dynamic`. */
export const dynotearsMethod: Discoverer = defineMethod({
  name: "dynotears",
  description: "DYNOTEARS: least squares on lagged A and acyclic instantaneous W, L1 penalties, NOTEARS constraint by augmented Lagrangian (score |A|, |W|)",
  usesTensors: false,
  lagResolved: true,
  defaultThreshold: 0.01,
  params: {
    lambdaW: param.number({ default: 0.1, min: 0, max: 10, description: "L1 weight on the instantaneous weights W (causalnex's lambda_w)" }),
    lambdaA: param.number({ default: 0.1, min: 0, max: 10, description: "L1 weight on the lagged weights A (causalnex's lambda_a)" }),
    maxIter: param.integer({ default: 100, min: 1, max: 1000, description: "dual ascent steps of the augmented Lagrangian at most" }),
    hTol: param.number({ default: 1e-8, min: 1e-16, max: 1, description: "acyclicity tolerance: stop when h(W) = tr(exp(W*W)) - d <= hTol" }),
    wThreshold: param.number({ default: 0.01, min: 0, max: 10, description: "edges are the weights with |w| >= wThreshold (causalnex's w_threshold); the default edge threshold of the run" }),
    standardize: param.boolean({ default: true, description: "z-score each variable first, so that lambda and wThreshold mean the same on any scale (causalnex fits the raw data)" }),
  },
  supports: { segments: true, mask: true },
  estimate({ T, V, maxLag: P }, params) {
    const D = (P + 1) * V;
    const size = 2 * D * V; // split weights [W⁺, W⁻, A⁺, A⁻]
    // cross-products once; then ~1e4 objective evaluations at the default 100 dual steps (measured 8e3 inner
    // iterations at V = 10, p = 2), more when maxIter allows more, each S Θ (2 D² V), e^{W∘W} (~30 V³) and the
    // L-BFGS two-loop over 10 pairs (~40 · size)
    const evaluations = 1e4 * Math.max(1, params.maxIter / 100);
    return { bytes: seriesBytes(T, V) + 3 * D * D * 8 + 25 * size * 8 + graphBytes(V, P), flops: T * D * D + evaluations * (2 * D * D * V + 30 * V * V * V + 40 * size) };
  },

  samplesNeeded({ V, maxLag }) {
    // the L1 penalty lets it fit more weights than samples, but not on almost nothing: 10 samples, as corr asks
    return { min: maxLag + 10, comfortable: comfortableRows(V, maxLag), why: "10 samples beyond maxLag for the penalised least squares on (maxLag + 1)·V weights per variable" };
  },
  run({ series, maxLag, params, signal, onProgress, warnings: found }) {
    found.push(...scaleChecked("dynotears", series, params.standardize));
    onProgress?.({ method: "dynotears", stage: "fit", fraction: 0 });
    const V = series.variables.length;
    const r = dynotears(series, { maxLag, lambdaW: params.lambdaW, lambdaA: params.lambdaA, maxIter: params.maxIter, hTol: params.hTol, data: params.standardize ? zscoreData(series) : undefined, signal });
    const scores = createScores(V, maxLag);
    for (let l = 1; l <= maxLag; l++) for (let c = 0; c < V; c++) for (let e = 0; e < V; e++) setScore(scores, e, c, l, Math.abs(r.A[((l - 1) * V + c) * V + e]));
    const w = new Float64Array(V * V); // [effect * V + cause] from W[cause, effect]
    for (let c = 0; c < V; c++) for (let e = 0; e < V; e++) w[e * V + c] = Math.abs(r.W[c * V + e]);
    onProgress?.({ method: "dynotears", stage: "fit", fraction: 1 });
    const warnings = r.converged
      ? []
      : [{ code: "not_converged" as const, message: `the augmented Lagrangian stopped with h(W) = ${r.h.toExponential(2)} > hTol ${params.hTol} after ${r.iterations} steps (rho ${r.rho.toExponential(1)}): W may hold a cycle; raise maxIter or lambdaW` }];
    return {
      scores,
      contemporaneous: contemporaneousOf(w, V, params.wThreshold),
      meta: { h: r.h, rho: r.rho, iterations: r.iterations, nobs: r.nobs },
      warnings,
      // causalnex's w_threshold is the edge threshold unless the caller gives one
      defaultThreshold: params.wThreshold,
    };
  },
});
