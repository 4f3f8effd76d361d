// LCM v2's training series: every family @causeway/synth offers, parameters randomised, drawn
// deterministically from (seed, index). Generator seeds are >= 1e6, so the small seeds the
// benchmarks and synth's collections use are never trained on.
import { Rng, type GroundTruth, type TimeSeries } from "@causeway/core";
import {
  EVALUATION_SEED_START,
  MIXTURE_FAMILIES,
  generateKuramoto,
  generateLorenz96,
  generateNonlinear,
  generateNonstationary,
  generateSvar,
  generateVar,
  sampleMixture,
  SVAR_NOISES,
  type MixtureFamily,
} from "@causeway/synth";
import { mix } from "../data.js";

/** The families of the v2 training mixture. */
export const V2_FAMILIES = ["var", "longlag", "nonlinear", "nonstationary", "svar", "transformed", "lorenz96", "kuramoto"] as const;
export type V2Family = (typeof V2_FAMILIES)[number];

/** Shape ranges of the training series. */
export interface V2Ranges {
  minVars: number;
  maxVars: number;
  minLength: number;
  maxLength: number;
  /** Largest true lag (and feature-table lag). */
  maxLag: number;
}

export const DEFAULT_V2_RANGES: V2Ranges = { minVars: 3, maxVars: 20, minLength: 100, maxLength: 2000, maxLag: 10 };

/** A training series with its truth and the maxLag its feature table uses (>= every true lag). */
export interface V2Sample {
  /** A `V2_FAMILIES` name (builtin source) or a synth `MIXTURE_FAMILIES` name (mixture source). */
  family: string;
  series: TimeSeries;
  truth: GroundTruth;
  maxLag: number;
}

/** Generator seeds start here: benchmark and collection seeds stay below. */
export const TRAIN_SEED_FLOOR = 1_000_000;

function pickFamily(rng: Rng, weights: Partial<Record<V2Family, number>>): V2Family {
  const total = V2_FAMILIES.reduce((s, f) => s + Math.max(0, weights[f] ?? 0), 0);
  let u = rng.uniform() * total;
  for (const f of V2_FAMILIES) {
    u -= Math.max(0, weights[f] ?? 0);
    if (u < 0) return f;
  }
  return "var";
}

/** Integer log-uniform in [lo, hi]. */
const logInt = (rng: Rng, lo: number, hi: number): number => Math.round(Math.exp(rng.range(Math.log(lo), Math.log(hi))));

/** One series of family `weights`' mixture, deterministic in `seed` (a failing draw is redrawn from a derived seed). */
export function sampleV2(seed: number, weights: Partial<Record<V2Family, number>>, ranges: V2Ranges = DEFAULT_V2_RANGES): V2Sample {
  for (let attempt = 0; ; attempt++) {
    try {
      return drawV2(attempt === 0 ? seed : mix(seed, attempt), weights, ranges);
    } catch (e) {
      if (attempt >= 8) throw e;
    }
  }
}

function drawV2(seed: number, weights: Partial<Record<V2Family, number>>, r: V2Ranges): V2Sample {
  const rng = new Rng(seed);
  const family = pickFamily(rng, weights);
  const vars = r.minVars + rng.int(r.maxVars - r.minVars + 1);
  const length = logInt(rng, r.minLength, r.maxLength);
  const density = rng.range(0.05, 0.4);
  const maxParents = 1 + rng.int(4);
  const s = TRAIN_SEED_FLOOR + rng.int(0x7fffffff - TRAIN_SEED_FLOOR);
  const shortLag = 1 + rng.int(Math.min(3, r.maxLag));
  const longLag = Math.min(r.maxLag, 4 + rng.int(Math.max(1, r.maxLag - 3)));
  // the table's maxLag: the true one plus 0..3 spare lags (true negatives beyond the truth)
  const tableLag = (p: number): number => Math.min(r.maxLag, p + rng.int(4));
  const lagged = (p: number) => ({ vars, length, maxLag: p, density, maxParents, seed: s });
  switch (family) {
    case "var":
    case "longlag": {
      const p = family === "var" ? shortLag : longLag;
      const lo = rng.range(0.1, 0.4);
      const g = generateVar({ ...lagged(p), noise: rng.range(0.2, 2), coefRange: [lo, lo + rng.range(0.1, 0.5)] });
      return { family, series: g.series, truth: g.truth, maxLag: tableLag(p) };
    }
    case "nonlinear":
    case "transformed": {
      const p = rng.bernoulli(0.3) ? longLag : shortLag;
      const g = generateNonlinear({ ...lagged(p), noise: rng.range(0.1, 0.5) });
      const series = family === "transformed" ? monotoneTransform(g.series, rng) : g.series;
      return { family, series, truth: g.truth, maxLag: tableLag(p) };
    }
    case "nonstationary": {
      const p = rng.bernoulli(0.3) ? longLag : shortLag;
      const lo = rng.range(0.1, 0.4);
      const g = generateNonstationary({ ...lagged(p), coefRange: [lo, lo + rng.range(0.1, 0.4)], trend: rng.range(0, 4), walk: rng.range(0, 3), shift: rng.range(0, 3), noiseRatio: rng.range(1, 4), switchAt: rng.range(0.2, 0.8) });
      return { family, series: g.series, truth: g.truth, maxLag: tableLag(p) };
    }
    case "svar": {
      const p = rng.bernoulli(0.3) ? longLag : shortLag;
      const g = generateSvar({ ...lagged(p), noise: SVAR_NOISES[rng.int(SVAR_NOISES.length)], instantaneousDensity: rng.range(0, 0.4) });
      return { family, series: g.series, truth: lagOnly(g.truth), maxLag: tableLag(p) };
    }
    case "lorenz96": {
      const g = generateLorenz96({ vars: Math.max(4, vars), length, forcing: rng.range(5, 40), sdNoise: rng.range(0.05, 0.5), burnIn: 300, seed: s });
      return { family, series: g.series, truth: g.truth, maxLag: 1 + rng.int(5) };
    }
    case "kuramoto": {
      const g = generateKuramoto({ vars, length, density, maxParents, coupling: rng.range(0.5, 2), noise: rng.range(0.05, 0.3), seed: s });
      return { family, series: g.series, truth: g.truth, maxLag: 1 + rng.int(5) };
    }
  }
}

/** The truth's lagged edges only (an SVAR's lag-0 links are not scored by a lagged model). */
function lagOnly(truth: GroundTruth): GroundTruth {
  return { ...truth, edges: truth.edges.filter((e) => e.lag >= 1) };
}

/** Each variable observed through a random monotone map (exp, cube, sign-sqrt or identity): the truth is unchanged. */
function monotoneTransform(series: TimeSeries, rng: Rng): TimeSeries {
  const V = series.variables.length;
  const maps = [(x: number) => Math.exp(Math.max(-20, Math.min(20, x))), (x: number) => x * x * x, (x: number) => Math.sign(x) * Math.sqrt(Math.abs(x)), (x: number) => x];
  const pick = Array.from({ length: V }, () => maps[rng.int(maps.length)]);
  const scale = Array.from({ length: V }, () => rng.range(0.3, 1.5));
  const data = new Float64Array(series.data.length);
  for (let i = 0; i < data.length; i++) data[i] = pick[i % V](series.data[i] * scale[i % V]);
  return { ...series, data };
}

/**
 * Labels `[V, V, L]` (effect, cause, lag) of a truth: 1 on true lagged edges; a summary-only truth
 * (Lorenz-96, Kuramoto) marks every lag of a true pair.
 */
export function labelsV2(truth: GroundTruth, L: number): Uint8Array {
  const V = truth.variables.length;
  const index = new Map(truth.variables.map((v, i) => [v, i]));
  const out = new Uint8Array(V * V * L);
  for (const e of truth.edges) {
    const ei = index.get(e.effect);
    const ci = index.get(e.cause);
    if (ei === undefined || ci === undefined || e.lag < 1 || e.lag > L) continue;
    if (truth.summaryOnly) out.fill(1, (ei * V + ci) * L, (ei * V + ci + 1) * L);
    else out[(ei * V + ci) * L + e.lag - 1] = 1;
  }
  return out;
}

/**
 * One series of `@causeway/synth`'s training mixture (`sampleMixture`, all ten families or the
 * given ones; the seed is reduced below synth's `EVALUATION_SEED_START`, the training side of its
 * split). The table's maxLag is the largest true lag plus 0..3 spare lags (at most `maxLag`); for
 * summary-only truths 1..5.
 */
export function sampleMixtureV2(seed: number, families: readonly MixtureFamily[] = MIXTURE_FAMILIES, ranges: V2Ranges = DEFAULT_V2_RANGES): V2Sample {
  const s = seed % EVALUATION_SEED_START;
  const m = sampleMixture(s, { families, split: "train", vars: [ranges.minVars, ranges.maxVars], length: [ranges.minLength, ranges.maxLength] });
  const rng = new Rng(mix(s, 0x51a9));
  const trueLag = Math.max(1, ...m.truth.edges.map((e) => e.lag));
  const maxLag = m.truth.summaryOnly ? 1 + rng.int(5) : Math.min(ranges.maxLag, trueLag + rng.int(4));
  return { family: m.family, series: m.series, truth: lagOnly(m.truth), maxLag };
}
