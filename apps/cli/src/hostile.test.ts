import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "./test-cli.js";


/** A usage or input error: exit 2 and exactly one line on stderr. */
function expectOneLineError(r: { code: number; err: string }, pattern: RegExp): void {
  expect(r.code, r.err).toBe(2);
  expect(r.err.trim().split("\n"), r.err).toHaveLength(1);
  expect(r.err).toMatch(pattern);
}

let dir: string;
let csv: string;
let truth: string;
/** The generated CSV with every value mapped through `f`. */
async function transformedCsv(name: string, f: (x: number) => number): Promise<string> {
  const [header, ...rows] = (await readFile(csv, "utf8")).trim().split("\n");
  const path = join(dir, `${name}.csv`);
  await writeFile(path, [header, ...rows.map((r) => r.split(",").map((c) => String(f(Number(c)))).join(","))].join("\n") + "\n");
  return path;
}
async function auroc(data: string, ...flags: string[]): Promise<{ lagged: number; warnings: string }> {
  const graph = join(dir, "graph.json");
  const d = await cli("discover", data, "--max-lag", "2", "--quiet", "--out", graph, "--top", "0", ...flags);
  expect(d.code, d.err).toBe(0);
  const s = await cli("score", truth, graph, "--json");
  return { lagged: JSON.parse(s.out).aurocLagged as number, warnings: d.err };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "causeway-hostile-"));
  const gen = await cli("generate", "var", "--vars", "4", "--length", "300", "--max-lag", "2", "--seed", "2", "--out", join(dir, "var4"));
  expect(gen.code).toBe(0);
  csv = join(dir, "var4", "data.csv");
  truth = join(dir, "var4", "truth.json");
});

describe("hostile input to the CLI", () => {
  it("--seed -5 and --seed 1e30 get a one-line error naming the range; negative thresholds are values", async () => {
    expectOneLineError(await cli("discover", csv, "--seed", "-5"), /--seed must be between 0 and 2147483647, got -5/);
    expectOneLineError(await cli("discover", csv, "--seed", "1e30"), /--seed must be between 0 and 2147483647, got 1e\+30/);
    expectOneLineError(await cli("generate", "var", "--seed", "-5", "--out", join(dir, "g")), /--seed must be between 0 and 2147483647, got -5/);
    expectOneLineError(await cli("demo", "-s", "-5"), /--seed must be between 0 and 2147483647, got -5/);
    const r = await cli("discover", csv, "--threshold", "-0.5", "--json");
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).threshold).toBe(-0.5);
  });

  it("a series too short for maxLag gets a one-line error naming the rows needed", async () => {
    const tiny = join(dir, "tiny.csv");
    await writeFile(tiny, "a,b\n1,2\n3,1\n2,5\n");
    expectOneLineError(await cli("discover", tiny, "--max-lag", "3"), /rows?.*(at least|needs?)|(at least|needs?).*rows?/);
  });

  it("values beyond float64 (1e309) get a one-line error naming row and column", async () => {
    const inf = join(dir, "inf.csv");
    await writeFile(inf, "a,b\n1,2\n3,1e309\n2,5\n4,1\n5,2\n");
    expectOneLineError(await cli("discover", inf, "--max-lag", "1"), /inf\.csv.*row 2.*"b".*infinite/);
  });

  it("x1e-12, x1e12, +1000 and x1e300 data score as the original with var, corr and tcdf; x1e300 warns `scale`", async () => {
    const variants = {
      "x1e-12": await transformedCsv("small", (x) => x * 1e-12),
      x1e12: await transformedCsv("large", (x) => x * 1e12),
      "+1000": await transformedCsv("offset", (x) => x + 1000),
      x1e300: await transformedCsv("huge", (x) => x * 1e300),
    };
    for (const flags of [["--method", "var"], ["--method", "corr"], ["--method", "tcdf", "--backend", "cpu", "--param", "epochs=100", "--param", "engine=js"]]) {
      const base = await auroc(csv, ...flags);
      expect(base.lagged, flags[1]).toBeGreaterThan(0.8);
      for (const [name, path] of Object.entries(variants)) {
        const r = await auroc(path, ...flags);
        expect(r.lagged, `${flags[1]} ${name}`).toBeCloseTo(base.lagged, 6);
        expect(r.warnings.includes("warning scale:"), `${flags[1]} ${name}`).toBe(name === "x1e300");
      }
    }
  });
});

describe("the real binary", () => {
  it("prints no Vulkan/Dawn lines for var (auto backend) or tcdf on cpu", async () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
    const main = join(root, "apps/cli/src/main.ts");
    for (const flags of [["--method", "var"], ["--method", "tcdf", "--backend", "cpu", "--param", "epochs=5"], ["--method", "tcdf", "--param", "epochs=5"]]) {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--conditions=@causeway/source", main, "discover", csv, "--max-lag", "2", "--quiet", ...flags], {
        cwd: root,
        timeout: 60_000,
      });
      expect(stdout).toMatch(/method (var|tcdf) \| 4 variables/);
      expect(stderr, flags.join(" ")).not.toMatch(/Vulkan|Dawn|maxDynamic/);
    }
  });
});
