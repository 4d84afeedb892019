import "server-only";

import { CLIENT_IP_HEADER } from "@/lib/qr-login/client/authing/wire-headers";
import { getConfig } from "@/lib/qr-login/platform/config";
import { plainIp } from "@/lib/qr-login/platform/forwarded-headers";
import { rateLimitNetworksOf } from "@/lib/qr-login/platform/network";
import {
  limitRate,
  limitRatePerAddress,
  perMinuteAndHour,
  requireAddressWithinRateLimit,
  UNKNOWN_ADDRESS_FACTOR,
  type RateLimitRule,
} from "@/lib/qr-login/platform/rate-limit";
import { clientIpFrom } from "@/lib/qr-login/platform/request-info";

import { authenticateClient } from "./client-auth";
import type { ProviderDeps } from "./deps";
import { isInProcess } from "./in-process-requests";

/**
 * Per-address limits on the provider's public endpoints (a minute and an hour; IPv6 also per /56
 * and /48 with four and sixteen times the budget, see IPV6_NETWORKS; unknown addresses share one
 * budget ten times as large). The app's own in-process calls are not counted here: the
 * app limits its browsers itself (lib/qr-login), per browser address and per code.
 * - gene-qrcode: as many codes as the app's own /api/qr-login allows one address (30 a minute);
 * - status: a polling page asks 75 times a minute (800 ms), a waiting one 2.4 times, so 300 a
 *   minute is four polling pages or a hundred waiting ones behind one address;
 * - qrcode-image: one <img> per code, cached: 60 a minute is twice the codes an address may make;
 * - failed client authentication: a right secret never fails; 20 wrong ones a minute is plenty
 *   for a misconfigured app to show up in its log. Past it the address is refused before its
 *   secret is checked, the right one too, until the window passes (the app's in-process calls
 *   never are).
 */
export const PROVIDER_RATE_LIMITS = {
  geneQrCode: perMinuteAndHour(30, 300),
  qrCodeStatus: perMinuteAndHour(300, 6000),
  qrCodeImage: perMinuteAndHour(60, 600),
  passkeySignInOptions: perMinuteAndHour(30, 300),
  clientAuthFailures: perMinuteAndHour(20, 100),
} satisfies Record<string, readonly RateLimitRule[]>;

/**
 * Public codes (from callers that are not the app) in the whole store, whoever asks: a ceiling on
 * what they may write, however many networks a flood comes from. Each such code keeps at most
 * MAX_PUBLIC_ATTACHED_JSON_BYTES of customData plus the address and user agent the provider saw,
 * under 1.5 KB in all, for its lifetime and an hour after (a late poll reads EXPIRED): 10,000 an
 * hour (fixed windows: at most twice that in any hour) keep under 21,000 such codes, some 30 MB,
 * at any time. Twice one IPv6 /48's budget a minute and an hour, so no single /48 uses it up. The
 * app's own codes (in process, or with its secret) are not counted: a flood of public codes never
 * keeps the app's login page from getting codes.
 */
export const PUBLIC_CODES_IN_ALL: readonly RateLimitRule[] = perMinuteAndHour(1000, 10_000);

/** Whether the caller is the app itself: in process, or presenting the app secret (post or basic). */
export function callerProvedSecret(deps: ProviderDeps, request: Request, body: { client_id?: string; client_secret?: string } = {}): boolean {
  if (isInProcess(request)) return true;
  const presented = { authorization: request.headers.get("authorization"), clientId: body.client_id, clientSecret: body.client_secret };
  const method = presented.clientSecret !== undefined ? "client_secret_post" : "client_secret_basic";
  return authenticateClient(deps.settings, presented, method).ok;
}

export type Caller = { ip: string | undefined; app: boolean };

/**
 * Who a request speaks for: the app (in process or with its secret) for the user whose address
 * it names, anyone else for the address the provider itself sees.
 */
export function callerOf(deps: ProviderDeps, request: Request, body?: { client_id?: string; client_secret?: string }): Caller {
  const app = callerProvedSecret(deps, request, body);
  const named = app ? plainIp(request.headers.get(CLIENT_IP_HEADER)) : undefined;
  return { ip: named ?? (isInProcess(request) ? undefined : clientIpFrom(request.headers)), app };
}

/**
 * One request of `scope` from a caller that is not the app itself; RateLimitedError beyond the
 * limit. A public gene-qrcode its address allows also counts against PUBLIC_CODES_IN_ALL.
 */
export async function limitPublicRequest(deps: ProviderDeps, scope: keyof typeof PROVIDER_RATE_LIMITS, caller: Caller): Promise<void> {
  if (caller.app) return;
  await limitRatePerAddress(deps.store, `provider:${scope}`, caller.ip, PROVIDER_RATE_LIMITS[scope], deps.now());
  if (scope === "geneQrCode") await limitRate(deps.store, "provider:geneQrCode:all", PUBLIC_CODES_IN_ALL, deps.now());
}

/** Who presents client credentials: the address failures count under, and whether it is the app's own in-process call. */
export type ClientAuthCaller = { ip: string | undefined; inProcess: boolean };

export const clientAuthCallerOf = (request: Request): ClientAuthCaller => ({ ip: clientIpFrom(request.headers), inProcess: isInProcess(request) });

/**
 * Refuses (RateLimitedError) a caller whose address used up its budget of failed client
 * authentications, before its secret is checked: the right secret waits too, so guessing gets no
 * answer at all past the budget. The app's own in-process calls are never refused; an app server
 * calling over HTTP shares the fate of its own address.
 */
export async function requireClientAuthBudget(deps: ProviderDeps, caller: ClientAuthCaller): Promise<void> {
  if (caller.inProcess) return;
  await requireAddressWithinRateLimit(deps.store, "provider:clientAuthFailures", caller.ip, PROVIDER_RATE_LIMITS.clientAuthFailures, deps.now());
}

/** A failed client authentication from `ip`: counted, and RateLimitedError once there were too many. */
export function countClientAuthFailure(deps: ProviderDeps, ip: string | undefined): Promise<void> {
  return limitRatePerAddress(deps.store, "provider:clientAuthFailures", ip, PROVIDER_RATE_LIMITS.clientAuthFailures, deps.now());
}

// ---------------------------------------------------------------------------------------------
// Held status waits. Each costs a socket and ~0.3 MB while it is open, so this process holds at
// most `perProcess` of them and one address at most `perAddress` (unknown addresses together ten
// times that); a request beyond is answered at once with the current status, and the page polls.

type HeldWaitCounts = { total: number; byAddress: Map<string, number> };
const globalForWaits = globalThis as typeof globalThis & { qrLoginHeldWaits?: HeldWaitCounts };
const counts = (globalForWaits.qrLoginHeldWaits ??= { total: 0, byAddress: new Map() });

export type HeldWaitLimits = { perProcess: number; perAddress: number };

/**
 * A slot for one held wait from `ip`, released by the function it answers; undefined when full.
 * Counted in every network the address is in (IPv6 per /64, /56 and /48, with four and sixteen
 * times the budget), so one /48 holds at most sixteen addresses' worth.
 */
export function holdWait(ip: string | undefined, limits: HeldWaitLimits = getConfig().heldWaits): (() => void) | undefined {
  const networks = rateLimitNetworksOf(ip) ?? [{ key: "unknown", factor: UNKNOWN_ADDRESS_FACTOR }];
  if (counts.total >= limits.perProcess) return undefined;
  if (networks.some(({ key, factor }) => (counts.byAddress.get(key) ?? 0) >= limits.perAddress * factor)) return undefined;
  counts.total += 1;
  for (const { key } of networks) counts.byAddress.set(key, (counts.byAddress.get(key) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    counts.total -= 1;
    for (const { key } of networks) {
      const left = (counts.byAddress.get(key) ?? 1) - 1;
      if (left > 0) counts.byAddress.set(key, left);
      else counts.byAddress.delete(key);
    }
  };
}

/** Held waits of this process now (a gauge for metrics, and for tests). */
export const heldWaitCount = () => counts.total;
