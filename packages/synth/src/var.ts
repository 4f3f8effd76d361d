import { InputError, Rng } from "@causeway/core";
import { checkParents, parentsToEdges, resolveLags, sampleSparseGraph, type LaggedGraphOptions, type Parent } from "./graph.js";
import { varSpectralRadius } from "./linalg.js";
import { noiseSource, type NoiseShapeOptions } from "./noise.js";
import {
  assertFinite,
  checkInt,
  checkLength,
  checkNumber,
  checkSeed,
  makeSeries,
  makeTruth,
  type Generated,
} from "./options.js";

export interface VarOptions extends LaggedGraphOptions, NoiseShapeOptions {
  /** Standard deviation of the innovations (> 0; see `noiseDistribution`). Default 1. */
  noise?: number;
  /** Coefficient magnitudes are drawn uniformly from [lo, hi] with a random sign. Default [0.2, 0.5]. */
  coefRange?: readonly [number, number];
  /** Coefficients are shrunk until the companion spectral radius is <= this (in (0, 1)). Default 0.95. */
  maxSpectralRadius?: number;
  /** Steps simulated from x = 0 and discarded before the returned series. Default 200. */
  burnIn?: number;
  /** Seed of the generator (unsigned 32-bit integer). Default 0. */
  seed?: number;
  /**
   * A fixed graph (parents per effect, lags in 1..maxLag) instead of a random one; density,
   * maxParents, selfLoops and lags are then ignored. Default: drawn.
   */
  parents?: readonly (readonly Parent[])[];
}

export interface VarResult extends Generated {
  /** `[maxLag, V, V]` indexed `[lag - 1][effect][cause]`; nonzero exactly on the truth's edges. */
  coefficients: Float64Array;
  /** Spectral radius of the companion matrix of `coefficients` (<= maxSpectralRadius). */
  spectralRadius: number;
  /** Factor applied to the drawn coefficients to reach stability (1 when none was needed). */
  scale: number;
}

const WHERE = "generateVar";
/** Each shrink step multiplies the coefficients by at most this (so the loop always ends). */
const MAX_SHRINK_FACTOR = 0.97;
/** ... and by at least this (so one step never wipes the coefficients out). */
const MIN_SHRINK_FACTOR = 0.3;

/**
 * Stable linear VAR(p) with a random sparse lagged graph:
 * `x_t = sum_{l=1..p} A_l x_{t-l} + e_t`, `e_t ~ N(0, noise^2 I)` (Lütkepohl 2005, eq. 2.1.1).
 *
 * Each variable gets a lag-1 self-loop (unless `selfLoops: false`) and up to `maxParents` other
 * parents, each at one lag drawn from 1..p, with coefficient `±U[coefRange]`. Stability is
 * checked on the eigenvalues of the companion matrix (Hessenberg + Francis QR, see `linalg.ts`);
 * while its spectral radius exceeds `maxSpectralRadius` (0.95) every coefficient is multiplied by
 * a common factor (at most 0.97 per step, aiming at 0.999 * maxSpectralRadius), and the overall
 * factor is returned as `scale`.
 *
 * @example
 * const { series, truth, coefficients } = generateVar({ vars: 5, length: 1000, seed: 1 });
 */
export function generateVar(options: VarOptions): VarResult {
  const V = checkInt(WHERE, "vars", options.vars, 1);
  const { maxLag, lags } = resolveLags(WHERE, options, 3);
  const T = checkLength(WHERE, options.length, maxLag);
  const density = checkNumber(WHERE, "density", options.density ?? 0.3, 0, 1);
  const maxParents = checkInt(WHERE, "maxParents", options.maxParents ?? 3, 0);
  const selfLoops = options.selfLoops ?? true;
  const noise = checkNumber(WHERE, "noise", options.noise ?? 1, 0, Infinity, true);
  const [lo, hi] = options.coefRange ?? [0.2, 0.5];
  checkNumber(WHERE, "coefRange[0]", lo, 0, Infinity, true);
  checkNumber(WHERE, "coefRange[1]", hi, lo);
  const target = checkNumber(WHERE, "maxSpectralRadius", options.maxSpectralRadius ?? 0.95, 0, 1, true);
  if (target >= 1) throw new InputError(`${WHERE}: option "maxSpectralRadius" must be < 1, got ${target}`);
  const burnIn = checkInt(WHERE, "burnIn", options.burnIn ?? 200, 0);
  const seed = checkSeed(WHERE, options.seed ?? 0);

  // Separate streams: the structure does not depend on length or burn-in.
  const root = new Rng(seed);
  const structureRng = root.fork();
  const noiseRng = root.fork();

  const parents = options.parents
    ? checkParents(WHERE, options.parents, V, maxLag)
    : sampleSparseGraph(structureRng, { vars: V, maxLag, density, maxParents, selfLoops, lags });
  const coefficients = new Float64Array(maxLag * V * V); // [maxLag, V, V]
  parents.forEach((list, e) => {
    for (const { cause, lag } of list) {
      const sign = structureRng.bernoulli(0.5) ? 1 : -1;
      coefficients[((lag - 1) * V + e) * V + cause] = sign * structureRng.range(lo, hi);
    }
  });

  // Shrink until stable (companion spectral radius <= target). The radius grows like c^alpha with
  // the common factor c (alpha = 1 for a VAR(1), as low as 1/p otherwise): each step aims at
  // 0.999 * target with alpha estimated from the last two steps (secant on log radius vs log c).
  let scale = 1;
  let radius = varSpectralRadius(coefficients, V, maxLag);
  let previous: { logScale: number; logRadius: number } | null = null;
  while (radius > target) {
    let alpha = 1;
    if (previous) {
      const slope = (Math.log(radius) - previous.logRadius) / (Math.log(scale) - previous.logScale);
      if (Number.isFinite(slope)) alpha = Math.min(1, Math.max(1 / maxLag, slope));
    }
    const factor = Math.min(MAX_SHRINK_FACTOR, Math.max(MIN_SHRINK_FACTOR, ((0.999 * target) / radius) ** (1 / alpha)));
    previous = { logScale: Math.log(scale), logRadius: Math.log(radius) };
    for (let k = 0; k < coefficients.length; k++) coefficients[k] *= factor;
    scale *= factor;
    radius = varSpectralRadius(coefficients, V, maxLag);
  }

  // Sparse form of the recursion: per effect, (cause, lag, coefficient) triples.
  const terms = parents.map((list, e) =>
    list.map(({ cause, lag }) => ({ cause, lag, a: coefficients[((lag - 1) * V + e) * V + cause] })),
  );
  const total = burnIn + T;
  const shocks = noiseSource(WHERE, options, noise, V, total, structureRng, noiseRng);
  const x = new Float64Array(total * V); // [burnIn + T, V], x_t = 0 for t < 0
  for (let t = 0; t < total; t++) {
    for (let e = 0; e < V; e++) {
      let value = shocks.draw(e, t, t > 0 ? x[(t - 1) * V + e] : 0);
      for (const { cause, lag, a } of terms[e]) {
        if (t - lag >= 0) value += a * x[(t - lag) * V + cause];
      }
      x[t * V + e] = value;
    }
  }
  const data = x.slice(burnIn * V);
  assertFinite(WHERE, data);

  return {
    series: makeSeries(V, T, data),
    truth: makeTruth(V, maxLag, parentsToEdges(parents), false),
    coefficients,
    spectralRadius: radius,
    scale,
  };
}

