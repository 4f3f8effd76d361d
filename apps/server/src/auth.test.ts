import { describe, expect, it } from "vitest";
import { bearerChecker } from "./auth.js";

describe("bearerChecker", () => {
  it("accepts exactly the token, in a Bearer header", () => {
    const check = bearerChecker("abc123");
    expect(check("Bearer abc123")).toBe(true);
    expect(check("bearer abc123")).toBe(true);
    for (const bad of [undefined, "", "abc123", "Bearer", "Bearer abc12", "Bearer abc1234", "Basic abc123", "Bearer abc123 x"]) expect(check(bad), String(bad)).toBe(false);
  });
});
