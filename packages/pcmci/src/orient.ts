/**
 * PCMCI+'s orientation phases (Runge, UAI 2020, Alg. 2 and 3): contemporaneous colliders by the
 * majority rule over separating subsets, then Meek's rules R1-R3 on lag-0 links, with conflicts
 * marked "x-x". The graph holds tigramite's marks at `(i * V + j) * K + tau` for i(t - tau) - j(t).
 */
import { combinations } from "./pc1.js";

/** Link marks as tigramite writes them ("" = no link). */
export type Mark = "" | "o?o" | "-?>" | "<?-" | "o-o" | "-->" | "<--" | "x-x";

/** A mark graph `[V, V, K]` with its shape. */
export interface MarkGraph {
  V: number;
  K: number;
  g: Mark[];
}

export const at = (G: MarkGraph, i: number, j: number, tau: number): number => (i * G.V + j) * G.K + tau;
export const mark = (G: MarkGraph, i: number, j: number, tau: number): Mark => G.g[at(G, i, j, tau)];
const set = (G: MarkGraph, i: number, j: number, tau: number, m: Mark): void => {
  G.g[at(G, i, j, tau)] = m;
};

/** Adjacencies of j as `[i, tau]` (i-major, then tau), optionally without conflicts or lagged ones. */
export function adjacencies(G: MarkGraph, j: number, contempOnly: boolean, includeConflicts = true): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < G.V; i++)
    for (let tau = 0; tau < (contempOnly ? 1 : G.K); tau++) {
      const m = mark(G, i, j, tau);
      if (m !== "" && (includeConflicts || (m !== "x-x" && (m as string) !== "x?x"))) out.push([i, tau]);
    }
  return out;
}

/** Triple key ((i, tau), k, j). */
export const tripleKey = (i: number, tau: number, k: number, j: number): string => `${i}|${tau}|${k}|${j}`;

/** Runs one test of i(t - tau) -> j(t) given contemporaneous nodes S (plus lagged parents); true when dependent. */
export type ColliderTest = (i: number, tau: number, j: number, S: number[]) => boolean;

/** Sepsets by pair key `${i}|${tau}|${j}` (contemporaneous conditions as variable indices). */
export type Sepsets = Map<string, number[]>;

/** All subsets (sizes 0..n) of s without repeats; none when s is empty (tigramite's `subsets`). */
function subsets(s: number[]): number[][] {
  if (s.length === 0) return [];
  const out: number[][] = [];
  for (let c = 0; c <= s.length; c++) for (const sub of combinations(s, c)) out.push(sub);
  return out;
}

/**
 * Unshielded triples i(t - tau) o-o/--> k(t) o-o j(t) with i(t - tau) and j(t) not adjacent, then
 * the majority rule: a triple is a collider when fewer than half of the separating subsets of
 * j's (and, at lag 0, i's) contemporaneous neighbours contain k, ambiguous at exactly half or none.
 */
export function orientColliders(G: MarkGraph, sepsets: Sepsets, isDependent: ColliderTest, conflictResolution: boolean): { ambiguous: Set<string>; ambiguousList: [number, number, number, number][] } {
  const { V } = G;
  const triples: [number, number, number, number][] = [];
  for (let j = 0; j < V; j++)
    for (const [k, tauk] of adjacencies(G, j, false, false)) {
      if (tauk !== 0 || mark(G, k, j, 0) !== "o-o") continue;
      for (const [i, taui] of adjacencies(G, k, false, false)) {
        if (i === j && taui === 0) continue;
        const ik = mark(G, i, k, taui);
        if (mark(G, i, j, taui) === "" && (ik === "o-o" || ik === "-->")) triples.push([i, taui, k, j]);
      }
    }
  const contemp = Array.from({ length: V }, (_, v) => adjacencies(G, v, true).map(([a]) => a));
  const vStructures: [number, number, number, number][] = [];
  const ambiguousList: [number, number, number, number][] = [];
  for (const [i, tau, k, j] of triples) {
    let candidates = subsets(contemp[j].filter((l) => !(l === i && tau === 0)));
    if (tau === 0) candidates = candidates.concat(subsets(contemp[i].filter((l) => l !== j)));
    const seen = new Set<string>();
    const unique = candidates.filter((S) => {
      const key = [...S].sort((a, b) => a - b).join(",");
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const separating = unique.filter((S) => !isDependent(i, tau, j, S));
    const pairKeys = [`${i}|${tau}|${j}`, ...(tau === 0 ? [`${j}|0|${i}`] : [])];
    if (separating.length === 0) {
      ambiguousList.push([i, tau, k, j]);
      continue;
    }
    const fraction = separating.filter((S) => S.includes(k)).length / separating.length;
    if (fraction === 0.5) ambiguousList.push([i, tau, k, j]);
    else if (fraction < 0.5) {
      vStructures.push([i, tau, k, j]);
      for (const key of pairKeys) sepsets.set(key, (sepsets.get(key) ?? []).filter((c) => c !== k));
    } else
      for (const key of pairKeys) {
        const s = sepsets.get(key) ?? [];
        if (!s.includes(k)) s.push(k);
        sepsets.set(key, s);
      }
  }
  // orient i -> k <- j; an edge oriented both ways becomes a conflict
  const oriented = new Set<string>();
  const orient = (from: number, to: number): void => {
    if (!oriented.has(`${to},${from}`) && !oriented.has(`${from},${to}`)) {
      set(G, to, from, 0, "<--");
      set(G, from, to, 0, "-->");
      oriented.add(`${from},${to}`);
    }
    if (conflictResolution && oriented.has(`${to},${from}`)) {
      set(G, from, to, 0, "x-x");
      set(G, to, from, 0, "x-x");
    }
  };
  for (const [i, tau, k, j] of vStructures) {
    orient(j, k);
    if (tau === 0) orient(i, k);
  }
  return { ambiguous: new Set(ambiguousList.map(([i, tau, k, j]) => tripleKey(i, tau, k, j))), ambiguousList };
}

/** Meek's rules R1-R3 for lag-0 links, repeated until none applies (tigramite's _pcalg_rules_timeseries). */
export function orientByRules(G: MarkGraph, ambiguous: Set<string>, conflictResolution: boolean): void {
  const { V } = G;
  const oriented = new Set<string>();
  // orient a -> b unless already oriented; mark a conflict when b -> a was oriented before
  const orient = (a: number, b: number): void => {
    if (!oriented.has(`${b},${a}`) && !oriented.has(`${a},${b}`)) {
      set(G, a, b, 0, "-->");
      set(G, b, a, 0, "<--");
      oriented.add(`${a},${b}`);
    }
    if (conflictResolution && oriented.has(`${b},${a}`)) {
      set(G, b, a, 0, "x-x");
      set(G, a, b, 0, "x-x");
    }
  };
  const rule1 = (): boolean => {
    const triples: [number, number, number, number][] = [];
    for (let j = 0; j < V; j++)
      for (const [k, tauk] of adjacencies(G, j, false, false)) {
        if (tauk !== 0 || mark(G, j, k, 0) !== "o-o") continue;
        for (const [i, taui] of adjacencies(G, k, false, false))
          if (!(i === j && taui === 0) && mark(G, i, j, taui) === "" && mark(G, i, k, taui) === "-->") triples.push([i, taui, k, j]);
      }
    let left = false;
    for (const [i, tau, k, j] of triples) {
      if (ambiguous.has(tripleKey(i, tau, k, j))) continue;
      left = true;
      orient(k, j); // R1: i -> k o-o j, i and j not adjacent: k -> j
    }
    return left;
  };
  const rule2 = (): boolean => {
    const triples: [number, number, number][] = [];
    for (let j = 0; j < V; j++)
      for (const [k] of adjacencies(G, j, true, false)) {
        if (mark(G, k, j, 0) !== "-->") continue;
        for (const [i] of adjacencies(G, k, true, false))
          if (mark(G, i, k, 0) === "-->" && i !== j && mark(G, i, j, 0) === "o-o" && mark(G, j, i, 0) === "o-o") triples.push([i, k, j]);
      }
    let left = false;
    for (const [i, k, j] of triples) {
      if (ambiguous.has(tripleKey(i, 0, k, j))) continue;
      left = true;
      orient(i, j); // R2: i -> k -> j and i o-o j: i -> j
    }
    return left;
  };
  const rule3 = (): boolean => {
    const chains: [number, number, number, number][] = [];
    for (let j = 0; j < V; j++) {
      const adj = adjacencies(G, j, true, false).map(([a]) => a);
      for (const i of adj) {
        if (mark(G, j, i, 0) !== "o-o") continue;
        for (const k of adj)
          for (const l of adj)
            if (k !== l && k !== i && l !== i && mark(G, k, j, 0) === "-->" && mark(G, l, j, 0) === "-->" && mark(G, k, i, 0) === "o-o" && mark(G, l, i, 0) === "o-o" && mark(G, k, l, 0) === "")
              chains.push([i, k, l, j]);
      }
    }
    let left = false;
    for (const [i, k, l, j] of chains) {
      if (ambiguous.has(tripleKey(i, 0, k, j)) || ambiguous.has(tripleKey(i, 0, l, j))) continue;
      left = true;
      orient(i, j); // R3: i o-o k -> j, i o-o l -> j, k and l not adjacent: i -> j
    }
    return left;
  };
  let any = true;
  while (any) {
    const a1 = rule1();
    const a2 = rule2();
    const a3 = rule3();
    any = a1 || a2 || a3;
  }
}
