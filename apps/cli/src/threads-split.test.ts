// discover --threads 2 with a per-target method (cmlp), a staged one (pcmci) or the transformer's ensemble members: one run split over 2 worker threads.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { cli } from "./test-cli.js";

describe("causeway discover --threads 2", () => {
  it("fits half the effects in each of 2 threads and ranks the planted edge first", async () => {
    const dir = await mkdtemp(join(tmpdir(), "causeway-cli-threads-"));
    const rng = new Rng(4);
    const lines = ["a,b,c,d"];
    let prev = [0, 0, 0, 0];
    for (let t = 0; t < 200; t++) {
      // b <- a @1 (tanh); the others are AR(1) noise
      const next = [0.5 * prev[0] + rng.normal(), Math.tanh(2 * prev[0]) + 0.3 * rng.normal(), 0.5 * prev[2] + rng.normal(), 0.5 * prev[3] + rng.normal()];
      lines.push(next.join(","));
      prev = next;
    }
    await writeFile(join(dir, "s.csv"), lines.join("\n") + "\n");
    const params = ["-p", "hidden=8", "-p", "pathSteps=12", "-p", "warmupIters=60", "-p", "stepIters=10"];
    const r = await cli("discover", join(dir, "s.csv"), "-m", "cmlp", "-b", "cpu", "-l", "1", ...params, "--threads", "2", "--json");
    expect(r.code, r.err).toBe(0);
    const graph = JSON.parse(r.out);
    expect(graph.meta.threads).toBe(2);
    // scores[effect][cause][lag - 1]: b <- a is the strongest cross edge, strictly
    const cross: [number, string][] = [];
    for (let e = 0; e < 4; e++) for (let c = 0; c < 4; c++) if (e !== c) cross.push([graph.scores[e][c][0], `${graph.variables[c]}->${graph.variables[e]}`]);
    cross.sort((x, y) => y[0] - x[0]);
    expect(cross[0][1]).toBe("a->b");
    expect(cross[0][0]).toBeGreaterThan(cross[1][0]);
  });

  it("-m pcmci --threads 2 splits PC1 and MCI over the threads: the same p-values as one thread", async () => {
    const dir = await mkdtemp(join(tmpdir(), "causeway-cli-threads-"));
    const rng = new Rng(7);
    const lines = ["a,b,c,d,e"];
    let prev = [0, 0, 0, 0, 0];
    for (let t = 0; t < 400; t++) {
      const next = [0.5 * prev[0] + rng.normal(), 0.6 * prev[0] + rng.normal(), 0.5 * prev[1] + 0.3 * prev[2] + rng.normal(), rng.normal(), 0.4 * prev[3] + rng.normal()];
      lines.push(next.join(","));
      prev = next;
    }
    await writeFile(join(dir, "s.csv"), lines.join("\n") + "\n");
    const args = ["discover", join(dir, "s.csv"), "-m", "pcmci", "-l", "2", "-p", "tauMin=0", "--json"];
    const [one, two] = await Promise.all([cli(...args), cli(...args, "--threads", "2")]);
    expect(one.code, one.err).toBe(0);
    expect(two.code, two.err).toBe(0);
    const [g1, g2] = [JSON.parse(one.out), JSON.parse(two.out)];
    expect(g2.meta.threads).toBe(2);
    expect(g2.pvalues).toEqual(g1.pvalues);
    expect(g2.edges).toEqual(g1.edges);
    expect(g1.edges.map((e: { cause: string; effect: string }) => `${e.cause}->${e.effect}`)).toContain("a->b");
  });

  it("-m transformer --ensemble 2 --threads 2 trains one member per thread (wasm in each): the one-thread scores", async () => {
    const dir = await mkdtemp(join(tmpdir(), "causeway-cli-threads-"));
    const rng = new Rng(3);
    const lines = ["a,b,c"];
    let prev = [0, 0, 0];
    for (let t = 0; t < 300; t++) {
      const next = [0.5 * prev[0] + rng.normal(), Math.tanh(2 * prev[0]) + 0.3 * rng.normal(), 0.5 * prev[2] + rng.normal()];
      lines.push(next.join(","));
      prev = next;
    }
    await writeFile(join(dir, "s.csv"), lines.join("\n") + "\n");
    const small = ["-p", "epochs=8", "-p", "dModel=16", "-p", "heads=2", "-p", "layers=1", "-p", "ffHidden=16"];
    const args = ["discover", join(dir, "s.csv"), "-m", "transformer", "-b", "wasm", "-l", "1", "--ensemble", "2", ...small, "--json"];
    const one = await cli(...args); // one after the other: both use this process's wasm backend
    const two = await cli(...args, "--threads", "2");
    expect(one.code, one.err).toBe(0);
    expect(two.code, two.err).toBe(0);
    const [g1, g2] = [JSON.parse(one.out), JSON.parse(two.out)];
    expect(g1.meta.threads).toBe(1);
    expect(g2.meta.threads).toBe(2);
    const [a, b] = [g1.scores.flat(2) as number[], g2.scores.flat(2) as number[]];
    b.forEach((x, k) => expect(Math.abs(x - a[k])).toBeLessThanOrEqual(1e-12));
    expect(g1.scores[1][0][0]).toBeGreaterThan(Math.max(0.5, 2 * g1.scores[1][2][0])); // b <- a well above b <- c (no link)
  });
});
