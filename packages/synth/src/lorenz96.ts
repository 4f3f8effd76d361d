import { InputError, Rng, type LaggedEdge } from "@causeway/core";
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

export interface Lorenz96Options {
  /** Number of variables V (>= 4, so that i-2, i-1, i, i+1 are distinct). */
  vars: number;
  /** Number of samples T returned (>= 3); the burn-in comes on top. */
  length: number;
  /** Forcing F. Default 10. */
  forcing?: number;
  /** Time between samples. Default 0.05. */
  dt?: number;
  /** Standard deviation of the Gaussian noise added to every sample. Default 0.1. */
  sdNoise?: number;
  /** Samples simulated and discarded before the returned series. Default 1000. */
  burnIn?: number;
  /** Internal RK4 step (<= dt; dt is split into ceil(dt / step) equal steps). Default min(0.01, 0.25 / |F|). */
  step?: number;
  /** Seed of the generator (unsigned 32-bit integer). Default 0. */
  seed?: number;
}

export interface Lorenz96Result extends Generated {
  /** The noise-free states at the sample times, `[T, V]` (the series is these plus noise). */
  clean: Float64Array;
}

const WHERE = "generateLorenz96";

/**
 * Lorenz-96 right-hand side (Lorenz 1996, eq. 1), indices mod V:
 * `dx_i/dt = (x_{i+1} - x_{i-2}) x_{i-1} - x_i + F`.
 * @param x `[V]` state; @param out `[V]` derivative (written)
 */
export function lorenz96Derivative(x: Float64Array, forcing: number, out: Float64Array): Float64Array {
  const V = x.length;
  for (let i = 0; i < V; i++) {
    const next = x[(i + 1) % V];
    const prev = x[(i + V - 1) % V];
    const prev2 = x[(i + V - 2) % V];
    out[i] = (next - prev2) * prev - x[i] + forcing;
  }
  return out;
}

/** Scratch buffers for {@link lorenz96Step}, `[V]` each. */
export interface Rk4Scratch {
  k1: Float64Array;
  k2: Float64Array;
  k3: Float64Array;
  k4: Float64Array;
  tmp: Float64Array;
}

export function rk4Scratch(vars: number): Rk4Scratch {
  const b = (): Float64Array => new Float64Array(vars);
  return { k1: b(), k2: b(), k3: b(), k4: b(), tmp: b() };
}

/**
 * One classical Runge-Kutta (RK4) step of size h, in place:
 * `x += h/6 (k1 + 2 k2 + 2 k3 + k4)` with `k1 = f(x)`, `k2 = f(x + h/2 k1)`, `k3 = f(x + h/2 k2)`, `k4 = f(x + h k3)`.
 */
export function lorenz96Step(x: Float64Array, forcing: number, h: number, s: Rk4Scratch = rk4Scratch(x.length)): void {
  const V = x.length;
  const { k1, k2, k3, k4, tmp } = s;
  lorenz96Derivative(x, forcing, k1);
  for (let i = 0; i < V; i++) tmp[i] = x[i] + 0.5 * h * k1[i];
  lorenz96Derivative(tmp, forcing, k2);
  for (let i = 0; i < V; i++) tmp[i] = x[i] + 0.5 * h * k2[i];
  lorenz96Derivative(tmp, forcing, k3);
  for (let i = 0; i < V; i++) tmp[i] = x[i] + h * k3[i];
  lorenz96Derivative(tmp, forcing, k4);
  for (let i = 0; i < V; i++) x[i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
}

/**
 * Integrates Lorenz-96 from `x0` and returns `samples` states `[samples, V]` spaced `dt` apart,
 * the first being `x0` itself; each interval is split into `ceil(dt / step)` RK4 steps.
 */
export function integrateLorenz96(
  x0: Float64Array,
  options: { forcing: number; dt: number; samples: number; step?: number },
): Float64Array {
  const V = x0.length;
  const { forcing, dt, samples } = options;
  const substeps = Math.max(1, Math.ceil(dt / (options.step ?? defaultStep(forcing)) - 1e-9));
  const h = dt / substeps;
  const x = Float64Array.from(x0);
  const s = rk4Scratch(V);
  const out = new Float64Array(samples * V); // [samples, V]
  for (let k = 0; k < samples; k++) {
    if (k > 0) for (let r = 0; r < substeps; r++) lorenz96Step(x, forcing, h, s);
    out.set(x, k * V);
  }
  return out;
}

/** Default internal step: 0.01, smaller for strong forcing (faster, larger-amplitude dynamics). */
function defaultStep(forcing: number): number {
  return Math.min(0.01, 0.25 / Math.max(Math.abs(forcing), 1e-9));
}

/**
 * Lorenz-96 series with the Granger-causal truth used by Tank et al. (Neural Granger Causality,
 * IEEE TPAMI 2021, arXiv:1802.05842; their `simulate_lorenz_96`): the initial state is `N(0, 0.01^2)` per
 * variable, the ODE is integrated for `burnIn + length` samples spaced `dt` (here with RK4 at an
 * internal step of at most `step`), Gaussian noise of sd `sdNoise` is added to every sample
 * (after integration: it does not feed back into the dynamics), and the first `burnIn` samples are
 * dropped. The parents of x_i are x_{i-2}, x_{i-1}, x_i and x_{i+1} (mod V); the truth is
 * summary-only (`lag: 1`, as formats.md prescribes for continuous-time systems).
 *
 * @example
 * const { series, truth } = generateLorenz96({ vars: 10, length: 1000, forcing: 10, seed: 0 });
 */
export function generateLorenz96(options: Lorenz96Options): Lorenz96Result {
  const V = checkInt(WHERE, "vars", options.vars, 4);
  const T = checkLength(WHERE, options.length, 1);
  const forcing = checkNumber(WHERE, "forcing", options.forcing ?? 10);
  const dt = checkNumber(WHERE, "dt", options.dt ?? 0.05, 0, Infinity, true);
  const sdNoise = checkNumber(WHERE, "sdNoise", options.sdNoise ?? 0.1, 0);
  const burnIn = checkInt(WHERE, "burnIn", options.burnIn ?? 1000, 0);
  const step = checkNumber(WHERE, "step", options.step ?? Math.min(dt, defaultStep(forcing)), 0, dt, true);
  const seed = checkSeed(WHERE, options.seed ?? 0);

  const root = new Rng(seed);
  const initRng = root.fork();
  const noiseRng = root.fork();
  const x0 = new Float64Array(V);
  for (let i = 0; i < V; i++) x0[i] = 0.01 * initRng.normal();

  const states = integrateLorenz96(x0, { forcing, dt, samples: burnIn + T, step });
  if (!states.every((v) => Number.isFinite(v))) {
    throw new InputError(`${WHERE}: the integration diverged (forcing ${forcing}, step ${step}); pass a smaller "step"`);
  }
  const clean = states.slice(burnIn * V); // [T, V]
  const data = new Float64Array(clean.length);
  for (let k = 0; k < clean.length; k++) data[k] = clean[k] + sdNoise * noiseRng.normal();
  assertFinite(WHERE, data);

  const edges: LaggedEdge[] = [];
  for (let i = 0; i < V; i++) {
    for (const offset of [-2, -1, 0, 1]) edges.push({ cause: `x${(i + offset + V) % V}`, effect: `x${i}`, lag: 1 });
  }
  return { series: makeSeries(V, T, data), truth: makeTruth(V, 1, edges, true), clean };
}
