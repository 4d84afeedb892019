import "server-only";

import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

import { cookies, headers } from "next/headers";
import { notFound } from "next/navigation";

import { AuthingApiError, AuthingClientError, getAuthingClient } from "@/lib/qr-login/client/authing/client";
import { log } from "@/lib/qr-login/platform/log";
import { metrics } from "@/lib/qr-login/platform/metrics";
import { isStoreUnavailable } from "@/lib/qr-login/platform/store-unavailable";
import { apiCodes, type QrCodeAction, type QrCodeStatus, type UserProfile } from "@/lib/qr-login/client/authing/schemas";
import { getConfig } from "@/lib/qr-login/platform/config";
import { limitPasswordSignIn } from "@/lib/qr-login/provider/guessing-limits";
import { isSameNetwork } from "@/lib/qr-login/platform/network";
import { RateLimitedError } from "@/lib/qr-login/platform/rate-limit";
import { getStore } from "@/lib/qr-login/provider/store";
import { clientIpFrom, isHttpsRequest } from "@/lib/qr-login/platform/request-info";
import { describeUserAgent } from "@/lib/qr-login/companion/user-agent";

/** The companion phone app keeps its user's access token here, readable by /m only. */
export const COMPANION_COOKIE_NAME = "qr-companion-token";
const COMPANION_COOKIE_PATH = "/m";

export type CompanionProblem =
  | "sign-in-required"
  | "not-found"
  | "expired"
  | "taken"
  | "already-used"
  | "unavailable"
  | "passkey-required"
  | "passkey-refused";


/** What the phone shows before its user confirms: who is asking to be signed in. */
export type ScanRequester = {
  browser: string;
  os: string;
  ip: string | null;
  requestedAt: string;
  expiresAt: string;
  /** True only when the phone and the requesting browser are known to share a network. */
  sameNetwork: boolean;
};

/** A failure names its problem; the page words it in the user's language (lib/qr-login/client/i18n). */
export type CompanionResult<T> = { ok: true; value: T } | { ok: false; problem: CompanionProblem };

/**
 * Against real Authing (AUTHING_APP_HOST set) the companion would be a password form for
 * Authing's users: it is off. Every page (its layout) and every server action calls this first:
 * an action runs before the page's layout renders, and can be posted to any page, so the
 * layout's 404 alone would come after the action had run.
 */
export function requireCompanionSwitchedOn(): void {
  if (!getConfig().provider.embedded) notFound();
}

export async function readCompanionToken(): Promise<string | undefined> {
  return (await cookies()).get(COMPANION_COOKIE_NAME)?.value || undefined;
}

async function forgetCompanionToken(): Promise<void> {
  try {
    (await cookies()).delete({ name: COMPANION_COOKIE_NAME, path: COMPANION_COOKIE_PATH });
  } catch {
    // Server components cannot change cookies; the next action will.
  }
}

function problemOf(error: unknown): CompanionProblem {
  // The store (here, or behind the provider) is away: the service's problem, not the user's.
  if (isStoreUnavailable(error) || (error instanceof AuthingApiError && error.statusCode === 503)) return "unavailable";
  if (error instanceof AuthingApiError) {
    // The provider's passkey refusals are 403s too: told apart before "taken".
    if (error.apiCode === apiCodes.passkeyRequired) return "passkey-required";
    if (error.apiCode === apiCodes.passkeyInvalid) return "passkey-refused";
    if (error.statusCode === 401 || error.apiCode === apiCodes.invalidUserToken) return "sign-in-required";
    if (error.statusCode === 404 || error.apiCode === apiCodes.qrCodeNotFound) return "not-found";
    if (error.statusCode === 403 || error.apiCode === apiCodes.qrCodeScannedByAnother) return "taken";
    if (error.apiCode === apiCodes.qrCodeExpired || /expired/i.test(error.message)) return "expired";
    return "already-used";
  }
  if (error instanceof AuthingClientError) return "unavailable";
  throw error;
}

export async function failure<T>(error: unknown): Promise<CompanionResult<T>> {
  const problem = problemOf(error);
  if (problem === "sign-in-required") await forgetCompanionToken();
  return { ok: false, problem };
}

export const tooManyAttempts = (retryAfterSeconds?: number) => {
  metrics().rateLimited.inc({ scope: "companion-sign-in" });
  log.warn("rate_limited", "companion sign-in: over a rate limit", { route: "companion-sign-in", retryAfterSeconds });
  return { ok: false as const, problem: "rate-limited" as const, retryAfterSeconds };
};

/**
 * Signs the phone's user in with a password and keeps their access token in the /m cookie.
 * Attempts are limited per account and per phone address here, whichever provider answers.
 */
export async function signInCompanion(
  account: string,
  password: string,
): Promise<
  | CompanionResult<null>
  | { ok: false; problem: "wrong-credentials" }
  | { ok: false; problem: "rate-limited"; retryAfterSeconds?: number }
> {
  const phoneIp = clientIpFrom(await headers());
  const device = await trustedDeviceFor(account);
  let tokenSet;
  try {
    const limited = await limitPasswordSignIn(getStore(), "companion", { account, ip: phoneIp, device });
    tokenSet = await getAuthingClient().signinWithPassword({ account, password, clientIp: phoneIp, device });
    await limited.succeeded();
  } catch (error) {
    if (error instanceof RateLimitedError) return tooManyAttempts(error.retryAfterSeconds);
    if (error instanceof AuthingApiError && error.statusCode === 429) return tooManyAttempts();
    if (error instanceof AuthingApiError && error.statusCode !== 503) return { ok: false, problem: "wrong-credentials" };
    return failure(error);
  }
  if (!(await keepCompanionSession(tokenSet))) return { ok: false, problem: "unavailable" };
  (await cookies()).set(DEVICE_COOKIE_NAME, deviceCookieValue(account, device ?? newDeviceId()), {
    httpOnly: true,
    sameSite: "lax",
    secure: isHttpsRequest(await headers()),
    path: COMPANION_COOKIE_PATH,
    maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
  });
  return { ok: true, value: null };
}

/** Keeps a sign-in's access token in the /m cookie (its refresh token revoked); false when there is none. */
export async function keepCompanionSession(tokenSet: { access_token?: string | null; refresh_token?: string | null; expire_in: number }): Promise<boolean> {
  if (!tokenSet.access_token) return false;
  if (tokenSet.refresh_token) await revokeUnusedRefreshToken(tokenSet.refresh_token);
  (await cookies()).set(COMPANION_COOKIE_NAME, tokenSet.access_token, {
    httpOnly: true,
    sameSite: "lax",
    secure: isHttpsRequest(await headers()),
    path: COMPANION_COOKIE_PATH,
    maxAge: Math.max(60, tokenSet.expire_in),
  });
  return true;
}

// OWASP's device cookie: set on a successful sign-in, it names this phone and the account it
// signed in to, signed with a key derived from NEXTAUTH_SECRET. Attempts that carry it for their
// account are counted against the device, not the account, so strangers guessing the account
// cannot keep its owner out of the phone they used before.
export const DEVICE_COOKIE_NAME = "qr-companion-device";
const DEVICE_COOKIE_MAX_AGE_SECONDS = 180 * 86_400;
const newDeviceId = () => randomBytes(16).toString("base64url");
const deviceKey = () => Buffer.from(hkdfSync("sha256", getConfig().nextAuth.secret, "qr-login", "companion device cookie v1", 32));
const deviceSignature = (account: string, deviceId: string) =>
  createHmac("sha256", deviceKey()).update(`${deviceId}\n${account.trim().toLowerCase()}`).digest("base64url");

export function deviceCookieValue(account: string, deviceId: string): string {
  return `${deviceId}.${deviceSignature(account, deviceId)}`;
}

/** The device id in a cookie value, if it was signed here for `account`. */
export function verifiedDevice(value: string | undefined, account: string): string | undefined {
  const [deviceId, signature, ...rest] = value?.split(".") ?? [];
  if (!deviceId || !signature || rest.length > 0 || !/^[A-Za-z0-9_-]{22}$/.test(deviceId)) return undefined;
  const expected = Buffer.from(deviceSignature(account, deviceId));
  const presented = Buffer.from(signature);
  return presented.length === expected.length && timingSafeEqual(presented, expected) ? deviceId : undefined;
}

async function trustedDeviceFor(account: string): Promise<string | undefined> {
  return verifiedDevice((await cookies()).get(DEVICE_COOKIE_NAME)?.value, account);
}

/**
 * The phone keeps only its access token and signs in again when it expires: the refresh token
 * that came with it is revoked (its whole family) at once, so that no sign-out has to find it. A
 * failure is logged, not shown: the token was never handed to anyone.
 */
async function revokeUnusedRefreshToken(refreshToken: string): Promise<void> {
  try {
    await getAuthingClient().revokeToken(refreshToken, "refresh_token");
  } catch (error) {
    log.warn("companion.refresh_token_not_revoked", `The companion's unused refresh token could not be revoked: ${error instanceof Error ? error.message : "unknown error"}`);
  }
}

/**
 * Revokes the phone's access token at the provider, then forgets it. Fails closed: when the
 * provider cannot be told, the cookie is kept and the page says sign-out did not go through (a
 * copy of the token would otherwise stay good for the rest of its life while the phone looked
 * signed out); the user can try again.
 */
export async function signOutCompanion(): Promise<CompanionResult<null>> {
  const token = await readCompanionToken();
  if (token) {
    try {
      await getAuthingClient().revokeToken(token, "access_token");
    } catch (error) {
      log.error("companion.sign_out_failed", `Companion sign-out not recorded, the phone stays signed in: ${error instanceof Error ? error.message : "unknown error"}`);
      return { ok: false, problem: "unavailable" };
    }
  }
  await forgetCompanionToken();
  return { ok: true, value: null };
}

export async function companionProfile(): Promise<CompanionResult<UserProfile>> {
  const token = await readCompanionToken();
  if (!token) return { ok: false, problem: "sign-in-required" };
  try {
    return { ok: true, value: await getAuthingClient().getProfile(token) };
  } catch (error) {
    return failure(error);
  }
}

/** SCAN: tells the provider this phone's user is looking at the code, and learns who asked for it. */
export async function scanQrCode(qrcodeId: string): Promise<CompanionResult<ScanRequester>> {
  const token = await readCompanionToken();
  if (!token) return { ok: false, problem: "sign-in-required" };
  try {
    const data = await getAuthingClient().setQrCodeStatus(token, qrcodeId, "SCAN");
    const context = data.requester?.context ?? {};
    const phoneIp = clientIpFrom(await headers());
    return {
      ok: true,
      value: {
        ...describeUserAgent(context.userAgent),
        ip: context.ip ?? null,
        requestedAt: data.requester?.requestedAt ?? new Date().toISOString(),
        expiresAt: data.requester?.expiresAt ?? new Date(Date.now() + getConfig().qrCodeTtlSeconds * 1000).toISOString(),
        // Fails closed: an unknown address on either side shows the warning.
        sameNetwork: isSameNetwork(phoneIp, context.ip) === true,
      },
    };
  } catch (error) {
    return failure(error);
  }
}

/** `userVerification`: a passkey assertion for this code, which the provider needs from a user who has a passkey. */
export async function decideQrCode(
  qrcodeId: string,
  action: Extract<QrCodeAction, "CONFIRM" | "CANCEL">,
  userVerification?: unknown,
): Promise<CompanionResult<null>> {
  const token = await readCompanionToken();
  if (!token) return { ok: false, problem: "sign-in-required" };
  try {
    await getAuthingClient().setQrCodeStatus(token, qrcodeId, action, userVerification);
    return { ok: true, value: null };
  } catch (error) {
    return failure(error);
  }
}

/**
 * What became of a code the phone is showing (so that its confirm screen follows the desktop):
 * the status only, never the ticket, and only to a phone that is signed in.
 */
export async function companionCodeFate(qrcodeId: string): Promise<CompanionResult<QrCodeStatus>> {
  const token = await readCompanionToken();
  if (!token) return { ok: false, problem: "sign-in-required" };
  try {
    return { ok: true, value: (await getAuthingClient().getQrCodeStatus(qrcodeId)).status };
  } catch (error) {
    return failure(error);
  }
}

// The companion's own camera read a code: its user acted, so the scan page sends SCAN at once.
// Only a server action of this origin sets the marker (httpOnly, SameSite=Strict, one code, one
// minute), so a link from elsewhere cannot claim it.
const SCAN_INTENT_COOKIE = "qr-companion-scan-intent";

export async function markScanIntent(qrcodeId: string): Promise<void> {
  (await cookies()).set(SCAN_INTENT_COOKIE, qrcodeId, {
    httpOnly: true,
    sameSite: "strict",
    secure: isHttpsRequest(await headers()),
    path: COMPANION_COOKIE_PATH,
    maxAge: 60,
  });
}

export async function hasScanIntent(qrcodeId: string): Promise<boolean> {
  return (await cookies()).get(SCAN_INTENT_COOKIE)?.value === qrcodeId;
}

