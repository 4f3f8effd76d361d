// The pcmci / pcmciplus methods through discover: ranking, missing cells, recordings, prior knowledge, errors.
import { InputError, sliceSeries, type CausalGraph, type GroundTruth } from "@causeway/core";
import { maskAtRandom } from "@causeway/test-utils";
import { scoreGraph } from "@causeway/metrics";
import { generateSvar, generateVar } from "@causeway/synth";
import { describe, expect, it } from "vitest";
import { pcmciMethod, pcmciplusMethod } from "./method.js";
import { runPcmci } from "./pcmci.js";
import { parseLinkAssumptions } from "./links.js";

const auroc = (g: CausalGraph, truth: GroundTruth) => scoreGraph(truth, g).aurocLagged ?? NaN;

describe("pcmci method", () => {
  it("ranks a seeded VAR's links (lagged AUROC) and gives p-values with FDR-selected edges", async () => {
    const { series, truth } = generateVar({ vars: 6, length: 800, maxLag: 3, seed: 11 });
    const g = await pcmciMethod.discover(series, { maxLag: 3 });
    expect(auroc(g, truth)).toBeGreaterThan(0.97);
    expect(g.pvalues).toBeDefined();
    expect(g.meta.correction).toBe("fdr_bh");
    // every true link is found, and scores never saturate (finite, distinct)
    const found = new Set(g.edges.map((e) => `${e.cause}>${e.effect}@${e.lag}`));
    for (const e of truth.edges) expect(found.has(`${e.cause}>${e.effect}@${e.lag}`)).toBe(true);
    const flat = g.scores.flat(2);
    expect(flat.every(Number.isFinite)).toBe(true);
    expect(new Set(flat.filter((s) => s > 10)).size).toBe(flat.filter((s) => s > 10).length);
  });

  it("keeps the lagged AUROC within .02 of the complete data's with 10% of cells missing", async () => {
    const { series, truth } = generateVar({ vars: 5, length: 1500, maxLag: 2, seed: 5 });
    const full = auroc(await pcmciMethod.discover(series, { maxLag: 2 }), truth);
    const g = await pcmciMethod.discover(maskAtRandom(series, 0.1, 9), { maxLag: 2 });
    expect(full).toBeGreaterThan(0.95);
    expect(Math.abs(auroc(g, truth) - full)).toBeLessThan(0.02);
    expect(g.warnings?.some((w) => w.code === "missing_values")).toBe(true);
  });

  it("leaves out, per test, only the rows where one of the test's nodes is missing", () => {
    const { series } = generateVar({ vars: 3, length: 300, maxLag: 1, seed: 2 });
    const holes = maskAtRandom(series, 0.02, 4);
    const r = runPcmci(holes, { tauMax: 1, pcAlpha: 0.2 });
    const complete = runPcmci(series, { tauMax: 1, pcAlpha: 0.2 });
    // p-values move (fewer rows) but stay finite and in [0, 1]
    for (let k = 0; k < r.pvalue.length; k++) expect(r.pvalue[k]).toBeGreaterThanOrEqual(0);
    expect(r.pvalue.some((p, k) => Math.abs(p - complete.pvalue[k]) > 1e-12)).toBe(true);
  });

  it("pools several recordings without windows across their borders", async () => {
    const { series, truth } = generateVar({ vars: 6, length: 4 * 40, maxLag: 2, seed: 3 });
    const starts = [0, 40, 80, 120];
    const pooled = await pcmciMethod.discover({ ...series, segments: starts }, { maxLag: 2 });
    expect(pooled.meta.samples).toBe(4 * (40 - 4)); // 2 tauMax rows cut per recording
    const alone = await Promise.all(starts.map((s) => pcmciMethod.discover(sliceSeries(series, s, s + 40), { maxLag: 2 })));
    const each = alone.map((g) => auroc(g, truth));
    // pooled .995; each recording alone .72-.91
    expect(auroc(pooled, truth)).toBeGreaterThan(Math.max(...each));
    // the naive concatenation uses the 12 false windows across borders: different p-values
    const naive = await pcmciMethod.discover(series, { maxLag: 2 });
    expect(naive.pvalues).not.toEqual(pooled.pvalues);
  });

  it("respects link assumptions: forbidden links untested, required links kept", async () => {
    const { series } = generateVar({ vars: 4, length: 500, maxLag: 2, seed: 7 });
    const g = await pcmciMethod.discover(series, { maxLag: 2, params: { links: "!x0->*,x3->x2:2" } });
    for (let e = 0; e < 4; e++)
      for (let l = 0; l < 2; l++) {
        expect(g.pvalues![e][0][l]).toBe(1);
        expect(g.scores[e][0][l]).toBe(0);
      }
    expect(g.pvalues![2][3][1]).toBe(0);
    expect(g.edges.some((e) => e.cause === "x3" && e.effect === "x2" && e.lag === 2)).toBe(true);
    const parents = g.meta.parents as Record<string, string[]>;
    for (const ps of Object.values(parents)) expect(ps.some((p) => p.startsWith("x0@"))).toBe(false);
    expect(parents.x2).toContain("x3@2");
  });

  it("rejects bad parameters with clear errors", async () => {
    const { series } = generateVar({ vars: 3, length: 200, maxLag: 2, seed: 1 });
    await expect(pcmciMethod.discover(series, { maxLag: 2, params: { pcAlpha: "often" } })).rejects.toThrow(/pcAlpha must be a level in \(0, 1\]/);
    await expect(pcmciMethod.discover(series, { maxLag: 2, params: { links: "x9->x0" } })).rejects.toThrow(/unknown variable "x9"/);
    await expect(pcmciMethod.discover(series, { maxLag: 2, params: { links: "x0->x1:5" } })).rejects.toThrow(/outside 0..tauMax = 2/);
    await expect(pcmciMethod.discover(series, { maxLag: 2, params: { tauMin: 3 } })).rejects.toThrow(InputError);
    expect(() => parseLinkAssumptions("x0 => x1", ["x0", "x1"], 2)).toThrow(/is not of the form/);
  });

  it("gives p = 1 (never NaN) to tests with more conditions than samples allow", () => {
    const { series } = generateVar({ vars: 8, length: 30, maxLag: 3, seed: 12, coefRange: [0.5, 0.7] });
    const r = runPcmci(series, { tauMax: 3, pcAlpha: 1 }); // PC1 keeps all 24 candidates: up to 23 conditions on 24 samples
    expect(r.samples).toBe(24);
    for (const p of r.pvalue) expect(p >= 0 && p <= 1).toBe(true);
    expect(() => runPcmci(generateVar({ vars: 2, length: 7, maxLag: 2, seed: 1 }).series, { tauMax: 2 })).toThrow(/needs at least 4 samples/);
  });

  it("chooses pc_alpha by AIC with pcAlpha 'auto' (tigramite's list) and records it", async () => {
    const { series } = generateVar({ vars: 4, length: 400, maxLag: 2, seed: 8 });
    const g = await pcmciMethod.discover(series, { maxLag: 2, params: { pcAlpha: "auto" } });
    for (const a of g.meta.pcAlpha as number[]) expect([0.05, 0.1, 0.2, 0.3, 0.4, 0.5]).toContain(a);
  });
});

describe("pcmci with tauMin 0", () => {
  it("adds undirected lag-0 links where both directions' MCI p-values are small", async () => {
    const { series, contemporaneous } = generateSvar({ vars: 4, length: 800, maxLag: 1, seed: 6, instantaneousDensity: 0.5 });
    const g = await pcmciMethod.discover(series, { maxLag: 1, params: { tauMin: 0 } });
    const lag0 = g.edges.filter((e) => e.lag === 0);
    expect(lag0.length).toBeGreaterThan(0);
    for (const e of lag0) expect(e.orientation).toBe("undirected");
    const pair = (a: string, b: string) => [a, b].sort().join("-");
    const truePairs = new Set(contemporaneous.map((e) => pair(e.cause, e.effect)));
    for (const e of lag0) expect(truePairs.has(pair(e.cause, e.effect))).toBe(true);
    // symmetric lag-0 matrix (the larger p of the two directions)
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) expect(g.contemporaneous![a][b]).toBe(g.contemporaneous![b][a]);
  });
});

describe("pcmciplus method", () => {
  it("recovers instantaneous links of a structural VAR (lag-0 edges with orientation)", async () => {
    const { series, contemporaneous } = generateSvar({ vars: 5, length: 1000, maxLag: 1, seed: 4, instantaneousDensity: 0.4 });
    const g = await pcmciplusMethod.discover(series, { maxLag: 1 });
    expect(g.contemporaneous).toBeDefined();
    const lag0 = g.edges.filter((e) => e.lag === 0);
    const pair = (a: string, b: string) => [a, b].sort().join("-");
    const truePairs = new Set(contemporaneous.map((e) => pair(e.cause, e.effect)));
    const found = new Set(lag0.map((e) => pair(e.cause, e.effect)));
    expect(truePairs.size).toBeGreaterThan(0);
    let hits = 0;
    for (const p of truePairs) if (found.has(p)) hits++;
    expect(hits / truePairs.size).toBeGreaterThanOrEqual(0.75);
    expect([...found].filter((p) => !truePairs.has(p)).length).toBeLessThanOrEqual(1);
    for (const e of lag0) expect(["directed", "undirected", "conflict"]).toContain(e.orientation);
  });
});
