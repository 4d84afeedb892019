import "server-only";

import { rateLimitKeyOf } from "@/lib/qr-login/network";
import { getClientState } from "@/lib/qr-login/client-state";

export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("Too many requests. Try again shortly.");
    this.name = "RateLimitedError";
  }
}

/**
 * Clients whose address is unknown (no trusted proxy says it) share one key; its limit is this
 * many times a single address's, so one client cannot lock the others out as easily.
 */
export const UNKNOWN_ADDRESS_FACTOR = 10;

/** One more hit for the client at `ip`, counted per IPv4 address or IPv6 /64. */
export async function limitRatePerAddress(scope: string, ip: string | undefined, rule: { limit: number; windowSeconds: number }): Promise<void> {
  const key = rateLimitKeyOf(ip);
  await limitRate(`${scope}:${key ?? "unknown"}`, key ? rule : { ...rule, limit: rule.limit * UNKNOWN_ADDRESS_FACTOR });
}

/** One more hit on `key`; throws RateLimitedError once the window's limit is used up. */
export async function limitRate(key: string, rule: { limit: number; windowSeconds: number }): Promise<void> {
  const result = await getClientState().consumeRateLimit(key, rule.limit, rule.windowSeconds);
  if (!result.allowed) {
    throw new RateLimitedError(Math.max(1, Math.ceil((result.resetAt - Date.now()) / 1000)));
  }
}
