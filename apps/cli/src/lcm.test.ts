import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "./cli.js";
import type { CliIO } from "./io.js";

async function cli(...argv: string[]) {
  let out = "";
  let err = "";
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false };
  const code = await run(argv, io).catch((e: Error) => ((err += e.message), -1));
  return { code, out, err };
}

describe("causeway lcm train", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "causeway-lcm-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("trains a tiny model from a config, then discover --method lcm uses it through -p model=", async () => {
    const config = {
      architecture: { vMax: 4, maxLag: 2, lMax: 32, dModel: 16, heads: 2, layers: 2, dFf: 16, headHidden: 16, edgeHidden: 8 },
      recipe: { minLength: 40, maxLength: 80, poolSize: 16, refreshPerStep: 2 },
      steps: 6,
      batchSize: 4,
      warmup: 2,
      validationSize: 4,
      validateEvery: 3,
      checkpointEvery: 3,
      backend: "wasm",
      outDir: "tiny",
    };
    await writeFile(join(dir, "config.json"), JSON.stringify(config));
    const train = await cli("lcm", "train", "--config", join(dir, "config.json"), "-q");
    expect(train.code, train.err).toBe(0);
    expect(train.out).toMatch(/lcm train: step 6, best validation AUROC \d\.\d{4}, .* pairs\/s on wasm \(steps\); model in .*tiny/);
    const curve = JSON.parse(await readFile(join(dir, "tiny", "training.json"), "utf8")) as { history: unknown[] };
    expect(curve.history).toHaveLength(2);

    await cli("generate", "var", "--vars", "4", "--length", "200", "--max-lag", "2", "--seed", "2", "--out", join(dir, "var4"));
    const disc = await cli("discover", join(dir, "var4", "data.csv"), "-m", "lcm", "-l", "2", "-b", "wasm", "-p", `model=${join(dir, "tiny", "model.json")}`, "--json", "-q");
    expect(disc.code, disc.err).toBe(0);
    const graph = JSON.parse(disc.out) as { method: string; meta: { params: { vMax: number; lMax: number } }; scores: number[][][] };
    expect(graph.method).toBe("lcm");
    expect(graph.meta.params.vMax).toBe(4);
    expect(graph.meta.params.lMax).toBe(32);
    expect(graph.scores.flat(2)).toHaveLength(4 * 4 * 2);
  }, 60_000);

  it("trains an LCM v2 model from a \"version\": 2 config (log file, resume), then discover uses it by path", async () => {
    const config = {
      version: 2,
      seed: 5,
      trainSeries: 6,
      valSeriesPerFamily: 1,
      families: { var: 1, nonlinear: 1 },
      ranges: { minVars: 3, maxVars: 4, minLength: 100, maxLength: 200, maxLag: 2 },
      rowsPerSeries: 40,
      hidden: [8],
      epochs: 2,
      outDir: "v2",
    };
    await writeFile(join(dir, "v2.json"), JSON.stringify(config));
    const first = await cli("lcm", "train", "--config", join(dir, "v2.json"), "--max-steps", "1", "-q");
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/lcm train \(v2\): epoch 1, .* \(max-epochs\)/);
    const rest = await cli("lcm", "train", "--config", join(dir, "v2.json"), "--resume", "-q");
    expect(rest.out).toMatch(/lcm train \(v2\): epoch 2, best validation AUROC \d\.\d{4} at epoch \d \(epochs\); model in .*v2/);
    const log = await readFile(join(dir, "v2", "training-log.txt"), "utf8");
    expect(log).toMatch(/epoch 1\/2: loss .* val AUROC .*\(var \d\.\d{3}, nonlinear \d\.\d{3}\)/);
    expect(log).toMatch(/resumed after epoch 1/);
    await cli("generate", "var", "--vars", "4", "--length", "300", "--max-lag", "2", "--seed", "3", "--out", join(dir, "var4b"));
    const disc = await cli("discover", join(dir, "var4b", "data.csv"), "-m", "lcm", "-l", "2", "-p", `model=${join(dir, "v2", "model.json")}`, "--json", "-q");
    expect(disc.code, disc.err).toBe(0);
    const graph = JSON.parse(disc.out) as { meta: { params: { version: number } }; scores: number[][][] };
    expect(graph.meta.params.version).toBe(2);
    expect(graph.scores.flat(2)).toHaveLength(4 * 4 * 2);
  }, 60_000);

  it("says what is wrong with a bad command line or config", async () => {
    expect((await cli("lcm", "fit")).err).toMatch(/the only subcommand is `train`/);
    expect((await cli("lcm", "train")).err).toMatch(/needs --config/);
    await writeFile(join(dir, "bad.json"), "{ not json");
    expect((await cli("lcm", "train", "--config", join(dir, "bad.json"))).err).toMatch(/cannot read config .*bad\.json/);
    await writeFile(join(dir, "bad-arch.json"), JSON.stringify({ outDir: "x", architecture: { heads: 3 } }));
    expect((await cli("lcm", "train", "--config", join(dir, "bad-arch.json"))).err).toMatch(/heads \(3\) must divide dModel/);
  });
});
