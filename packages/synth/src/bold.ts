import { InputError, Rng, type LaggedEdge } from "@causeway/core";
import { sampleSparseGraph } from "./graph.js";
import { assertFinite, checkInt, checkLength, checkNumber, checkSeed, makeSeries, makeTruth, type Generated } from "./options.js";

export interface BoldOptions {
  /** Number of regions V (>= 1). */
  vars: number;
  /** Number of volumes T returned (>= 3); the burn-in comes on top. */
  length: number;
  /** Probability that each other region drives a given one (before the cap). Default 0.3. */
  density?: number;
  /** At most this many driving regions per region. Default 3. */
  maxParents?: number;
  /** Coupling magnitudes `U[lo, hi]` (per second, positive as in NetSim). Default [0.4, 0.8]. */
  couplingRange?: readonly [number, number];
  /** Share of couplings made negative. Default 0. */
  negativeFraction?: number;
  /** Neural dynamics: linear (DCM's bilinear model without modulation) or with a tanh on the network input. Default "linear". */
  neural?: "linear" | "nonlinear";
  /** Neural self-decay time constant in s (DCM: 1 s). Default 1. */
  tau?: number;
  /** Mean durations (s) of the external input's up and down states, a random telegraph process per region. Default [2.5, 10]. */
  inputDurations?: readonly [number, number];
  /** Standard deviation of the neural noise per sqrt(s). Default 0.3. */
  neuralNoise?: number;
  /** Repetition time TR in s: one volume every TR. Default 3 (NetSim). */
  tr?: number;
  /** Neural integration step in s (divides TR into whole steps, rounded; keep it well below tau). Default 0.1. */
  dt?: number;
  /** Each region's HRF is shifted by `U[-hrfJitter, hrfJitter]` s (NetSim varied the HRF lag by about 0.5 s). Default 0.5. */
  hrfJitter?: number;
  /** Measurement noise standard deviation, as a fraction of each region's BOLD standard deviation. Default 0.2. */
  measurementNoise?: number;
  /** Volumes simulated and discarded before the returned series (the HRF needs ~32 s to fill). Default 20. */
  burnIn?: number;
  /** Seed of the generator (unsigned 32-bit integer). Default 0. */
  seed?: number;
}

export interface BoldResult extends Generated {
  /** Neural coupling `[V, V]` indexed `[effect][cause]` (off-diagonal; the decay is `-1 / tau`). */
  couplingMatrix: Float64Array;
  /** The neural state at the volume times `[T, V]` (before the HRF). */
  neural: Float64Array;
  /** Each region's HRF shift in s `[V]`. */
  hrfShift: Float64Array;
}

const WHERE = "generateBold";
/** Length of the HRF kernel in s. */
const HRF_SECONDS = 32;

function logGamma(n: number): number {
  // integer arguments only (6 and 16): log((n - 1)!)
  let s = 0;
  for (let k = 2; k < n; k++) s += Math.log(k);
  return s;
}
const LOG_G6 = logGamma(6);
const LOG_G16 = logGamma(16);

/**
 * Canonical double-gamma HRF (Glover 1999; SPM's `spm_hrf` defaults: response peaking at 5 s,
 * undershoot at 15 s, ratio 1/6): `h(t) = t^5 e^-t / 5! − (1/6) t^15 e^-t / 15!`, t in s, 0 for t <= 0.
 */
export function doubleGammaHrf(t: number): number {
  if (t <= 0) return 0;
  const lt = Math.log(t);
  return Math.exp(5 * lt - t - LOG_G6) - Math.exp(15 * lt - t - LOG_G16) / 6;
}

/**
 * BOLD-like signals after the NetSim simulations (Smith et al., "Network modelling methods for
 * FMRI", NeuroImage 54, 2011): a neural network driven by random up/down inputs,
 *
 *   dz_i = (−z_i / tau + f(Σ_j A_ij z_j) + u_i(t)) dt + neuralNoise dW_i,   f = identity or tanh,
 *
 * integrated by Euler–Maruyama at `dt`, convolved per region with the canonical double-gamma
 * HRF shifted by a random per-region delay, sampled every TR, plus Gaussian measurement noise.
 * The couplings of each region are scaled so `Σ_j |A_ij| <= 0.9 / tau` (a diagonally dominant,
 * stable system). After the HRF the lag of an influence is no longer known: the truth is a
 * summary graph (`summaryOnly: true`, edges at lag 1, formats.md) with j -> i for every
 * `A_ij != 0` plus the self-loops i -> i, as in the NetSim ground truth of `shared/data`.
 *
 * @example
 * const { series, truth } = generateBold({ vars: 5, length: 200, seed: 1 });
 */
export function generateBold(options: BoldOptions): BoldResult {
  const V = checkInt(WHERE, "vars", options.vars, 1);
  const T = checkLength(WHERE, options.length, 1);
  const density = checkNumber(WHERE, "density", options.density ?? 0.3, 0, 1);
  const maxParents = checkInt(WHERE, "maxParents", options.maxParents ?? 3, 0);
  const [cLo, cHi] = options.couplingRange ?? [0.4, 0.8];
  checkNumber(WHERE, "couplingRange[1]", cHi, checkNumber(WHERE, "couplingRange[0]", cLo, 0));
  const negative = checkNumber(WHERE, "negativeFraction", options.negativeFraction ?? 0, 0, 1);
  const neural = options.neural ?? "linear";
  if (neural !== "linear" && neural !== "nonlinear") {
    throw new InputError(`${WHERE}: option "neural" must be "linear" or "nonlinear", got "${String(neural)}"`, { column: "neural" });
  }
  const tau = checkNumber(WHERE, "tau", options.tau ?? 1, 0, Infinity, true);
  const [upMean, downMean] = options.inputDurations ?? [2.5, 10];
  checkNumber(WHERE, "inputDurations[0]", upMean, 0, Infinity, true);
  checkNumber(WHERE, "inputDurations[1]", downMean, 0, Infinity, true);
  const neuralNoise = checkNumber(WHERE, "neuralNoise", options.neuralNoise ?? 0.3, 0);
  const tr = checkNumber(WHERE, "tr", options.tr ?? 3, 0, 60, true);
  const dtAsked = checkNumber(WHERE, "dt", options.dt ?? 0.1, 0, tr, true);
  const perTr = Math.max(1, Math.round(tr / dtAsked));
  const dt = tr / perTr;
  const jitter = checkNumber(WHERE, "hrfJitter", options.hrfJitter ?? 0.5, 0, 5);
  const measurement = checkNumber(WHERE, "measurementNoise", options.measurementNoise ?? 0.2, 0);
  const burnIn = checkInt(WHERE, "burnIn", options.burnIn ?? 20, 0);
  const seed = checkSeed(WHERE, options.seed ?? 0);

  const root = new Rng(seed);
  const structureRng = root.fork();
  const noiseRng = root.fork();
  const parents = sampleSparseGraph(structureRng, { vars: V, maxLag: 1, density, maxParents, selfLoops: false });
  const A = new Float64Array(V * V); // [effect, cause]
  parents.forEach((list, i) => {
    for (const { cause } of list) A[i * V + cause] = (structureRng.bernoulli(negative) ? -1 : 1) * structureRng.range(cLo, cHi);
    let row = 0;
    for (let j = 0; j < V; j++) row += Math.abs(A[i * V + j]);
    if (row > 0.9 / tau) for (let j = 0; j < V; j++) A[i * V + j] *= 0.9 / tau / row;
  });
  const hrfShift = Float64Array.from({ length: V }, () => structureRng.range(-jitter, jitter));

  // Neural simulation at dt, kept for the HRF's span before each volume.
  const steps = (burnIn + T) * perTr;
  const z = new Float64Array(steps * V); // [steps, V]
  // telegraph input: exponential up and down durations (in steps) with the given means
  const up = Array.from({ length: V }, () => noiseRng.bernoulli(upMean / (upMean + downMean)));
  const duration = (isUp: boolean): number => (-Math.log(1 - noiseRng.uniform()) * (isUp ? upMean : downMean)) / dt;
  const nextSwitch = Float64Array.from(up, (isUp) => duration(isUp));
  const sqrtDt = Math.sqrt(dt);
  const state = new Float64Array(V);
  for (let s = 1; s < steps; s++) {
    for (let i = 0; i < V; i++) {
      while (s >= nextSwitch[i]) {
        up[i] = !up[i];
        nextSwitch[i] += duration(up[i]);
      }
      let drive = 0;
      for (let j = 0; j < V; j++) drive += A[i * V + j] * z[(s - 1) * V + j];
      if (neural === "nonlinear") drive = Math.tanh(drive);
      const prev = z[(s - 1) * V + i];
      state[i] = prev + (-prev / tau + drive + (up[i] ? 1 : 0)) * dt + neuralNoise * sqrtDt * noiseRng.normal();
    }
    z.set(state, s * V);
  }

  // BOLD at each volume: y_i(t_k) = Σ_m h(m dt − shift_i) z_i(t_k − m dt) dt
  const taps = Math.round(HRF_SECONDS / dt);
  const kernel = Array.from({ length: V }, (_, i) =>
    Float64Array.from({ length: taps }, (_, m) => doubleGammaHrf(m * dt - hrfShift[i]) * dt),
  );
  const data = new Float64Array(T * V); // [T, V]
  const neuralAt = new Float64Array(T * V); // [T, V]
  for (let k = 0; k < T; k++) {
    const s = (burnIn + k) * perTr;
    for (let i = 0; i < V; i++) {
      let y = 0;
      for (let m = 0; m < taps && m <= s; m++) y += kernel[i][m] * z[(s - m) * V + i];
      data[k * V + i] = y;
      neuralAt[k * V + i] = z[s * V + i];
    }
  }
  for (let i = 0; i < V; i++) {
    let m = 0;
    let q = 0;
    for (let k = 0; k < T; k++) m += data[k * V + i];
    m /= T;
    for (let k = 0; k < T; k++) q += (data[k * V + i] - m) ** 2;
    const sd = Math.sqrt(q / T) || 1;
    for (let k = 0; k < T; k++) data[k * V + i] += measurement * sd * noiseRng.normal();
  }
  assertFinite(WHERE, data);

  const edges: LaggedEdge[] = [];
  for (let i = 0; i < V; i++) {
    edges.push({ cause: `x${i}`, effect: `x${i}`, lag: 1 });
    for (let j = 0; j < V; j++) if (A[i * V + j] !== 0) edges.push({ cause: `x${j}`, effect: `x${i}`, lag: 1 });
  }
  return { series: makeSeries(V, T, data), truth: makeTruth(V, 1, edges, true), couplingMatrix: A, neural: neuralAt, hrfShift };
}
