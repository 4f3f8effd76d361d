// discover with several recordings (files as segments) and with --missing mask.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "@causeway/core";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "./test-cli.js";


/** CSV of x(t) = 0.5 x(t-1) + e, y(t) = 0.8 x(t-1) + e; `holes` rows have an empty x cell. */
function recording(T: number, seed: number, holes: number[] = []): string {
  const rng = new Rng(seed);
  let x = 0;
  const lines = ["x,y"];
  for (let t = 0; t < T; t++) {
    const y = 0.8 * x + rng.normal();
    x = 0.5 * x + rng.normal();
    lines.push(`${holes.includes(t) ? "" : x},${y}`);
  }
  return lines.join("\n") + "\n";
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "causeway-cli-segments-"));
  await writeFile(join(dir, "s1.csv"), recording(120, 1));
  await writeFile(join(dir, "s2.csv"), recording(100, 2));
  await writeFile(join(dir, "other.csv"), "x,z\n1,2\n2,1\n3,5\n4,4\n5,6\n");
  await writeFile(join(dir, "holes.csv"), recording(200, 3, [10, 50, 51, 120]));
});

describe("causeway discover with several recordings", () => {
  it("fits var on the samples of both files, no window crossing from one into the other", async () => {
    const r = await cli("discover", join(dir, "s1.csv"), join(dir, "s2.csv"), "--method", "var", "--max-lag", "2", "--json");
    expect(r.code).toBe(0);
    const graph = JSON.parse(r.out);
    expect(graph.meta.nobs).toBe(118 + 98);
    expect(graph.edges[0]).toMatchObject({ cause: "x", effect: "y", lag: 1 });
  });

  it("refuses a method that cannot pool, naming those that can", async () => {
    const r = await cli("discover", join(dir, "s1.csv"), join(dir, "s2.csv"), "--method", "lcm", "--max-lag", "2");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^causeway: lcm cannot use several recordings \(segments\); methods that can: (.*, )?corr, (.*, )?var\b/);
  });

  it("names the file whose variables differ", async () => {
    const r = await cli("discover", join(dir, "s1.csv"), join(dir, "other.csv"), "--max-lag", "1");
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(dir, "other.csv")}: its variables (x, z) differ from ${join(dir, "s1.csv")}'s (x, y)`);
  });
});

describe("causeway discover --missing mask", () => {
  it("without the flag, the empty cell is an error that mentions --missing mask", async () => {
    const r = await cli("discover", join(dir, "holes.csv"), "--max-lag", "2");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/holes\.csv: line 12 \(row 11\), column "x" \(#1\): the cell is empty .*--missing mask/);
  });

  it("with it, leaves out the samples the missing cells touch and says so", async () => {
    const r = await cli("discover", join(dir, "holes.csv"), "--method", "var", "--max-lag", "2", "--missing", "mask", "--json");
    expect(r.code).toBe(0);
    // rows 10, 50, 51, 120 missing at maxLag 2: targets 10-12, 50-53, 120-122 left out (10 of 198)
    expect(r.err).toContain("warning missing_values: 4 of 400 cells are missing; 10 of 198 lagged samples (windows of 3 rows) touch one and were left out");
    const graph = JSON.parse(r.out);
    expect(graph.meta.nobs).toBe(188);
    expect(graph.edges[0]).toMatchObject({ cause: "x", effect: "y", lag: 1 });
  });

  it("is refused by a method that cannot mask", async () => {
    const r = await cli("discover", join(dir, "holes.csv"), "--method", "lcm", "--max-lag", "2", "--missing", "mask");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^causeway: lcm cannot use missing cells \(--missing mask\); methods that can: (.*, )?corr, (.*, )?var\b/);
  });
});
