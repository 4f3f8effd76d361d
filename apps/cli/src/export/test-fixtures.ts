// Test fixtures for the exports: a small graph with every kind of edge, and an XML checker.
import type { CausalGraph } from "@causeway/core";

/** 3 variables, max lag 2: a -> b at lags 1 and 2, b -> c at lag 1, a self-loop c -> c, a lag-0 a - c undirected link and b -> a directed at lag 0. */
export function sampleGraph(): CausalGraph {
  const zeros = () => [0, 1, 2].map(() => [0, 1, 2].map(() => [0.01, 0.01]));
  const scores = zeros();
  const pvalues = zeros().map((r) => r.map(() => [1, 1]));
  const stability = zeros().map((r) => r.map(() => [0, 0]));
  const set = (e: number, c: number, l: number, s: number, p: number, st: number) => ((scores[e][c][l - 1] = s), (pvalues[e][c][l - 1] = p), (stability[e][c][l - 1] = st));
  set(1, 0, 1, 9.5, 1e-12, 1);
  set(1, 0, 2, 4.2, 3e-5, 0.9);
  set(2, 1, 1, 6.1, 2e-8, 0.95);
  set(2, 2, 1, 7.7, 1e-9, 1);
  return {
    format: "causeway.graph/v1",
    variables: ["a", "b <c&d>"].concat("c"),
    maxLag: 2,
    method: "var",
    scores,
    pvalues,
    stability,
    contemporaneous: [
      [0, 0.3, 0.4],
      [0, 0, 0],
      [0.4, 0, 0],
    ],
    edges: [
      { cause: "a", effect: "b <c&d>", lag: 1, score: 9.5, pvalue: 1e-12, qvalue: 1e-11, stability: 1 },
      { cause: "c", effect: "c", lag: 1, score: 7.7, pvalue: 1e-9, qvalue: 5e-9, stability: 1 },
      { cause: "b <c&d>", effect: "c", lag: 1, score: 6.1, pvalue: 2e-8, qvalue: 8e-8, stability: 0.95 },
      { cause: "a", effect: "b <c&d>", lag: 2, score: 4.2, pvalue: 3e-5, qvalue: 9e-5, stability: 0.9 },
      { cause: "a", effect: "c", lag: 0, score: 0.4, orientation: "undirected" },
      { cause: "b <c&d>", effect: "a", lag: 0, score: 0.3, orientation: "directed" },
    ],
    threshold: 4.2,
    meta: { backend: "none", seconds: 0.1, seed: 3, params: { ic: "none" }, alpha: 0.05, correction: "fdr_bh" },
    warnings: [{ code: "short_series", message: "200 samples for 3 variables x 2 lags is short" }],
  };
}

/**
 * Checks that `text` is well-formed XML (one root; every tag closed in order; attributes quoted;
 * `&` only in entities) and returns its elements as [name, attributes] in document order.
 * Throws with the offending position otherwise.
 */
export function parseXml(text: string): { name: string; attrs: Record<string, string>; text: string }[] {
  const out: { name: string; attrs: Record<string, string>; text: string }[] = [];
  const stack: number[] = [];
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, "").replace(/<!--[\s\S]*?-->/g, "");
  const token = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  let roots = 0;
  for (let m = token.exec(body); m; m = token.exec(body)) {
    if (m[6]) throw new Error(`malformed tag at ${m.index}: ${body.slice(m.index, m.index + 40)}`);
    if (m[5] !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(m[5])) throw new Error(`bare & at ${m.index}`);
      if (stack.length) out[stack[stack.length - 1]].text += m[5];
      else if (m[5].trim()) throw new Error(`text outside the root at ${m.index}`);
      continue;
    }
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (open === undefined || out[open].name !== name) throw new Error(`</${name}> at ${m.index} closes ${open === undefined ? "nothing" : `<${out[open].name}>`}`);
      continue;
    }
    if (stack.length === 0 && ++roots > 1) throw new Error(`second root <${name}> at ${m.index}`);
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
      attrs[a[1]] = a[2] ?? a[3];
    }
    out.push({ name, attrs, text: "" });
    if (!selfClose) stack.push(out.length - 1);
  }
  if (stack.length) throw new Error(`unclosed <${out[stack[stack.length - 1]].name}>`);
  if (roots !== 1) throw new Error("no root element");
  return out;
}
