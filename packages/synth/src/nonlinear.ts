import { InputError, Rng } from "@causeway/core";
import { checkParents, parentsToEdges, resolveLags, sampleSparseGraph, type LaggedGraphOptions, type Parent } from "./graph.js";
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

/** The function family of the Large Causal Models paper's synthetic temporal SCMs. */
export const NONLINEAR_FUNCTIONS = [
  "linear",
  "polynomial",
  "sin",
  "exp",
  "log",
  "interaction",
  "tanh",
  "sigmoid",
] as const;
export type NonlinearFunction = (typeof NONLINEAR_FUNCTIONS)[number];

/**
 * One additive term `weight * g(u_a(t - lag_a) [, u_b(t - lag_b)])` of an equation, where
 * `u_i = tanh(x_i / inputScale)` is the squashed input (see {@link generateNonlinear}).
 */
export interface NonlinearTerm {
  kind: NonlinearFunction;
  /** The lagged inputs: one, or two for `interaction`. */
  inputs: Parent[];
  weight: number;
  /** Degree (2 or 3) of a `polynomial` term. */
  degree?: number;
  /** Where a `sigmoid` term's soft step sits, in (-0.5, 0.5). */
  shift?: number;
}

/** The structural equation of one variable: `x_effect(t) = sum of terms + noise`. */
export interface NonlinearEquation {
  effect: number;
  terms: NonlinearTerm[];
}

export interface NonlinearOptions extends LaggedGraphOptions, NoiseShapeOptions {
  /** Standard deviation of the additive noise (> 0; see `noiseDistribution`). Default 0.3. */
  noise?: number;
  /** Functions to draw from, uniformly. Default: all of {@link NONLINEAR_FUNCTIONS}. */
  functions?: readonly NonlinearFunction[];
  /** Term weights are drawn uniformly from [lo, hi] with a random sign. Default [0.5, 1]. */
  weightRange?: readonly [number, number];
  /** Bound S on `sum |weight|` per equation, so `|x_j(t) - noise| <= S`. Default 2. */
  bound?: number;
  /** Inputs are squashed as `u = tanh(x / inputScale)` before any function. Default 0.75. */
  inputScale?: number;
  /** Steps simulated from x = 0 and discarded before the returned series. Default 200. */
  burnIn?: number;
  /** Seed of the generator (unsigned 32-bit integer). Default 0. */
  seed?: number;
  /** A fixed graph (parents per effect) instead of a random one, as in `generateVar`. Default: drawn. */
  parents?: readonly (readonly Parent[])[];
}

export interface NonlinearResult extends Generated {
  /** The equations that produced the series, one per variable (for checks and plots). */
  equations: NonlinearEquation[];
  /** The squashing scale used: `u = tanh(x / inputScale)`. */
  inputScale: number;
}

/**
 * Default squashing scale: inputs enter the functions as `u = tanh(x / INPUT_SCALE)`. With the
 * default noise (0.3) and bound (2) the series have a standard deviation of about 0.5, so u
 * spreads over most of (-1, 1) and every function's shape matters (see the package README).
 */
export const INPUT_SCALE = 0.75;

const WHERE = "generateNonlinear";
/** Steepness of the `sigmoid` soft step. */
const SIGMOID_GAIN = 6;

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/**
 * Value of one term's function `g` at squashed inputs `ua` (and `ub` for interactions), without
 * the weight. Every `g` has `g(0) = 0` (or `g(0, .) = 0`) and `|g| <= 1` on `(-1, 1)`.
 */
export function termFunction(term: NonlinearTerm, ua: number, ub = 0): number {
  switch (term.kind) {
    case "linear":
      return ua;
    case "polynomial":
      return term.degree === 3 ? ua * ua * ua : ua * ua;
    case "sin":
      return Math.sin(Math.PI * ua);
    case "exp":
      return Math.expm1(ua) / Math.expm1(1);
    case "log":
      return Math.log1p(Math.abs(ua)) / Math.LN2;
    case "tanh":
      return Math.tanh(2 * ua) / Math.tanh(2);
    case "sigmoid": {
      const c = term.shift ?? 0;
      const base = sigmoid(-SIGMOID_GAIN * c);
      const range = Math.max(sigmoid(SIGMOID_GAIN * (1 - c)) - base, base - sigmoid(SIGMOID_GAIN * (-1 - c)));
      return (sigmoid(SIGMOID_GAIN * (ua - c)) - base) / range;
    }
    case "interaction":
      return ua * ub;
  }
}

/**
 * Value of a term (weight included) given raw lagged values: `value(cause, lag)` returns
 * `x_cause(t - lag)`; pass the `inputScale` the series was generated with. Useful to check a
 * series against its equations.
 */
export function evaluateTerm(
  term: NonlinearTerm,
  value: (cause: number, lag: number) => number,
  inputScale = INPUT_SCALE,
): number {
  const u = (p: Parent): number => Math.tanh(value(p.cause, p.lag) / inputScale);
  const ua = u(term.inputs[0]);
  const ub = term.inputs.length > 1 ? u(term.inputs[1]) : 0;
  return term.weight * termFunction(term, ua, ub);
}

/**
 * Nonlinear additive-noise temporal SCM after the synthetic generators of the Large Causal Models
 * paper (Kougioulis et al. 2026, arXiv:2602.18662): on a random sparse lagged graph,
 *
 *   x_j(t) = sum_{(i, l) in Pa(j)} w_{j,i,l} g_{j,i,l}(u_i(t - l)) + e_j(t),   e_j(t) ~ N(0, noise^2),
 *
 * with `g` drawn per edge from linear, polynomial (u^2 or u^3), sin(pi u), (e^u - 1)/(e - 1),
 * log(1 + |u|)/log 2, tanh(2u)/tanh 2, a shifted sigmoid step, and the multiplicative interaction
 * u_i(t - l) u_k(t - l') with another parent (i, l) of the same effect (so both inputs are causes
 * in the truth; with no other parent an interaction falls back to linear).
 *
 * Boundedness (for stationarity): inputs are squashed, `u = tanh(x / inputScale)` in (-1, 1)
 * (inputScale 0.75 by default); every `g` is
 * scaled so `|g| <= 1` there with `g(0) = 0`; weights `±U[weightRange]` are shrunk so that
 * `sum |w| <= bound`. Hence `|x_j(t) - e_j(t)| <= bound` at every step: a bounded map plus
 * Gaussian noise, which cannot blow up. The first `burnIn` steps (from x = 0) are discarded.
 *
 * @example
 * const { series, truth, equations } = generateNonlinear({ vars: 5, length: 1000, seed: 1 });
 */
export function generateNonlinear(options: NonlinearOptions): NonlinearResult {
  const V = checkInt(WHERE, "vars", options.vars, 1);
  const { maxLag, lags } = resolveLags(WHERE, options, 3);
  const T = checkLength(WHERE, options.length, maxLag);
  const density = checkNumber(WHERE, "density", options.density ?? 0.3, 0, 1);
  const maxParents = checkInt(WHERE, "maxParents", options.maxParents ?? 3, 0);
  const selfLoops = options.selfLoops ?? true;
  const noise = checkNumber(WHERE, "noise", options.noise ?? 0.3, 0, Infinity, true);
  const functions = options.functions ?? NONLINEAR_FUNCTIONS;
  if (!Array.isArray(functions) || functions.length === 0) {
    throw new InputError(`${WHERE}: option "functions" must list at least one of ${NONLINEAR_FUNCTIONS.join(", ")}`);
  }
  for (const f of functions) {
    if (!NONLINEAR_FUNCTIONS.includes(f)) {
      throw new InputError(
        `${WHERE}: unknown function "${String(f)}" in option "functions"; valid: ${NONLINEAR_FUNCTIONS.join(", ")}`,
      );
    }
  }
  const [wLo, wHi] = options.weightRange ?? [0.5, 1];
  checkNumber(WHERE, "weightRange[0]", wLo, 0, Infinity, true);
  checkNumber(WHERE, "weightRange[1]", wHi, wLo);
  const bound = checkNumber(WHERE, "bound", options.bound ?? 2, 0, Infinity, true);
  const scale = checkNumber(WHERE, "inputScale", options.inputScale ?? INPUT_SCALE, 0, Infinity, true);
  const burnIn = checkInt(WHERE, "burnIn", options.burnIn ?? 200, 0);
  const seed = checkSeed(WHERE, options.seed ?? 0);

  const root = new Rng(seed);
  const structureRng = root.fork();
  const noiseRng = root.fork();
  const parents = options.parents
    ? checkParents(WHERE, options.parents, V, maxLag)
    : sampleSparseGraph(structureRng, { vars: V, maxLag, density, maxParents, selfLoops, lags });

  // One term per parent; an interaction pairs its parent with another parent of the same effect.
  const equations: NonlinearEquation[] = parents.map((list, effect) => {
    const terms: NonlinearTerm[] = list.map((parent, k) => {
      let kind = functions[structureRng.int(functions.length)];
      const inputs: Parent[] = [parent];
      if (kind === "interaction") {
        if (list.length < 2) {
          kind = "linear";
        } else {
          const other = (k + 1 + structureRng.int(list.length - 1)) % list.length;
          inputs.push(list[other]);
        }
      }
      const weight = (structureRng.bernoulli(0.5) ? 1 : -1) * structureRng.range(wLo, wHi);
      const term: NonlinearTerm = { kind, inputs, weight };
      if (kind === "polynomial") term.degree = structureRng.bernoulli(0.5) ? 2 : 3;
      if (kind === "sigmoid") term.shift = structureRng.range(-0.5, 0.5);
      return term;
    });
    const total = terms.reduce((s, t) => s + Math.abs(t.weight), 0);
    if (total > bound) for (const t of terms) t.weight *= bound / total;
    return { effect, terms };
  });

  // Simulate, keeping u = tanh(x / inputScale) beside x; x_t = 0 (u = 0) for t < 0.
  const steps = burnIn + T;
  const shocks = noiseSource(WHERE, options, noise, V, steps, structureRng, noiseRng);
  const x = new Float64Array(steps * V); // [burnIn + T, V]
  const u = new Float64Array(steps * V); // [burnIn + T, V]
  const lagged = (t: number, p: Parent): number => (t - p.lag >= 0 ? u[(t - p.lag) * V + p.cause] : 0);
  for (let t = 0; t < steps; t++) {
    for (let j = 0; j < V; j++) {
      let value = shocks.draw(j, t, t > 0 ? x[(t - 1) * V + j] : 0);
      for (const term of equations[j].terms) {
        const ua = lagged(t, term.inputs[0]);
        const ub = term.inputs.length > 1 ? lagged(t, term.inputs[1]) : 0;
        value += term.weight * termFunction(term, ua, ub);
      }
      x[t * V + j] = value;
      u[t * V + j] = Math.tanh(value / scale);
    }
  }
  const data = x.slice(burnIn * V);
  assertFinite(WHERE, data);

  return {
    series: makeSeries(V, T, data),
    truth: makeTruth(V, maxLag, parentsToEdges(parents), false),
    equations,
    inputScale: scale,
  };
}
