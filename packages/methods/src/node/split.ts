/**
 * One run of a per-target method split over worker threads: a method with `stages` (pcmci,
 * pcmciplus) runs here with the pool as its executor, handing its per-target phases to the threads
 * (the graph is the serial one exactly); otherwise each thread fits a subset of the
 * effects (the method's `targets` param; other effects' rows stay 0) and the score rows are
 * merged into one graph. Generic for any method that declares `targets` (cmlp, clstm, tcdf): each
 * target network starts from the same seeded weights whatever the subset, so the merged graph is
 * the serial one up to the stopping rules, which see only the thread's own targets.
 */
import { getMethod, InputError, listMethods, type CausalGraph, type Discoverer, type ProgressCallback, type ScoredEdge, type TimeSeries } from "@causeway/core";
import { registerAllMethods } from "../index.js";
import type { MethodPool } from "./pool.js";
import type { PoolDiscoverOptions } from "./protocol.js";

/** Whether `discoverSplit` can split `method`: it fits a subset of its effects (a `targets` param) or declares `stages`. */
export function splitsByTargets(method: Pick<Discoverer, "params" | "stages">): boolean {
  return method.params.some((p) => p.name === "targets") || method.stages !== undefined;
}

/** `V` effects in `parts` contiguous, balanced chunks (no empty chunk): `[[0, 1, 2], [3, 4]]`. */
export function targetChunks(V: number, parts: number): number[][] {
  const n = Math.max(1, Math.min(parts, V));
  return Array.from({ length: n }, (_, c) => {
    const lo = Math.floor((c * V) / n);
    const hi = Math.floor(((c + 1) * V) / n);
    return Array.from({ length: hi - lo }, (_, i) => lo + i);
  });
}

/**
 * Runs `method` (a registered name whose Discoverer declares `targets`) on `series` with its
 * effects split over the pool's threads and merges the graphs: each effect's score (and p-value)
 * rows and edges come from the thread that fitted it; `meta.threads` counts the distinct threads
 * that ran a part, `meta.seconds` is the slowest part's. A `targets` already in
 * `options.params` runs as one part. A method with p-values gets its multiple-testing correction
 * per part (no shipped per-target method has p-values). A method with `stages` runs in this thread
 * (input checks, assembly, graph) with its stages on the pool's threads.
 */
export async function discoverSplit(pool: MethodPool, method: string, series: TimeSeries, options: PoolDiscoverOptions, onProgress?: ProgressCallback): Promise<CausalGraph> {
  if (!listMethods().some((m) => m.name === method)) registerAllMethods();
  const staged = getMethod(method);
  if (staged.stages) {
    const graph = await staged.discover(series, { ...options, executor: pool.executor(options.backend), ...(onProgress ? { onProgress } : {}) });
    // a method that knows how many parts ran at once says so (transformer: min(threads, ensemble members))
    const threads = typeof graph.meta.threads === "number" ? graph.meta.threads : Math.min(pool.size, series.variables.length);
    return { ...graph, meta: { ...graph.meta, threads } };
  }
  const given = options.params?.targets;
  const V = series.variables.length;
  const chunks = given !== undefined && String(given).trim() !== "" ? null : targetChunks(V, pool.size);
  if (!chunks || chunks.length === 1) return pool.run(method, series, options, onProgress);
  // one progress line for the run: the parts' fractions averaged, the latest event's stage and counters
  const fractions = new Float64Array(chunks.length);
  const part = (k: number): ProgressCallback | undefined =>
    onProgress &&
    ((e) => {
      fractions[k] = e.fraction;
      onProgress({ ...e, fraction: fractions.reduce((a, b) => a + b, 0) / chunks.length, message: `${chunks.length} threads` });
    });
  const graphs = await Promise.all(chunks.map((c, k) => pool.run(method, series, { ...options, params: { ...options.params, targets: c.join(",") } }, part(k))));
  return mergeByTargets(graphs, chunks);
}

/** Merge graphs each of which fitted the effects `chunks[k]` (the others' rows zero). */
export function mergeByTargets(graphs: CausalGraph[], chunks: number[][]): CausalGraph {
  const [first] = graphs;
  if (graphs.length !== chunks.length || graphs.length === 0) throw new InputError(`mergeByTargets: ${graphs.length} graphs for ${chunks.length} target chunks`);
  const scores = first.scores.map((row) => row.map((lags) => [...lags]));
  const pvalues = first.pvalues?.map((row) => row.map((lags) => [...lags]));
  const edges: ScoredEdge[] = [];
  const threads = new Set<unknown>();
  let seconds = 0;
  graphs.forEach((g, k) => {
    const mine = new Set(chunks[k].map((i) => first.variables[i]));
    for (const i of chunks[k]) {
      scores[i] = g.scores[i].map((lags) => [...lags]);
      if (pvalues && g.pvalues) pvalues[i] = g.pvalues[i].map((lags) => [...lags]);
    }
    edges.push(...g.edges.filter((e) => mine.has(e.effect)));
    threads.add(g.meta.thread ?? k);
    seconds = Math.max(seconds, g.meta.seconds);
  });
  edges.sort((a, b) => b.score - a.score);
  const { targets: _part, ...params } = first.meta.params;
  const { thread: _thread, ...meta } = first.meta;
  // a seconds budget that cut any part cut the run: its warning and meta.budget.cut
  const cut = graphs.find((g) => g.meta.budget?.cut);
  const warnings = first.warnings && cut && cut !== first ? [...first.warnings, ...(cut.warnings ?? []).filter((w) => w.code === "budget_exhausted")] : first.warnings;
  const budget = meta.budget && cut ? { budget: { ...meta.budget, cut: true } } : {};
  return { ...first, scores, ...(pvalues ? { pvalues } : {}), edges, ...(warnings ? { warnings } : {}), meta: { ...meta, ...budget, params, seconds, threads: threads.size } };
}
