/**
 * DYNOTEARS (Pamfil et al., "DYNOTEARS: Structure learning from time-series data", AISTATS 2020):
 * min_{W, A} 1/(2n) ||X - X W - Y A||²_F + λ_W |W|_1 + λ_A |A|_1  s.t.  h(W) = tr(e^{W∘W}) - d = 0
 * (eq. 5-7; the acyclicity function of NOTEARS, Zheng et al., NeurIPS 2018), solved by the augmented
 * Lagrangian (ρ/2) h² + α h with the weights split into non-negative parts w = w⁺ - w⁻ and a bounded
 * quasi-Newton inner solver, with the dual-ascent schedule of causalnex's implementation.
 * Row convention of the paper: W[i, j] (i -> j at lag 0), A[(τ - 1) d + i, j] (i at t - τ -> j at t).
 */
import { expm, InputError, minimizeBounded, type TimeSeries, validTargetRows } from "@causeway/core";
import { laggedCrossProducts } from "./design.js";

export interface DynotearsOptions {
  /** Autoregressive order p (lags 1..p). */
  maxLag: number;
  /** L1 weight on the contemporaneous W. Default 0.1. */
  lambdaW?: number;
  /** L1 weight on the lagged A. Default 0.1. */
  lambdaA?: number;
  /** Dual ascent steps at most. Default 100. */
  maxIter?: number;
  /** Stop when h(W) <= hTol. Default 1e-8. */
  hTol?: number;
  /** Row-major `[T, V]` values to fit instead of `series.data`; rows still from `series`. */
  data?: Float64Array;
  signal?: AbortSignal;
}

export interface DynotearsResult {
  V: number;
  maxLag: number;
  /** `[V, V]` W[i * V + j]: i -> j at lag 0 (before any threshold). */
  W: Float64Array;
  /** `[maxLag * V, V]` A[((τ - 1) V + i) * V + j]: i at t - τ -> j at t. */
  A: Float64Array;
  /** h(W) at the end; > hTol means the acyclicity constraint was not met. */
  h: number;
  /** The penalty weight ρ and multiplier α at the end. */
  rho: number;
  alpha: number;
  /** Dual ascent steps taken. */
  iterations: number;
  converged: boolean;
  /** Samples stacked (target rows). */
  nobs: number;
}

/** h(W) = tr(e^{W∘W}) - d and E = e^{W∘W} (Zheng et al. 2018, eq. 7). */
function acyclicity(W: Float64Array, V: number): { h: number; E: Float64Array } {
  const E = expm(W.map((w) => w * w), V);
  let tr = 0;
  for (let i = 0; i < V; i++) tr += E[i * V + i];
  return { h: tr - V, E };
}

/**
 * DYNOTEARS on a series (segments and missing cells: the valid target rows of order p, stacked).
 * The loss is evaluated from the `[(p+1)V]²` cross-product matrix, so each step costs O(p² V³), not O(n).
 *
 * @example
 * const r = dynotears(series, { maxLag: 1, lambdaW: 0.05, lambdaA: 0.05 });
 * r.W[cause * r.V + effect]; // contemporaneous weight; r.A[((lag - 1) * r.V + cause) * r.V + effect]: lagged
 */
export function dynotears(series: TimeSeries, options: DynotearsOptions): DynotearsResult {
  const V = series.variables.length;
  const p = options.maxLag;
  const lambdaW = options.lambdaW ?? 0.1;
  const lambdaA = options.lambdaA ?? 0.1;
  const maxIter = options.maxIter ?? 100;
  const hTol = options.hTol ?? 1e-8;
  if (!Number.isInteger(p) || p < 1) throw new InputError(`maxLag must be an integer >= 1, got ${p}`);
  const rows = validTargetRows(series, p);
  if (rows.length < 2) throw new InputError(`DYNOTEARS needs at least 2 lagged samples; the series leaves ${rows.length} at maxLag ${p}`);
  const { raw, D, n } = laggedCrossProducts(options.data ?? series.data, V, p, rows);
  const S = raw.map((v) => v / n); // [D, D] ZᵀZ / n, Z = [X | X(t-1) | ... | X(t-p)]
  const nW = V * V;
  const nA = p * V * V;
  const size = 2 * nW + 2 * nA; // [W⁺, W⁻, A⁺, A⁻]
  const lower = new Float64Array(size);
  const upper = new Float64Array(size).fill(Infinity);
  for (let i = 0; i < V; i++) upper[i * V + i] = upper[nW + i * V + i] = 0; // no self-loops in W
  let rho = 1;
  let alpha = 0;
  const W = new Float64Array(nW);
  const theta = new Float64Array(D * V); // Θ = [I - W; -A]  [D, V]
  const sTheta = new Float64Array(D * V);

  const unpack = (x: Float64Array): void => {
    for (let k = 0; k < nW; k++) W[k] = x[k] - x[nW + k];
    for (let i = 0; i < V; i++) for (let j = 0; j < V; j++) theta[i * V + j] = (i === j ? 1 : 0) - W[i * V + j];
    for (let k = 0; k < nA; k++) theta[nW + k] = -(x[2 * nW + k] - x[2 * nW + nA + k]);
  };
  // augmented objective and gradient (Pamfil et al. 2020, eq. 8 with the split weights)
  const objective = (x: Float64Array, grad: Float64Array): number => {
    unpack(x);
    // loss = ½ tr(Θᵀ S Θ); ∂loss/∂Θ = S Θ
    let loss = 0;
    for (let a = 0; a < D; a++)
      for (let j = 0; j < V; j++) {
        let s = 0;
        for (let b = 0; b < D; b++) s += S[a * D + b] * theta[b * V + j];
        sTheta[a * V + j] = s;
        loss += 0.5 * theta[a * V + j] * s;
      }
    const { h, E } = acyclicity(W, V);
    const hScale = rho * h + alpha;
    let l1 = 0;
    for (let k = 0; k < 2 * nW; k++) l1 += lambdaW * x[k];
    for (let k = 2 * nW; k < size; k++) l1 += lambdaA * x[k];
    for (let i = 0; i < V; i++)
      for (let j = 0; j < V; j++) {
        // ∂/∂W_ij = -(SΘ)_ij + (ρ h + α) 2 W_ij (e^{W∘W})_ji
        const g = -sTheta[i * V + j] + hScale * 2 * W[i * V + j] * E[j * V + i];
        grad[i * V + j] = g + lambdaW;
        grad[nW + i * V + j] = -g + lambdaW;
      }
    for (let k = 0; k < nA; k++) {
      const g = -sTheta[nW + k]; // ∂/∂A = -(SΘ) on the lagged rows
      grad[2 * nW + k] = g + lambdaA;
      grad[2 * nW + nA + k] = -g + lambdaA;
    }
    return loss + 0.5 * rho * h * h + alpha * h + l1;
  };
  const hOf = (x: Float64Array): number => {
    unpack(x);
    return acyclicity(W, V).h;
  };

  // dual ascent (causalnex's schedule): raise ρ tenfold until h drops below a quarter, then α += ρ h
  let est: Float64Array = new Float64Array(size);
  let h = Infinity;
  let hNew = Infinity;
  let iterations = 0;
  let next: Float64Array = est;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    while (rho < 1e20 && (hNew > 0.25 * h || hNew === Infinity)) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error("aborted");
      next = minimizeBounded(objective, est, lower, upper, { ftol: 1e-13, pgtol: 1e-9 }).x;
      hNew = hOf(next);
      if (hNew > 0.25 * h) rho *= 10;
    }
    est = next;
    h = hNew;
    alpha += rho * h;
    if (h <= hTol) break;
  }
  unpack(est);
  const A = new Float64Array(nA);
  for (let k = 0; k < nA; k++) A[k] = est[2 * nW + k] - est[2 * nW + nA + k];
  return { V, maxLag: p, W: Float64Array.from(W), A, h, rho, alpha, iterations, converged: h <= hTol, nobs: n };
}
