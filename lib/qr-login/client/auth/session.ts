import "server-only";

import { cookies, headers } from "next/headers";
import type { JWT } from "next-auth/jwt";

import { isLiveSession, readSessionToken } from "@/lib/qr-login/client/auth/session-cookie";
import { isSessionEnded } from "@/lib/qr-login/client/auth/session-revocations";

export type SessionUser = {
  sub: string;
  name: string | null;
  email: string | null;
  image: string | null;
};

export type ServerSession =
  | { state: "signed-out" }
  | { state: "expired"; user: SessionUser }
  | { state: "signed-in"; user: SessionUser; token: JWT };

/**
 * The session as server components see it. It reads the JWT cookie without running NextAuth's
 * callbacks: a refresh here could not write the rotated refresh token back (server components
 * cannot set cookies), and the provider treats reuse of a rotated token as theft. The proxy
 * refreshes instead, before the page renders. A session that was signed out is none; one whose
 * access token is past its expiry (the provider could not refresh it) has expired.
 */
export async function getServerSession(): Promise<ServerSession> {
  const cookieStore = await cookies();
  const token = await readSessionToken({
    headers: Object.fromEntries(await headers()),
    cookies: Object.fromEntries(cookieStore.getAll().map((cookie) => [cookie.name, cookie.value])),
  });
  if (!token?.sub || (await isSessionEnded(token))) return { state: "signed-out" };
  const user: SessionUser = {
    sub: token.sub,
    name: token.name ?? null,
    email: token.email ?? null,
    image: token.picture ?? null,
  };
  if (!isLiveSession(token)) return { state: "expired", user };
  return { state: "signed-in", user, token };
}
