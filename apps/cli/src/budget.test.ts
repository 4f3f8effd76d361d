// discover --budget: presets for the methods that train, a one-line refusal for the others, and
// progress from worker threads (--threads) on the progress line.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "@causeway/core";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "./test-cli.js";

describe("causeway discover --budget", () => {
  let file: string;
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), "causeway-cli-budget-"));
    const rng = new Rng(2);
    const lines = ["a,b,c,d"];
    let prev = [0, 0, 0, 0];
    for (let t = 0; t < 150; t++) {
      const next = [0.5 * prev[0] + rng.normal(), Math.tanh(2 * prev[0]) + 0.3 * rng.normal(), 0.5 * prev[2] + rng.normal(), 0.5 * prev[3] + rng.normal()];
      lines.push(next.join(","));
      prev = next;
    }
    file = join(dir, "s.csv");
    await writeFile(file, lines.join("\n") + "\n");
  });

  it("applies the method's preset (an explicit -p wins) and records meta.budget", async () => {
    const r = await cli("discover", file, "-m", "tcdf", "-l", "2", "--budget", "fast", "-p", "patience=3", "--json");
    expect(r.code, r.err).toBe(0);
    const g = JSON.parse(r.out);
    expect(g.meta.budget).toEqual({ name: "fast", applied: { epochs: 200 } });
    expect(g.meta.epochs).toBe(200);
  });

  it("causeway methods NAME lists the budget presets of a method that trains, none for corr", async () => {
    const tcdf = await cli("methods", "tcdf");
    expect(tcdf.out).toContain("--budget: fast epochs=200; thorough epochs=3000; or seconds\n");
    expect((await cli("methods", "corr")).out).not.toContain("--budget");
  });

  it("refuses a budget for a method without training, and a bad budget, in one line", async () => {
    const corr = await cli("discover", file, "-m", "corr", "--budget", "fast");
    expect(corr.code).not.toBe(0);
    expect(corr.err.trim().split("\n")).toHaveLength(1);
    expect(corr.err).toMatch(/corr has no training to budget; --budget applies to clstm, cmlp, .*tcdf, transformer/);
    const bad = await cli("discover", file, "-m", "tcdf", "--budget", "0");
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/budget must be one of fast, default, thorough or a number of seconds > 0, got "0"/);
  });

  it("--threads 2 --progress: the threads' progress reaches the progress line", async () => {
    const r = await cli("discover", file, "-m", "tcdf", "-l", "2", "-p", "epochs=300", "-p", "engine=js", "--threads", "2", "--progress", "--json");
    expect(r.code, r.err).toBe(0);
    // one line per 10% off a terminal: the threads' averaged fraction passes several deciles
    const lines = r.err.split("\n").filter((l) => /^tcdf (train|validate).* +\d+%.*elapsed.* 2 threads$/.test(l));
    expect(lines.length, r.err).toBeGreaterThanOrEqual(3);
  });
});
