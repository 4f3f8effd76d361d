/**
 * Unit-root and stationarity tests of one series: the augmented Dickey-Fuller test (null: a unit
 * root) with its lag order chosen by AIC and MacKinnon's (1994) approximate p-values, and the KPSS
 * test (null: level stationarity) with a Newey-West long-run variance. Both follow the definitions
 * statsmodels uses (`adfuller(x)` and `kpss(x)` with their defaults) and agree with it to 1e-6 on
 * fixtures/reference/stationarity_statsmodels.json. Cost: O(n · k²) for ADF (k <= 12 (n/100)^¼ + 2
 * regressors), O(n log n) for KPSS.
 */
import { choleskyInPlace } from "../numeric/linalg.js";
import { inverseRealFft, realFft } from "../numeric/fft.js";
import { normalCdf } from "../numeric/normal.js";

/** What `adfTest` found. */
export interface AdfResult {
  /** t-statistic of the lagged level's coefficient in the ADF regression. */
  stat: number;
  /** MacKinnon (1994) approximate p-value (small: evidence against a unit root). */
  pvalue: number;
  /** Lagged differences in the regression (chosen by AIC). */
  usedLag: number;
  /** Observations of the final regression. */
  nobs: number;
  /** The regression's residuals `[nobs]` (its rows are x[usedLag + 1 ..]), for the break tests. */
  residuals: Float64Array;
}

/** What `kpssTest` found. */
export interface KpssResult {
  /** η / s² (Kwiatkowski et al. 1992, eq. 11 over eq. 10). */
  stat: number;
  /** p-value interpolated in their Table 1 (level), clipped to [0.01, 0.10] as statsmodels does. */
  pvalue: number;
  /** Newey-West bandwidth (Bartlett lags) used. */
  lags: number;
}

// MacKinnon (1994), Table 3 (constant, N = 1): the response surface p = Φ(Σ c_i τ^i), one
// polynomial left of τ* and one right of it, valid on [τ_min, τ_max] (beyond: p = 0 or 1).
const TAU_MIN = -18.83;
const TAU_MAX = 2.74;
const TAU_STAR = -1.61;
const SMALL_P = [2.1659, 1.4412, 0.038269];
const LARGE_P = [1.7339, 0.93202, -0.12745, -0.010368];

/** MacKinnon (1994) approximate asymptotic p-value of an ADF t-statistic (regression with a constant). */
export function mackinnonP(tau: number): number {
  if (tau > TAU_MAX) return 1;
  if (tau < TAU_MIN) return 0;
  const c = tau <= TAU_STAR ? SMALL_P : LARGE_P;
  let s = 0;
  for (let i = c.length - 1; i >= 0; i--) s = s * tau + c[i];
  return normalCdf(s);
}

/** Default ADF lag bound, Schwert (1989): ceil(12 (n/100)^¼), at most n/2 - 2. */
export function adfMaxLag(n: number): number {
  return Math.min(Math.floor(n / 2) - 2, Math.ceil(12 * Math.pow(n / 100, 0.25)));
}

/**
 * Centered Gram matrix `[k, k]`, X'y and y'y over rows `start..end-1` of the columns `col(j, i)`
 * and the target `y(i)`: the intercept is absorbed by centering (same slopes and residuals).
 */
function centeredGram(k: number, start: number, end: number, col: (j: number, i: number) => number, y: (i: number) => number) {
  const n = end - start;
  const X = new Float64Array(k * n); // [k, n] centered columns
  const Y = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    let m = 0;
    for (let i = start; i < end; i++) m += col(j, i);
    m /= n;
    for (let i = start; i < end; i++) X[j * n + i - start] = col(j, i) - m;
  }
  let my = 0;
  for (let i = start; i < end; i++) my += y(i);
  my /= n;
  let yy = 0;
  for (let i = start; i < end; i++) {
    Y[i - start] = y(i) - my;
    yy += Y[i - start] * Y[i - start];
  }
  const G = new Float64Array(k * k);
  const Xy = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    const ra = a * n;
    for (let b = 0; b <= a; b++) {
      const rb = b * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += X[ra + i] * X[rb + i];
      G[a * k + b] = s;
      G[b * k + a] = s;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += X[ra + i] * Y[i];
    Xy[a] = s;
  }
  return { G, Xy, yy, X, Y, n };
}

/** z = L⁻¹ b for the lower-triangular `L` `[k, k]`; the residual sum of squares of the first q columns is y'y - Σ_{i<q} z_i². */
function forward(L: Float64Array, k: number, b: Float64Array): Float64Array {
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let j = 0; j < i; j++) s -= L[i * k + j] * z[j];
    z[i] = s / L[i * k + i];
  }
  return z;
}

/**
 * Augmented Dickey-Fuller test with a constant (Said & Dickey 1984): Δx_t = α + γ x_{t-1} +
 * Σ_{i=1..p} β_i Δx_{t-i} + e_t, statistic t(γ). The lag order p minimises AIC over 0..maxLag on
 * a common sample; the chosen model is refitted on all its rows. Undefined when the series is too
 * short (n < 6) or its regression is singular (a constant series).
 *
 * @param x [n] one series, no missing values
 * @example const { stat, pvalue } = adfTest(column(series, "x0"))!;
 */
export function adfTest(x: ArrayLike<number>, maxLag: number = adfMaxLag(x.length)): AdfResult | undefined {
  const n = x.length;
  if (maxLag < 0 || n < 6) return undefined;
  const d = new Float64Array(n - 1); // [n - 1] first differences
  for (let i = 0; i + 1 < n; i++) d[i] = x[i + 1] - x[i];
  // regressors of row i (target d[i]): column 0 the level x[i], column j the difference d[i - j]
  const col = (j: number, i: number) => (j === 0 ? x[i] : d[i - j]);
  const y = (i: number) => d[i];
  // AIC over p = 0..maxLag on the rows maxLag..n-2 (comparable likelihoods)
  const k = maxLag + 1;
  const all = centeredGram(k, maxLag, n - 1, col, y);
  if (!choleskyInPlace(all.G, k)) return undefined;
  const z = forward(all.G, k, all.Xy);
  let best = 0;
  let bestAic = Infinity;
  let ssr = all.yy;
  for (let q = 1; q <= k; q++) {
    ssr -= z[q - 1] * z[q - 1];
    // OLS AIC with q regressors and the intercept: n (ln 2π + ln(SSR/n) + 1) + 2 (q + 1)
    const aic = all.n * (Math.log(2 * Math.PI) + Math.log(Math.max(ssr, 0) / all.n) + 1) + 2 * (q + 1);
    if (aic < bestAic) {
      bestAic = aic;
      best = q - 1;
    }
  }
  // refit with p = best on rows best..n-2, the level last: t(γ) = z_last / σ
  const p = best;
  const fin = centeredGram(p + 1, p, n - 1, (j, i) => (j === p ? x[i] : d[i - j - 1]), y);
  const L = Float64Array.from(fin.G);
  if (!choleskyInPlace(L, p + 1)) return undefined;
  const zf = forward(L, p + 1, fin.Xy);
  let rss = fin.yy;
  for (const v of zf) rss -= v * v;
  const dof = fin.n - (p + 2);
  if (!(dof > 0) || !(rss > 0)) return undefined;
  const stat = zf[p] / Math.sqrt(rss / dof);
  return { stat, pvalue: mackinnonP(stat), usedLag: p, nobs: fin.n, residuals: residuals(fin, L, zf, p + 1) };
}

/** Residuals `[n]` of the centered regression whose Cholesky factor is `L` and forward solution `z`. */
function residuals(g: { X: Float64Array; Y: Float64Array; n: number }, L: Float64Array, z: Float64Array, k: number): Float64Array {
  // back-substitution Lᵀ β = z
  const beta = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i];
    for (let j = i + 1; j < k; j++) s -= L[j * k + i] * beta[j];
    beta[i] = s / L[i * k + i];
  }
  const e = Float64Array.from(g.Y);
  for (let j = 0; j < k; j++) for (let i = 0; i < g.n; i++) e[i] -= beta[j] * g.X[j * g.n + i];
  return e;
}

/** Lags up to which the products Σ u_t u_{t-i} are summed directly; beyond, through an FFT. */
const DIRECT_LAGS = 64;

/**
 * Σ_t u_t u_{t-i} of `u` `[n]` for i = 0..maxLag `[maxLag + 1]`: directly (O(n · maxLag)) for a
 * few lags, else as the inverse FFT of |FFT(u padded to 2n)|² (O(n log n), absolute error ~1e-13 Σu²).
 */
export function lagProducts(u: ArrayLike<number>, maxLag: number): Float64Array {
  const n = u.length;
  const out = new Float64Array(maxLag + 1);
  if (maxLag <= DIRECT_LAGS) {
    for (let i = 0; i <= maxLag; i++) {
      let s = 0;
      for (let t = i; t < n; t++) s += u[t] * u[t - i];
      out[i] = s;
    }
    return out;
  }
  let m = 1;
  while (m < 2 * n) m <<= 1;
  const padded = new Float64Array(m);
  padded.set(Array.from(u));
  const X = realFft(padded);
  for (let k = 0; k < m; k++) {
    X.re[k] = X.re[k] * X.re[k] + X.im[k] * X.im[k];
    X.im[k] = 0;
  }
  const r = inverseRealFft(X);
  for (let i = 0; i <= maxLag; i++) out[i] = r[i];
  return out;
}

/**
 * Automatic Bartlett bandwidth of Hobijn, Franses & Ooms (1998) (Newey & West 1994 with n^(2/9)
 * pilot lags), as statsmodels' KPSS uses, at most n - 1.
 */
export function neweyWestLags(u: ArrayLike<number>): number {
  const n = u.length;
  const pilot = Math.floor(Math.pow(n, 2 / 9));
  const g = lagProducts(u, pilot);
  let s0 = g[0] / n;
  let s1 = 0;
  for (let i = 1; i <= pilot; i++) {
    s0 += g[i] / (n / 2);
    s1 += (i * g[i]) / (n / 2);
  }
  const ratio = s1 / s0;
  const lags = Math.floor(1.1447 * Math.pow(ratio * ratio, 1 / 3) * Math.pow(n, 1 / 3));
  return Math.max(0, Math.min(lags, n - 1));
}

/** Long-run variance with the Bartlett kernel (Newey & West 1987): (Σu² + 2 Σ_i (1 - i/(lags+1)) Σ u_t u_{t-i}) / n. */
export function bartlettVariance(u: ArrayLike<number>, lags: number): number {
  const g = lagProducts(u, lags);
  let s = g[0];
  for (let i = 1; i <= lags; i++) s += 2 * g[i] * (1 - i / (lags + 1));
  return s / u.length;
}

// Kwiatkowski et al. (1992), Table 1, level stationarity: upper-tail critical values of η_μ.
const KPSS_CRIT = [0.347, 0.463, 0.574, 0.739];
const KPSS_P = [0.1, 0.05, 0.025, 0.01];

/** KPSS p-value interpolated linearly in Kwiatkowski et al. (1992) Table 1, clipped to [0.01, 0.10]. */
export function kpssPValue(stat: number): number {
  if (stat <= KPSS_CRIT[0]) return KPSS_P[0];
  for (let i = 1; i < KPSS_CRIT.length; i++)
    if (stat <= KPSS_CRIT[i]) return KPSS_P[i - 1] + ((stat - KPSS_CRIT[i - 1]) / (KPSS_CRIT[i] - KPSS_CRIT[i - 1])) * (KPSS_P[i] - KPSS_P[i - 1]);
  return KPSS_P[KPSS_P.length - 1];
}

/**
 * Upper tail of the KPSS level statistic's limit beyond the table: η_μ converges to the
 * Cramér-von Mises ω² = ∫ B(r)² dr of a Brownian bridge (Kwiatkowski et al. 1992, §3), and
 * P(ω² > x) ≈ 2 π^(-3/2) x^(-1/2) exp(-π² x / 2) (the first term of its eigen-expansion Σ Z_k²/(k²π²),
 * the others contributing Π_{k>=2} (1 - 1/k²)^(-1/2) = √2). It gives 0.0107 at the 1% value 0.739
 * and is used only there and above, to compare with levels below 0.01.
 */
export function kpssTailP(stat: number): number {
  if (!(stat > 0)) return 1;
  return Math.min(1, (2 / Math.pow(Math.PI, 1.5)) * Math.exp((-Math.PI * Math.PI * stat) / 2) / Math.sqrt(stat));
}

/**
 * KPSS test of level stationarity (Kwiatkowski, Phillips, Schmidt & Shin 1992): η = Σ S_t² / n²
 * over the partial sums S_t of the demeaned series, divided by its Newey-West long-run variance
 * (Bartlett kernel, bandwidth `neweyWestLags`). Large: evidence against stationarity.
 *
 * @param x [n] one series, no missing values
 */
export function kpssTest(x: ArrayLike<number>): KpssResult | undefined {
  const n = x.length;
  if (n < 3) return undefined;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  const u = new Float64Array(n); // [n] demeaned
  for (let i = 0; i < n; i++) u[i] = x[i] - mean;
  const lags = neweyWestLags(u);
  let partial = 0;
  let eta = 0;
  for (let i = 0; i < n; i++) {
    partial += u[i];
    eta += partial * partial;
  }
  eta /= n * n; // eq. 11
  const s2 = bartlettVariance(u, lags); // eq. 10
  if (!(s2 > 0)) return undefined;
  const stat = eta / s2;
  return { stat, pvalue: kpssPValue(stat), lags };
}
