import "server-only";

import { NextResponse, type NextRequest } from "next/server";

import { sessionForVisit, setSessionCookieOnRequest, setSessionCookieOnResponse } from "@/lib/qr-login/client/auth/refresh-on-visit";
import { isLiveSession } from "@/lib/qr-login/client/auth/session-cookie";
import { isCompanionPath } from "@/lib/qr-login/client/authing/companion-path";
import { bindQrCodeOnLoginVisit } from "@/lib/qr-login/client/login-visit";
import { QR_LOGIN_PATH } from "@/lib/qr-login/client/flow/login-path";

export type QrLoginProxyOptions = {
  /**
   * Pages whose session is refreshed before they render, when its access token is due (server
   * components cannot write the rotated cookie themselves). Every page by default.
   */
  refreshSessionOn?: (pathname: string) => boolean;
  /**
   * Pages for the signed-in only: a visit without a live session is sent to the sign-in page,
   * with this page to come back to. A 307 before anything renders, where a page's own redirect
   * under Cache Components streams a page that redirects itself.
   */
  signInRequiredOn?: (pathname: string) => boolean;
};

/**
 * The QR login's part of a proxy, for the host's proxy.ts to call: a visit to the sign-in page
 * gets a fresh code bound to this browser (so the QR is in the first HTML), and a page visit
 * refreshes a due session. Answers undefined for requests it leaves alone (API routes, other
 * methods), so the host's proxy goes on with its own logic.
 *
 * The request's headers travel on in its answers, so headers the host set on the request (a CSP
 * nonce) reach the page.
 */
export async function qrLoginProxy(request: NextRequest, options: QrLoginProxyOptions = {}): Promise<NextResponse | undefined> {
  const { pathname } = request.nextUrl;
  if (pathname === QR_LOGIN_PATH) return bindQrCodeOnLoginVisit(request);
  if (pathname === "/api" || pathname.startsWith("/api/") || request.method !== "GET") return undefined;
  const signInRequired = options.signInRequiredOn?.(pathname) ?? false;
  if (!signInRequired && !(options.refreshSessionOn ?? (() => true))(pathname)) return undefined;
  const session = await sessionForVisit(request);
  if (signInRequired && !isLiveSession(session.token)) {
    const signIn = new URL(QR_LOGIN_PATH, request.url);
    signIn.searchParams.set("callbackUrl", pathname + request.nextUrl.search);
    return setSessionCookieOnResponse(NextResponse.redirect(signIn, 307), session);
  }
  setSessionCookieOnRequest(request, session);
  // The request's headers travel on in every case: the host's proxy may have put a CSP nonce there.
  return setSessionCookieOnResponse(NextResponse.next({ request: { headers: request.headers } }), session);
}

/**
 * The sign-in page and the companion's pages refuse to be framed (a framed confirm screen invites
 * click-jacking), for an app whose own headers do not already say so. X-Frame-Options, not a
 * CSP: the app's own Content Security Policy stays whole, and where it names frame-ancestors,
 * browsers follow that instead.
 */
export function refuseFramingOfSignInPages(request: NextRequest, response: NextResponse): NextResponse {
  const { pathname } = request.nextUrl;
  if ((pathname === QR_LOGIN_PATH || isCompanionPath(pathname)) && !response.headers.has("x-frame-options")) {
    response.headers.set("x-frame-options", "DENY");
  }
  return response;
}
