/**
 * A surrogate test for any method (issue #17, `--surrogates N`): for each cause c, N copies of the
 * series with column c replaced by a surrogate that keeps c's own dynamics but breaks its timing
 * relative to the other variables; the method reruns on each, and the p-value of (effect, c, lag)
 * is (1 + #{surrogate score >= observed}) / (N + 1) (Davison & Hinkley 1997, eq. 4.11). It costs
 * N·V runs of the method besides the observed one.
 *
 * Kinds: `shift`, a circular time shift of c by a random offset at least maxLag + 1 rows away
 * from the true alignment (Quian Quiroga et al. 2002); `phase`, the Fourier transform of c with
 * uniformly random phases and its amplitude spectrum kept (Theiler et al. 1992; Schreiber &
 * Schmitz 2000), so its autocorrelation is kept and any lagged coupling is lost.
 * Self-links (effect = cause) are not tested: replacing the cause replaces the effect too, and
 * both kinds keep a column's own autocorrelation. Their p-value is 1.
 */
import { InputError, throwIfAborted } from "../errors.js";
import type { Discoverer } from "../discoverer.js";
import { buildGraph, createScores, scoresFromNested, type ScoreTensor } from "../graph.js";
import type { RunLimits, RunShape } from "../limits.js";
import { realFft, inverseRealFft } from "../numeric/fft.js";
import { Rng } from "../random.js";
import { segmentBounds } from "../samples.js";
import { SURROGATE_KINDS, type CausalGraph, type Correction, type SurrogateKind, type TimeSeries } from "../types.js";
import { checkRepeatedRuns, runConcurrently, type BatchEstimate, type BatchOptions, type RunOne } from "./repeat.js";

/** Most surrogates per cause accepted (a p-value resolution of 1e-5). */
export const MAX_SURROGATES = 99_999;

/** Checks `--surrogates N` and `--surrogate-kind`; InputError naming the fix otherwise. */
export function checkSurrogateOptions(count: number, kind: string): SurrogateKind {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SURROGATES) throw new InputError(`surrogates must be an integer from 1 to ${MAX_SURROGATES}, got ${count} (19 gives p-values down to .05, 99 down to .01)`);
  if (!(SURROGATE_KINDS as readonly string[]).includes(kind)) throw new InputError(`surrogate kind must be one of ${SURROGATE_KINDS.join(", ")}, got "${kind}"`);
  return kind as SurrogateKind;
}

/** Runs of the method a surrogate test makes: N per variable, plus the observed run. */
export function surrogateRunCount(V: number, count: number): number {
  return count * V + 1;
}

/** Prices a surrogate test against the run limits (LimitError with the estimate otherwise). */
export function checkSurrogateRun(
  method: Discoverer,
  shape: RunShape,
  params: Record<string, unknown> | undefined,
  count: number,
  options: { limits?: Partial<RunLimits>; concurrency?: number } = {},
): BatchEstimate {
  const runs = surrogateRunCount(shape.V, count);
  return checkRepeatedRuns(method, shape, params, runs, `--surrogates ${count} (${count} x ${shape.V} causes + the observed run)`, options);
}

/**
 * A copy of `series` with column `cause` replaced by a surrogate, segment by segment (a shift
 * stays inside its recording). `shift` rotates the column's missing cells with its values;
 * `phase` fills them with the segment's mean for the transform and puts them back where they were.
 */
export function surrogateSeries(series: TimeSeries, cause: number, kind: SurrogateKind, maxLag: number, rng: Rng): TimeSeries {
  const V = series.variables.length;
  const data = Float64Array.from(series.data);
  const mask = series.mask ? Uint8Array.from(series.mask) : undefined;
  const bounds = segmentBounds(series);
  for (let s = 0; s + 1 < bounds.length; s++) {
    const start = bounds[s];
    const n = bounds[s + 1] - start;
    if (n <= maxLag) continue; // no lagged sample lies in this segment
    const column = Float64Array.from({ length: n }, (_, t) => series.data[(start + t) * V + cause]); // [n]
    const out = kind === "shift" ? shiftColumn(column, maxLag, rng, s) : phaseColumn(column, rng);
    for (let t = 0; t < n; t++) data[(start + t) * V + cause] = out.values[t];
    if (mask && series.mask && out.from)
      for (let t = 0; t < n; t++) mask[(start + t) * V + cause] = series.mask[(start + out.from[t]) * V + cause];
  }
  return { ...series, data, ...(mask ? { mask } : {}) };
}

/** Circular shift by d in [maxLag + 1, n - maxLag - 1]: row t takes row (t + d) mod n. */
function shiftColumn(x: Float64Array, maxLag: number, rng: Rng, segment: number): { values: Float64Array; from: Int32Array } {
  const n = x.length;
  const choices = n - 2 * maxLag - 1;
  if (choices < 1) throw new InputError(`shift surrogates need segments of at least 2·maxLag + 2 = ${2 * maxLag + 2} rows to move the cause beyond every lag; segment ${segment + 1} has ${n}: use --surrogate-kind phase or a smaller maxLag`);
  const d = maxLag + 1 + rng.int(choices);
  const from = Int32Array.from({ length: n }, (_, t) => (t + d) % n);
  return { values: Float64Array.from(from, (i) => x[i]), from };
}

/** Phase randomisation (Theiler et al. 1992): X[k] -> |X[k]| e^{iφ_k}, φ_k ~ U(0, 2π), Hermitian so the result is real. */
function phaseColumn(x: Float64Array, rng: Rng): { values: Float64Array; from?: undefined } {
  const n = x.length;
  // missing cells (NaN) take the mean of the present ones for the transform, and stay missing
  let sum = 0;
  let present = 0;
  for (const v of x)
    if (!Number.isNaN(v)) {
      sum += v;
      present++;
    }
  const mean = present > 0 ? sum / present : 0;
  const filled = Float64Array.from(x, (v) => (Number.isNaN(v) ? mean : v));
  const X = realFft(filled); // [n] complex
  // DC (k = 0) and, for even n, Nyquist (k = n/2) stay real and unchanged
  for (let k = 1; 2 * k < n; k++) {
    const amplitude = Math.hypot(X.re[k], X.im[k]);
    const phi = 2 * Math.PI * rng.uniform();
    X.re[k] = amplitude * Math.cos(phi);
    X.im[k] = amplitude * Math.sin(phi);
    X.re[n - k] = X.re[k];
    X.im[n - k] = -X.im[k];
  }
  const values = inverseRealFft(X);
  for (let t = 0; t < n; t++) if (Number.isNaN(x[t])) values[t] = Number.NaN;
  return { values };
}

/** What a surrogate test needs besides the observed graph. */
export interface SurrogateTestOptions extends BatchOptions {
  /** Surrogates per cause, N. */
  count: number;
  kind: SurrogateKind;
  maxLag: number;
  /** Seeds the surrogates (default 0); same seed, same p-values. */
  seed?: number;
}

/**
 * `[V, V, maxLag]` surrogate p-values of the observed graph's scores: N surrogates of each cause
 * through `runOne` (the method with the observed run's options), p = (1 + #{surrogate >= observed}) / (N + 1).
 * Self-links are untested (p = 1).
 *
 * @example const p = await surrogatePvalues(graph, series, { count: 19, kind: "shift", maxLag: 3 }, (s) => corrMethod.discover(s, { maxLag: 3 }));
 */
export async function surrogatePvalues(observed: CausalGraph, series: TimeSeries, options: SurrogateTestOptions, runOne: RunOne): Promise<ScoreTensor> {
  const { count, kind, maxLag } = options;
  checkSurrogateOptions(count, kind);
  const V = series.variables.length;
  if (observed.variables.length !== V || observed.maxLag !== maxLag) throw new Error(`surrogatePvalues: the observed graph is [${observed.variables.length}, ${observed.maxLag}], the series and options [${V}, ${maxLag}]`);
  const scores = scoresFromNested(observed.scores, V, maxLag);
  const exceed = createScores(V, maxLag); // #{surrogate score >= observed}
  const rng = new Rng(options.seed ?? 0);
  throwIfAborted(options.signal);
  await runConcurrently(
    count * V,
    (i) => surrogateSeries(series, Math.floor(i / count), kind, maxLag, rng),
    runOne,
    (i, graph) => {
      const c = Math.floor(i / count);
      const s = scoresFromNested(graph.scores, V, maxLag);
      for (let e = 0; e < V; e++)
        for (let l = 0; l < maxLag; l++) {
          const k = (e * V + c) * maxLag + l;
          if (s.data[k] >= scores.data[k]) exceed.data[k]++;
        }
    },
    { ...options, method: observed.method, stage: `surrogates (${kind})` },
  );
  const p = createScores(V, maxLag, 1);
  for (let e = 0; e < V; e++)
    for (let c = 0; c < V; c++)
      for (let l = 0; l < maxLag; l++) {
        const k = (e * V + c) * maxLag + l;
        if (e !== c) p.data[k] = (1 + exceed.data[k]) / (count + 1);
      }
  return p;
}

/**
 * The observed graph with surrogate `pvalues` and `meta.surrogates`: `edges` re-selected at
 * adjusted p <= alpha (lag-0 edges kept; `meta.alpha`, `meta.correction`), or with `selectBy:
 * "score"` (the caller gave a threshold) the observed edges kept.
 */
export function withSurrogatePvalues(
  graph: CausalGraph,
  pvalues: ScoreTensor,
  o: { count: number; kind: SurrogateKind; alpha?: number; correction?: Correction; selectBy?: "pvalue" | "score" },
): CausalGraph {
  const V = graph.variables.length;
  const built = buildGraph({
    method: graph.method,
    variables: graph.variables,
    scores: scoresFromNested(graph.scores, V, graph.maxLag),
    threshold: graph.threshold,
    meta: { ...graph.meta, surrogates: { count: o.count, kind: o.kind } },
    pvalues,
    alpha: o.alpha,
    correction: o.correction,
    selectBy: o.selectBy,
  });
  const edges = o.selectBy === "score" ? graph.edges : [...built.edges, ...graph.edges.filter((e) => e.lag === 0)];
  return { ...graph, edges, threshold: built.threshold, meta: built.meta, pvalues: built.pvalues };
}
