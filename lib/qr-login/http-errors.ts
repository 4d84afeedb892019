import "server-only";

import { NextResponse } from "next/server";

import { AuthingApiError, AuthingClientError, AuthingRequestAbortedError } from "@/lib/authing/client";
import { diagnoseProviderFailure, logProviderProblem } from "@/lib/authing/provider-problems";
import { apiCodes } from "@/lib/authing/schemas";
import { QrCodeNotBoundError } from "@/lib/qr-login/browser-qr-login";
import { RateLimitedError } from "@/lib/qr-login/rate-limit";

export const noStore = { "cache-control": "no-store" } as const;

export function jsonError(status: number, error: string, message: string, headers: Record<string, string> = {}) {
  return NextResponse.json({ error, message }, { status, headers: { ...noStore, ...headers } });
}

/** Maps what lib/qr-login throws to a JSON answer for the browser; nothing from the provider leaks. */
export function errorResponse(error: unknown): NextResponse {
  if (error instanceof RateLimitedError) {
    return jsonError(429, "rate_limited", error.message, { "retry-after": String(error.retryAfterSeconds) });
  }
  if (error instanceof QrCodeNotBoundError) return jsonError(403, "not_bound", error.message);
  if (error instanceof AuthingApiError && (error.statusCode === 404 || error.apiCode === apiCodes.qrCodeNotFound)) {
    return jsonError(404, "not_found", "This QR code does not exist any more. Get a new code.");
  }
  // The browser went away while its request waited: nobody reads this answer.
  if (error instanceof AuthingRequestAbortedError) return jsonError(499, "client_closed", "The request was aborted.");
  if (error instanceof AuthingClientError) {
    const problem = diagnoseProviderFailure(error);
    if (problem) logProviderProblem("qr-login", problem);
    else console.warn(`qr-login: the identity provider failed: ${error.name}: ${error.message}`);
    return jsonError(503, "provider_unavailable", "The sign-in service is unavailable right now. Try again later.");
  }
  console.error("qr-login: unexpected error", error);
  return jsonError(500, "internal_error", "Something went wrong on our side.");
}

/** Browsers say where a request came from; a page on another site has no business here. */
export function isCrossSite(headers: Headers): boolean {
  return headers.get("sec-fetch-site") === "cross-site";
}
