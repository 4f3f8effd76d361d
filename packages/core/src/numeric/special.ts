/**
 * Special functions for F-test and Student-t p-values: log-gamma, the regularized incomplete beta function
 * (continued fraction, evaluated in log space so that tiny p-values do not underflow) and
 * the F distribution's survival function.
 */

// Lanczos approximation, g = 7, nine coefficients (Lanczos 1964; the published constants
// for double precision, relative error below 1e-15 for x > 0).
const LANCZOS_G = 7;
const LANCZOS_C = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x < 0.5) {
    // reflection: Γ(x) Γ(1 - x) = π / sin(πx)
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let s = LANCZOS_C[0];
  for (let i = 1; i < LANCZOS_C.length; i++) s += LANCZOS_C[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/**
 * ψ(x) = d/dx ln Γ(x), the digamma function, for x > 0: the recurrence ψ(x) = ψ(x + 1) - 1/x
 * lifts x to >= 10, then the asymptotic series ln x - 1/(2x) - Σ B_2k / (2k x^2k) (A&S 6.3.5, 6.3.18).
 */
export function digamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`digamma needs x > 0, got ${x}`);
  let shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const r = 1 / (x * x);
  // B_2/2, B_4/4, ..., B_12/12 with alternating signs, in Horner form
  const series = r * (1 / 12 - r * (1 / 120 - r * (1 / 252 - r * (1 / 240 - r * (1 / 132 - r * (691 / 32760))))));
  return shift + Math.log(x) - 0.5 / x - series;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

const CF_EPS = 1e-15;
const CF_TINY = 1e-300;
const CF_MAX_ITER = 100_000;

/**
 * Continued fraction of the incomplete beta function, evaluated by the modified Lentz
 * method: I_x(a, b) = x^a (1-x)^b / (a B(a, b)) · 1 / (1 + d1 / (1 + d2 / (1 + ...))) with
 * d_{2m+1} = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1)) and d_{2m} = m(b-m) x / ((a+2m-1)(a+2m))
 * (Abramowitz & Stegun 26.5.8). Converges fast for x < (a+1)/(a+b+2).
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const guard = (v: number): number => (Math.abs(v) < CF_TINY ? CF_TINY : v);
  // first term: d1 = -(a+b) x / (a+1)
  let c = 1;
  let d = 1 / guard(1 - ((a + b) * x) / (a + 1));
  let f = d;
  for (let m = 1; m <= CF_MAX_ITER; m++) {
    const m2 = 2 * m;
    // even term d_{2m}
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 / guard(1 + num * d);
    c = guard(1 + num / c);
    f *= d * c;
    // odd term d_{2m+1}
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 / guard(1 + num * d);
    c = guard(1 + num / c);
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < CF_EPS) return f;
  }
  throw new Error(`incomplete beta continued fraction did not converge (x=${x}, a=${a}, b=${b})`);
}

/**
 * ln I_x(a, b), the log of the regularized incomplete beta function, for a, b > 0 and
 * 0 <= x <= 1. Accurate where I_x(a, b) itself would underflow (ln I down to about -1e300).
 */
export function logBetaInc(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) throw new RangeError(`logBetaInc needs a, b > 0, got a=${a}, b=${b}`);
  if (Number.isNaN(x) || x < 0 || x > 1) throw new RangeError(`logBetaInc needs 0 <= x <= 1, got ${x}`);
  if (x === 0) return -Infinity;
  if (x === 1) return 0;
  // ln of x^a (1-x)^b / B(a, b)
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return logFront + Math.log(betaContinuedFraction(x, a, b) / a);
  // symmetry I_x(a, b) = 1 - I_{1-x}(b, a), with the continued fraction on the fast side
  const complement = Math.exp(logFront + Math.log(betaContinuedFraction(1 - x, b, a) / b));
  return Math.log1p(-Math.min(complement, 1));
}

/** I_x(a, b), the regularized incomplete beta function (the Beta(a, b) CDF at x). */
export function betaInc(x: number, a: number, b: number): number {
  return Math.exp(logBetaInc(x, a, b));
}

/**
 * ln P(F > f) for F ~ F(d1, d2): P(F > f) = I_{d2 / (d2 + d1 f)}(d2/2, d1/2).
 * Use it for Granger p-values, which underflow to 0 for strong links.
 */
export function logFSurvival(f: number, d1: number, d2: number): number {
  if (!(d1 > 0) || !(d2 > 0)) throw new RangeError(`F distribution needs d1, d2 > 0, got d1=${d1}, d2=${d2}`);
  if (Number.isNaN(f)) throw new RangeError("F statistic is NaN");
  if (f <= 0) return 0;
  if (f === Infinity) return -Infinity;
  // x = d2 / (d2 + d1 f) computed without losing digits when d1 f >> d2
  const x = 1 / (1 + (d1 * f) / d2);
  return logBetaInc(x, d2 / 2, d1 / 2);
}

/** P(F > f) for F ~ F(d1, d2) (the F-test's p-value). */
export function fSurvival(f: number, d1: number, d2: number): number {
  return Math.exp(logFSurvival(f, d1, d2));
}

/** P(F <= f) for F ~ F(d1, d2). */
export function fCdf(f: number, d1: number, d2: number): number {
  return 0 - Math.expm1(logFSurvival(f, d1, d2));
}
