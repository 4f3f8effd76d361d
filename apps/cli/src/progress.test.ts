import type { ProgressEvent } from "@causeway/core";
import { describe, expect, it } from "vitest";
import { progressLine, progressPrinter } from "./progress.js";

const event = (fraction: number): ProgressEvent => ({ method: "cmlp", stage: "train", fraction, step: Math.round(fraction * 200), total: 200 });

describe("progress lines", () => {
  it("writes the step, percent, elapsed and ETA on one line", () => {
    expect(progressLine(event(0.25), 30)).toBe("cmlp train 50/200  25% | 30s elapsed, eta 1m30s");
    expect(progressLine({ ...event(0.01), metrics: { loss: 0.123456 } }, 1)).toBe("cmlp train 2/200   1% loss=0.1235 | 1s elapsed");
  });

  it("is silent off a terminal unless forced, then one line per 10%", () => {
    const run = (isTTY: boolean, options: { force?: boolean; quiet?: boolean }) => {
      let err = "";
      const p = progressPrinter({ out: () => {}, err: (t) => void (err += t), isTTY }, options);
      for (let i = 1; i <= 40; i++) p.onProgress(event(i / 40));
      p.done();
      return err;
    };
    expect(run(false, {})).toBe("");
    expect(run(false, { force: true }).trimEnd().split("\n")).toHaveLength(11); // 2.5% .. 100%: deciles 0..10
    expect(run(true, { quiet: true })).toBe("");
    const tty = run(true, {});
    expect(tty.split("\r\x1b[2K")).toHaveLength(41);
    expect(tty.endsWith("\n")).toBe(true);
  });
});
