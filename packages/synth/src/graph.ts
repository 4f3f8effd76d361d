import { InputError, type LaggedEdge, type Rng } from "@causeway/core";
import { checkInt } from "./options.js";

/** One lagged parent of an effect: `x[cause](t - lag)` enters `x[effect](t)`. */
export interface Parent {
  cause: number;
  lag: number;
}

export interface SparseGraphOptions {
  /** Number of variables V. */
  vars: number;
  /** Largest lag a cross edge may take (lags are drawn uniformly from 1..maxLag). */
  maxLag: number;
  /** Probability that each other variable is a parent of a given effect, before the cap. */
  density: number;
  /** At most this many cross (non-self) parents per effect. */
  maxParents: number;
  /** Add `x_j(t-1) -> x_j(t)` for every j (not counted in maxParents). */
  selfLoops: boolean;
  /** The lags a cross edge may take, drawn uniformly from this list; default 1..maxLag. */
  lags?: readonly number[];
}

/** Options shared by the generators that draw a random sparse lagged graph (VAR, nonlinear SCM). */
export interface LaggedGraphOptions {
  /** Number of variables V (>= 1). */
  vars: number;
  /** Number of time steps T returned (>= maxLag + 2); the burn-in comes on top. */
  length: number;
  /** Largest lag; each cross edge's lag is drawn uniformly from 1..maxLag (the VAR order p). Default 3. */
  maxLag?: number;
  /** Probability that each other variable is a parent of a given effect (before the cap). Default 0.3. */
  density?: number;
  /** At most this many cross parents per variable. Default 3. */
  maxParents?: number;
  /** Give every variable a lag-1 self term. Default true. */
  selfLoops?: boolean;
  /**
   * The lags cross edges draw from, uniformly (e.g. `[6]` for lag-6 links only, `[4, 5, 6, 7, 8]`
   * for long lags). Each must be in 1..maxLag; maxLag defaults to the largest. Default 1..maxLag.
   */
  lags?: readonly number[];
}

/**
 * Random sparse lagged graph, returned as parents per effect (`parents[effect]`, self first).
 * Each other variable becomes a parent of effect j with probability `density` (candidates are
 * visited in random order and accepted until `maxParents` is reached, so the accepted set is a
 * uniform subset) with one lag drawn uniformly from 1..maxLag. When V >= 2, density > 0 and no
 * cross edge was drawn at all, one random cross edge is added so the graph is never trivially empty.
 */
export function sampleSparseGraph(rng: Rng, options: SparseGraphOptions): Parent[][] {
  const { vars: V, maxLag, density, maxParents, selfLoops, lags } = options;
  const drawLag = (): number => (lags ? lags[rng.int(lags.length)] : 1 + rng.int(maxLag));
  const parents: Parent[][] = [];
  let crossEdges = 0;
  for (let j = 0; j < V; j++) {
    const list: Parent[] = selfLoops ? [{ cause: j, lag: 1 }] : [];
    const candidates = rng.shuffle(Array.from({ length: V }, (_, i) => i).filter((i) => i !== j)) as number[];
    let taken = 0;
    for (const i of candidates) {
      if (taken >= maxParents) break;
      if (rng.bernoulli(density)) {
        list.push({ cause: i, lag: drawLag() });
        taken++;
      }
    }
    crossEdges += taken;
    parents.push(list);
  }
  if (crossEdges === 0 && V >= 2 && density > 0 && maxParents > 0) {
    const j = rng.int(V);
    const i = (j + 1 + rng.int(V - 1)) % V;
    parents[j].push({ cause: i, lag: drawLag() });
  }
  return parents;
}

/** Lagged edges `x{cause} -> x{effect}` of a parents-per-effect list, duplicates removed. */
export function parentsToEdges(parents: Parent[][]): LaggedEdge[] {
  const seen = new Set<string>();
  const edges: LaggedEdge[] = [];
  parents.forEach((list, effect) => {
    for (const { cause, lag } of list) {
      const key = `${cause},${effect},${lag}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ cause: `x${cause}`, effect: `x${effect}`, lag });
    }
  });
  return edges;
}

/**
 * Resolves `maxLag` and `lags` of {@link LaggedGraphOptions}: maxLag defaults to the largest of
 * `lags` (or `fallback`), and every listed lag must be an integer in 1..maxLag.
 */
export function resolveLags(
  where: string,
  options: { maxLag?: number; lags?: readonly number[] },
  fallback: number,
): { maxLag: number; lags?: readonly number[] } {
  const lags = options.lags;
  if (lags !== undefined && (!Array.isArray(lags) || lags.length === 0)) {
    throw new InputError(`${where}: option "lags" must be a non-empty list of lags (integers >= 1)`, { column: "lags" });
  }
  const maxLag = checkInt(where, "maxLag", options.maxLag ?? (lags ? Math.max(...lags) : fallback), 1, 1000);
  for (const l of lags ?? []) checkInt(where, "lags", l, 1, maxLag);
  return { maxLag, lags };
}

/** Copies a caller's parents-per-effect list after checking its indices and lags. */
export function checkParents(where: string, parents: readonly (readonly Parent[])[], V: number, maxLag: number): Parent[][] {
  if (!Array.isArray(parents) || parents.length !== V) {
    throw new InputError(`${where}: option "parents" must list the parents of each of the ${V} variables`, { column: "parents" });
  }
  return parents.map((list: readonly Parent[]) =>
    list.map(({ cause, lag }: Parent) => ({
      cause: checkInt(where, "parents.cause", cause, 0, V - 1),
      lag: checkInt(where, "parents.lag", lag, 1, maxLag),
    })),
  );
}
