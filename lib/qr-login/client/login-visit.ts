import "server-only";

import { NextResponse, type NextRequest } from "next/server";

import { sessionForVisit, setSessionCookieOnRequest, setSessionCookieOnResponse } from "@/lib/qr-login/client/auth/refresh-on-visit";
import { isLiveSession } from "@/lib/qr-login/client/auth/session-cookie";
import { AuthingClientError } from "@/lib/qr-login/client/authing/client";
import { diagnoseProviderFailure, logProviderProblem } from "@/lib/qr-login/client/authing/provider-problems";
import { BINDING_COOKIE_NAME, createQrCodeForBrowser } from "@/lib/qr-login/client/flow/browser-qr-login";
import { safeCallbackPath } from "@/lib/qr-login/client/flow/callback-url";
import { RateLimitedError } from "@/lib/qr-login/platform/rate-limit";
import { requesterInfoFrom } from "@/lib/qr-login/platform/request-info";
import { log } from "@/lib/qr-login/platform/log";
import { metrics } from "@/lib/qr-login/platform/metrics";
import { isStoreUnavailable } from "@/lib/qr-login/platform/store-unavailable";

/** Set by the proxy on the request (never trusted from the browser) when no code could be made. */
export const QR_CODE_PROBLEM_HEADER = "x-qr-login-problem";
export type QrCodeProblem = "unavailable" | "rate-limited";

// Next strips its router headers before the proxy sees them (unless skipProxyUrlNormalize), so
// the app links to /login with plain <a> and never has the router prefetch it.
function isPrefetch(headers: Headers): boolean {
  return (
    headers.has("next-router-prefetch") ||
    headers.has("next-router-segment-prefetch") ||
    headers.get("purpose") === "prefetch" ||
    headers.get("sec-purpose")?.includes("prefetch") === true
  );
}

/**
 * A load of /login that another site started and that is no top-level navigation: an <img>, a
 * frame (which frame-ancestors refuses to show anyway), a fetch. It makes no code: every such
 * embed would spend the budget for codes of the network that views the other site, for a QR
 * nobody sees. A link from another site (a top-level navigation) still gets its code, and so do
 * browsers that send no fetch metadata.
 */
export function isCrossSiteEmbed(headers: Headers): boolean {
  const site = headers.get("sec-fetch-site");
  if (site !== "cross-site" && site !== "same-site") return false;
  return headers.get("sec-fetch-mode") !== "navigate" || headers.get("sec-fetch-dest") !== "document";
}

/**
 * A plain visit to /login gets a fresh code bound to this browser before the page renders, so
 * the QR image is in the first HTML (server components cannot set the binding cookie).
 */
export async function bindQrCodeOnLoginVisit(request: NextRequest): Promise<NextResponse> {
  request.headers.delete(QR_CODE_PROBLEM_HEADER);
  if (request.method !== "GET" || isPrefetch(request.headers) || isCrossSiteEmbed(request.headers)) {
    return NextResponse.next({ request: { headers: request.headers } });
  }
  const session = await sessionForVisit(request);
  setSessionCookieOnRequest(request, session);
  if (isLiveSession(session.token)) {
    const destination = new URL(safeCallbackPath(request.nextUrl.searchParams.get("callbackUrl")), request.url);
    return setSessionCookieOnResponse(NextResponse.redirect(destination), session);
  }

  try {
    const { cookie } = await createQrCodeForBrowser(
      requesterInfoFrom(request.headers, request.nextUrl),
      request.cookies.get(BINDING_COOKIE_NAME)?.value,
    );
    request.cookies.set(cookie.name, cookie.value);
    const response = NextResponse.next({ request: { headers: request.headers } });
    response.cookies.set(cookie.name, cookie.value, cookie.options);
    return setSessionCookieOnResponse(response, session);
  } catch (error) {
    const storeAway = isStoreUnavailable(error);
    if (!(error instanceof RateLimitedError) && !(error instanceof AuthingClientError) && !storeAway) throw error;
    if (storeAway) metrics().storeUnavailable.inc();
    else if (error instanceof RateLimitedError) metrics().rateLimited.inc({ scope: "login" });
    const problem = diagnoseProviderFailure(error);
    if (problem) logProviderProblem("qr-login", problem);
    else if (error instanceof AuthingClientError) log.warn("provider.failed", `could not create a code for /login: ${error.message}`);
    request.headers.set(QR_CODE_PROBLEM_HEADER, error instanceof RateLimitedError ? "rate-limited" : "unavailable");
    return setSessionCookieOnResponse(NextResponse.next({ request: { headers: request.headers } }), session);
  }
}
