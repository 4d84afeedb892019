import "server-only";

import { encode, getToken, type JWT } from "next-auth/jwt";
import type { NextRequest } from "next/server";

import { getConfig } from "@/lib/qr-login/platform/config";
import { secureCookies } from "@/lib/qr-login/platform/request-info";

export { secureCookies };

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
/** next-auth splits a cookie past this size into chunks; we only ever write whole ones. */
const MAX_SINGLE_COOKIE_LENGTH = 3_900;

export function sessionCookieName(): string {
  return secureCookies() ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

type RequestLike = NextRequest | { headers: Record<string, string>; cookies: Record<string, string> };

/** The decrypted session JWT, read directly (no callbacks run, so nothing is refreshed). */
export async function readSessionToken(req: RequestLike): Promise<JWT | null> {
  return getToken({
    req: req as Parameters<typeof getToken>[0]["req"],
    secret: getConfig().nextAuth.secret,
    secureCookie: secureCookies(),
    cookieName: sessionCookieName(),
  });
}

/** Past this, the access token is dead: a session the provider could not refresh ends here. */
export function isAccessTokenExpired(token: JWT, now: number): boolean {
  return token.accessTokenExpiresAt !== undefined && now >= token.accessTokenExpiresAt;
}

/**
 * Signed in: a user, no failed refresh, and an access token not past its expiry (the hard end of
 * a session whose provider could not refresh it). Read it from a session that was refreshed if
 * due and checked against sign-outs (lib/qr-login/client/auth/refresh-on-visit.ts).
 */
export function isLiveSession(token: JWT | null, now = Date.now()): token is JWT & { sub: string } {
  return Boolean(token?.sub && !token.error && token.accessToken && !isAccessTokenExpired(token, now));
}

/** Deletes the session cookie (with its attributes: a `__Secure-` cookie is only deleted Secure). */
export function clearedSessionCookie() {
  return {
    name: sessionCookieName(),
    value: "",
    options: { httpOnly: true, sameSite: "lax" as const, path: "/", secure: secureCookies(), maxAge: 0 },
  };
}

/** The session cookie to write for `token`, or undefined when it would need chunking. */
export async function encodeSessionCookie(token: JWT) {
  const value = await encode({ token, secret: getConfig().nextAuth.secret, maxAge: SESSION_MAX_AGE_SECONDS });
  if (value.length > MAX_SINGLE_COOKIE_LENGTH) return undefined;
  return {
    name: sessionCookieName(),
    value,
    options: {
      httpOnly: true,
      sameSite: "lax" as const,
      path: "/",
      secure: secureCookies(),
      maxAge: SESSION_MAX_AGE_SECONDS,
    },
  };
}
