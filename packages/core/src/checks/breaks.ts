/**
 * Break tests for regime switches, on the ADF regression of one series (an autoregression, so
 * that autocorrelation does not pass for a break): a shift in level (Andrews' 1993 sup-LM scan
 * of an intercept shift) and a shift in variance (the κ2 CUSUM of squares of Sansó, Aragó &
 * Carrion 2004). Both have documented asymptotic p-values. Cost O(n · k) plus O(k²) per candidate
 * break (at most `MAX_CANDIDATES` of them).
 */
import { normalPdf } from "../numeric/normal.js";
import { bartlettVariance, neweyWestLags, type AdfRegression } from "./stationarity.js";

/** Fraction trimmed at each end of the sample for candidate breaks (Andrews 1993: π0 = 0.15). */
export const BREAK_TRIM = 0.15;
/** Candidate break points scanned at most (evenly spaced; the sup over a grid is slightly conservative). */
export const MAX_CANDIDATES = 400;

/** What a break test found. */
export interface BreakResult {
  /** The test statistic (sup-LM for the level, κ2 for the variance). */
  stat: number;
  /** Its asymptotic p-value. */
  pvalue: number;
  /** Row of the regression's sample (0-based) where the break is most likely. */
  at: number;
}

/**
 * Upper tail of Andrews' (1993) sup-Wald (and sup-LM) statistic for one parameter, trimming π0: the sup over
 * [π0, 1 - π0] of a squared standardised Brownian bridge exceeds c² with probability
 * ≈ c φ(c) [(1 - 1/c²) ln(((1 - π0)/π0)²) + 4/c²] (James, James & Siegmund 1987, the large-deviation
 * approximation for a change in mean). With π0 = 0.15 it gives .107, .054 and .011 at Andrews'
 * 10%, 5% and 1% critical values 7.12, 8.68 and 12.16.
 */
export function supWaldP(stat: number, trim = BREAK_TRIM): number {
  if (!(stat > 4)) return 1; // the approximation holds in the tail only; below it no break is in sight
  const c = Math.sqrt(stat);
  const span = Math.log(((1 - trim) / trim) ** 2);
  const p = c * normalPdf(c) * ((1 - 1 / (c * c)) * span + 4 / (c * c));
  return Math.min(1, Math.max(0, p));
}

/** Kolmogorov's distribution, the sup of |Brownian bridge|: P(K > x) = 2 Σ_{j>=1} (-1)^(j-1) exp(-2 j² x²). */
export function kolmogorovSf(x: number): number {
  if (!(x > 0.2)) return 1;
  let s = 0;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * x * x);
    s += j % 2 === 1 ? term : -term;
    if (term < 1e-18) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}

/** Forward solve `L w = s` `[k]` (lower-triangular `L` `[k, k]`), returning |w|². */
function forwardNorm2(L: Float64Array, k: number, s: Float64Array, w: Float64Array): number {
  let norm = 0;
  for (let i = 0; i < k; i++) {
    let v = s[i];
    for (let j = 0; j < i; j++) v -= L[i * k + j] * w[j];
    w[i] = v / L[i * k + i];
    norm += w[i] * w[i];
  }
  return norm;
}

/**
 * Shift in level: the ADF regression (an AR(p + 1) with an intercept) plus a dummy 1[row >= τ],
 * its Lagrange-multiplier statistic LM(τ) = (d'e)² / (d'Md · σ̂²) with σ̂² the no-break residual
 * variance, scanned over τ in the central 70% of the rows (Andrews 1993, sup-LM, one restriction:
 * the same limit as sup-Wald, and smaller in finite samples, where sup-Wald over-rejects on
 * persistent series); p-value from `supWaldP`. d'e and X'd are suffix sums of the residuals and
 * regressors; d'Md = m - m²/n - |L⁻¹ X'd|² with m = n - τ.
 */
export function levelBreakTest(reg: AdfRegression): BreakResult | undefined {
  const { n, k, X, L, residuals: e, rss } = reg;
  const lo = Math.ceil(BREAK_TRIM * n);
  const hi = Math.floor((1 - BREAK_TRIM) * n);
  const dof = n - k - 1; // regressors and the intercept, without the dummy (the null model)
  if (hi <= lo || dof < 1 || !(rss > 0)) return undefined;
  const sigma2 = rss / dof; // the LM form: the no-break variance
  const step = Math.max(1, Math.ceil((hi - lo + 1) / MAX_CANDIDATES));
  const s = new Float64Array(k); // [k] Σ_{i >= τ} X[:, i]
  const w = new Float64Array(k);
  let de = 0; // Σ_{i >= τ} e_i
  let best: BreakResult | undefined;
  for (let tau = n - 1; tau >= lo; tau--) {
    de += e[tau];
    for (let j = 0; j < k; j++) s[j] += X[j * n + tau];
    if (tau > hi || (tau - lo) % step !== 0) continue;
    const m = n - tau;
    const dMd = m - (m * m) / n - forwardNorm2(L, k, s, w);
    if (!(dMd > 1e-12 * m)) continue;
    const stat = (de * de) / dMd / sigma2;
    if (!best || stat > best.stat) best = { stat, pvalue: 0, at: tau };
  }
  if (best) best.pvalue = supWaldP(best.stat);
  return best;
}

/**
 * Shift in variance: κ2 of Sansó, Aragó & Carrion (2004), the CUSUM of squared residuals
 * G_k = Σ_{i<k} e_i² - (k/n) Σ e_i², sup_k |G_k| / √(n ω̂4) with ω̂4 the Bartlett long-run variance
 * of e² - σ̂² (robust to non-normal and conditionally heteroskedastic errors where Inclán & Tiao's
 * 1994 statistic is not). The limit is sup |Brownian bridge|: p-value from `kolmogorovSf`.
 */
export function varianceBreakTest(reg: AdfRegression): BreakResult | undefined {
  const { n, residuals: e } = reg;
  if (n < 10) return undefined;
  const sq = new Float64Array(n); // [n] e² - σ̂²
  let total = 0;
  for (let i = 0; i < n; i++) total += e[i] * e[i];
  const sigma2 = total / n;
  for (let i = 0; i < n; i++) sq[i] = e[i] * e[i] - sigma2;
  const omega4 = bartlettVariance(sq, neweyWestLags(sq));
  if (!(omega4 > 0)) return undefined;
  let cum = 0;
  let sup = 0;
  let at = 0;
  for (let i = 0; i < n; i++) {
    cum += sq[i]; // = G_{i+1}
    if (Math.abs(cum) > sup) {
      sup = Math.abs(cum);
      at = i + 1;
    }
  }
  const stat = sup / Math.sqrt(n * omega4);
  return { stat, pvalue: kolmogorovSf(stat), at };
}
