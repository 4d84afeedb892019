import { describe, expect, it } from "vitest";

import { MemoryClientState } from "./memory-client-state";
import { limitRate, RateLimitedError, rateLimitResult, rateLimitWindow, retryAfterSeconds } from "./rate-limit";

// An hour's start: every window of a minute, a quarter hour and an hour starts here.
const HOUR = 3_600_000;
const T0 = 500_000 * HOUR;

describe("the fixed window", () => {
  it("is aligned to the epoch, so every counter and instance agrees where it ends", () => {
    expect(rateLimitWindow(60, T0)).toEqual({ start: T0, resetAt: T0 + 60_000 });
    expect(rateLimitWindow(60, T0 + 59_999)).toEqual({ start: T0, resetAt: T0 + 60_000 });
    expect(rateLimitWindow(60, T0 + 60_000)).toEqual({ start: T0 + 60_000, resetAt: T0 + 120_000 });
    expect(rateLimitWindow(15 * 60, T0 + 16 * 60_000)).toEqual({ start: T0 + 15 * 60_000, resetAt: T0 + 30 * 60_000 });
  });

  it("allows up to the limit, the limit included, and never says less than none is left", () => {
    expect(rateLimitResult(1, 3, T0)).toEqual({ allowed: true, remaining: 2, resetAt: T0 });
    expect(rateLimitResult(3, 3, T0)).toEqual({ allowed: true, remaining: 0, resetAt: T0 });
    expect(rateLimitResult(4, 3, T0)).toEqual({ allowed: false, remaining: 0, resetAt: T0 });
  });

  it("asks a refused client to wait whole seconds until the window ends, at least one", () => {
    expect(retryAfterSeconds(T0 + 60_000, T0)).toBe(60);
    expect(retryAfterSeconds(T0 + 60_000, T0 + 59_001)).toBe(1);
    expect(retryAfterSeconds(T0 + 60_000, T0 + 60_000)).toBe(1);
  });
});

describe("limitRate", () => {
  const waitAfter = (attempt: Promise<void>) =>
    attempt.then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof RateLimitedError) return error.retryAfterSeconds;
        throw error;
      },
    );

  it("counts every rule and refuses with the longest wait due; a new window starts afresh", async () => {
    const counter = new MemoryClientState();
    const rules = [
      { limit: 2, windowSeconds: 60 },
      { limit: 3, windowSeconds: 60 * 60 },
    ];
    expect(await waitAfter(limitRate(counter, "k", rules, T0))).toBeUndefined();
    expect(await waitAfter(limitRate(counter, "k", rules, T0 + 1_000))).toBeUndefined();
    expect(await waitAfter(limitRate(counter, "k", rules, T0 + 2_000))).toBe(58);
    // The next minute: the minute's count starts again, the hour's is spent.
    expect(await waitAfter(limitRate(counter, "k", rules, T0 + 60_000))).toBe(59 * 60);
    // Another key has its own count.
    expect(await waitAfter(limitRate(counter, "other", rules, T0 + 60_000))).toBeUndefined();
  });
});
