import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "./test-cli.js";


let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "causeway-cli-"));
});

describe("causeway CLI", () => {
  it("generate → discover → score works end to end with corr on a VAR(3)", async () => {
    const gen = await cli("generate", "var", "--vars", "5", "--length", "1000", "--max-lag", "3", "--seed", "1", "--out", join(dir, "var5"));
    expect(gen.code).toBe(0);
    expect(gen.out).toMatch(/wrote .*data\.csv \(1000 x 5\)/);
    const graphPath = join(dir, "graph.json");
    const disc = await cli("discover", join(dir, "var5", "data.csv"), "--method", "corr", "--max-lag", "3", "--out", graphPath);
    expect(disc.code).toBe(0);
    expect(disc.out).toMatch(/method corr \| 5 variables, max lag 3/);
    const graph = JSON.parse(await readFile(graphPath, "utf8"));
    expect(graph.format).toBe("causeway.graph/v1");
    expect(graph.scores).toHaveLength(5);
    const score = await cli("score", join(dir, "var5", "truth.json"), graphPath, "--json");
    expect(score.code).toBe(0);
    const s = JSON.parse(score.out);
    // corr is a weak baseline, but on a VAR it must be well above chance
    expect(s.aurocLagged).toBeGreaterThan(0.7);
    expect(s.aurocSummary).toBeGreaterThan(0.7);
  });

  it.each([
    ["nonstationary", "lagged"],
    ["spiking", "lagged"],
    ["bold", "summary"],
    ["confounded", "lagged"],
  ])("generate %s writes a series whose %s truth var recovers", async (kind, truthKind) => {
    const out = join(dir, kind);
    const gen = await cli("generate", kind, "--vars", "4", "--length", "1500", "--seed", "2", "--out", out);
    expect(gen.code).toBe(0);
    const truth = JSON.parse(await readFile(join(out, "truth.json"), "utf8"));
    expect(truth.edges.length).toBeGreaterThan(0);
    expect(Boolean(truth.summaryOnly)).toBe(truthKind === "summary");
    const graphPath = join(out, "graph.json");
    expect((await cli("discover", join(out, "data.csv"), "--method", "var", "--max-lag", "3", "--out", graphPath)).code).toBe(0);
    const s = JSON.parse((await cli("score", join(out, "truth.json"), graphPath, "--json")).out);
    // seed 2 gives .95 / .82 / 1 / 1; a broken truth or generator lands near .5
    expect(s.aurocSummary).toBeGreaterThan(0.75);
  });

  it("prints the graph as JSON with --json and keeps progress off stdout", async () => {
    const r = await cli("discover", join(dir, "var5", "data.csv"), "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).method).toBe("corr");
  });

  it("exits 2 with a one-line reason naming file, row and column on bad input", async () => {
    const bad = join(dir, "bad.csv");
    await writeFile(bad, "a,b\n1,2\n3,oops\n5,6\n7,8\n");
    const r = await cli("discover", bad, "--max-lag", "1");
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/bad\.csv/);
    expect(r.err).toMatch(/oops/);
    expect(r.err).toMatch(/\bb\b/);
  });

  it("lists valid methods and backends on unknown names", async () => {
    const m = await cli("discover", join(dir, "var5", "data.csv"), "--method", "nope");
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/unknown method "nope"; valid methods: .*corr/);
    const b = await cli("discover", join(dir, "var5", "data.csv"), "--backend", "tpu");
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/valid backends: auto, cpu, wasm, webgpu, cuda/);
    const c = await cli("discover", join(dir, "var5", "data.csv"), "--backend", "cuda");
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/npm install @tensorflow\/tfjs-node-gpu/);
  });

  it("maps --readout and --ensemble onto the transformer's params, and rejects them for methods without those params", async () => {
    const data = join(dir, "var5", "data.csv");
    const tiny = ["-p", "epochs=1", "-p", "dModel=8", "-p", "heads=2", "-p", "ffHidden=8", "-p", "samples=16", "-b", "wasm"];
    const r = await cli("discover", data, "--method", "transformer", "--readout", "attention", "--ensemble", "2", ...tiny, "--json");
    expect(r.code, r.err).toBe(0);
    const graph = JSON.parse(r.out);
    expect(graph.method).toBe("transformer");
    expect(graph.meta.params.readout).toBe("attention");
    expect(graph.meta.params.ensemble).toBe(2);
    expect(graph.meta.epochs).toHaveLength(2); // two models trained
    expect(graph.meta.lagResolved).toBe(false); // attention scores are summary scores
    const corr = await cli("discover", data, "--method", "corr", "--readout", "gradient");
    expect(corr.code).toBe(2);
    expect(corr.err).toMatch(/--readout applies to methods with a "readout" parameter; corr has none/);
    const twice = await cli("discover", data, "--method", "transformer", "--ensemble", "2", "-p", "ensemble=3");
    expect(twice.code).toBe(2);
    expect(twice.err).toMatch(/--ensemble and --param ensemble=\.\.\. both given/);
    const bad = await cli("discover", data, "--method", "transformer", "--readout", "lrp");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/readout" must be one of gradient, attention/);
  });

  it("rejects unknown flags and missing arguments with usage hints", async () => {
    expect((await cli("discover")).code).toBe(2);
    const r = await cli("generate", "var", "--out", dir, "--bogus");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--bogus/);
    expect((await cli("frobnicate")).err).toMatch(/unknown command "frobnicate"/);
  });

  it("has --help everywhere", async () => {
    for (const c of ["demo", "discover", "score", "generate", "methods", "backends", "serve", "worker"]) {
      const r = await cli(c, "--help");
      expect(r.code, c).toBe(0);
      expect(r.out, c).toMatch(/Usage: causeway/);
    }
    expect((await cli("--help")).out).toMatch(/Commands:/);
  });

  it("lists methods and backends", async () => {
    const m = await cli("methods", "--json");
    expect(JSON.parse(m.out).map((x: { name: string }) => x.name)).toContain("corr");
    const b = await cli("backends", "--json");
    const list = JSON.parse(b.out) as { name: string; available: boolean; reason?: string }[];
    expect(list.find((x) => x.name === "cpu")?.available).toBe(true);
    // the CLI imports every backend package: wasm is registered and available, cuda explains tfjs-node-gpu
    expect(list.find((x) => x.name === "wasm")?.available).toBe(true);
    expect(list.find((x) => x.name === "cuda")?.reason).toMatch(/tfjs-node-gpu/);
  });

  it("scores TCDF-style truth files against a graph by column index", async () => {
    const truthPath = join(dir, "truth.csv");
    await writeFile(truthPath, "0,1,1\r1,2,2\r"); // bare CR, as in the Finance files
    const graph = {
      format: "causeway.graph/v1",
      variables: ["a", "b", "c"],
      maxLag: 2,
      method: "hand",
      scores: [
        [[0, 0], [0, 0], [0, 0]],
        [[0.9, 0], [0, 0], [0, 0]],
        [[0, 0], [0, 0.8], [0, 0]],
      ],
      edges: [{ cause: "a", effect: "b", lag: 1, score: 0.9 }, { cause: "b", effect: "c", lag: 2, score: 0.8 }],
      threshold: 0.5,
      meta: { backend: "none", seconds: 0, seed: 0, params: {} },
    };
    const graphPath = join(dir, "hand.json");
    await writeFile(graphPath, JSON.stringify(graph));
    const r = await cli("score", truthPath, graphPath, "--json");
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.aurocLagged).toBe(1);
    expect(s.f1).toBe(1);
  });
});

describe("the real binary", () => {
  it("runs the demo from a child process and exits 0", async () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--conditions=@causeway/source", join(root, "apps/cli/src/main.ts"), "demo", "--method", "corr", "--length", "500"],
      { cwd: root, timeout: 60_000 },
    );
    expect(stdout).toMatch(/generated var: 5 variables x 500 steps/);
    expect(stdout).toMatch(/AUROC/);
  });
});
