import { Rng, type LaggedEdge } from "@causeway/core";
import { sampleSparseGraph } from "./graph.js";
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

export interface KuramotoOptions {
  /** Number of oscillators V (>= 1). */
  vars: number;
  /** Number of samples T returned (>= 3); the burn-in comes on top. */
  length: number;
  /** Scale of the coupling: each edge gets `K_ij = coupling * U[0.5, 1.5]`. Default 1. */
  coupling?: number;
  /** Probability that each other oscillator drives a given one (before the cap). Default 0.3. */
  density?: number;
  /** At most this many drivers per oscillator. Default 3. */
  maxParents?: number;
  /** Natural frequencies (rad per time unit) are drawn uniformly from this range. Default [1, 3]. */
  omegaRange?: readonly [number, number];
  /** Time between samples. Default 0.1. */
  dt?: number;
  /** Phase noise intensity sigma: `sigma dW_i` in each `d theta_i` (Wiener increments). Default 0.1. */
  noise?: number;
  /** Internal step (<= dt; dt is split into ceil(dt / step) equal steps). Default 0.01. */
  step?: number;
  /** Samples simulated and discarded before the returned series. Default 200. */
  burnIn?: number;
  /** Seed of the generator (unsigned 32-bit integer). Default 0. */
  seed?: number;
}

export interface KuramotoResult extends Generated {
  /** Natural frequencies `[V]`. */
  omega: Float64Array;
  /** Coupling `[V, V]` indexed `[effect][cause]`: `K[i][j]` is j's pull on i. */
  couplingMatrix: Float64Array;
  /** The (unwrapped) phases at the sample times `[T, V]`; the series is `sin` of these. */
  phases: Float64Array;
}

const WHERE = "generateKuramoto";

/** Drivers of each oscillator: `drivers[i]` lists `(j, K_ij)`. */
export type KuramotoDrivers = { cause: number; k: number }[][];

/** Kuramoto drift (Kuramoto 1984): `d theta_i/dt = omega_i + sum_j K_ij sin(theta_j - theta_i)`. */
export function kuramotoDrift(
  theta: Float64Array,
  omega: Float64Array,
  drivers: KuramotoDrivers,
  out: Float64Array,
): Float64Array {
  for (let i = 0; i < theta.length; i++) {
    let d = omega[i];
    for (const { cause, k } of drivers[i]) d += k * Math.sin(theta[cause] - theta[i]);
    out[i] = d;
  }
  return out;
}

/**
 * Integrates the (stochastic) Kuramoto model from `theta0` and returns `samples` phase vectors
 * `[samples, V]` spaced `dt` apart, the first being `theta0`. Each internal step of size h is an
 * RK4 step of the drift followed by the noise increment `noise * sqrt(h) * N(0, 1)` (a splitting
 * scheme; exact RK4 when `noise` is 0).
 */
export function integrateKuramoto(
  theta0: Float64Array,
  options: {
    omega: Float64Array;
    drivers: KuramotoDrivers;
    dt: number;
    samples: number;
    step?: number;
    noise?: number;
    rng?: Rng;
  },
): Float64Array {
  const V = theta0.length;
  const { omega, drivers, dt, samples } = options;
  const noise = options.noise ?? 0;
  if (noise > 0 && !options.rng) throw new Error("integrateKuramoto: noise needs an rng");
  const substeps = Math.max(1, Math.ceil(dt / (options.step ?? 0.01) - 1e-9));
  const h = dt / substeps;
  const sqrtH = Math.sqrt(h);
  const x = Float64Array.from(theta0);
  const [k1, k2, k3, k4, tmp] = Array.from({ length: 5 }, () => new Float64Array(V));
  const out = new Float64Array(samples * V); // [samples, V]
  for (let s = 0; s < samples; s++) {
    if (s > 0) {
      for (let r = 0; r < substeps; r++) {
        kuramotoDrift(x, omega, drivers, k1);
        for (let i = 0; i < V; i++) tmp[i] = x[i] + 0.5 * h * k1[i];
        kuramotoDrift(tmp, omega, drivers, k2);
        for (let i = 0; i < V; i++) tmp[i] = x[i] + 0.5 * h * k2[i];
        kuramotoDrift(tmp, omega, drivers, k3);
        for (let i = 0; i < V; i++) tmp[i] = x[i] + h * k3[i];
        kuramotoDrift(tmp, omega, drivers, k4);
        for (let i = 0; i < V; i++) {
          x[i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
          if (noise > 0) x[i] += noise * sqrtH * options.rng!.normal();
        }
      }
    }
    out.set(x, s * V);
  }
  return out;
}

/**
 * Kuramoto phase oscillators with sparse directed coupling (Kuramoto 1984; the network form used
 * as a causal-discovery benchmark, e.g. by Löwe et al., Amortized Causal Discovery, 2022):
 *
 *   d theta_i = (omega_i + sum_j K_ij sin(theta_j - theta_i)) dt + noise dW_i,
 *
 * with `omega_i ~ U[omegaRange]`, initial phases `U[0, 2 pi)`, and each oscillator driven by up
 * to `maxParents` others (each with probability `density`), `K_ij = coupling * U[0.5, 1.5]`.
 * The observed series is `sin(theta_i)` sampled every `dt` after `burnIn` samples. The truth is
 * summary-only: j -> i for every `K_ij != 0`, plus i -> i (a phase drives its own future).
 *
 * @example
 * const { series, truth } = generateKuramoto({ vars: 5, length: 1000, seed: 0 });
 */
export function generateKuramoto(options: KuramotoOptions): KuramotoResult {
  const V = checkInt(WHERE, "vars", options.vars, 1);
  const T = checkLength(WHERE, options.length, 1);
  const coupling = checkNumber(WHERE, "coupling", options.coupling ?? 1, 0);
  const density = checkNumber(WHERE, "density", options.density ?? 0.3, 0, 1);
  const maxParents = checkInt(WHERE, "maxParents", options.maxParents ?? 3, 0);
  const [wLo, wHi] = options.omegaRange ?? [1, 3];
  checkNumber(WHERE, "omegaRange[0]", wLo);
  checkNumber(WHERE, "omegaRange[1]", wHi, wLo);
  const dt = checkNumber(WHERE, "dt", options.dt ?? 0.1, 0, Infinity, true);
  const noise = checkNumber(WHERE, "noise", options.noise ?? 0.1, 0);
  const step = checkNumber(WHERE, "step", options.step ?? Math.min(dt, 0.01), 0, dt, true);
  const burnIn = checkInt(WHERE, "burnIn", options.burnIn ?? 200, 0);
  const seed = checkSeed(WHERE, options.seed ?? 0);

  const root = new Rng(seed);
  const structureRng = root.fork();
  const noiseRng = root.fork();

  const parents = sampleSparseGraph(structureRng, { vars: V, maxLag: 1, density, maxParents, selfLoops: false });
  const couplingMatrix = new Float64Array(V * V); // [V, V] [effect][cause]
  const drivers: KuramotoDrivers = parents.map((list, i) =>
    list.map(({ cause }) => {
      const k = coupling * structureRng.range(0.5, 1.5);
      couplingMatrix[i * V + cause] = k;
      return { cause, k };
    }),
  );
  const omega = Float64Array.from({ length: V }, () => structureRng.range(wLo, wHi));
  const theta0 = Float64Array.from({ length: V }, () => structureRng.range(0, 2 * Math.PI));

  const all = integrateKuramoto(theta0, { omega, drivers, dt, samples: burnIn + T, step, noise, rng: noiseRng });
  const phases = all.slice(burnIn * V); // [T, V]
  const data = phases.map(Math.sin);
  assertFinite(WHERE, data);

  const edges: LaggedEdge[] = [];
  for (let i = 0; i < V; i++) {
    edges.push({ cause: `x${i}`, effect: `x${i}`, lag: 1 });
    for (const { cause, k } of drivers[i]) if (k !== 0) edges.push({ cause: `x${cause}`, effect: `x${i}`, lag: 1 });
  }
  return { series: makeSeries(V, T, data), truth: makeTruth(V, 1, edges, true), omega, couplingMatrix, phases };
}
