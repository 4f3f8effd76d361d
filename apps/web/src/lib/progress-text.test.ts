import { describe, expect, it } from "vitest";
import { timeText } from "./progress-text.js";

describe("timeText", () => {
  it("shows elapsed time and the ETA once 2% is done", () => {
    expect(timeText(0.25, 1_000, 31_000)).toBe(" · 30s elapsed, eta 1m30s");
    expect(timeText(0.01, 1_000, 2_000)).toBe(" · 1s elapsed");
    expect(timeText(0.5, 0, 5_000)).toBe(""); // not started
  });
});
