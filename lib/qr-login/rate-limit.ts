import "server-only";

import { rateLimitNetworksOf } from "@/lib/qr-login/network";
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

/**
 * One more hit for the client at `ip`, in each network it is counted in (rateLimitNetworksOf:
 * IPv4 per address, IPv6 per /64, /56 and /48 with growing budgets), narrowest first: a hit one
 * network refuses is not counted against the wider ones, so one /64 past its budget spends none
 * of its /48's, and a flood from fresh /64s stops at the /48's budget.
 */
export async function limitRatePerAddress(scope: string, ip: string | undefined, rule: { limit: number; windowSeconds: number }): Promise<void> {
  const networks = rateLimitNetworksOf(ip);
  if (!networks) return limitRate(`${scope}:unknown`, { ...rule, limit: rule.limit * UNKNOWN_ADDRESS_FACTOR });
  for (const { key, factor } of networks) await limitRate(`${scope}:${key}`, { ...rule, limit: rule.limit * factor });
}

/** One more hit on `key`; throws RateLimitedError once the window's limit is used up. */
export async function limitRate(key: string, rule: { limit: number; windowSeconds: number }): Promise<void> {
  const result = await getClientState().consumeRateLimit(key, rule.limit, rule.windowSeconds);
  if (!result.allowed) {
    throw new RateLimitedError(Math.max(1, Math.ceil((result.resetAt - Date.now()) / 1000)));
  }
}
