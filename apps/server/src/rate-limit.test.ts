import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limit.js";

describe("RateLimiter", () => {
  it("allows a burst, then refills at the rate, per key", () => {
    let now = 0;
    const limiter = new RateLimiter(2, 3, () => now); // 2 per second, 3 at once
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a")]).toEqual([0, 0, 0]);
    expect(limiter.take("a")).toBeCloseTo(0.5, 10); // one token in 1/2 s
    expect(limiter.take("b")).toBe(0); // another client has its own bucket
    now = 250;
    expect(limiter.take("a")).toBeCloseTo(0.25, 10); // half a token so far
    now = 500;
    expect(limiter.take("a")).toBe(0);
    now = 10_000; // refills to the burst, no further
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a"), limiter.take("a") > 0]).toEqual([0, 0, 0, true]);
  });
});
