/**
 * Unit-root and stationarity tests of one series: the augmented Dickey-Fuller test (null: a unit
 * root) with its lag order chosen by AIC and MacKinnon's (1994) approximate p-values, and the KPSS
 * test (null: level stationarity) with a Newey-West long-run variance. Both follow the definitions
 * statsmodels uses (`adfuller(x)` and `kpss(x)` with their defaults) and agree with it to 1e-6 on
 * fixtures/reference/stationarity_statsmodels.json. Cost: O(n · k) for ADF (k <= 12 (n/100)^¼ + 1
 * regressors; the lagged differences' Gram matrix follows by a shift recursion), O(n log n) for KPSS.
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
  /** The final regression (its rows are x[usedLag + 1 ..]), for the break tests. */
  regression: AdfRegression;
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
 * The centered Gram matrix `[K + 1, K + 1]`, X'y and y'y of the ADF regression with K lagged
 * differences on rows i = K..n-2: column 0 the level x[i], column j the difference d[i - j], target
 * d[i]. The lagged differences are shifts of one series, so their block follows from its first row
 * by G[j+1][l+1] = G[j][l] + d[K-1-j] d[K-1-l] - d[n-2-j] d[n-2-l]: O(n K) instead of O(n K²).
 */
function adfGram(x: ArrayLike<number>, d: Float64Array, K: number) {
  const n = x.length;
  const N = n - 1 - K; // rows
  const k = K + 1;
  let c = 0; // the level is centered first (its sums of products then do not cancel)
  for (let i = K; i <= n - 2; i++) c += x[i];
  c /= N;
  const sum = new Float64Array(k); // [k] column sums over the rows
  const G = new Float64Array(k * k); // raw products, centered below
  const Xy = new Float64Array(k);
  let sy = 0;
  let yy = 0;
  for (let i = K; i <= n - 2; i++) {
    const lv = x[i] - c;
    sum[0] += lv;
    G[0] += lv * lv;
    Xy[0] += lv * d[i];
    sy += d[i];
    yy += d[i] * d[i];
    for (let j = 1; j <= K; j++) {
      const dj = d[i - j];
      sum[j] += dj;
      G[j] += lv * dj; // row 0
      G[k + j] += d[i - 1] * dj; // row 1
      Xy[j] += dj * d[i];
    }
  }
  for (let j = 1; j < K; j++)
    for (let l = j; l < K; l++) G[(j + 1) * k + l + 1] = G[j * k + l] + d[K - 1 - j] * d[K - 1 - l] - d[n - 2 - j] * d[n - 2 - l];
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      const v = G[a * k + b] - (sum[a] * sum[b]) / N;
      G[a * k + b] = v;
      G[b * k + a] = v;
    }
    Xy[a] -= (sum[a] * sy) / N;
  }
  return { G, Xy, yy: yy - (sy * sy) / N, n: N };
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
  // AIC over p = 0..maxLag on the rows maxLag..n-2 (comparable likelihoods)
  const k = maxLag + 1;
  const all = adfGram(x, d, maxLag);
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
  const fit = adfRegression(x, d, best);
  if (!fit) return undefined;
  return { stat: fit.stat, pvalue: mackinnonP(fit.stat), usedLag: best, nobs: fit.n, regression: fit };
}

/** The ADF regression with p lagged differences, on all its rows (see `adfRegression`). */
export interface AdfRegression {
  /** t(γ), the ADF statistic. */
  stat: number;
  /** Rows: targets Δx at x rows p + 1 .. n - 1. */
  n: number;
  /** Regressors (intercept excluded): p + 1, the lagged differences then the level. */
  k: number;
  /** Centered regressors `[k, n]`. */
  X: Float64Array;
  /** Cholesky factor `[k, k]` of their Gram matrix. */
  L: Float64Array;
  /** Residuals `[n]`. */
  residuals: Float64Array;
  /** Residual sum of squares. */
  rss: number;
}

/**
 * Δx_t = α + Σ_{i=1..p} β_i Δx_{t-i} + γ x_{t-1} + e_t on rows t = p + 1 .. n - 1, fitted with the
 * level last so that t(γ) = z_last / σ (z = L⁻¹ X'y). `d`: the first differences `[n - 1]`.
 */
export function adfRegression(x: ArrayLike<number>, d: Float64Array, p: number): AdfRegression | undefined {
  const k = p + 1;
  const g = adfGram(x, d, p); // columns [level, d1..dp]
  const at = (a: number) => (a === 0 ? p : a - 1); // -> [d1..dp, level]
  const L = new Float64Array(k * k);
  const Xy = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    Xy[at(a)] = g.Xy[a];
    for (let b = 0; b < k; b++) L[at(a) * k + at(b)] = g.G[a * k + b];
  }
  if (!choleskyInPlace(L, k)) return undefined;
  const z = forward(L, k, Xy);
  let rss = g.yy;
  for (const v of z) rss -= v * v;
  const n = g.n;
  const dof = n - (p + 2);
  if (!(dof > 0) || !(rss > 0)) return undefined;
  // centered regressors [k, n] (rows i = p..n-2 of x) and the residuals y - Xβ
  const X = new Float64Array(k * n);
  for (let j = 0; j < k; j++) {
    let m = 0;
    for (let r = 0; r < n; r++) {
      const i = r + p;
      const v = j === p ? x[i] : d[i - j - 1];
      X[j * n + r] = v;
      m += v;
    }
    m /= n;
    for (let r = 0; r < n; r++) X[j * n + r] -= m;
  }
  const beta = new Float64Array(k); // back-substitution Lᵀ β = z
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i];
    for (let j = i + 1; j < k; j++) s -= L[j * k + i] * beta[j];
    beta[i] = s / L[i * k + i];
  }
  let my = 0;
  for (let r = 0; r < n; r++) my += d[r + p];
  my /= n;
  const e = new Float64Array(n);
  for (let r = 0; r < n; r++) e[r] = d[r + p] - my;
  for (let j = 0; j < k; j++) for (let r = 0; r < n; r++) e[r] -= beta[j] * X[j * n + r];
  return { stat: z[p] / Math.sqrt(rss / dof), n, k, X, L, residuals: e, rss };
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
