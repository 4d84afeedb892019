import "server-only";

import { getStore } from "@/lib/store";

export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("Too many requests. Try again shortly.");
    this.name = "RateLimitedError";
  }
}

/** One more hit on `key`; throws RateLimitedError once the window's limit is used up. */
export async function limitRate(key: string, rule: { limit: number; windowSeconds: number }): Promise<void> {
  const result = await getStore().consumeRateLimit(key, rule.limit, rule.windowSeconds);
  if (!result.allowed) {
    throw new RateLimitedError(Math.max(1, Math.ceil((result.resetAt - Date.now()) / 1000)));
  }
}
