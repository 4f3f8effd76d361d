import { InputError, Rng, type LaggedEdge } from "@causeway/core";
import { resolveLags, sampleSparseGraph, type Parent } from "./graph.js";
import { generateNonlinear, type NonlinearOptions, type NonlinearResult } from "./nonlinear.js";
import { checkInt, checkLength, checkNumber, checkSeed, makeSeries, makeTruth, type Generated } from "./options.js";
import { generateVar, type VarOptions, type VarResult } from "./var.js";

export interface ConfoundedOptions
  extends Omit<VarOptions, "parents" | "noise">,
    Omit<NonlinearOptions, "parents" | "noise" | "burnIn" | "seed" | keyof VarOptions> {
  /** Number of hidden drivers k, simulated and then removed from the output. Default 2. */
  hidden?: number;
  /** Each hidden driver causes between lo and hi observed variables (at least 2, so it confounds). Default [2, 3]. */
  childrenRange?: readonly [number, number];
  /** The system: a linear VAR (`generateVar`) or a nonlinear SCM (`generateNonlinear`). Default "var". */
  model?: "var" | "nonlinear";
  /** Innovation standard deviation (default: 1 for var, 0.3 for nonlinear, as those generators). */
  noise?: number;
}

export interface ConfoundedResult extends Generated {
  /** The hidden drivers' edges into observed variables, causes named `h0 .. h{k-1}`. */
  hiddenEdges: LaggedEdge[];
  /** The whole system's result (with its coefficients or equations), observed variables first (`x0 .. x{V-1}`), then the hidden ones (`x{V} ..`). */
  full: VarResult | NonlinearResult;
}

const WHERE = "generateConfounded";

/**
 * A VAR or nonlinear SCM with `hidden` latent drivers that are removed from the output
 * (the setting of latent-confounder methods such as LPCMCI, Gerhardus & Runge, NeurIPS 2020):
 * the observed variables get `sampleSparseGraph`'s graph; each hidden driver `h` is an
 * autocorrelated exogenous process (only its own lag-1 self-loop) that drives `childrenRange`
 * observed variables at lags drawn like the other edges. Its children are then dependent at
 * lags no observed edge explains. The truth lists only edges among observed variables.
 *
 * @example
 * const { series, truth, hiddenEdges } = generateConfounded({ vars: 8, length: 1000, hidden: 2, seed: 1 });
 */
export function generateConfounded(options: ConfoundedOptions): ConfoundedResult {
  const V = checkInt(WHERE, "vars", options.vars, 1);
  const { maxLag, lags } = resolveLags(WHERE, options, 3);
  checkLength(WHERE, options.length, maxLag);
  const k = checkInt(WHERE, "hidden", options.hidden ?? 2, 0, 100);
  const [lo, hi] = options.childrenRange ?? [2, 3];
  checkInt(WHERE, "childrenRange[0]", lo, 1, V);
  checkInt(WHERE, "childrenRange[1]", hi, lo, V);
  const density = checkNumber(WHERE, "density", options.density ?? 0.3, 0, 1);
  const maxParents = checkInt(WHERE, "maxParents", options.maxParents ?? 3, 0);
  const model = options.model ?? "var";
  if (model !== "var" && model !== "nonlinear") {
    throw new InputError(`${WHERE}: option "model" must be "var" or "nonlinear", got "${String(model)}"`, { column: "model" });
  }
  const seed = checkSeed(WHERE, options.seed ?? 0);

  // the graph comes from a stream of its own (the generators' two streams are forks 1 and 2)
  const rng = new Rng(seed).fork().fork().fork();
  const selfLoops = options.selfLoops ?? true;
  const observed = sampleSparseGraph(rng, { vars: V, maxLag, density, maxParents, selfLoops, lags });
  const parents: Parent[][] = [...observed, ...Array.from({ length: k }, (_, h) => [{ cause: V + h, lag: 1 }])];
  for (let h = 0; h < k; h++) {
    const count = lo + rng.int(hi - lo + 1);
    const children = (rng.shuffle(Array.from({ length: V }, (_, i) => i)) as number[]).slice(0, count);
    for (const c of children) parents[c].push({ cause: V + h, lag: lags ? lags[rng.int(lags.length)] : 1 + rng.int(maxLag) });
  }

  const all = { ...options, vars: V + k, maxLag, parents, seed };
  const full = model === "var" ? generateVar(all) : generateNonlinear(all);
  const T = full.series.length;
  const W = V + k;
  const data = new Float64Array(T * V); // [T, V]
  for (let t = 0; t < T; t++) data.set(full.series.data.subarray(t * W, t * W + V), t * V);
  const index = (name: string): number => Number(name.slice(1));
  const edges = full.truth.edges.filter((e) => index(e.cause) < V && index(e.effect) < V);
  const hiddenEdges = full.truth.edges
    .filter((e) => index(e.cause) >= V && index(e.effect) < V)
    .map((e) => ({ ...e, cause: `h${index(e.cause) - V}` }));
  return {
    series: makeSeries(V, T, data),
    truth: makeTruth(V, maxLag, edges, false),
    hiddenEdges,
    full,
  };
}
