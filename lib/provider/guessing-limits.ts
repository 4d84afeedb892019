import "server-only";

import { createHash } from "node:crypto";

import { rateLimitKeyOf } from "@/lib/qr-login/network";
import { RateLimitedError, UNKNOWN_ADDRESS_FACTOR } from "@/lib/qr-login/rate-limit";
import type { Store } from "@/lib/store/types";

/**
 * Limits on password guessing (and on sign-up, which costs the same scrypt hash). Every attempt
 * counts, before any hash is computed, so a flood costs the server nothing. Each budget has tiers
 * of growing windows: a burst waits out the minute, a steady guesser the quarter hour, then the
 * hour; attempts made while blocked count too, so hammering only lengthens the wait.
 */
export type Tier = { limit: number; windowSeconds: number };

export const SIGN_IN_PER_ACCOUNT: readonly Tier[] = [
  { limit: 10, windowSeconds: 60 },
  { limit: 30, windowSeconds: 15 * 60 },
  { limit: 100, windowSeconds: 60 * 60 },
];
export const SIGN_IN_PER_ADDRESS: readonly Tier[] = [
  { limit: 20, windowSeconds: 60 },
  { limit: 60, windowSeconds: 15 * 60 },
  { limit: 200, windowSeconds: 60 * 60 },
];
export const SIGN_UP_PER_ADDRESS: readonly Tier[] = [
  { limit: 5, windowSeconds: 60 },
  { limit: 20, windowSeconds: 60 * 60 },
];

/** One attempt against every tier of `key`; throws RateLimitedError with the longest wait due. */
export async function consumeTiers(store: Store, key: string, tiers: readonly Tier[], now = Date.now()): Promise<void> {
  let retryAfterSeconds = 0;
  for (const tier of tiers) {
    const result = await store.consumeRateLimit(`${key}:${tier.windowSeconds}`, tier.limit, tier.windowSeconds, now);
    if (!result.allowed) retryAfterSeconds = Math.max(retryAfterSeconds, Math.ceil((result.resetAt - now) / 1000));
  }
  if (retryAfterSeconds > 0) throw new RateLimitedError(retryAfterSeconds);
}

/** Unknown addresses share one budget, `UNKNOWN_ADDRESS_FACTOR` times a single address's. */
function addressBudget(scope: string, ip: string | undefined, tiers: readonly Tier[]): [string, readonly Tier[]] {
  const key = rateLimitKeyOf(ip);
  return key
    ? [`${scope}:address:${key}`, tiers]
    : [`${scope}:address:unknown`, tiers.map((tier) => ({ ...tier, limit: tier.limit * UNKNOWN_ADDRESS_FACTOR }))];
}

// Accounts are counted whether they exist or not, so a limit says nothing about which do; the
// key is a hash so the rate-limit table holds no guessed names.
const accountKey = (account: string) => createHash("sha256").update(account.trim().toLowerCase()).digest("base64url");

/** One request from `ip` against `scope`'s per-address tiers (unknown addresses share one, larger budget). */
export function limitPerAddress(store: Store, scope: string, ip: string | undefined, tiers: readonly Tier[], now = Date.now()) {
  return consumeAll(store, [addressBudget(scope, ip, tiers)], now);
}

async function consumeAll(store: Store, budgets: [string, readonly Tier[]][], now: number): Promise<void> {
  let longest: RateLimitedError | undefined;
  for (const [key, tiers] of budgets) {
    try {
      await consumeTiers(store, key, tiers, now);
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      if (!longest || error.retryAfterSeconds > longest.retryAfterSeconds) longest = error;
    }
  }
  if (longest) throw longest;
}

/**
 * Sign-ins from a device that proved an earlier successful sign-in to the same account (OWASP's
 * device cookie): counted per device, so that strangers guessing the account cannot lock its
 * owner out; a stolen phone still gets no more guesses than an address does.
 */
export const SIGN_IN_PER_DEVICE: readonly Tier[] = SIGN_IN_PER_ACCOUNT;

export type SignInAttempt = {
  account: string;
  ip: string | undefined;
  /** A device id whose signed cookie vouches for an earlier sign-in to `account` (checked by the caller). */
  device?: string;
};

/**
 * One password sign-in attempt for `account` from `ip`; `scope` keeps the provider's and the
 * companion's budgets apart. The address is asked first: an attempt its own address already
 * refuses is not counted against the account, so a flood from one place costs its victim nothing.
 * An attempt from a known device counts against that device, not against the account.
 */
export async function limitPasswordSignIn(store: Store, scope: string, attempt: SignInAttempt, now = Date.now()) {
  await consumeAll(store, [addressBudget(scope, attempt.ip, SIGN_IN_PER_ADDRESS)], now);
  const account = accountKey(attempt.account);
  await consumeAll(
    store,
    [attempt.device ? [`${scope}:device:${deviceKey(attempt.device)}:${account}`, SIGN_IN_PER_DEVICE] : [`${scope}:account:${account}`, SIGN_IN_PER_ACCOUNT]],
    now,
  );
}

const deviceKey = (device: string) => createHash("sha256").update(device).digest("base64url").slice(0, 22);

export function limitSignUp(store: Store, ip: string | undefined, now = Date.now()) {
  return consumeAll(store, [addressBudget("signup", ip, SIGN_UP_PER_ADDRESS)], now);
}
