import "server-only";

import { NextResponse } from "next/server";

import { AuthingApiError, AuthingClientError, AuthingRequestAbortedError } from "@/lib/qr-login/client/authing/client";
import { diagnoseProviderFailure, logProviderProblem } from "@/lib/qr-login/client/authing/provider-problems";
import { apiCodes } from "@/lib/qr-login/client/authing/schemas";
import { QrCodeNotBoundError } from "@/lib/qr-login/client/flow/browser-qr-login";
import { errorFields, log } from "@/lib/qr-login/platform/log";
import { metrics } from "@/lib/qr-login/platform/metrics";
import { RateLimitedError } from "@/lib/qr-login/platform/rate-limit";
import { isStoreUnavailable } from "@/lib/qr-login/platform/store-unavailable";

export const noStore = { "cache-control": "no-store" } as const;

export function jsonError(status: number, error: string, message: string, headers: Record<string, string> = {}) {
  return NextResponse.json({ error, message }, { status, headers: { ...noStore, ...headers } });
}

/** A request refused while the store (or the client's Redis) is away: counted, its cause logged once by the store. */
export function countStoreUnavailable(): void {
  metrics().storeUnavailable.inc();
}

/** A request over a rate limit, the app's or the provider's: counted by route, and one log line. */
export function countRateLimited(route: string, error: RateLimitedError): void {
  metrics().rateLimited.inc({ scope: route });
  log.warn("rate_limited", `${route}: over a rate limit`, { route, retryAfterSeconds: error.retryAfterSeconds });
}

/** Maps what lib/qr-login throws to a JSON answer for the browser; nothing from the provider leaks. */
export function errorResponse(error: unknown, route = "qr-login"): NextResponse {
  if (isStoreUnavailable(error)) {
    countStoreUnavailable();
    return jsonError(503, "service_unavailable", "The sign-in service is unavailable right now. Try again shortly.", { "retry-after": "2" });
  }
  if (error instanceof RateLimitedError) {
    countRateLimited(route, error);
    return jsonError(429, "rate_limited", error.message, { "retry-after": String(error.retryAfterSeconds) });
  }
  if (error instanceof QrCodeNotBoundError) {
    metrics().refusals.inc({ reason: "not_bound" });
    log.info("refused", `${route}: a code this browser did not create`, { route, reason: "not_bound" });
    return jsonError(403, "not_bound", error.message);
  }
  if (error instanceof AuthingApiError && (error.statusCode === 404 || error.apiCode === apiCodes.qrCodeNotFound)) {
    return jsonError(404, "not_found", "This QR code does not exist any more. Get a new code.");
  }
  // The browser went away while its request waited: nobody reads this answer.
  if (error instanceof AuthingRequestAbortedError) return jsonError(499, "client_closed", "The request was aborted.");
  if (error instanceof AuthingClientError) {
    const problem = diagnoseProviderFailure(error);
    if (problem) logProviderProblem("qr-login", problem);
    else log.warn("provider.failed", `${route}: the identity provider failed`, { route, ...errorFields(error) });
    return jsonError(503, "provider_unavailable", "The sign-in service is unavailable right now. Try again later.");
  }
  log.error("internal_error", `${route}: unexpected error`, { route, ...errorFields(error) });
  return jsonError(500, "internal_error", "Something went wrong on our side.");
}

/** Browsers say where a request came from; a page on another site has no business here. */
export function isCrossSite(headers: Headers): boolean {
  return headers.get("sec-fetch-site") === "cross-site";
}
