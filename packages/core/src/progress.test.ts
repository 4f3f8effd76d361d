import { describe, expect, it } from "vitest";
import { etaSeconds, formatDuration } from "./progress.js";

describe("progress ETA (the CLI's line and the viewer's bar)", () => {
  it("extrapolates the elapsed time at the same pace", () => {
    expect(etaSeconds(0.25, 30)).toBe(90);
    expect(etaSeconds(0.5, 10)).toBe(10);
    expect(etaSeconds(0.01, 10)).toBeUndefined(); // too early to say
    expect(etaSeconds(1, 10)).toBeUndefined();
  });

  it("formats durations as seconds, minutes and hours", () => {
    expect([formatDuration(0), formatDuration(42.4), formatDuration(59.6), formatDuration(185), formatDuration(3600 * 2 + 7 * 60 + 30)]).toEqual(["0s", "42s", "1m00s", "3m05s", "2h07m"]);
  });

});
