/**
 * Edge stability for any method (issue #17, `--bootstrap N`): the stationary block bootstrap
 * (Politis & Romano 1994) of the lagged samples, with the automatic mean block length of Politis
 * & White (2004) as corrected by Patton, Politis & White (2009). The method reruns on each
 * resample; `stability` is the fraction of resamples whose `edges` hold an edge, `scoreInterval`
 * the percentile interval of each score.
 *
 * A block is a run of L consecutive target rows (L geometric with mean b, starting at a uniformly
 * drawn target row) carried with its maxLag rows of history, and each block is its own segment
 * of the resample: every resampled target row keeps its whole lagged window and none crosses a
 * join. A method that cannot use segments gets the blocks joined end to end, as in Politis &
 * Romano's original (its windows then straddle joins; `joined` says so).
 */
import { InputError } from "../errors.js";
import { buildGraph, createScores, scoresFromNested, type ScoreTensor } from "../graph.js";
import { Rng } from "../random.js";
import { segmentBounds } from "../samples.js";
import type { CausalGraph, TimeSeries } from "../types.js";
import { runConcurrently, type BatchOptions, type RunOne } from "./repeat.js";

/** Most resamples accepted. */
export const MAX_RESAMPLES = 10_000;
/** Default level of `scoreInterval`. */
export const DEFAULT_INTERVAL_LEVEL = 0.9;

/** Politis-Romano (1995) flat-top lag window: 1 for |t| <= 1/2, 2(1 - |t|) up to 1, then 0. */
function flatTop(t: number): number {
  const a = Math.abs(t);
  return a <= 0.5 ? 1 : a <= 1 ? 2 * (1 - a) : 0;
}

/**
 * Stationary-bootstrap block length from autocovariances `R(0..M)` and bandwidth M:
 * b = (2 Ĝ² / D_SB)^{1/3} n^{1/3}, Ĝ = Σ_{|k|<=M} λ(k/M) |k| R(k), D_SB = 2 ĝ², ĝ = Σ_{|k|<=M} λ(k/M) R(k)
 * (Politis & White 2004 eq. 8-9; D_SB as corrected by Patton, Politis & White 2009), not capped.
 */
export function blockLengthFromAutocov(acv: ArrayLike<number>, M: number, n: number): number {
  let G = 0;
  let g = acv[0];
  for (let k = 1; k <= M && k < acv.length; k++) {
    const w = flatTop(k / M);
    G += 2 * w * k * acv[k];
    g += 2 * w * acv[k];
  }
  if (!(g > 0)) return 1;
  return Math.cbrt((2 * G * G) / (2 * g * g)) * Math.cbrt(n);
}

/**
 * Automatic stationary-bootstrap block length of one variable (Politis & White 2004 with the 2009
 * correction): autocovariances pooled over segments (pairs with a missing cell left out); m̂ the
 * smallest lag after which K_N = max(5, ⌈√log10 n⌉) autocorrelations in a row lie within
 * ±2√(log10 n / n); M = min(2 m̂, ⌈√n⌉ + K_N); the result clipped to [1, ⌈min(3√n, n/3)⌉].
 *
 * @param x `[T]` values (NaN: missing); `bounds` segment starts and T at the end.
 */
export function optimalBlockLength(x: ArrayLike<number>, bounds: readonly number[] = [0, x.length]): number {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < x.length; i++)
    if (!Number.isNaN(x[i])) {
      n++;
      sum += x[i];
    }
  if (n < 4) return 1;
  const mean = sum / n;
  const KN = Math.max(5, Math.ceil(Math.sqrt(Math.log10(n))));
  const mMax = Math.ceil(Math.sqrt(n)) + KN;
  const acv = new Float64Array(mMax + KN + 1); // R(0 .. mMax + KN)
  for (let k = 0; k < acv.length; k++) {
    let s = 0;
    for (let b = 0; b + 1 < bounds.length; b++)
      for (let t = bounds[b]; t + k < bounds[b + 1]; t++) {
        const p = (x[t] - mean) * (x[t + k] - mean);
        if (!Number.isNaN(p)) s += p;
      }
    acv[k] = s / n;
  }
  if (!(acv[0] > 0)) return 1;
  const critical = 2 * Math.sqrt(Math.log10(n) / n);
  // m̂: the first lag m with |ρ(m+1..m+K_N)| all under the critical value
  let mHat = mMax;
  for (let m = 0, run = 0; m + 1 < acv.length; m++) {
    run = Math.abs(acv[m + 1] / acv[0]) < critical ? run + 1 : 0;
    if (run >= KN) {
      mHat = m + 1 - KN;
      break;
    }
  }
  const M = Math.min(2 * Math.max(mHat, 1), mMax);
  const cap = Math.ceil(Math.min(3 * Math.sqrt(n), n / 3));
  return Math.min(cap, Math.max(1, blockLengthFromAutocov(acv, M, n)));
}

/** Mean block length of a multivariate series: the mean of its variables' optimal lengths. */
export function seriesBlockLength(series: TimeSeries): number {
  const V = series.variables.length;
  const bounds = segmentBounds(series);
  let total = 0;
  for (let v = 0; v < V; v++) total += optimalBlockLength(Float64Array.from({ length: series.length }, (_, t) => series.data[t * V + v]), bounds);
  return total / V;
}

/**
 * One stationary-bootstrap resample of the lagged samples: blocks of L ~ Geometric(1/b) target
 * rows (cut at their segment's end) with their maxLag rows of history, until as many target rows
 * as the series has. `segments` (default true): each block its own segment; false: joined.
 */
export function bootstrapResample(series: TimeSeries, maxLag: number, blockLength: number, rng: Rng, segments = true): TimeSeries {
  const V = series.variables.length;
  const bounds = segmentBounds(series);
  // target rows: t with t - maxLag in its segment
  const targets: number[] = [];
  const segEnd: number[] = [];
  for (let s = 0; s + 1 < bounds.length; s++)
    for (let t = bounds[s] + maxLag; t < bounds[s + 1]; t++) {
      targets.push(t);
      segEnd.push(bounds[s + 1]);
    }
  if (targets.length === 0) throw new InputError(`no segment is longer than maxLag = ${maxLag} rows: nothing to resample`);
  const p = 1 / Math.max(1, blockLength);
  const rows: number[] = [];
  const starts: number[] = [];
  let drawn = 0;
  while (drawn < targets.length) {
    const k = rng.int(targets.length);
    const first = targets[k];
    // L ~ Geometric(p) on 1, 2, ...: continue a block with probability 1 - p
    let last = first;
    while (last + 1 < segEnd[k] && drawn + (last - first + 1) < targets.length && rng.uniform() >= p) last++;
    starts.push(rows.length);
    for (let t = first - maxLag; t <= last; t++) rows.push(t);
    drawn += last - first + 1;
  }
  const T = rows.length;
  const data = new Float64Array(T * V); // [T, V]
  const mask = series.mask ? new Uint8Array(T * V) : undefined;
  rows.forEach((r, i) => {
    data.set(series.data.subarray(r * V, (r + 1) * V), i * V);
    if (mask) mask.set(series.mask!.subarray(r * V, (r + 1) * V), i * V);
  });
  const out: TimeSeries = { variables: [...series.variables], length: T, data };
  if (mask) out.mask = mask;
  if (segments && starts.length > 1) out.segments = starts;
  return out;
}

/** What a bootstrap needs besides the series and `runOne`. */
export interface BootstrapOptions extends BatchOptions {
  /** Resamples, N. */
  resamples: number;
  maxLag: number;
  /** Seeds the resamples (default 0). */
  seed?: number;
  /** Mean block length (default: `seriesBlockLength`). */
  blockLength?: number;
  /** Level of the percentile interval (default 0.9). */
  level?: number;
  /** Whether the method can use segments (`Discoverer.supports.segments`); default true. */
  segments?: boolean;
}

/** Stability, score interval and how they were made. */
export interface BootstrapResult {
  /** `[V, V, maxLag]` fraction of resamples whose `edges` hold the edge. */
  stability: ScoreTensor;
  /** `[V, V, maxLag]` percentile bounds of each score at `level`. */
  lower: ScoreTensor;
  upper: ScoreTensor;
  level: number;
  resamples: number;
  blockLength: number;
  /** True when the blocks were joined end to end (the method cannot use segments). */
  joined: boolean;
}

/** Checks `--bootstrap N`. */
export function checkResamples(resamples: number): number {
  if (!Number.isInteger(resamples) || resamples < 2 || resamples > MAX_RESAMPLES) throw new InputError(`bootstrap resamples must be an integer from 2 to ${MAX_RESAMPLES}, got ${resamples} (100 is a common choice)`);
  return resamples;
}

/**
 * Reruns the method (`runOne`, with the observed run's options) on N stationary-bootstrap
 * resamples and collects each edge's selection frequency and each score's percentile interval.
 *
 * @example const b = await bootstrapStability(series, { resamples: 50, maxLag: 3 }, (s) => corrMethod.discover(s, { maxLag: 3 }));
 */
export async function bootstrapStability(series: TimeSeries, options: BootstrapOptions, runOne: RunOne, method = "method"): Promise<BootstrapResult> {
  const N = checkResamples(options.resamples);
  const { maxLag } = options;
  const level = options.level ?? DEFAULT_INTERVAL_LEVEL;
  if (!(level > 0 && level < 1)) throw new InputError(`interval level must be in (0, 1), got ${level}`);
  const V = series.variables.length;
  const blockLength = options.blockLength ?? seriesBlockLength(series);
  const rng = new Rng(options.seed ?? 0);
  const segments = options.segments ?? true;
  const L = V * V * maxLag;
  const selected = createScores(V, maxLag);
  const samples = new Float64Array(N * L); // [N, V·V·maxLag] scores of each resample
  const index = new Map(series.variables.map((v, i) => [v, i]));
  await runConcurrently(
    N,
    () => bootstrapResample(series, maxLag, blockLength, rng, segments),
    runOne,
    (i, graph) => {
      samples.set(scoresFromNested(graph.scores, V, maxLag).data, i * L);
      for (const e of graph.edges) if (e.lag >= 1) selected.data[(index.get(e.effect)! * V + index.get(e.cause)!) * maxLag + e.lag - 1]++;
    },
    { ...options, method, stage: "bootstrap" },
  );
  const stability = createScores(V, maxLag);
  const lower = createScores(V, maxLag);
  const upper = createScores(V, maxLag);
  const column = new Float64Array(N);
  for (let k = 0; k < L; k++) {
    stability.data[k] = selected.data[k] / N;
    for (let i = 0; i < N; i++) column[i] = samples[i * L + k];
    column.sort();
    lower.data[k] = quantile(column, (1 - level) / 2);
    upper.data[k] = quantile(column, (1 + level) / 2);
  }
  return { stability, lower, upper, level, resamples: N, blockLength, joined: !segments };
}

/** Linear-interpolation quantile of sorted values (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** The graph with `stability` (also on each lagged edge), `scoreInterval` and `meta.bootstrap`. */
export function withBootstrap(graph: CausalGraph, b: BootstrapResult): CausalGraph {
  const V = graph.variables.length;
  const built = buildGraph({
    method: graph.method,
    variables: graph.variables,
    scores: scoresFromNested(graph.scores, V, graph.maxLag),
    threshold: graph.threshold,
    edges: graph.edges,
    meta: { ...graph.meta, bootstrap: { resamples: b.resamples, blockLength: Number(b.blockLength.toFixed(3)) } },
    stability: b.stability,
    scoreInterval: { level: b.level, lower: b.lower, upper: b.upper },
  });
  return { ...graph, edges: built.edges, meta: built.meta, stability: built.stability, scoreInterval: built.scoreInterval };
}
