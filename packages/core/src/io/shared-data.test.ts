// Reads every shared benchmark data set (../shared/data beside the repo, see its README.md)
// and checks concrete facts from that README. Skipped, with the reason, when the folder is absent.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { GroundTruth } from "../types.js";
import { readSeries, readTruth } from "./files.js";

/** The repo root: the nearest folder above this file holding pnpm-workspace.yaml. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "pnpm-workspace.yaml"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("pnpm-workspace.yaml not found above " + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

const DATA = resolve(repoRoot(), "..", "shared", "data");
const HAVE_DATA = existsSync(join(DATA, "README.md"));
const title = HAVE_DATA ? `shared data sets in ${DATA}` : `shared data sets: SKIPPED because ${DATA} (the shared folder beside the repo) does not exist`;

const edgeKeys = (t: GroundTruth) => t.edges.map((e) => `${e.cause}->${e.effect}@${e.lag}`).sort();

describe.skipIf(!HAVE_DATA)(title, () => {
  it("tcdf-demo: 4 series x 4000 rows, truth 0->1 at lag 1 and 1->2 at lag 2", async () => {
    const series = await readSeries(join(DATA, "tcdf-demo", "demo_dataset.csv"));
    expect(series.variables).toEqual(["Timeser0", "Timeser1", "Timeser2", "Timeser3"]);
    expect(series.length).toBe(4000);
    const truth = await readTruth(join(DATA, "tcdf-demo", "demo_groundtruth.csv"), { variables: series.variables });
    expect(truth.maxLag).toBe(2);
    expect(truth.edges).toEqual([
      { cause: "Timeser0", effect: "Timeser1", lag: 1 },
      { cause: "Timeser1", effect: "Timeser2", lag: 2 },
    ]);
  });

  it("tcdf-finance: 9 data sets of 25 x 4000 with the README's edge counts, delays and self-loops", async () => {
    const dir = join(DATA, "tcdf-finance");
    const stems = readdirSync(dir)
      .filter((f) => f.endsWith("_returns30007000_header.csv"))
      .map((f) => f.replace("_returns30007000_header.csv", ""))
      .sort();
    expect(stems).toHaveLength(9);
    const selfLoops: Record<string, number> = { "random-rels_20_1A": 2, "random-rels_20_1C": 1, "random-rels_20_1D": 1, "random-rels_20_1E": 3, "random-rels_40_1": 2 };
    for (const stem of stems) {
      const series = await readSeries(join(dir, `${stem}_returns30007000_header.csv`));
      expect(series.length).toBe(4000);
      expect(series.variables).toEqual(Array.from({ length: 25 }, (_, i) => `S${i}`));
      const truthPath = join(dir, `${stem}.csv`);
      const truth = await readTruth(truthPath, { variables: series.variables });
      const expectedEdges = stem === "manyinputs" ? 6 : stem.includes("_20_") ? 20 : 40;
      expect(truth.edges, stem).toHaveLength(expectedEdges);
      const lags = new Set(truth.edges.map((e) => e.lag));
      if (stem.endsWith("_1_3")) {
        expect([...lags].every((l) => l >= 1 && l <= 3), stem).toBe(true);
        expect(truth.maxLag, stem).toBe(3);
      } else expect([...lags], stem).toEqual([1]);
      expect(truth.edges.filter((e) => e.cause === e.effect).length, stem).toBe(selfLoops[stem] ?? 0);
    }
    // The random-rels truth files use bare CR line endings.
    const raw = readFileSync(join(dir, "random-rels_20_1A.csv"), "utf8");
    expect(raw.includes("\r") && !raw.includes("\n")).toBe(true);
    // manyinputs, read by hand from the file: 1,5 2,5 3,5 4,5 1,6 7,6 (cause,effect,delay=1).
    const many = await readTruth(join(dir, "manyinputs.csv"), { variables: Array.from({ length: 25 }, (_, i) => `S${i}`) });
    expect(edgeKeys(many)).toEqual(["S1->S5@1", "S1->S6@1", "S2->S5@1", "S3->S5@1", "S4->S5@1", "S7->S6@1"]);
  });

  it("tcdf-fmri-netsim: 28 sims with the README's sizes; CRLF truths with every self-loop", async () => {
    const dir = join(DATA, "tcdf-fmri-netsim");
    const size = (n: number): [number, number] => {
      const V: Record<number, number> = { 2: 10, 11: 10, 12: 10, 17: 10, 3: 15, 4: 50, 6: 10 };
      const T: Record<number, number> = { 5: 1200, 6: 1200, 7: 5000, 9: 5000, 19: 2400, 20: 2400, 25: 100, 28: 100, 26: 50, 27: 50 };
      return [V[n] ?? 5, T[n] ?? 200];
    };
    for (let n = 1; n <= 28; n++) {
      const series = await readSeries(join(dir, `timeseries${n}.csv`));
      const [V, T] = size(n);
      expect([series.variables.length, series.length], `sim${n}`).toEqual([V, T]);
      expect(series.variables).toEqual(Array.from({ length: V }, (_, i) => String(i)));
      const truthPath = join(dir, `sim${n}_gt_processed.csv`);
      expect(readFileSync(truthPath, "utf8")).toContain("\r\n");
      for (const order of ["cause-effect", "effect-cause"] as const) {
        const truth = await readTruth(truthPath, { variables: series.variables, order });
        expect(truth.maxLag).toBe(1);
        const selfs = truth.edges.filter((e) => e.cause === e.effect).map((e) => e.cause);
        expect(selfs.sort(), `sim${n}`).toEqual([...series.variables].sort());
      }
    }
    // sim1: 10 lines = 5 self-loops + 5 edges; the LCM reading (column 0 = effect) gives 0->1, 0->4, 1->2, 2->3, 3->4.
    const vars = ["0", "1", "2", "3", "4"];
    const lcm = await readTruth(join(dir, "sim1_gt_processed.csv"), { variables: vars, order: "effect-cause" });
    expect(lcm.edges).toHaveLength(10);
    expect(edgeKeys(lcm).filter((k) => k[0] !== k[3])).toEqual(["0->1@1", "0->4@1", "1->2@1", "2->3@1", "3->4@1"]);
    const tcdf = await readTruth(join(dir, "sim1_gt_processed.csv"), { variables: vars });
    expect(edgeKeys(tcdf).filter((k) => k[0] !== k[3])).toEqual(["1->0@1", "2->1@1", "3->2@1", "4->0@1", "4->3@1"]);
  });

  it("lcm-cdml-subset: 120 pairs; names matched by name; edges agree with the window matrix", async () => {
    const dir = join(DATA, "lcm-cdml-subset");
    const stems = readdirSync(dir)
      .filter((f) => f.endsWith("_data.csv"))
      .map((f) => f.slice(0, -"_data.csv".length))
      .sort();
    expect(stems).toHaveLength(120);
    for (const stem of stems) {
      const m = /feat=(\d+)_minlag=(\d+)_maxlag=(\d+)_cplx=(\d+)_samples=(\d+)_/.exec(stem);
      expect(m, stem).not.toBeNull();
      const [feat, maxlag, samples] = [Number(m![1]), Number(m![3]), Number(m![5])];
      const series = await readSeries(join(dir, `${stem}_data.csv`));
      expect(series.length, stem).toBe(samples);
      expect(series.variables.length, stem).toBe(feat + 1);
      expect(series.variables, stem).toEqual([...series.variables].sort()); // alphabetical: X1, X10, X11, X2, ...
      expect(series.variables).toContain("Y1");
      const targetPath = join(dir, `${stem}_target.csv`);
      const truth = await readTruth(targetPath, { variables: series.variables });
      expect(truth.variables).toEqual(series.variables);
      expect(truth.maxLag, stem).toBe(maxlag);
      // Independent count from the raw matrix: 1s in the `_t` columns, and over the whole
      // window each lag-k edge appears at (A_t-(k+j), B_t-j) for j = 0..maxLag-k.
      const lines = readFileSync(targetPath, "utf8").trim().split("\n");
      const cols = lines[0].split(",");
      let onesAtT = 0;
      let onesAll = 0;
      for (const line of lines.slice(1)) {
        const cells = line.split(",");
        for (let j = 1; j < cells.length; j++)
          if (Number(cells[j]) === 1) {
            onesAll++;
            if (cols[j].endsWith("_t")) onesAtT++;
          }
      }
      expect(truth.edges.length, stem).toBe(onesAtT);
      expect(truth.edges.reduce((n, e) => n + (truth.maxLag - e.lag + 1), 0), stem).toBe(onesAll);
    }
  });

  it("lcm-cdml-subset: one target read by hand", async () => {
    const stem = join(DATA, "lcm-cdml-subset", "cdml_feat=4_minlag=1_maxlag=2_cplx=0_samples=500_64");
    const series = await readSeries(`${stem}_data.csv`);
    expect(series.variables).toEqual(["X1", "X2", "X3", "X4", "Y1"]);
    const truth = await readTruth(`${stem}_target.csv`, { variables: series.variables });
    // Rows X1_t-1, X1_t-2, X2_t-1, X3_t-1, X3_t-2, X4_t-2 against the `_t` columns of the file.
    expect(edgeKeys(truth)).toEqual(
      ["X1->Y1@1", "X1->X1@1", "X1->X3@1", "X1->X2@2", "X2->Y1@1", "X2->X1@1", "X3->Y1@1", "X3->X1@1", "X3->X2@1", "X3->X2@2", "X4->X3@2"].sort(),
    );
  });
});
