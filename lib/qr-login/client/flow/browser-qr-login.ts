import "server-only";

import { getAuthingClient, type AuthingClient } from "@/lib/qr-login/client/authing/client";
import type { BriefUserInfo, QrCodeStatus } from "@/lib/qr-login/client/authing/schemas";
import { getConfig } from "@/lib/qr-login/platform/config";
import {
  addBinding,
  bindingCookieOptions,
  bindingKey,
  BINDING_COOKIE_NAME,
  decodeBindings,
  encodeBindings,
  findBinding,
  newestLiveBinding,
  removeBinding,
  type QrCodeBinding,
} from "@/lib/qr-login/client/flow/binding-cookie";
import { getClientState } from "@/lib/qr-login/platform/client-state";
import { limitRate, limitRatePerAddress, type RateLimitRule } from "@/lib/qr-login/platform/rate-limit";
import type { RequesterInfo } from "@/lib/qr-login/platform/request-info";

/** What the browser may learn about its code: never the ticket, never a token. */
export type BrowserQrCodeStatus = {
  status: QrCodeStatus;
  scanner?: BriefUserInfo;
  expiresAt: string;
  /** The server did not hold this request (too many are held): ask again after this long. */
  pollAfterMs?: number;
};

export type BrowserQrCode = { qrcodeId: string; imageUrl: string; expiresAt: string };

export type CookieToSet = { name: string; value: string; options: ReturnType<typeof bindingCookieOptions> };

/** The code is not one this browser asked for (or its binding cookie is gone or forged). */
export class QrCodeNotBoundError extends Error {
  constructor() {
    super("This QR code was not created for this browser. Get a new code.");
    this.name = "QrCodeNotBoundError";
  }
}

/** Per client IP: a login page makes a code per visit, and "Get a new code" makes another. */
const CREATE_LIMIT: RateLimitRule[] = [{ limit: 30, windowSeconds: 60 }];
/**
 * Per bound code, not per IP: the page polls about once a second, and many browsers can share
 * one address behind a NAT. Polls for codes this browser does not hold never get this far.
 */
const STATUS_LIMIT: RateLimitRule[] = [{ limit: 120, windowSeconds: 60 }];

export function toBrowserQrCode(binding: QrCodeBinding): BrowserQrCode {
  return { qrcodeId: binding.qrcodeId, imageUrl: binding.imageUrl, expiresAt: new Date(binding.expiresAt).toISOString() };
}

export function readBindings(cookieValue: string | undefined, now = Date.now()): QrCodeBinding[] {
  return decodeBindings(cookieValue, bindingKey(getConfig().nextAuth.secret), now);
}

/** The newest code this browser may still show, from its binding cookie. */
export function currentQrCode(cookieValue: string | undefined, now = Date.now()): BrowserQrCode | undefined {
  const binding = newestLiveBinding(readBindings(cookieValue, now), now);
  return binding && toBrowserQrCode(binding);
}

export function bindingCookie(bindings: QrCodeBinding[], secure: boolean): CookieToSet {
  const config = getConfig();
  return {
    name: BINDING_COOKIE_NAME,
    value: encodeBindings(bindings, bindingKey(config.nextAuth.secret)),
    options: bindingCookieOptions(secure, config.qrCodeTtlSeconds),
  };
}

/**
 * Creates a code for the browser behind `requester` and binds it to that browser. Throws
 * RateLimitedError or an AuthingClientError (provider down, or refusing).
 */
export async function createQrCodeForBrowser(
  requester: RequesterInfo,
  cookieValue: string | undefined,
  client: AuthingClient = getAuthingClient(),
): Promise<{ qrCode: BrowserQrCode; cookie: CookieToSet }> {
  await limitRatePerAddress(getClientState(), "qr-create", requester.ip, CREATE_LIMIT);
  const config = getConfig();
  const { qrcodeId, url, pollSecret } = await client.geneQrCode({
    context: { ip: requester.ip, userAgent: requester.userAgent },
    // Only the embedded provider serves on this app's origins; another provider points its
    // codes and images at its own.
    forwardedOrigin: config.provider.embedded ? requester.origin : undefined,
  });
  const now = Date.now();
  // The provider does not say when the code expires; it lives qrCodeTtlSeconds from now.
  const binding: QrCodeBinding = { qrcodeId, imageUrl: url, expiresAt: now + config.qrCodeTtlSeconds * 1000, pollSecret };
  const bindings = addBinding(readBindings(cookieValue, now), binding, now);
  return { qrCode: toBrowserQrCode(binding), cookie: bindingCookie(bindings, requester.secure) };
}

export type BrowserStatusWait = {
  waitSeconds?: number;
  knownStatus?: QrCodeStatus;
  signal?: AbortSignal;
  /** The browser's address: the provider caps the waits it holds per address. */
  clientIp?: string;
};

/**
 * The status of a code this browser created; throws QrCodeNotBoundError for any other code.
 * Where the provider can wait (the embedded one), `waitSeconds` and `knownStatus` hold the answer
 * until the status changes; elsewhere the answer comes at once and the page polls.
 */
export async function readQrCodeStatusForBrowser(
  cookieValue: string | undefined,
  qrcodeId: string,
  { waitSeconds = 0, knownStatus, signal, clientIp }: BrowserStatusWait = {},
  client: AuthingClient = getAuthingClient(),
): Promise<BrowserQrCodeStatus> {
  const binding = findBinding(readBindings(cookieValue), qrcodeId);
  if (!binding) throw new QrCodeNotBoundError();
  await limitRate(getClientState(), `qr-status:${qrcodeId}`, STATUS_LIMIT);
  const expiresAt = new Date(binding.expiresAt).toISOString();
  const allowedWait = Math.min(waitSeconds, getConfig().statusUpdates.waitSeconds);
  const data = await client.getQrCodeStatus(qrcodeId, {
    pollSecret: binding.pollSecret,
    wait: allowedWait > 0 && knownStatus ? { waitSeconds: allowedWait, knownStatus, signal } : undefined,
    clientIp,
  });
  const pastExpiry = Date.now() >= binding.expiresAt;
  const status: QrCodeStatus =
    pastExpiry && (data.status === "PENDING" || data.status === "SCANNED") ? "EXPIRED" : data.status;
  const pollAfter = data.pollAfterMs ? { pollAfterMs: data.pollAfterMs } : {};
  return data.briefUserInfo && status !== "PENDING"
    ? { status, scanner: { displayName: data.briefUserInfo.displayName, photo: data.briefUserInfo.photo }, expiresAt, ...pollAfter }
    : { status, expiresAt, ...pollAfter };
}

/** The cookie after a code was redeemed: that code is no longer vouched for. */
export function bindingCookieWithout(cookieValue: string | undefined, qrcodeId: string, secure: boolean): CookieToSet {
  return bindingCookie(removeBinding(readBindings(cookieValue), qrcodeId), secure);
}

export { BINDING_COOKIE_NAME };
