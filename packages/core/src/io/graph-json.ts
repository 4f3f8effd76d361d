// Discovered-graph JSON, `causeway.graph/v1` (formats.md "Discovered graph output").
import { InputError } from "../errors.js";
import { scoresFromNested } from "../graph.js";
import { WARNING_CODES, type CausalGraph, type GraphMeta, type GraphWarning, type ScoredEdge } from "../types.js";
import { NO_FILE, isRecord, parseJsonText } from "./text.js";

export const GRAPH_FORMAT = "causeway.graph/v1";

/** Checks a parsed document and returns it as a clean `CausalGraph` (unknown top-level keys dropped). */
function checkGraph(doc: unknown, file: string): CausalGraph {
  const fail = (msg: string, location: { row?: number; column?: string | number } = {}): never => {
    throw new InputError(`${file}: ${msg}`, { file, ...location });
  };
  if (!isRecord(doc)) return fail(`expected a "${GRAPH_FORMAT}" object`);
  if (doc.format !== GRAPH_FORMAT) fail(`"format" must be "${GRAPH_FORMAT}", got ${JSON.stringify(doc.format)}`);
  const { variables, maxLag, method, threshold, meta } = doc;
  if (!Array.isArray(variables) || variables.length === 0) fail(`"variables" must be a non-empty array of names`);
  const names = variables as unknown[];
  const index = new Map<string, number>();
  names.forEach((v, i) => {
    if (typeof v !== "string" || v === "") fail(`variables[${i}] must be a non-empty string, got ${JSON.stringify(v)}`, { column: i });
    if (index.has(v as string)) fail(`variables[${i}]: duplicate variable name "${v as string}"`, { column: v as string });
    index.set(v as string, i);
  });
  if (typeof maxLag !== "number" || !Number.isInteger(maxLag) || maxLag < 1) fail(`"maxLag" must be an integer >= 1, got ${JSON.stringify(maxLag)}`);
  if (typeof method !== "string" || method === "") fail(`"method" must be a non-empty string`);
  const V = names.length;
  const L = maxLag as number;
  // scores [V, V, maxLag]: shape and finiteness.
  let nested: number[][][];
  try {
    const s = scoresFromNested(doc.scores as number[][][], V, L);
    nested = Array.from({ length: V }, (_, e) => Array.from({ length: V }, (_, c) => Array.from(s.data.subarray((e * V + c) * L, (e * V + c + 1) * L))));
  } catch (e) {
    if (e instanceof InputError) return fail(`${e.message} (expected shape [V, V, maxLag] = [${V}, ${V}, ${L}])`, { column: "scores" });
    throw e;
  }
  if (typeof threshold !== "number" || !Number.isFinite(threshold)) fail(`"threshold" must be a finite number, got ${JSON.stringify(threshold)}`);
  if (!Array.isArray(doc.edges)) fail(`"edges" must be an array`);
  const edges: ScoredEdge[] = (doc.edges as unknown[]).map((e, i) => {
    const at = `edges[${i}]`;
    if (!isRecord(e)) return fail(`${at} must be an object { "cause", "effect", "lag", "score" }`, { row: i + 1 });
    for (const key of ["cause", "effect"] as const)
      if (typeof e[key] !== "string" || !index.has(e[key] as string)) fail(`${at}: ${key} ${JSON.stringify(e[key])} is not one of the variables`, { row: i + 1, column: key });
    const minLag = e.orientation !== undefined ? 0 : 1;
    if (e.orientation !== undefined && !["directed", "undirected", "conflict"].includes(e.orientation as string))
      fail(`${at}: orientation ${JSON.stringify(e.orientation)} must be "directed", "undirected" or "conflict"`, { row: i + 1, column: "orientation" });
    if (typeof e.lag !== "number" || !Number.isInteger(e.lag) || e.lag < minLag || e.lag > L)
      fail(`${at}: lag ${JSON.stringify(e.lag)} must be an integer in 1..maxLag (${L}), or 0 with an "orientation"`, { row: i + 1, column: "lag" });
    if (typeof e.score !== "number" || !Number.isFinite(e.score)) fail(`${at}: score ${JSON.stringify(e.score)} must be a finite number`, { row: i + 1, column: "score" });
    const edge: ScoredEdge = { cause: e.cause as string, effect: e.effect as string, lag: e.lag as number, score: e.score as number };
    for (const key of ["pvalue", "qvalue", "stability"] as const)
      if (e[key] !== undefined) {
        if (typeof e[key] !== "number" || !(e[key] >= 0 && e[key] <= 1)) fail(`${at}: ${key} ${JSON.stringify(e[key])} must be a number in [0, 1]`, { row: i + 1, column: key });
        edge[key] = e[key] as number;
      }
    if (e.orientation !== undefined) edge.orientation = e.orientation as ScoredEdge["orientation"];
    return edge;
  });
  // Optional tensors of formats.md: pvalues / stability like scores (in [0, 1]), contemporaneous [V, V].
  const tensor = (key: string, x: unknown, unit: boolean): number[][][] => {
    try {
      const s = scoresFromNested(x as number[][][], V, L);
      if (unit && !s.data.every((v) => v >= 0 && v <= 1)) fail(`"${key}" must hold numbers in [0, 1]`, { column: key });
      return Array.from({ length: V }, (_, e) => Array.from({ length: V }, (_, c) => Array.from(s.data.subarray((e * V + c) * L, (e * V + c + 1) * L))));
    } catch (err) {
      if (err instanceof InputError && !err.message.startsWith(file)) return fail(`"${key}": ${err.message} (expected shape [V, V, maxLag] = [${V}, ${V}, ${L}])`, { column: key });
      throw err;
    }
  };
  const extra: Partial<CausalGraph> = {};
  if (doc.pvalues !== undefined) extra.pvalues = tensor("pvalues", doc.pvalues, true);
  if (doc.stability !== undefined) extra.stability = tensor("stability", doc.stability, true);
  if (doc.contemporaneous !== undefined) {
    const m = doc.contemporaneous;
    if (!Array.isArray(m) || m.length !== V || !m.every((row) => Array.isArray(row) && row.length === V && row.every((v) => typeof v === "number" && Number.isFinite(v))))
      fail(`"contemporaneous" must be a [V, V] = [${V}, ${V}] matrix of finite numbers`, { column: "contemporaneous" });
    extra.contemporaneous = (m as number[][]).map((row) => [...row]);
  }
  if (doc.scoreInterval !== undefined) {
    const si = doc.scoreInterval;
    if (!isRecord(si) || typeof si.level !== "number" || !(si.level > 0 && si.level < 1)) return fail(`"scoreInterval" must be { "level" in (0, 1), "lower", "upper" }`, { column: "scoreInterval" });
    extra.scoreInterval = { level: si.level, lower: tensor("scoreInterval.lower", si.lower, false), upper: tensor("scoreInterval.upper", si.upper, false) };
  }
  if (!isRecord(meta)) return fail(`"meta" must be an object { "backend", "seconds", "seed", "params" }`);
  if (typeof meta.backend !== "string") fail(`meta.backend must be a string`, { column: "meta.backend" });
  if (typeof meta.seconds !== "number" || !Number.isFinite(meta.seconds)) fail(`meta.seconds must be a finite number`, { column: "meta.seconds" });
  if (typeof meta.seed !== "number" || !Number.isFinite(meta.seed)) fail(`meta.seed must be a finite number`, { column: "meta.seed" });
  if (!isRecord(meta.params)) fail(`meta.params must be an object`, { column: "meta.params" });
  for (const key of ["lagResolved", "probabilities"] as const)
    if (meta[key] !== undefined && typeof meta[key] !== "boolean") fail(`meta.${key} must be true or false`, { column: `meta.${key}` });
  let warnings: GraphWarning[] | undefined;
  if (doc.warnings !== undefined) {
    if (!Array.isArray(doc.warnings)) fail(`"warnings" must be an array of { "code", "message", "variables"? }`, { column: "warnings" });
    warnings = (doc.warnings as unknown[]).map((w, i) => {
      const at = `warnings[${i}]`;
      if (!isRecord(w)) return fail(`${at} must be an object { "code", "message", "variables"? }`, { column: "warnings" });
      if (typeof w.code !== "string" || !(WARNING_CODES as readonly string[]).includes(w.code)) fail(`${at}: code ${JSON.stringify(w.code)} is not one of ${WARNING_CODES.join(", ")}`, { column: "warnings" });
      if (typeof w.message !== "string") fail(`${at}: message must be a string`, { column: "warnings" });
      if (w.variables !== undefined && (!Array.isArray(w.variables) || !w.variables.every((v) => typeof v === "string")))
        fail(`${at}: variables must be an array of names`, { column: "warnings" });
      const out: GraphWarning = { code: w.code as GraphWarning["code"], message: w.message as string };
      if (w.variables !== undefined) out.variables = [...(w.variables as string[])];
      return out;
    });
  }
  return {
    format: GRAPH_FORMAT,
    variables: [...(names as string[])],
    maxLag: L,
    method: method as string,
    scores: nested!,
    edges,
    threshold: threshold as number,
    meta: meta as GraphMeta,
    ...(warnings ? { warnings } : {}),
    ...extra,
  };
}

/**
 * Parses and validates a `causeway.graph/v1` document: names, `scores` of shape
 * `[V, V, maxLag]` with finite numbers, edges naming known variables with lags in 1..maxLag.
 *
 * @example const graph = parseGraphJson(text, { file: "graph.json" });
 */
export function parseGraphJson(text: string, opts: { file?: string } = {}): CausalGraph {
  const file = opts.file ?? NO_FILE;
  return checkGraph(parseJsonText(text, file), file);
}

/** Objects with sorted keys, recursively (stable output whatever the insertion order). */
function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (isRecord(x)) return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sortKeys(x[k])]));
  return x;
}

/**
 * Pretty, stable JSON of a graph: fixed key order, one effect row of `scores` per line, one
 * edge per line, `meta` with its standard keys first and the rest (and `params`) sorted.
 * Validates first, so whatever it writes `parseGraphJson` reads back.
 */
export function graphToJson(graph: CausalGraph): string {
  const g = checkGraph(graph, "graph");
  const { backend, seconds, seed, params, lagResolved, probabilities, ...rest } = g.meta;
  const meta: Record<string, unknown> = { backend, seconds, seed, params: sortKeys(params) };
  if (lagResolved !== undefined) meta.lagResolved = lagResolved;
  if (probabilities !== undefined) meta.probabilities = probabilities;
  for (const k of Object.keys(rest).sort()) meta[k] = sortKeys(rest[k]);
  const scores = g.scores.map((row) => "    " + JSON.stringify(row));
  const edges = g.edges.map((e) => "    " + JSON.stringify({ cause: e.cause, effect: e.effect, lag: e.lag, score: e.score, pvalue: e.pvalue, qvalue: e.qvalue, stability: e.stability, orientation: e.orientation }));
  const rows = (key: string, t: number[][][] | number[][] | undefined) => (t ? [`  ${JSON.stringify(key)}: [\n${t.map((row) => "    " + JSON.stringify(row)).join(",\n")}\n  ],`] : []);
  return [
    "{",
    `  "format": ${JSON.stringify(g.format)},`,
    `  "variables": ${JSON.stringify(g.variables)},`,
    `  "maxLag": ${g.maxLag},`,
    `  "method": ${JSON.stringify(g.method)},`,
    `  "scores": [\n${scores.join(",\n")}\n  ],`,
    edges.length ? `  "edges": [\n${edges.join(",\n")}\n  ],` : `  "edges": [],`,
    `  "threshold": ${JSON.stringify(g.threshold)},`,
    ...rows("pvalues", g.pvalues),
    ...rows("contemporaneous", g.contemporaneous),
    ...rows("stability", g.stability),
    ...(g.scoreInterval ? [`  "scoreInterval": ${JSON.stringify(g.scoreInterval)},`] : []),
    ...(g.warnings ? [g.warnings.length ? `  "warnings": [\n${g.warnings.map((w) => "    " + JSON.stringify(w)).join(",\n")}\n  ],` : `  "warnings": [],`] : []),
    `  "meta": ${JSON.stringify(meta, null, 2).replace(/\n/g, "\n  ")}`,
    "}",
    "",
  ].join("\n");
}
