import { Rng, type LaggedEdge } from "@causeway/core";
import { parentsToEdges, sampleSparseGraph, type LaggedGraphOptions } from "./graph.js";
import { varSpectralRadius } from "./linalg.js";
import { unitNoise } from "./noise.js";
import { assertFinite, checkInt, checkLength, checkNumber, checkSeed, makeSeries, makeTruth, variableNames, type Generated } from "./options.js";

/** Distribution of the structural shocks e_t (unit variance each). */
export type SvarNoise = "laplace" | "uniform" | "gaussian";
export const SVAR_NOISES: readonly SvarNoise[] = ["laplace", "uniform", "gaussian"];

export interface SvarOptions extends LaggedGraphOptions {
  /** Probability of each instantaneous link between two variables (a DAG in a random order). Default 0.3. */
  instantaneousDensity?: number;
  /** Magnitudes of the instantaneous coefficients, uniform in [lo, hi] with a random sign. Default [0.5, 0.9]. */
  instantaneousRange?: readonly [number, number];
  /** Magnitudes of the lagged coefficients, uniform in [lo, hi] with a random sign. Default [0.2, 0.5]. */
  coefRange?: readonly [number, number];
  /** Shock distribution; non-Gaussian shocks make B0 identifiable (LiNGAM). Default "laplace". */
  noise?: SvarNoise;
  /** Lagged coefficients are shrunk until the reduced form's companion spectral radius is <= this. Default 0.9. */
  maxSpectralRadius?: number;
  burnIn?: number;
  seed?: number;
}

export interface SvarResult extends Generated {
  /** Instantaneous links (lag 0, cause -> effect), sorted by effect then cause. */
  contemporaneous: LaggedEdge[];
  /** `[V, V]` B0[effect * V + cause], strictly lower triangular in the causal order. */
  B0: Float64Array;
  /** `[maxLag, V, V]` structural lagged coefficients `[lag - 1][effect][cause]`. */
  coefficients: Float64Array;
  /** The causal order of B0, most exogenous first. */
  causalOrder: number[];
}

const WHERE = "generateSvar";

/**
 * Structural VAR with instantaneous effects, the model of VARLiNGAM (Hyvärinen et al., JMLR 2010,
 * eq. 1) and DYNOTEARS: `x_t = B0 x_t + Σ_l B_l x_{t-l} + e_t`, B0 a random DAG, e_t independent
 * (Laplace, uniform or Gaussian). Simulated as `x_t = (I - B0)⁻¹ (Σ_l B_l x_{t-l} + e_t)`, solved along
 * the causal order; the lagged graph is `generateVar`'s (sparse, lag-1 self-loops), shrunk until the
 * reduced form `(I - B0)⁻¹ B_l` is stable.
 *
 * @example
 * const { series, truth, contemporaneous } = generateSvar({ vars: 5, length: 1000, seed: 1 });
 */
export function generateSvar(options: SvarOptions): SvarResult {
  const V = checkInt(WHERE, "vars", options.vars, 1);
  const maxLag = checkInt(WHERE, "maxLag", options.maxLag ?? 2, 1, 1000);
  const T = checkLength(WHERE, options.length, maxLag);
  const density = checkNumber(WHERE, "density", options.density ?? 0.3, 0, 1);
  const instDensity = checkNumber(WHERE, "instantaneousDensity", options.instantaneousDensity ?? 0.3, 0, 1);
  const maxParents = checkInt(WHERE, "maxParents", options.maxParents ?? 3, 0);
  const [ilo, ihi] = options.instantaneousRange ?? [0.5, 0.9];
  const [lo, hi] = options.coefRange ?? [0.2, 0.5];
  checkNumber(WHERE, "instantaneousRange[1]", ihi, checkNumber(WHERE, "instantaneousRange[0]", ilo, 0));
  checkNumber(WHERE, "coefRange[1]", hi, checkNumber(WHERE, "coefRange[0]", lo, 0));
  const target = checkNumber(WHERE, "maxSpectralRadius", options.maxSpectralRadius ?? 0.9, 0, 0.999);
  const burnIn = checkInt(WHERE, "burnIn", options.burnIn ?? 200, 0);
  const seed = checkSeed(WHERE, options.seed ?? 0);
  const noise = options.noise ?? "laplace";
  if (!SVAR_NOISES.includes(noise)) throw new Error(`${WHERE}: option "noise" must be one of ${SVAR_NOISES.join(", ")}, got "${String(noise)}"`);

  const root = new Rng(seed);
  const structureRng = root.fork();
  const noiseRng = root.fork();
  // B0: a DAG over a random causal order
  const causalOrder = Array.from({ length: V }, (_, i) => i);
  for (let i = V - 1; i > 0; i--) {
    const j = structureRng.int(i + 1);
    [causalOrder[i], causalOrder[j]] = [causalOrder[j], causalOrder[i]];
  }
  const B0 = new Float64Array(V * V);
  for (let a = 1; a < V; a++)
    for (let b = 0; b < a; b++)
      if (structureRng.bernoulli(instDensity)) B0[causalOrder[a] * V + causalOrder[b]] = (structureRng.bernoulli(0.5) ? 1 : -1) * structureRng.range(ilo, ihi);
  // lagged structure as generateVar's
  const parents = sampleSparseGraph(structureRng, { vars: V, maxLag, density, maxParents, selfLoops: options.selfLoops ?? true });
  const coefficients = new Float64Array(maxLag * V * V);
  parents.forEach((list, e) => {
    for (const { cause, lag } of list) coefficients[((lag - 1) * V + e) * V + cause] = (structureRng.bernoulli(0.5) ? 1 : -1) * structureRng.range(lo, hi);
  });
  // reduced form M_l = (I - B0)⁻¹ B_l: column-wise forward substitution along the causal order
  const reduced = (): Float64Array => {
    const M = new Float64Array(maxLag * V * V);
    for (let l = 0; l < maxLag; l++)
      for (let c = 0; c < V; c++)
        for (const e of causalOrder) {
          let s = coefficients[(l * V + e) * V + c];
          for (let k = 0; k < V; k++) s += B0[e * V + k] * M[(l * V + k) * V + c];
          M[(l * V + e) * V + c] = s;
        }
    return M;
  };
  while (varSpectralRadius(reduced(), V, maxLag) > target) for (let k = 0; k < coefficients.length; k++) coefficients[k] *= 0.95;

  const total = burnIn + T;
  const x = new Float64Array(total * V);
  for (let t = 0; t < total; t++)
    for (const e of causalOrder) {
      let value = unitNoise(noiseRng, noise);
      for (let l = 1; l <= maxLag && t - l >= 0; l++) for (let c = 0; c < V; c++) value += coefficients[((l - 1) * V + e) * V + c] * x[(t - l) * V + c];
      for (let c = 0; c < V; c++) value += B0[e * V + c] * x[t * V + c]; // parents earlier in the order are already set
      x[t * V + e] = value;
    }
  const data = x.slice(burnIn * V);
  assertFinite(WHERE, data);
  const names = variableNames(V);
  const contemporaneous: LaggedEdge[] = [];
  for (let e = 0; e < V; e++) for (let c = 0; c < V; c++) if (B0[e * V + c] !== 0) contemporaneous.push({ cause: names[c], effect: names[e], lag: 0 });
  return { series: makeSeries(V, T, data), truth: makeTruth(V, maxLag, parentsToEdges(parents), false), contemporaneous, B0, coefficients, causalOrder };
}
