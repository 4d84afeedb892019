import "server-only";

import { cookies, headers } from "next/headers";
import type { NextAuthOptions, Session } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";

import { refreshSessionTokenIfDue, revokeTokens } from "@/lib/qr-login/client/authing/token-refresh";
import { isLiveSession, secureCookies, SESSION_MAX_AGE_SECONDS } from "@/lib/qr-login/client/auth/session-cookie";
import { endSession, isSessionEnded, newSessionId } from "@/lib/qr-login/client/auth/session-revocations";
import { getConfig } from "@/lib/qr-login/platform/config";
import { errorFields, log, logger } from "@/lib/qr-login/platform/log";
import { BINDING_COOKIE_NAME, bindingCookieWithout } from "@/lib/qr-login/client/flow/browser-qr-login";
import { safeCallbackPath } from "@/lib/qr-login/client/flow/callback-url";
import { QR_LOGIN_PATH } from "@/lib/qr-login/client/flow/login-path";
import { redeemQrCode } from "@/lib/qr-login/client/flow/redeem";
import { admitAccount, continueHeldSignIn } from "@/lib/qr-login/client/flow/held-sign-in";
import { SIGN_IN_ASK_ACCOUNT, SIGN_IN_SERVICE_UNAVAILABLE } from "@/lib/qr-login/client/flow/sign-in-errors";
import { isHttpsRequest } from "@/lib/qr-login/platform/request-info";

/** Built on first use, not at import: `next build` imports this module without secrets. */
export function getAuthOptions(): NextAuthOptions {
  const config = getConfig();
  return {
    secret: config.nextAuth.secret,
    useSecureCookies: secureCookies(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: QR_LOGIN_PATH, error: QR_LOGIN_PATH },
    // NextAuth's own errors and warnings as log lines (its default writes console). Only the
    // error's name and message: NextAuth's metadata may carry the request or the token.
    logger: {
      error: (code, metadata) =>
        log.error("auth.nextauth_error", `NextAuth: ${code}`, { code, ...errorFields(metadata instanceof Error ? metadata : metadata.error) }),
      warn: (code) => log.warn("auth.nextauth_warning", `NextAuth: ${code}`, { code }),
      debug: (code) => logger().debug({ event: "auth.nextauth_debug", code }, `NextAuth: ${code}`),
    },
    providers: [
      CredentialsProvider({
        id: "qrcode",
        name: "QR code",
        credentials: {
          qrcodeId: { label: "QR code id", type: "text" },
          /** "continue": the person at this browser continues with the account held for this code. */
          account: { label: "Account", type: "hidden" },
        },
        async authorize(credentials) {
          // Runs inside NextAuth's route handler, so the request's cookies are at hand.
          const cookieStore = await cookies();
          const secure = isHttpsRequest(await headers());
          if (credentials?.account === "continue") return continueHeldSignIn(cookieStore, credentials.qrcodeId, secure) ?? null;
          const bindingCookie = cookieStore.get(BINDING_COOKIE_NAME)?.value;
          const outcome = await redeemQrCode(credentials?.qrcodeId, bindingCookie);
          // NextAuth puts a thrown message in the answer's `error`: the page tells "the service
          // is down" (nothing the user can do) from "this code did not work".
          if (!outcome.ok && outcome.reason === "provider_unavailable") throw new Error(SIGN_IN_SERVICE_UNAVAILABLE);
          if (!outcome.ok) return null;
          const qrcodeId = String(credentials?.qrcodeId);
          const redeemed = bindingCookieWithout(bindingCookie, qrcodeId, secure);
          cookieStore.set(redeemed.name, redeemed.value, redeemed.options);
          // No silent session swap: another account than this browser's last waits for a tap.
          const admission = await admitAccount(cookieStore, qrcodeId, outcome.user, secure);
          if (admission === "held") throw new Error(SIGN_IN_ASK_ACCOUNT);
          return admission === "signed-in" ? outcome.user : null;
        },
      }),
    ],
    callbacks: {
      // The one rule for every post-sign-in destination (NextAuth's default also throws, a 500,
      // on a callbackUrl that is not a URL): a path on this site, else home.
      redirect({ url, baseUrl }) {
        return `${baseUrl}${safeCallbackPath(url, "/", baseUrl)}`;
      },
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
            sid: newSessionId(),
          };
        }
        // A signed-out session is no session: NextAuth answers `{}` and the cookie holds nothing.
        if (await isSessionEnded(token)) return {};
        return refreshSessionTokenIfDue(token);
      },
      async session({ session, token }) {
        if (!token.sub) return {} as Session;
        const ended = token.error ?? (isLiveSession(token) ? undefined : "RefreshAccessTokenError");
        return {
          expires: session.expires,
          user: { sub: token.sub, name: token.name ?? null, email: token.email ?? null, image: token.picture ?? null },
          ...(ended ? { error: ended } : {}),
        };
      },
    },
    events: {
      // The refresh token's family and the access token both die: a copy of the access token
      // (a log, a proxy) would otherwise stay good at the provider for the rest of its life.
      async signOut({ token }) {
        // First the session itself, for every instance: a copy of the cookie opens nothing after
        // this. When it cannot be recorded this throws, before anything is revoked, and the
        // route (lib/qr-login/client/auth/nextauth-route.ts) answers 503 and keeps the cookie: the session is
        // left whole and the user is told, rather than shown a sign-out that did not happen.
        if (token) await endSession(token);
        await revokeTokens(token ?? {});
      },
    },
  };
}
