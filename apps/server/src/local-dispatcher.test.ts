import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { isOrphanedHere } from "./local-dispatcher.js";

describe("isOrphanedHere", () => {
  it("is true only for a dead process of this host", () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    expect(isOrphanedHere(`${hostname()}:${dead}/thread-0`)).toBe(true);
    expect(isOrphanedHere(`${hostname()}:${process.pid}/thread-1`)).toBe(false); // this process
    expect(isOrphanedHere(`${hostname()}:${process.ppid}/thread-0`)).toBe(false); // alive
    expect(isOrphanedHere(`another-host-${hostname()}:${dead}/thread-0`)).toBe(false); // not ours to judge
    expect(isOrphanedHere(null)).toBe(false);
    expect(isOrphanedHere("redis")).toBe(false);
  });
});
