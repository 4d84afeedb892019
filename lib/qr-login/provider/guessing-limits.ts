import "server-only";

import { createHash } from "node:crypto";

import { rateLimitNetworksOf } from "@/lib/qr-login/platform/network";
import {
  limitRateInTurn,
  limitRatePerAddress,
  perMinuteAndHour,
  releaseRateLimit,
  scaledRules,
  type RateLimitBudget,
  type RateLimitRule,
} from "@/lib/qr-login/platform/rate-limit";
import type { Store } from "@/lib/qr-login/provider/store/types";

/**
 * Limits on password guessing (and on sign-up, which costs the same scrypt hash), counted by the
 * one rate-limit module. Every attempt counts, before any hash is computed, so a flood costs the
 * server nothing. Each budget has rules of growing windows: a burst waits out the minute, a steady
 * guesser the quarter hour, then the hour; attempts made while blocked count too, so hammering
 * only lengthens the wait.
 */
export const SIGN_IN_PER_ACCOUNT: readonly RateLimitRule[] = [
  { limit: 10, windowSeconds: 60 },
  { limit: 30, windowSeconds: 15 * 60 },
  { limit: 100, windowSeconds: 60 * 60 },
];
export const SIGN_IN_PER_ADDRESS: readonly RateLimitRule[] = [
  { limit: 20, windowSeconds: 60 },
  { limit: 60, windowSeconds: 15 * 60 },
  { limit: 200, windowSeconds: 60 * 60 },
];
export const SIGN_UP_PER_ADDRESS: readonly RateLimitRule[] = perMinuteAndHour(5, 20);

// Accounts are counted whether they exist or not, so a limit says nothing about which do; the
// key is a hash so the rate-limit table holds no guessed names.
const accountKey = (account: string) => createHash("sha256").update(account.trim().toLowerCase()).digest("base64url");

/**
 * Sign-ins from a device that proved an earlier successful sign-in to the same account (OWASP's
 * device cookie): counted per device, so that strangers guessing the account cannot lock its
 * owner out; a stolen phone still gets no more guesses than an address does.
 */
export const SIGN_IN_PER_DEVICE: readonly RateLimitRule[] = SIGN_IN_PER_ACCOUNT;

/**
 * One network's attempts at one account (no device cookie): half the account's budget, and asked
 * before it, so that one address (or one IPv6 /48) can spend at most half of it and the owner,
 * from anywhere else, still has the other half. Without it the address's budget (20 a minute)
 * was above the account's (10) and one address could keep an owner with no device cookie out.
 */
export const SIGN_IN_PER_NETWORK_AND_ACCOUNT: readonly RateLimitRule[] = scaledRules(SIGN_IN_PER_ACCOUNT, 0.5);

/**
 * Every device-vouched attempt at one account, whichever device it names: the device is named by
 * a caller that proved the app secret (the companion checked the phone's signed cookie), but a
 * holder of the secret could name a fresh one for every guess. Three times the account's budget:
 * an owner's few phones each within their own, and at most 300 guesses an hour however many
 * devices are named.
 */
export const SIGN_IN_PER_ACCOUNT_FROM_DEVICES: readonly RateLimitRule[] = scaledRules(SIGN_IN_PER_ACCOUNT, 3);

export type SignInAttempt = {
  account: string;
  ip: string | undefined;
  /** A device id whose signed cookie vouches for an earlier sign-in to `account` (checked by the caller). */
  device?: string;
};

/**
 * One password sign-in attempt for `account` from `ip`; `scope` keeps the provider's and the
 * companion's budgets apart. The address is asked first (in every network it is counted in): an
 * attempt its own address already refuses is not counted against the account, so a flood from one
 * place costs its victim nothing. Then the address's widest network's budget for this account,
 * then the account's. An attempt from a known device counts against that device and against all
 * device-vouched attempts at the account, not against the account's own budget.
 *
 * The answer's `succeeded()`, called once the password proved right, gives the network's share
 * its hit back: the share is there to bound a stranger's wrong guesses, and the owner signing in
 * on a few fresh phones behind one address is no stranger. It is taken before the password is
 * checked (not after a failure), so that a burst of guesses at once cannot outrun it.
 */
export async function limitPasswordSignIn(store: Store, scope: string, attempt: SignInAttempt, now = Date.now()): Promise<{ succeeded(): Promise<void> }> {
  await limitRatePerAddress(store, scope, attempt.ip, SIGN_IN_PER_ADDRESS, now);
  const account = accountKey(attempt.account);
  if (attempt.device) {
    const device: RateLimitBudget = [`${scope}:device:${deviceKey(attempt.device)}:${account}`, SIGN_IN_PER_DEVICE];
    await limitRateInTurn(store, [device, [`${scope}:devices:${account}`, SIGN_IN_PER_ACCOUNT_FROM_DEVICES]], now);
    return { succeeded: () => Promise.resolve() };
  }
  const network = rateLimitNetworksOf(attempt.ip)?.at(-1)?.key;
  const fromNetwork: RateLimitBudget | undefined = network ? [`${scope}:network:${network}:${account}`, SIGN_IN_PER_NETWORK_AND_ACCOUNT] : undefined;
  await limitRateInTurn(store, [...(fromNetwork ? [fromNetwork] : []), [`${scope}:account:${account}`, SIGN_IN_PER_ACCOUNT]], now);
  return {
    succeeded: async () => {
      if (fromNetwork) await releaseRateLimit(store, fromNetwork, now);
    },
  };
}

const deviceKey = (device: string) => createHash("sha256").update(device).digest("base64url").slice(0, 22);

export function limitSignUp(store: Store, ip: string | undefined, now = Date.now()) {
  return limitRatePerAddress(store, "signup", ip, SIGN_UP_PER_ADDRESS, now);
}
