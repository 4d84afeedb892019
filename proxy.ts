import { NextResponse, type NextRequest } from "next/server";

import { getConfig } from "@/lib/qr-login/platform/config";
import { isCompanionPath } from "@/lib/qr-login/client/authing/companion-path";
import { qrLoginProxy } from "@/lib/qr-login/client/qr-login-proxy";
import { withSecurityHeaders } from "@/lib/qr-login/platform/security-headers";
import { refuseMalformedServerAction } from "@/lib/qr-login/platform/server-action-guard";
import { REQUEST_ID_HEADER, withRequestId } from "@/lib/qr-login/platform/request-context";

/** The app's own not-found page, with its 404 status: no route answers this path. */
const companionSwitchedOff = (request: NextRequest) =>
  NextResponse.rewrite(new URL("/_companion-switched-off", request.url), { request: { headers: request.headers } });

/** The pages that read the access token: their session is refreshed first, when it is due. */
const usesAccessToken = (pathname: string) => pathname === "/" || pathname === "/account";
const forTheSignedIn = (pathname: string) => pathname === "/account";

/**
 * The demo app's proxy, composed: its own guards and security headers around the QR login's
 * step (a code bound on the sign-in page, a due session refreshed), which any app's proxy calls.
 */
export async function proxy(request: NextRequest) {
  const refused = await refuseMalformedServerAction(request);
  if (refused) return refused;
  // Route handlers answer JSON: next.config.mjs's static headers are enough, and the status
  // poll, the hot path, pays for no nonce.
  if (request.nextUrl.pathname.startsWith("/api/")) return NextResponse.next();
  // One request id for the page, its log lines and the provider calls it makes, in x-request-id.
  return withRequestId(request, async (requestId) => {
    request.headers.set(REQUEST_ID_HEADER, requestId);
    // Every page here renders per request, so every page can carry the nonce.
    return withSecurityHeaders(request, async (request) => {
      // Against real Authing the companion would be a password form for Authing's users: it is off.
      if (isCompanionPath(request.nextUrl.pathname) && !getConfig().provider.embedded) return companionSwitchedOff(request);
      return (
        (await qrLoginProxy(request, { refreshSessionOn: usesAccessToken, signInRequiredOn: forTheSignedIn })) ??
        NextResponse.next({ request: { headers: request.headers } })
      );
    });
  });
}

// Every path but static assets and the provider's routes (which answer in their own formats): a
// server action can be posted to any page, a not-found one included.
export const config = { matcher: ["/((?!api/v2/|api/v3/|oidc/|_next/static|_next/image|favicon\\.ico).*)"] };
