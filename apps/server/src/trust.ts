// The trust options of a job (issue #17): alpha and correction for edges from p-values, strict,
// and the repeated-run tests (surrogate p-values, bootstrap stability) the job's thread runs
// after the method, serially (the pool already runs one job per thread).
import {
  bootstrapStability,
  InputError,
  surrogatePvalues,
  withBootstrap,
  withSurrogatePvalues,
  type CausalGraph,
  type Discoverer,
  type DiscoverOptions,
  type TimeSeries,
} from "@causeway/core";
import type { JobOptions } from "./types.js";

/** The trust fields of a job request (schema-validated: ranges and enums), as the job options keep them. */
export type TrustRequest = Pick<JobOptions, (typeof TRUST_KEYS)[number]>;

const TRUST_KEYS = ["alpha", "correction", "strict", "surrogates", "surrogateKind", "bootstrap"] as const;

/** The job options they give; InputError (400) for combinations the schema cannot express. */
export function trustOptions(body: TrustRequest): Partial<JobOptions> {
  if (body.surrogates !== undefined && body.bootstrap !== undefined) throw new InputError("surrogates and bootstrap together would cost surrogates x variables x resamples runs; submit them as two jobs");
  if (body.surrogateKind !== undefined && body.surrogates === undefined) throw new InputError("surrogateKind needs surrogates (how many per cause)");
  const out: Partial<JobOptions> = {};
  for (const key of TRUST_KEYS) if (body[key] !== undefined) Object.assign(out, { [key]: body[key] });
  return out;
}

/** The DiscoverOptions fields of the trust options, and the training budget. */
export function trustDiscoverOptions(o: JobOptions): Pick<DiscoverOptions, "alpha" | "correction" | "strict" | "budget"> {
  return {
    ...(o.alpha !== undefined ? { alpha: o.alpha } : {}),
    ...(o.correction !== undefined ? { correction: o.correction } : {}),
    ...(o.strict ? { strict: true } : {}),
    ...(o.budget !== undefined ? { budget: o.budget } : {}),
  };
}

/** Surrogate p-values or bootstrap stability for the observed graph, rerunning the method in this thread. */
export async function addJobTrust(method: Discoverer, series: TimeSeries, graph: CausalGraph, options: DiscoverOptions, job: JobOptions): Promise<CausalGraph> {
  const { signal, onProgress, ...rest } = options;
  // the observed run was checked: the repeated runs skip the assumption checks (they cost more than a fast fit)
  const runOne = (s: TimeSeries) => method.discover(s, { ...rest, checks: false, signal });
  const batch = { maxLag: options.maxLag, seed: options.seed, signal, onProgress };
  if (job.surrogates) {
    if (graph.pvalues) throw new InputError(`${method.name} has its own test (its graph has p-values); surrogates are for methods without one`);
    const kind = job.surrogateKind ?? "shift";
    const p = await surrogatePvalues(graph, series, { ...batch, count: job.surrogates, kind }, runOne);
    return withSurrogatePvalues(graph, p, { count: job.surrogates, kind, alpha: job.alpha, correction: job.correction, selectBy: job.threshold === undefined ? "pvalue" : "score" });
  }
  if (job.bootstrap) return withBootstrap(graph, await bootstrapStability(series, { ...batch, resamples: job.bootstrap, segments: method.supports?.segments ?? false }, runOne, method.name));
  return graph;
}
