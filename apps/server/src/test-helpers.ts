// Test helpers: fresh data directories copied from the template the global setup made.
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";

const made: string[] = [];

/** A new data directory holding an empty, migrated embedded store (a copy: about a second faster than creating one). */
export async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "causeway-server-test-"));
  await cp(join(inject("storeTemplate"), "pg"), join(dir, "pg"), { recursive: true });
  made.push(dir);
  return dir;
}

/** Remove every directory `freshDataDir` made in this file. */
export async function removeDataDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** A small series with a planted lag-1 link x0 → x1 (CSV text). */
export function plantedCsv(rows = 60, seed = 1): string {
  let s = seed >>> 0;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const x0: number[] = [];
  const x1: number[] = [];
  const x2: number[] = [];
  for (let t = 0; t < rows; t++) {
    x0.push(rand());
    x1.push(t > 0 ? 0.9 * x0[t - 1] + 0.1 * rand() : rand());
    x2.push(rand());
  }
  const lines = ["x0,x1,x2"];
  for (let t = 0; t < rows; t++) lines.push(`${x0[t].toFixed(6)},${x1[t].toFixed(6)},${x2[t].toFixed(6)}`);
  return lines.join("\n") + "\n";
}
