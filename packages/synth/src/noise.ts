import { InputError, type Rng } from "@causeway/core";
import { checkNumber } from "./options.js";

/** Distribution of the innovations; every draw has mean 0 and variance 1 before `noise` scales it. */
export type NoiseDistribution = "gaussian" | "laplace" | "uniform" | "student-t";
export const NOISE_DISTRIBUTIONS: readonly NoiseDistribution[] = ["gaussian", "laplace", "uniform", "student-t"];

/**
 * Heteroscedastic innovations: the standard deviation of `e_j(t)` is `noise · s_j(t)` with
 * - `"level"`: `s_j(t) = (1 + strength · |tanh(x_j(t-1) / noise)|) / (1 + strength / 2)`, larger
 *   shocks after large own levels (volatility clustering, bounded in `[1/(1+h/2), (1+h)/(1+h/2)]`);
 * - `"envelope"`: `s_j(t) = exp(strength · sin(2π t / P_j + φ_j)) / I0(2 strength)^(1/2)`, a slow
 *   envelope with period `P_j ~ U[T/4, T]` and phase `φ_j ~ U[0, 2π)`; the normaliser makes the
 *   time-averaged variance 1 over whole periods.
 */
export interface Heteroscedastic {
  kind: "level" | "envelope";
  /** How strongly the scale varies (> 0). */
  strength: number;
}

/** The noise options shared by `generateVar`, `generateNonlinear`, `generateNonstationary`, `generateConfounded`. */
export interface NoiseShapeOptions {
  /**
   * Distribution of the innovations, all scaled to unit variance so `noise` stays their standard
   * deviation; `"mixed"` draws one of the four per variable. Default "gaussian".
   */
  noiseDistribution?: NoiseDistribution | "mixed";
  /** Degrees of freedom of `"student-t"` (> 2, so the variance is finite). Default 5. */
  df?: number;
  /** Heteroscedastic innovations (see {@link Heteroscedastic}). Default none. */
  heteroscedastic?: Heteroscedastic;
}

/** Gamma(shape, 1) draw (Marsaglia & Tsang 2000, ACM TOMS 26(3); shape < 1 via the u^(1/shape) boost). */
export function gammaDraw(rng: Rng, shape: number): number {
  if (shape < 1) return gammaDraw(rng, shape + 1) * rng.uniform() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let z: number;
    let v: number;
    do {
      z = rng.normal();
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** One unit-variance draw of `distribution` (Student-t scaled by sqrt((df - 2) / df)). */
export function unitNoise(rng: Rng, distribution: NoiseDistribution, df = 5): number {
  switch (distribution) {
    case "gaussian":
      return rng.normal();
    case "uniform":
      return Math.sqrt(3) * (2 * rng.uniform() - 1);
    case "laplace": {
      // Laplace with scale 1/sqrt(2): inverse CDF of a centred uniform
      const c = rng.uniform() - 0.5;
      return (-Math.sign(c) * Math.log(1 - 2 * Math.abs(c))) / Math.SQRT2;
    }
    case "student-t": {
      // t = z / sqrt(chi2_df / df), chi2_df = 2 Gamma(df / 2)
      const z = rng.normal();
      const chi2 = 2 * gammaDraw(rng, df / 2);
      return (z / Math.sqrt(chi2 / df)) * Math.sqrt((df - 2) / df);
    }
  }
}

/** Modified Bessel function I0 (power series; enough terms for |x| <= 20). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 80; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-16 * sum) break;
  }
  return sum;
}

/** A per-variable noise source built from {@link NoiseShapeOptions}: `draw(j, t, previous)` is `e_j(t)`. */
export interface NoiseSource {
  /** The distribution each variable draws from. */
  distributions: NoiseDistribution[];
  /** `e_j(t)` with standard deviation `noise · s_j(t)`; `previous` is `x_j(t - 1)` (0 before the start). */
  draw(j: number, t: number, previous: number): number;
}

/**
 * Validates the shared noise options and returns the source. Per-variable choices ("mixed",
 * envelope periods and phases) come from `structureRng`, the draws from `noiseRng`. With the
 * defaults (Gaussian, no heteroscedasticity) `draw` is exactly `noise · noiseRng.normal()`, so
 * the existing generators' numbers do not change. `steps` is the simulated length (burn-in included).
 */
export function noiseSource(
  where: string,
  options: NoiseShapeOptions,
  noise: number,
  vars: number,
  steps: number,
  structureRng: Rng,
  noiseRng: Rng,
): NoiseSource {
  const choice = options.noiseDistribution ?? "gaussian";
  if (choice !== "mixed" && !NOISE_DISTRIBUTIONS.includes(choice)) {
    throw new InputError(
      `${where}: option "noiseDistribution" must be one of ${NOISE_DISTRIBUTIONS.join(", ")}, mixed; got "${String(choice)}"`,
      { column: "noiseDistribution" },
    );
  }
  const df = checkNumber(where, "df", options.df ?? 5, 2, Infinity, true);
  const distributions = Array.from({ length: vars }, () =>
    choice === "mixed" ? NOISE_DISTRIBUTIONS[structureRng.int(NOISE_DISTRIBUTIONS.length)] : choice,
  );
  const hetero = options.heteroscedastic;
  if (hetero && hetero.kind !== "level" && hetero.kind !== "envelope") {
    throw new InputError(`${where}: option "heteroscedastic.kind" must be "level" or "envelope"`, { column: "heteroscedastic" });
  }
  const h = hetero ? checkNumber(where, "heteroscedastic.strength", hetero.strength, 0, 10, true) : 0;
  let scale: (j: number, t: number, previous: number) => number = () => 1;
  if (hetero?.kind === "level") {
    scale = (_j, _t, previous) => (1 + h * Math.abs(Math.tanh(previous / noise))) / (1 + h / 2);
  } else if (hetero?.kind === "envelope") {
    const omega = Float64Array.from({ length: vars }, () => (2 * Math.PI) / (steps * structureRng.range(0.25, 1)));
    const phase = Float64Array.from({ length: vars }, () => structureRng.range(0, 2 * Math.PI));
    const norm = 1 / Math.sqrt(besselI0(2 * h)); // E[exp(2h sin)] = I0(2h) over a period
    scale = (j, t) => norm * Math.exp(h * Math.sin(omega[j] * t + phase[j]));
  }
  return {
    distributions,
    draw: (j, t, previous) => noise * scale(j, t, previous) * unitNoise(noiseRng, distributions[j], df),
  };
}
