import { Rng, type GroundTruth, type TimeSeries } from "@causeway/core";
import { generateKuramoto, generateLorenz96, generateNonlinear, generateVar } from "@causeway/synth";
import { DEFAULT_ARCHITECTURE } from "./config.js";
import { buildInput, modelFeatures } from "./features.js";

/** Share of each generator in the training mixture (normalised; 0 drops a generator). */
export interface MixtureWeights {
  var: number;
  nonlinear: number;
  lorenz96: number;
  kuramoto: number;
}

/** What the training pairs are drawn from (the data recipe). */
export interface DataRecipe {
  /** Smallest number of variables (3 in the paper); the largest is vMax. */
  minVars: number;
  /** Series lengths are drawn uniformly from [minLength, maxLength] (crops of the pool's series). */
  minLength: number;
  maxLength: number;
  mixture: MixtureWeights;
  /** Edge density range of the VAR / nonlinear / Kuramoto graphs. */
  densityRange: [number, number];
  /** Generated series kept in the training pool (each example is a random crop and variable permutation of one). */
  poolSize: number;
  /** Pool slots replaced by freshly generated series after every step (the stream). */
  refreshPerStep: number;
}

export const DEFAULT_RECIPE: DataRecipe = {
  minVars: 3,
  minLength: 100,
  maxLength: 600,
  mixture: { var: 0.35, nonlinear: 0.35, lorenz96: 0.15, kuramoto: 0.15 },
  densityRange: [0.1, 0.5],
  poolSize: 2048,
  refreshPerStep: 8,
};

/** One training pair: a generated series and its ground truth. */
export interface SeriesPair {
  kind: keyof MixtureWeights;
  series: TimeSeries;
  truth: GroundTruth;
}

/** A prepared training example: model input, labels and the correlation-regulariser target. */
export interface TrainingExample {
  x: Float32Array; // [lMax, vMax]
  corr: Float32Array; // [vMax, vMax, maxLag]
  /** The injected statistics the model reads, `[S * vMax * vMax * maxLag]` (see `modelFeatures`). */
  stats: Float32Array;
  /** Per-entry edge features (empty without an edge head). */
  edge: Float32Array;
  /** 1 on true edges `[effect][cause][lag-1]`, padded entries 0. */
  label: Float32Array;
  /** |corr| divided by its largest value in the example (the regulariser's target). */
  corrTarget: Float32Array;
  /** 1 on entries between real variables (for the honest, unpadded AUROC). */
  real: Uint8Array;
  vars: number;
}

/** Shape fields the data pipeline needs; the feature flags default to `DEFAULT_ARCHITECTURE`'s. */
export interface DataShape {
  vMax: number;
  maxLag: number;
  lMax: number;
  partialCorrInjection?: boolean;
  edgeHidden?: number;
}

function featureFlags(shape: DataShape): { partialCorrInjection: boolean; edgeHidden: number } {
  return {
    partialCorrInjection: shape.partialCorrInjection ?? DEFAULT_ARCHITECTURE.partialCorrInjection,
    edgeHidden: shape.edgeHidden ?? DEFAULT_ARCHITECTURE.edgeHidden,
  };
}

function pickKind(rng: Rng, m: MixtureWeights): keyof MixtureWeights {
  const kinds = ["var", "nonlinear", "lorenz96", "kuramoto"] as const;
  const total = kinds.reduce((s, k) => s + Math.max(0, m[k]), 0);
  let u = rng.uniform() * total;
  for (const k of kinds) {
    u -= Math.max(0, m[k]);
    if (u < 0) return k;
  }
  return "var";
}

/** A 32-bit hash of a few integers (seed streams). */
export function mix(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h = Math.imul(h ^ (x >>> 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
  }
  return h >>> 0;
}

/**
 * Draws one series of the training mixture (length `maxLength`): linear VAR and nonlinear SCMs
 * with V in [minVars, vMax], lags 1..maxLag, varied density, parents and noise; Lorenz-96
 * (V >= 4, forcing 5..40) and Kuramoto pairs (summary truths at lag 1) for diversity.
 * Deterministic in `seed`.
 */
export function samplePair(seed: number, shape: DataShape, recipe: DataRecipe = DEFAULT_RECIPE, length = recipe.maxLength): SeriesPair {
  // A generator may fail on rare draws (e.g. synth's QR eigenvalue iteration not converging):
  // redraw from a derived seed, deterministically.
  for (let attempt = 0; ; attempt++) {
    try {
      return drawPair(attempt === 0 ? seed : mix(seed, attempt), shape, recipe, length);
    } catch (e) {
      if (attempt >= 8) throw e;
    }
  }
}

function drawPair(seed: number, shape: DataShape, recipe: DataRecipe, length: number): SeriesPair {
  const { vMax, maxLag } = shape;
  const rng = new Rng(seed);
  let kind = pickKind(rng, recipe.mixture);
  const vars = recipe.minVars + rng.int(vMax - recipe.minVars + 1);
  if (kind === "lorenz96" && vars < 4) kind = "var";
  const density = rng.range(recipe.densityRange[0], recipe.densityRange[1]);
  const maxParents = 1 + rng.int(3);
  const s = rng.int(0xffffffff);
  switch (kind) {
    case "var": {
      const lo = rng.range(0.1, 0.4);
      const r = generateVar({ vars, length, maxLag, density, maxParents, noise: rng.range(0.2, 2), coefRange: [lo, lo + rng.range(0.1, 0.5)], seed: s });
      return { kind, series: r.series, truth: r.truth };
    }
    case "nonlinear": {
      const r = generateNonlinear({ vars, length, maxLag, density, maxParents, noise: rng.range(0.1, 0.5), seed: s });
      return { kind, series: r.series, truth: r.truth };
    }
    case "lorenz96": {
      const r = generateLorenz96({ vars, length, forcing: rng.range(5, 40), sdNoise: rng.range(0.05, 0.5), burnIn: 300, seed: s });
      return { kind, series: r.series, truth: r.truth };
    }
    case "kuramoto": {
      const r = generateKuramoto({ vars, length, density, maxParents, coupling: rng.range(0.5, 2), noise: rng.range(0.05, 0.3), seed: s });
      return { kind, series: r.series, truth: r.truth };
    }
  }
}

/**
 * Label tensor `[vMax, vMax, maxLag]` of a truth under a variable order (slot i holds variable
 * order[i]). A summary-only truth (Lorenz-96, Kuramoto: continuous-time systems whose influence
 * reaches every sampled lag) labels every lag of a true pair.
 */
export function labelTensor(truth: GroundTruth, vMax: number, maxLag: number, order?: readonly number[]): Float32Array {
  const index = new Map(truth.variables.map((v, i) => [v, i]));
  const slot = new Map<number, number>();
  (order ?? truth.variables.map((_, i) => i)).forEach((v, i) => slot.set(v, i));
  const out = new Float32Array(vMax * vMax * maxLag);
  for (const e of truth.edges) {
    const ei = slot.get(index.get(e.effect) ?? -1);
    const ci = slot.get(index.get(e.cause) ?? -1);
    if (ei === undefined || ci === undefined || e.lag < 1 || e.lag > maxLag) continue;
    if (truth.summaryOnly) out.fill(1, (ei * vMax + ci) * maxLag, (ei * vMax + ci + 1) * maxLag);
    else out[(ei * vMax + ci) * maxLag + e.lag - 1] = 1;
  }
  return out;
}

/**
 * Turns a pair into a training example: a random crop of length [minLength, T], a random
 * variable order and padding noise, all drawn from `seed`.
 */
export function prepareExample(pair: SeriesPair, shape: DataShape, recipe: DataRecipe, seed: number, augment = true): TrainingExample {
  const { vMax, maxLag } = shape;
  const { series, truth } = pair;
  const rng = new Rng(seed);
  const V = series.variables.length;
  const full = series.length;
  const len = augment ? Math.min(full, recipe.minLength + rng.int(Math.max(1, full - recipe.minLength + 1))) : full;
  const from = augment ? rng.int(full - len + 1) : 0;
  const data = series.data.subarray(from * V, (from + len) * V);
  const order = augment ? (rng.shuffle(Array.from({ length: V }, (_, i) => i)) as number[]) : undefined;
  const input = buildInput(data, len, V, shape, rng, { order });
  const features = modelFeatures(input, V, { ...shape, ...featureFlags(shape) });
  const label = labelTensor(truth, vMax, maxLag, order);
  const corrTarget = new Float32Array(input.corr.length);
  let top = 0;
  for (const r of input.corr) top = Math.max(top, Math.abs(r));
  for (let i = 0; i < corrTarget.length; i++) corrTarget[i] = top > 0 ? Math.abs(input.corr[i]) / top : 0;
  const real = new Uint8Array(label.length);
  for (let e = 0; e < V; e++) for (let c = 0; c < V; c++) for (let l = 0; l < maxLag; l++) real[(e * vMax + c) * maxLag + l] = 1;
  return { x: input.x, corr: input.corr, stats: features.stats, edge: features.edge, label, corrTarget, real, vars: V };
}

/** Fixed validation examples of the mixture (fresh series of random length, stream `seed`). */
export function validationSet(seed: number, count: number, shape: DataShape, recipe: DataRecipe = DEFAULT_RECIPE): TrainingExample[] {
  return Array.from({ length: count }, (_, i) => {
    const s = mix(seed, 0x7a11d, i);
    const len = recipe.minLength + new Rng(s ^ 0x3c6ef372).int(recipe.maxLength - recipe.minLength + 1);
    return prepareExample(samplePair(s, shape, recipe, len), shape, recipe, s ^ 0x5bd1e995, false);
  });
}

/**
 * The training stream: a pool of `poolSize` generated series; after step k the slots
 * `(k * refreshPerStep + j) mod poolSize` (j < refreshPerStep) are regenerated. Slot contents
 * are a pure function of (seed, step), so a resumed run sees the same stream.
 */
export class TrainingPool {
  private readonly pairs: SeriesPair[];
  private readonly generation: number[];
  constructor(
    readonly seed: number,
    readonly shape: DataShape,
    readonly recipe: DataRecipe,
    step = 0,
  ) {
    const P = recipe.poolSize;
    this.generation = Array.from({ length: P }, (_, s) => this.generationAt(s, step));
    this.pairs = this.generation.map((g, s) => samplePair(mix(seed, s, g), shape, recipe));
  }
  /** How many times slot s was refreshed before `step` (refreshes happen after each step). */
  private generationAt(slot: number, step: number): number {
    const P = this.recipe.poolSize;
    const total = step * this.recipe.refreshPerStep; // refreshes done so far, cyclic over slots
    return Math.floor(total / P) + (slot < total % P ? 1 : 0);
  }
  /** The batch of training step `step`. */
  batch(step: number, size: number): TrainingExample[] {
    return Array.from({ length: size }, (_, i) => {
      const s = mix(this.seed, 0xba7c4, step, i);
      return prepareExample(this.pairs[s % this.pairs.length], this.shape, this.recipe, s);
    });
  }
  /** Regenerates the slots refreshed after step `step`. */
  advance(step: number): void {
    const P = this.recipe.poolSize;
    for (let j = 0; j < this.recipe.refreshPerStep; j++) {
      const slot = (step * this.recipe.refreshPerStep + j) % P;
      this.generation[slot]++;
      this.pairs[slot] = samplePair(mix(this.seed, slot, this.generation[slot]), this.shape, this.recipe);
    }
  }
}
