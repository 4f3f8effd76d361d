import { describe, expect, it } from "vitest";
import { AbortError, throwIfAborted, yieldToEventLoop } from "./errors.js";

/** `yieldToEventLoop()` is still pending after the current task, then resolves. */
async function expectResolvesInALaterTask(): Promise<void> {
  let ran = false;
  const p = yieldToEventLoop().then(() => (ran = true));
  expect(ran).toBe(false);
  await p;
  expect(ran).toBe(true);
}

describe("cancellation", () => {
  it("a loop that yields sees an abort fired by a timer; one that never yields would not", async () => {
    const controller = new AbortController();
    // The timer can only fire between units of work: the loop ends (instead of spinning until the
    // test times out) only because it yields. No assertion on how many units ran: that is wall-clock.
    setTimeout(() => controller.abort("stopped by the user"), 5);
    let units = 0;
    const loop = async () => {
      for (;;) {
        throwIfAborted(controller.signal);
        units++;
        await yieldToEventLoop();
      }
    };
    await expect(loop()).rejects.toThrow(new AbortError("stopped by the user"));
    expect(units).toBeGreaterThanOrEqual(1);
    expect(controller.signal.aborted).toBe(true);
  });

  it("falls back to a MessageChannel task where there is no setImmediate (browsers), in order, after the current task", async () => {
    const saved = globalThis.setImmediate;
    (globalThis as { setImmediate?: unknown }).setImmediate = undefined;
    try {
      await expectResolvesInALaterTask();
      const seen: unknown[] = [];
      const done = Promise.all([yieldToEventLoop().then(() => seen.push("first")), yieldToEventLoop().then(() => seen.push("second"))]);
      seen.push("sync");
      await done;
      expect(seen).toEqual(["sync", "first", "second"]);
    } finally {
      globalThis.setImmediate = saved;
    }
  });

  it("falls back to a timer where there is neither setImmediate nor MessageChannel", async () => {
    const saved = { setImmediate: globalThis.setImmediate, MessageChannel: globalThis.MessageChannel };
    const g = globalThis as { setImmediate?: unknown; MessageChannel?: unknown };
    g.setImmediate = undefined;
    g.MessageChannel = undefined;
    try {
      await expectResolvesInALaterTask();
    } finally {
      Object.assign(globalThis, saved);
    }
  });
});
