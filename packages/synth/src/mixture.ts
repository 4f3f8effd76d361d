import { InputError, Rng } from "@causeway/core";
import { generateFromSpec, type CollectionSpec, type GeneratorName } from "./collections.js";
import { NOISE_DISTRIBUTIONS, type NoiseShapeOptions } from "./noise.js";
import { NONLINEAR_FUNCTIONS, type NonlinearFunction } from "./nonlinear.js";
import { checkSeed, type Generated } from "./options.js";

/** The families of the training mixture (issue #19 item 3), each with its own randomised parameters. */
export const MIXTURE_FAMILIES = [
  "var",
  "nonlinear",
  "longlag",
  "nonstationary",
  "hetero",
  "lorenz96",
  "kuramoto",
  "spiking",
  "bold",
  "confounded",
] as const;
export type MixtureFamily = (typeof MIXTURE_FAMILIES)[number];

/**
 * Seed split: mixture seeds below this are for training, seeds from it up (to 2^32 - 1) for
 * evaluation only. The generator runs with the mixture seed itself, so a training draw and an
 * evaluation draw never share a seed.
 */
export const EVALUATION_SEED_START = 1_000_000_000;

/** A family's generator with randomised options (no seed). */
export interface MixtureSpec {
  family: MixtureFamily;
  generator: GeneratorName;
  options: CollectionSpec["options"];
}

/** One draw of the mixture. */
export interface MixtureItem extends Generated {
  family: MixtureFamily;
  generator: GeneratorName;
  /** The options the generator ran with (seed excluded). */
  params: CollectionSpec["options"];
  /** The mixture seed (also the generator's seed). */
  seed: number;
}

export interface MixtureOptions {
  /** Families to draw from, uniformly. Default: all of {@link MIXTURE_FAMILIES}. */
  families?: readonly MixtureFamily[];
  /** Checks the seed is on this side of {@link EVALUATION_SEED_START}. Default: not checked. */
  split?: "train" | "eval";
  /** Range of the number of variables V (inclusive). Default [3, 20]. */
  vars?: readonly [number, number];
  /** Range of the length T (inclusive), drawn log-uniformly. Default [100, 2000]. */
  length?: readonly [number, number];
}

const WHERE = "sampleMixture";

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];
const intIn = (rng: Rng, lo: number, hi: number): number => lo + rng.int(hi - lo + 1);

/** Shared noise shape: half Gaussian, else another law or a per-variable mix; heteroscedastic 25% of the time. */
function noiseShape(rng: Rng): NoiseShapeOptions {
  const out: NoiseShapeOptions = {};
  if (rng.bernoulli(0.5)) out.noiseDistribution = pick(rng, [...NOISE_DISTRIBUTIONS.slice(1), "mixed"] as const);
  out.df = rng.range(2.5, 10);
  if (rng.bernoulli(0.25)) out.heteroscedastic = { kind: rng.bernoulli(0.5) ? "level" : "envelope", strength: rng.range(0.3, 2) };
  return out;
}

/** Graph options shared by the lagged families: density, fan-in, self-loops, maxLag 1..5 (small lags likelier). */
function graph(rng: Rng): { maxLag: number; density: number; maxParents: number; selfLoops: boolean } {
  return {
    maxLag: pick(rng, [1, 2, 2, 3, 3, 3, 4, 5]),
    density: rng.range(0.05, 0.5),
    maxParents: intIn(rng, 1, 4),
    selfLoops: rng.bernoulli(0.85),
  };
}

/** A sparse set of 1-3 long lags in 1..10, at least one of them >= 4. */
function longLags(rng: Rng): number[] {
  const lags = new Set([intIn(rng, 4, 10)]);
  const extra = rng.int(3);
  for (let k = 0; k < extra; k++) lags.add(intIn(rng, 1, 10));
  return [...lags].sort((a, b) => a - b);
}

function varOptions(rng: Rng, vars: number, length: number): Record<string, unknown> {
  const lo = rng.range(0.1, 0.35);
  return {
    vars,
    length,
    ...graph(rng),
    coefRange: [lo, lo + rng.range(0.1, 0.4)] as const,
    maxSpectralRadius: rng.range(0.5, 0.97),
    noise: rng.range(0.5, 2),
    ...noiseShape(rng),
  };
}

function functionSubset(rng: Rng): NonlinearFunction[] {
  if (rng.bernoulli(0.4)) return [...NONLINEAR_FUNCTIONS];
  const chosen = NONLINEAR_FUNCTIONS.filter(() => rng.bernoulli(0.5));
  return chosen.length > 0 ? chosen : [pick(rng, NONLINEAR_FUNCTIONS)];
}

function nonlinearOptions(rng: Rng, vars: number, length: number): Record<string, unknown> {
  const lo = rng.range(0.3, 0.8);
  return {
    vars,
    length,
    ...graph(rng),
    functions: functionSubset(rng),
    weightRange: [lo, lo + rng.range(0.1, 0.6)] as const,
    bound: rng.range(1, 3),
    noise: rng.range(0.1, 0.6),
    ...noiseShape(rng),
  };
}

/**
 * Randomised options of one family, with V and T drawn from `vars` and `length` (log-uniform T).
 * Every parameter the generator takes is drawn; the ranges are those documented in the README.
 */
export function randomSpec(rng: Rng, family: MixtureFamily, ranges: Pick<MixtureOptions, "vars" | "length"> = {}): MixtureSpec {
  const [vLo, vHi] = ranges.vars ?? [3, 20];
  const [tLo, tHi] = ranges.length ?? [100, 2000];
  if (!(Number.isInteger(vLo) && Number.isInteger(vHi) && vLo >= 2 && vHi >= vLo)) {
    throw new InputError(`randomSpec: "vars" must be integers [lo, hi] with 2 <= lo <= hi, got [${vLo}, ${vHi}]`);
  }
  if (!(tLo >= 20 && tHi >= tLo)) throw new InputError(`randomSpec: "length" must be [lo, hi] with 20 <= lo <= hi, got [${tLo}, ${tHi}]`);
  const V = intIn(rng, vLo, vHi);
  const T = Math.round(Math.exp(rng.range(Math.log(tLo), Math.log(tHi))));
  const spec = (generator: GeneratorName, options: Record<string, unknown>): MixtureSpec =>
    ({ family, generator, options }) as MixtureSpec;
  switch (family) {
    case "var":
      return spec("var", varOptions(rng, V, T));
    case "nonlinear":
      return spec("nonlinear", nonlinearOptions(rng, V, T));
    case "longlag": {
      const lags = longLags(rng);
      const base = rng.bernoulli(0.5) ? varOptions(rng, V, T) : nonlinearOptions(rng, V, T);
      const options = { ...base, lags, maxLag: Math.max(...lags), length: Math.max(T, 2 * Math.max(...lags) + 2) };
      return spec("functions" in base ? "nonlinear" : "var", options);
    }
    case "nonstationary":
      return spec("nonstationary", {
        ...varOptions(rng, V, T),
        trend: rng.range(0, 4),
        walk: rng.range(0, 3),
        switchAt: rng.range(0.2, 0.8),
        shift: rng.range(0, 3),
        noiseRatio: rng.range(1, 3),
        seasonal: rng.bernoulli(0.5) ? rng.range(0.2, 2) : 0,
        couplingSwitch: rng.range(0, 0.8),
      });
    case "hetero":
      return spec("nonlinear", {
        ...nonlinearOptions(rng, V, T),
        noiseDistribution: "mixed",
        df: rng.range(2.5, 6),
        heteroscedastic: { kind: rng.bernoulli(0.5) ? "level" : "envelope", strength: rng.range(0.5, 2) },
      });
    case "lorenz96":
      return spec("lorenz96", {
        vars: Math.max(4, V),
        length: T,
        forcing: rng.range(5, 40),
        dt: pick(rng, [0.02, 0.05, 0.05, 0.1]),
        sdNoise: rng.range(0.02, 0.5),
      });
    case "kuramoto": {
      const lo = rng.range(0.5, 2);
      return spec("kuramoto", {
        vars: V,
        length: T,
        coupling: rng.range(0.3, 3),
        density: rng.range(0.1, 0.5),
        maxParents: intIn(rng, 1, 4),
        omegaRange: [lo, lo + rng.range(0.5, 3)] as const,
        dt: pick(rng, [0.05, 0.1, 0.2]),
        noise: rng.range(0.02, 0.4),
      });
    }
    case "spiking": {
      const lo = rng.range(8, 16);
      return spec("spiking", {
        vars: V,
        length: T,
        maxLag: intIn(rng, 1, 5),
        density: rng.range(0.1, 0.5),
        maxParents: intIn(rng, 1, 4),
        inhibitoryFraction: rng.range(0, 0.35),
        weightRange: [lo, lo + rng.range(2, 10)] as const,
        synapticTau: rng.range(2, 8),
        binMs: pick(rng, [5, 10, 10, 20]),
        drive: rng.range(0, 4),
        inputNoise: rng.range(3, 6),
        observe: rng.bernoulli(0.7) ? "rates" : "potential",
        smoothing: rng.bernoulli(0.5) ? 0 : rng.range(0.5, 3),
        observationNoise: rng.bernoulli(0.5) ? 0 : rng.range(0, 5),
      });
    }
    case "bold": {
      const lo = rng.range(0.2, 0.6);
      return spec("bold", {
        vars: Math.min(V, 15),
        length: T,
        density: rng.range(0.1, 0.5),
        maxParents: intIn(rng, 1, 4),
        couplingRange: [lo, lo + rng.range(0.1, 0.5)] as const,
        negativeFraction: rng.bernoulli(0.5) ? 0 : rng.range(0, 0.4),
        neural: rng.bernoulli(0.7) ? "linear" : "nonlinear",
        tau: rng.range(0.5, 2),
        neuralNoise: rng.range(0.1, 0.6),
        tr: rng.range(0.7, 3),
        hrfJitter: rng.range(0, 1),
        measurementNoise: rng.range(0.05, 0.5),
      });
    }
    case "confounded": {
      const base = rng.bernoulli(0.6) ? varOptions(rng, V, T) : nonlinearOptions(rng, V, T);
      const hi = Math.min(V, intIn(rng, 2, 4));
      return spec("confounded", {
        ...base,
        model: "functions" in base ? "nonlinear" : "var",
        hidden: intIn(rng, 1, 3),
        childrenRange: [Math.min(2, hi), hi] as const,
      });
    }
  }
}

/**
 * One draw of the training mixture: the family (uniform over `families`) and its parameters come
 * from `seed`, and the generator runs with `seed` itself. Seeds below {@link EVALUATION_SEED_START}
 * are for training, the rest for evaluation (`split` checks the side).
 *
 * @example
 * for (let seed = 0; seed < 1000; seed++) { const { series, truth, family } = sampleMixture(seed, { split: "train" }); }
 */
export function sampleMixture(seed: number, options: MixtureOptions = {}): MixtureItem {
  checkSeed(WHERE, seed);
  if (options.split === "train" && seed >= EVALUATION_SEED_START) {
    throw new InputError(`${WHERE}: seed ${seed} is an evaluation seed (>= ${EVALUATION_SEED_START}); training seeds are below it`);
  }
  if (options.split === "eval" && seed < EVALUATION_SEED_START) {
    throw new InputError(`${WHERE}: seed ${seed} is a training seed; evaluation seeds are >= ${EVALUATION_SEED_START}`);
  }
  const families = options.families ?? MIXTURE_FAMILIES;
  if (families.length === 0 || families.some((f) => !MIXTURE_FAMILIES.includes(f))) {
    throw new InputError(`${WHERE}: option "families" must list some of ${MIXTURE_FAMILIES.join(", ")}`);
  }
  // the parameter stream is apart from the generator's (which forks Rng(seed))
  const rng = new Rng((seed ^ 0x9e3779b9) >>> 0);
  const family = pick(rng, families);
  const spec = randomSpec(rng, family, options);
  const generated = generateFromSpec({ name: family, description: family, ...spec } as CollectionSpec, seed);
  return { series: generated.series, truth: generated.truth, family, generator: spec.generator, params: spec.options, seed };
}
