import "server-only";

import { NextResponse, type NextRequest } from "next/server";

import { encodeSessionCookie, readSessionToken, sessionCookieName } from "@/lib/auth/session-cookie";
import { isRefreshDue, refreshSessionTokenIfDue } from "@/lib/auth/token-refresh";

/**
 * Before a page that uses the access token renders, refresh it if due and write the rotated
 * tokens both to the browser and to the request the page reads.
 */
export async function refreshSessionOnVisit(request: NextRequest): Promise<NextResponse> {
  // The request's headers travel on in every case: the proxy put the CSP nonce there.
  const unchanged = () => NextResponse.next({ request: { headers: request.headers } });
  const name = sessionCookieName();
  const chunked = request.cookies.getAll().some((cookie) => cookie.name.startsWith(`${name}.`));
  if (chunked) return unchanged();
  const token = await readSessionToken(request);
  if (!token || !isRefreshDue(token, Date.now())) return unchanged();

  const refreshed = await refreshSessionTokenIfDue(token);
  if (refreshed === token) return unchanged();
  const cookie = await encodeSessionCookie(refreshed);
  if (!cookie) return unchanged();

  request.cookies.set(cookie.name, cookie.value);
  const response = NextResponse.next({ request: { headers: request.headers } });
  response.cookies.set(cookie.name, cookie.value, cookie.options);
  return response;
}
