import { getMethod, listMethods } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { ALL_METHODS, registerAllMethods } from "./index.js";

describe("registerAllMethods", () => {
  it("registers every shipped method once (idempotent), each with a unique name and valid defaults", () => {
    const names = ALL_METHODS.map((m) => m.name);
    expect(names).toEqual(["corr", "var", "cmlp", "clstm", "tcdf", "transformer", "lcm", "varlingam", "dynotears", "pcmci", "pcmciplus"]);
    const first = registerAllMethods().map((m) => m.name);
    const again = registerAllMethods().map((m) => m.name);
    expect(again).toEqual(first);
    expect([...first].sort()).toEqual([...names].sort());
    expect(new Set(listMethods().map((m) => m.name)).size).toBe(listMethods().length);
    for (const m of ALL_METHODS) {
      expect(getMethod(m.name)).toBe(m);
      expect(Number.isFinite(m.defaultThreshold)).toBe(true);
      for (const p of m.params) expect(p.default, `${m.name}.${p.name}`).not.toBeUndefined();
    }
  });
});
