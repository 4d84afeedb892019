import "server-only";

import type { JWT } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";

import { clearedSessionCookie, encodeSessionCookie, readSessionToken, sessionCookieName } from "@/lib/qr-login/client/auth/session-cookie";
import { isSessionEnded } from "@/lib/qr-login/client/auth/session-revocations";
import { isRefreshDue, refreshSessionTokenIfDue } from "@/lib/qr-login/client/authing/token-refresh";

type SessionCookie = { name: string; value: string; options: Parameters<NextResponse["cookies"]["set"]>[2] };

/** A visit's session: null when there is none or it was signed out; the cookie to write, if any. */
export type VisitSession = { token: JWT | null; cookie?: SessionCookie };

/**
 * The session a page request carries, refreshed if due. A session that was signed out (or has
 * no id) is no session, and its cookie is deleted.
 */
export async function sessionForVisit(request: NextRequest): Promise<VisitSession> {
  const token = await readSessionToken(request);
  if (!token) return { token: null };
  if (await isSessionEnded(token)) return { token: null, cookie: clearedSessionCookie() };

  const name = sessionCookieName();
  const chunked = request.cookies.getAll().some((cookie) => cookie.name.startsWith(`${name}.`));
  if (chunked || !isRefreshDue(token, Date.now())) return { token };
  const refreshed = await refreshSessionTokenIfDue(token);
  if (refreshed === token) return { token };
  const cookie = await encodeSessionCookie(refreshed);
  return cookie ? { token: refreshed, cookie } : { token };
}

/** Puts the visit's cookie on the request the page reads (before its headers are passed on). */
export function setSessionCookieOnRequest(request: NextRequest, { cookie }: VisitSession): void {
  if (!cookie) return;
  if (cookie.value) request.cookies.set(cookie.name, cookie.value);
  else request.cookies.delete(cookie.name);
}

/** Sends the visit's cookie to the browser. */
export function setSessionCookieOnResponse(response: NextResponse, { cookie }: VisitSession): NextResponse {
  if (cookie) response.cookies.set(cookie.name, cookie.value, cookie.options);
  return response;
}
