// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { messageChannelImmediate } from "./node-shims.js";

describe("the worker's setImmediate", () => {
  it("runs callbacks once each, in order, with their arguments, after the current task", async () => {
    const setImmediate = messageChannelImmediate();
    const seen: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      setImmediate((a, b) => seen.push([a, b]), 1, "x");
      setImmediate(() => seen.push("second"));
      setImmediate(() => resolve());
    });
    seen.push("sync");
    await done;
    expect(seen).toEqual(["sync", [1, "x"], "second"]);
  });
});
