import type { CausalGraph } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { describeGraph, edgeSigns, pairRows } from "./summary.js";

/** A cLSTM-like graph: summary scores repeated at every lag, the strongest entries self-loops. */
function summaryGraph(): CausalGraph {
  const L = 4;
  const s = [
    [0.9, 0.1, 0.6], // a <- a (self), a <- b, a <- c
    [0.7, 0.95, 0.2], // b <- a, b <- b (self), b <- c
    [0.3, 0.5, 0.8], // c <- a, c <- b, c <- c (self)
  ];
  return {
    format: "causeway.graph/v1",
    variables: ["a", "b", "c"],
    maxLag: L,
    method: "clstm",
    scores: s.map((row) => row.map((x) => new Array(L).fill(x))),
    edges: [{ cause: "a", effect: "b", lag: 1, score: 0.7 }, { cause: "a", effect: "b", lag: 2, score: 0.7 }],
    threshold: 0.65,
    meta: { backend: "cpu", seconds: 1, seed: 0, params: {}, lagResolved: false },
  };
}

describe("discover's top pairs", () => {
  it("shows one line per (cause, effect) pair, self-loops hidden, strongest first", () => {
    const rows = pairRows(summaryGraph());
    expect(rows.map((r) => `${r.cause}->${r.effect}`)).toEqual(["a->b", "c->a", "b->c", "a->c", "c->b", "b->a"]);
    expect(rows[0]).toMatchObject({ lag: 1, score: 0.7, selected: true });
    expect(rows[1].selected).toBe(false);
  });

  it("shows the self-loops with showSelf, and keeps top", () => {
    const rows = pairRows(summaryGraph(), { showSelf: true, top: 3 });
    expect(rows.map((r) => `${r.cause}->${r.effect}`)).toEqual(["b->b", "a->a", "c->c"]);
  });

  it("takes each pair's best lag and the p-value and stability there", () => {
    const g = summaryGraph();
    g.scores[1][0] = [0.2, 0.9, 0.4, 0.1]; // b <- a strongest at lag 2
    g.pvalues = g.scores.map((r) => r.map((c) => c.map((x) => 1 - x)));
    g.stability = g.scores.map((r) => r.map((c) => c.map((_, l) => l / 10)));
    const row = pairRows(g, { top: 1 })[0];
    expect(row).toMatchObject({ cause: "a", effect: "b", lag: 2, score: 0.9, p: 0.09999999999999998, stability: 0.1 });
  });

  it("prints the table: no self-loop lines, one line per pair, '-' for the lag of a summary method, signs when known", () => {
    const g = summaryGraph();
    const text = describeGraph(g, 10);
    const lines = text.split("\n").filter((l) => /^[abc] {2,}/.test(l));
    expect(lines).toHaveLength(6);
    expect(lines.some((l) => /^(\w)\s+\1\s/.test(l))).toBe(false);
    expect(lines[0]).toMatch(/^a\s+b\s+-\s+0\.7\s+yes$/);
    expect(text).toContain("strongest 6 of 6 (cause, effect) pairs, self-loops hidden (--show-self)");
    const signs = g.scores.map((r) => r.map((c) => c.map(() => -1)));
    expect(describeGraph(g, 2, { signs })).toMatch(/cause\s+effect\s+lag\s+score\s+sign\s+edge\n[- ]+\na\s+b\s+-\s+0\.7\s+-\s+yes\n/);
  });

  it("gives var's coefficient signs and corr's correlation signs", () => {
    // y(t) = -0.8 x(t-1) + noise, z(t) = 0.7 x(t-2) + noise
    const T = 400;
    const data = new Float64Array(3 * T);
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
    for (let t = 0; t < T; t++) {
      data[3 * t] = rnd();
      data[3 * t + 1] = (t >= 1 ? -0.8 * data[3 * (t - 1)] : 0) + 0.3 * rnd();
      data[3 * t + 2] = (t >= 2 ? 0.7 * data[3 * (t - 2)] : 0) + 0.3 * rnd();
    }
    const series = { variables: ["x", "y", "z"], length: T, data };
    const g = { ...summaryGraph(), variables: series.variables, maxLag: 2, meta: { ...summaryGraph().meta, params: { ic: "none" } } };
    for (const method of ["var", "corr"]) {
      const s = edgeSigns({ ...g, method }, series)!;
      expect([s[1][0][0], s[2][0][1]]).toEqual([-1, 1]);
    }
    expect(edgeSigns({ ...g, method: "cmlp" }, series)).toBeUndefined();
  });
});
