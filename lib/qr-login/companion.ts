import "server-only";

import { cookies, headers } from "next/headers";

import { AuthingApiError, AuthingClientError, getAuthingClient } from "@/lib/authing/client";
import { log } from "@/lib/ops/log";
import { metrics } from "@/lib/ops/metrics";
import { isStoreUnavailable } from "@/lib/store/errors";
import { apiCodes, type QrCodeAction, type QrCodeStatus, type UserProfile } from "@/lib/authing/schemas";
import { getConfig } from "@/lib/config";
import { limitPasswordSignIn } from "@/lib/guessing-limits";
import { isSameNetwork } from "@/lib/qr-login/network";
import { RateLimitedError } from "@/lib/qr-login/rate-limit";
import { getStore } from "@/lib/store";
import { clientIpFrom, isHttpsRequest } from "@/lib/qr-login/request-info";
import { describeUserAgent } from "@/lib/qr-login/user-agent";

/** The companion phone app keeps its user's access token here, readable by /m only. */
export const COMPANION_COOKIE_NAME = "qr-companion-token";
const COMPANION_COOKIE_PATH = "/m";

export type CompanionProblem =
  | "sign-in-required"
  | "not-found"
  | "expired"
  | "taken"
  | "already-used"
  | "unavailable";


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

/** A failure names its problem; the page words it in the user's language (lib/i18n). */
export type CompanionResult<T> = { ok: true; value: T } | { ok: false; problem: CompanionProblem };

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
    if (error.statusCode === 401 || error.apiCode === apiCodes.invalidUserToken) return "sign-in-required";
    if (error.statusCode === 404 || error.apiCode === apiCodes.qrCodeNotFound) return "not-found";
    if (error.statusCode === 403 || error.apiCode === apiCodes.qrCodeScannedByAnother) return "taken";
    if (error.apiCode === apiCodes.qrCodeExpired || /expired/i.test(error.message)) return "expired";
    return "already-used";
  }
  if (error instanceof AuthingClientError) return "unavailable";
  throw error;
}

async function failure<T>(error: unknown): Promise<CompanionResult<T>> {
  const problem = problemOf(error);
  if (problem === "sign-in-required") await forgetCompanionToken();
  return { ok: false, problem };
}

const tooManyAttempts = (retryAfterSeconds?: number) => {
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
  let tokenSet;
  try {
    await limitPasswordSignIn(getStore(), "companion", { account, ip: phoneIp });
    tokenSet = await getAuthingClient().signinWithPassword({ account, password, clientIp: phoneIp });
  } catch (error) {
    if (error instanceof RateLimitedError) return tooManyAttempts(error.retryAfterSeconds);
    if (error instanceof AuthingApiError && error.statusCode === 429) return tooManyAttempts();
    if (error instanceof AuthingApiError && error.statusCode !== 503) return { ok: false, problem: "wrong-credentials" };
    return failure(error);
  }
  if (!tokenSet.access_token) return { ok: false, problem: "unavailable" };
  (await cookies()).set(COMPANION_COOKIE_NAME, tokenSet.access_token, {
    httpOnly: true,
    sameSite: "lax",
    secure: isHttpsRequest(await headers()),
    path: COMPANION_COOKIE_PATH,
    maxAge: Math.max(60, tokenSet.expire_in),
  });
  return { ok: true, value: null };
}

export async function signOutCompanion(): Promise<void> {
  await forgetCompanionToken();
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

export async function decideQrCode(qrcodeId: string, action: Extract<QrCodeAction, "CONFIRM" | "CANCEL">): Promise<CompanionResult<null>> {
  const token = await readCompanionToken();
  if (!token) return { ok: false, problem: "sign-in-required" };
  try {
    await getAuthingClient().setQrCodeStatus(token, qrcodeId, action);
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
