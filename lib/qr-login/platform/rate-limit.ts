import "server-only";

import { rateLimitNetworksOf } from "@/lib/qr-login/platform/network";

// The one rate-limit module: the app's browser endpoints, the provider's public endpoints and its
// guessing limits all count here, in fixed windows, in whichever counter they are given (the
// client's state, or the provider's store: memory, SQLite or Redis, all with this arithmetic).

/** At most `limit` hits in each window of `windowSeconds`. */
export type RateLimitRule = { limit: number; windowSeconds: number };

/** The usual pair of rules: so many a minute, and so many an hour. */
export const perMinuteAndHour = (perMinute: number, perHour: number): RateLimitRule[] => [
  { limit: perMinute, windowSeconds: 60 },
  { limit: perHour, windowSeconds: 60 * 60 },
];

/** One hit's outcome: whether it was within the limit, how many are left, and when the window ends (ms). */
export type RateLimitResult = { allowed: boolean; remaining: number; resetAt: number };

/** What counts hits: the client's state and the provider's store. */
export type RateLimitCounter = {
  consumeRateLimit(key: string, limit: number, windowSeconds: number, now?: number): Promise<RateLimitResult>;
};

/** A counter that can also be read without counting (for a budget of failures). */
export type PeekableRateLimitCounter = RateLimitCounter & {
  /** The hits `key`'s current window has had (consumeRateLimit's count), adding none. */
  peekRateLimit(key: string, windowSeconds: number, now?: number): Promise<number>;
};

export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("Too many requests. Try again shortly.");
    this.name = "RateLimitedError";
  }
}

/**
 * The fixed window `now` falls in: windows of `windowSeconds` aligned to the epoch, so every
 * instance and every counter agrees on where one ends.
 */
export function rateLimitWindow(windowSeconds: number, now: number): { start: number; resetAt: number } {
  const windowMs = windowSeconds * 1000;
  const start = Math.floor(now / windowMs) * windowMs;
  return { start, resetAt: start + windowMs };
}

/** A window's result once it has counted `count` hits (this one included). */
export const rateLimitResult = (count: number, limit: number, resetAt: number): RateLimitResult => ({
  allowed: count <= limit,
  remaining: Math.max(0, limit - count),
  resetAt,
});

/** Whole seconds until `resetAt`, at least one: what Retry-After says. */
export const retryAfterSeconds = (resetAt: number, now: number) => Math.max(1, Math.ceil((resetAt - now) / 1000));

/**
 * Clients whose address is unknown (no trusted proxy says it) share one key; its limit is this
 * many times a single address's, so one client cannot lock the others out as easily.
 */
export const UNKNOWN_ADDRESS_FACTOR = 10;

const ruleKey = (key: string, rule: RateLimitRule) => `${key}:${rule.windowSeconds}`;

/** One hit on `key` against every rule (a minute, an hour…); RateLimitedError with the longest wait due. */
export async function limitRate(counter: RateLimitCounter, key: string, rules: readonly RateLimitRule[], now = Date.now()): Promise<void> {
  let wait = 0;
  for (const rule of rules) {
    const result = await counter.consumeRateLimit(ruleKey(key, rule), rule.limit, rule.windowSeconds, now);
    if (!result.allowed) wait = Math.max(wait, retryAfterSeconds(result.resetAt, now));
  }
  if (wait > 0) throw new RateLimitedError(wait);
}

/** A key and the rules it is counted under. */
export type RateLimitBudget = [key: string, rules: readonly RateLimitRule[]];

export const scaledRules = (rules: readonly RateLimitRule[], factor: number) => rules.map((rule) => ({ ...rule, limit: rule.limit * factor }));

/**
 * An address's budgets, one per network it is counted in (rateLimitNetworksOf: IPv4 per address,
 * IPv6 per /64, /56 and /48, the wider ones larger), narrowest first. Unknown addresses share one
 * budget, `UNKNOWN_ADDRESS_FACTOR` times a single address's.
 */
function addressBudgets(scope: string, ip: string | undefined, rules: readonly RateLimitRule[]): RateLimitBudget[] {
  const networks = rateLimitNetworksOf(ip);
  if (!networks) return [[`${scope}:address:unknown`, scaledRules(rules, UNKNOWN_ADDRESS_FACTOR)]];
  return networks.map(({ key, factor }) => [`${scope}:address:${key}`, scaledRules(rules, factor)]);
}

/**
 * One hit against each budget in turn; the first that refuses ends it, so the budgets after it (a
 * wider network, an account) are not charged for a hit already refused.
 */
export async function limitRateInTurn(counter: RateLimitCounter, budgets: readonly RateLimitBudget[], now = Date.now()): Promise<void> {
  for (const [key, rules] of budgets) await limitRate(counter, key, rules, now);
}

/**
 * One hit from `ip` against `scope`'s rules, in every network the address is counted in, narrowest
 * first: a hit one network refuses is not counted against the wider ones, so one /64 past its
 * budget spends none of its /48's, and a flood from fresh /64s stops at the /48's budget.
 */
export function limitRatePerAddress(counter: RateLimitCounter, scope: string, ip: string | undefined, rules: readonly RateLimitRule[], now = Date.now()) {
  return limitRateInTurn(counter, addressBudgets(scope, ip, rules), now);
}

/**
 * RateLimitedError, counting nothing, when `ip` has used up `scope`'s rules in any of its
 * networks: for a budget of failures, checked before the attempt that might fail.
 */
export async function requireAddressWithinRateLimit(
  counter: PeekableRateLimitCounter,
  scope: string,
  ip: string | undefined,
  rules: readonly RateLimitRule[],
  now = Date.now(),
): Promise<void> {
  let wait = 0;
  for (const [key, budget] of addressBudgets(scope, ip, rules)) {
    for (const rule of budget) {
      if ((await counter.peekRateLimit(ruleKey(key, rule), rule.windowSeconds, now)) < rule.limit) continue;
      wait = Math.max(wait, retryAfterSeconds(rateLimitWindow(rule.windowSeconds, now).resetAt, now));
    }
  }
  if (wait > 0) throw new RateLimitedError(wait);
}

/** Gives each of `budget`'s windows one hit back (see the store's releaseRateLimit). */
export async function releaseRateLimit(
  counter: { releaseRateLimit(key: string, windowSeconds: number, now?: number): Promise<void> },
  [key, rules]: RateLimitBudget,
  now = Date.now(),
): Promise<void> {
  for (const rule of rules) await counter.releaseRateLimit(ruleKey(key, rule), rule.windowSeconds, now);
}
