// The normal distribution's tails in double precision: erfc and the standard normal CDF and
// survival function (the unit-root p-values of MacKinnon 1994 and the break-test tails use them).

const SQRT_PI = Math.sqrt(Math.PI);

/** Complementary error function erfc(x) = 1 - erf(x), accurate in the tails (relative error ~1e-15). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    // Maclaurin series erf(x) = 2/sqrt(pi) sum_n (-1)^n x^(2n+1) / (n! (2n+1)) (DLMF 7.6.1).
    let term = x; // (-1)^n x^(2n+1) / n!
    let sum = x;
    for (let n = 1; n < 100; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / SQRT_PI) * sum;
  }
  if (x > 27) return 0; // below the smallest double
  // Continued fraction erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) (DLMF 7.9.2),
  // evaluated backwards from a fixed depth (enough for x >= 2 to full precision).
  let k = x;
  for (let n = 120; n >= 1; n--) k = x + n / 2 / k;
  return Math.exp(-x * x) / (SQRT_PI * k);
}

/** Standard normal CDF Φ(z) = P(Z <= z), accurate in the lower tail. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Standard normal survival function P(Z > z), accurate in the upper tail. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Standard normal density φ(z). */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}
