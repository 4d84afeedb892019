import "server-only";

import { cookies } from "next/headers";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";

import { getAuthingClient } from "@/lib/authing/client";
import { refreshSessionTokenIfDue } from "@/lib/auth/token-refresh";
import { useSecureSessionCookie, SESSION_MAX_AGE_SECONDS } from "@/lib/auth/session-cookie";
import { getConfig } from "@/lib/config";
import { BINDING_COOKIE_NAME, bindingCookieWithout } from "@/lib/qr-login/browser-qr-login";
import { redeemQrCode } from "@/lib/qr-login/redeem";
import { requesterInfoFrom } from "@/lib/qr-login/request-info";

function cookieFromHeader(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const separator = part.indexOf("=");
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

function headersFrom(raw: Record<string, unknown> | undefined): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw ?? {})) if (typeof value === "string") headers.set(name, value);
  return headers;
}

/** Built on first use, not at import: `next build` imports this module without secrets. */
export function getAuthOptions(): NextAuthOptions {
  const config = getConfig();
  return {
    secret: config.nextAuth.secret,
    useSecureCookies: useSecureSessionCookie(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        id: "qrcode",
        name: "QR code",
        credentials: { qrcodeId: { label: "QR code id", type: "text" } },
        async authorize(credentials, req) {
          const headers = headersFrom(req.headers);
          const bindingCookie = cookieFromHeader(headers.get("cookie") ?? undefined, BINDING_COOKIE_NAME);
          const outcome = await redeemQrCode(credentials?.qrcodeId, bindingCookie);
          if (!outcome.ok) return null;
          try {
            const requester = requesterInfoFrom(headers, new URL(config.nextAuth.url ?? "http://localhost"));
            const cookie = bindingCookieWithout(bindingCookie, String(credentials?.qrcodeId), requester.secure);
            (await cookies()).set(cookie.name, cookie.value, cookie.options);
          } catch {
            // Outside a request scope the entry simply expires; the ticket is one-time anyway.
          }
          return outcome.user;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          return {
            sub: user.id,
            name: user.name ?? null,
            email: user.email ?? null,
            picture: user.image ?? null,
            accessToken: user.accessToken,
            refreshToken: user.refreshToken,
            accessTokenExpiresAt: user.accessTokenExpiresAt,
            accessTokenRefreshAt: user.accessTokenRefreshAt,
            idTokenClaims: user.idTokenClaims,
          };
        }
        return refreshSessionTokenIfDue(token);
      },
      async session({ session, token }) {
        return {
          expires: session.expires,
          user: { sub: token.sub ?? "", name: token.name ?? null, email: token.email ?? null, image: token.picture ?? null },
          ...(token.error ? { error: token.error } : {}),
        };
      },
    },
    events: {
      async signOut({ token }) {
        if (!token?.refreshToken) return;
        await getAuthingClient()
          .revokeToken(token.refreshToken)
          .catch((error: unknown) => console.warn(`auth: revoking the refresh token failed: ${error instanceof Error ? error.message : "unknown error"}`));
      },
    },
  };
}
