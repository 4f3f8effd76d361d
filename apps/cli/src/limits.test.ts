import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "./test-cli.js";


/** A CSV of T rows and V columns of deterministic non-constant values. */
function csv(T: number, V: number): string {
  const header = Array.from({ length: V }, (_, v) => `x${v}`).join(",");
  const rows = Array.from({ length: T }, (_, t) => Array.from({ length: V }, (_, v) => Math.sin(0.37 * t * (v + 1) + v).toFixed(6)).join(","));
  return [header, ...rows].join("\n") + "\n";
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "causeway-cli-limits-"));
});

describe("causeway discover refuses what it cannot do well or at all", () => {
  it("exits 2 with one line naming the minimum when T is tiny (maxLag + 2 rows)", async () => {
    const file = join(dir, "tiny.csv");
    await writeFile(file, csv(5, 2));
    const r = await cli("discover", file, "--max-lag", "3");
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err.trim()).toBe("causeway: corr needs at least 13 rows for 2 variables at maxLag 3 (10 pairs per correlation); the series has T = 5");
  });

  it("exits 2 with one line giving the estimate and the limit when a run is over --max-memory", async () => {
    const file = join(dir, "wide.csv");
    await writeFile(file, csv(100, 20));
    // 20·20·5 scores at 400 B + 2·100·20·8 B of series + 21·95·8 B of windows ≈ 0.85 MB
    const r = await cli("discover", file, "--max-lag", "5", "--max-memory", "0.0005");
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err.trim()).toBe("causeway: corr on 100 x 20 with maxLag 5 needs ~850 kB, over the 500 kB limit (CAUSEWAY_MAX_RUN_BYTES / --max-memory)");
    const ok = await cli("discover", file, "--max-lag", "5", "--max-memory", "0.001", "--quiet");
    expect(ok.code).toBe(0);
  });

  it("refuses a 200 x 300 upload with maxLag 150 under the default limits instead of exhausting the heap", async () => {
    const file = join(dir, "huge.csv");
    await writeFile(file, csv(200, 300));
    const r = await cli("discover", file, "--max-lag", "150");
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toBe("causeway: corr on 200 x 300 with maxLag 150 needs ~5.4 GB, over the 4 GB limit (CAUSEWAY_MAX_RUN_BYTES / --max-memory)\n");
    const flops = await cli("discover", file, "--max-lag", "2", "--max-flops", "1e6");
    expect(flops.code).toBe(2);
    expect(flops.err).toMatch(/^causeway: corr on 200 x 300 with maxLag 2 needs ~7\.2e\+7 floating-point operations, over the 1e\+6 limit \(CAUSEWAY_MAX_RUN_FLOPS \/ --max-flops\)\n$/);
  });

  it("rejects a bad --max-memory as a usage error", async () => {
    const r = await cli("discover", join(dir, "tiny.csv"), "--max-memory", "lots");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--max-memory must be a number > 0, got "lots"/);
  });
});
