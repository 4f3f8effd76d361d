// discover's trust flags: --alpha/--correction/--strict, --surrogates, --bootstrap (issue #17).
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "@causeway/core";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "./test-cli.js";

/** CSV of x(t) = 0.5 x(t-1) + e, y(t) = 0.8 x(t-1) + e, z independent AR(.5). */
function csv(T: number, seed: number): string {
  const rng = new Rng(seed);
  let [x, z] = [0, 0];
  const lines = ["x,y,z"];
  for (let t = 0; t < T; t++) {
    const y = 0.8 * x + rng.normal();
    x = 0.5 * x + rng.normal();
    z = 0.5 * z + rng.normal();
    lines.push(`${x},${y},${z}`);
  }
  return lines.join("\n") + "\n";
}

let file: string;
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), "causeway-cli-trust-"));
  file = join(dir, "xyz.csv");
  await writeFile(file, csv(200, 1));
});

describe("causeway discover --surrogates", () => {
  it("writes surrogate p-values and selects edges by alpha and the correction", async () => {
    const r = await cli("discover", file, "--method", "corr", "--max-lag", "2", "--surrogates", "19", "--threads", "1", "--correction", "none", "--json", "-q");
    expect(r.code).toBe(0);
    const g = JSON.parse(r.out);
    expect(g.meta).toMatchObject({ surrogates: { count: 19, kind: "shift" }, alpha: 0.05, correction: "none" });
    expect(g.pvalues[1][0][0]).toBe(0.05); // x -> y at lag 1: no surrogate reaches it, p = 1/20
    expect(g.pvalues[0][0][0]).toBe(1); // self-links untested
    expect(g.edges.map((e: { cause: string; effect: string; lag: number }) => `${e.cause}->${e.effect}@${e.lag}`)).toContain("x->y@1");
    for (const e of g.edges) expect(e.pvalue).toBeLessThanOrEqual(0.05);
  });

  it("prints alpha, correction and the surrogates in the summary", async () => {
    const r = await cli("discover", file, "--max-lag", "1", "--surrogates", "9", "--surrogate-kind", "phase", "--threads", "1", "-q");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\d+ edges at alpha 0\.05 \(fdr_bh, p from 9 phase surrogates per cause: smallest possible p 0\.1\)/);
    expect(r.out).toMatch(/cause\s+effect\s+lag\s+score\s+sign\s+p\s+edge\n/); // corr has a sign
    // 9 surrogates: p >= .1, while fdr_bh over 3 x 3 x 1 entries needs .05 / 9 for a lone edge
    expect(r.err).toContain("note: the smallest p-value 9 surrogates give, 1/10, is above 0.0056 (alpha / 9 entries): a lone edge cannot pass fdr_bh; --surrogates 179 or more resolves it");
  });

  it("refuses a test over the run limits with its estimate, and bad flags", async () => {
    const r = await cli("discover", file, "--max-lag", "2", "--surrogates", "999", "--max-flops", "1e7");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--surrogates 999 \(999 x 3 causes \+ the observed run\) costs 2998 runs of corr on 200 x 3 with maxLag 2, ~\S+ floating-point operations in all/);
    expect((await cli("discover", file, "--surrogates", "0")).err).toMatch(/--surrogates must be an integer from 1/);
    expect((await cli("discover", file, "--surrogates", "9", "--surrogate-kind", "shuffle")).err).toMatch(/--surrogate-kind must be one of shift, phase/);
    expect((await cli("discover", file, "--surrogates", "9", "--bootstrap", "9")).err).toMatch(/run them separately/);
    expect((await cli("discover", file, "--method", "var", "--surrogates", "3", "--threads", "1")).err).toMatch(/var has its own test/);
  });
});

describe("causeway discover --bootstrap", () => {
  it("runs the resamples on worker threads and writes stability, the score interval and meta.bootstrap", async () => {
    const r = await cli("discover", file, "--method", "corr", "--max-lag", "2", "--bootstrap", "10", "--threads", "2", "--json", "-q");
    expect(r.code).toBe(0);
    const g = JSON.parse(r.out);
    expect(g.meta.bootstrap.resamples).toBe(10);
    expect(g.meta.bootstrap.blockLength).toBeGreaterThanOrEqual(1);
    expect(g.stability[1][0][0]).toBeGreaterThanOrEqual(0.9); // x -> y at lag 1
    expect(g.stability[2][0][0]).toBeLessThanOrEqual(0.2); // x -> z: absent
    expect(g.scoreInterval.level).toBe(0.9);
    expect(g.scoreInterval.lower[1][0][0]).toBeLessThan(g.scores[1][0][0]);
    expect(g.scoreInterval.upper[1][0][0]).toBeGreaterThan(g.scores[1][0][0]);
    expect(g.edges.find((e: { cause: string; effect: string; lag: number }) => e.cause === "x" && e.effect === "y" && e.lag === 1).stability).toBeGreaterThanOrEqual(0.9);
  });

  it("prints the bootstrap in the summary line and a stability column", async () => {
    const r = await cli("discover", file, "--max-lag", "1", "--bootstrap", "4", "--threads", "1", "-q");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/edges at threshold 0\.3 \| stability from 4 bootstrap resamples \(mean block length [\d.]+\)/);
    expect(r.out).toMatch(/score\s+sign\s+stability\s+edge\n/);
  });
});

describe("causeway discover --alpha --correction --strict", () => {
  it("selects p-value edges at the given alpha after the given correction", async () => {
    // with 19 surrogates p >= .05; Bonferroni over the 18 entries keeps none at alpha .05, and x -> y (p .05, adjusted .9) at .9
    const strict = JSON.parse((await cli("discover", file, "--max-lag", "2", "--surrogates", "19", "--threads", "1", "--alpha", "0.05", "--correction", "bonferroni", "--json", "-q")).out);
    expect(strict.meta).toMatchObject({ alpha: 0.05, correction: "bonferroni" });
    expect(strict.edges).toEqual([]);
    const loose = JSON.parse((await cli("discover", file, "--max-lag", "2", "--surrogates", "19", "--threads", "1", "--alpha", "0.9", "--correction", "bonferroni", "--json", "-q")).out);
    expect(loose.edges.map((e: { cause: string; effect: string; lag: number }) => `${e.cause}->${e.effect}@${e.lag}`)).toContain("x->y@1");
    expect((await cli("discover", file, "--alpha", "1.5")).err).toMatch(/--alpha must be a number in \(0, 1\)/);
    expect((await cli("discover", file, "--correction", "holm")).err).toMatch(/--correction must be one of none, bonferroni, fdr_bh/);
    expect((await cli("discover", file, "--strict", "-q")).code).toBe(0);
    // lcm's default model (v2) was trained on lags up to 10: beyond, a warning, or with --strict a refusal before any work
    const beyond = await cli("discover", file, "--method", "lcm", "--max-lag", "12", "--strict", "-q");
    expect(beyond.code).toBe(2);
    expect(beyond.err).toMatch(/strict/);
  });
});
