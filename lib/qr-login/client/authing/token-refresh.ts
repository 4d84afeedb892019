import "server-only";

import { createHash } from "node:crypto";
import type { JWT } from "next-auth/jwt";

import { AuthingUnavailableError, getAuthingClient, type AuthingClient } from "@/lib/qr-login/client/authing/client";
import type { IdTokenClaims } from "@/lib/qr-login/client/authing/schemas";
import { log } from "@/lib/qr-login/platform/log";

/** Refresh this long before the access token expires (at most half its life). */
export const REFRESH_MARGIN_MS = 60_000;

export type SessionTokens = {
  accessToken: string;
  refreshToken?: string;
  accessTokenExpiresAt: number;
  accessTokenRefreshAt: number;
  idTokenClaims: IdTokenClaims;
};

export function sessionTokensFrom(input: {
  accessToken: string;
  refreshToken: string | undefined;
  expiresInSeconds: number;
  idTokenClaims: IdTokenClaims;
  now: number;
}): SessionTokens {
  const lifetimeMs = Math.max(0, input.expiresInSeconds * 1000);
  return {
    accessToken: input.accessToken,
    refreshToken: input.refreshToken,
    accessTokenExpiresAt: input.now + lifetimeMs,
    accessTokenRefreshAt: input.now + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2),
    idTokenClaims: input.idTokenClaims,
  };
}

export function isRefreshDue(token: JWT, now: number): boolean {
  return !token.error && token.accessTokenRefreshAt !== undefined && now >= token.accessTokenRefreshAt;
}

type RefreshOutcome = { ok: true; tokens: SessionTokens } | { ok: false };

/**
 * The provider rotates refresh tokens. Two requests of one browser often arrive together with the
 * same cookie: while a refresh of a token is under way, requests in this process that need the
 * same token wait for it and share its outcome. Once it settles nothing is kept: a request that
 * replays the old cookie later asks the provider itself, which honours a replay only within its
 * short reuse interval (and treats a later one as theft), rather than being handed fresh tokens
 * by this process for as long as a cache would remember them.
 */
const inFlight = new Map<string, Promise<RefreshOutcome>>();

async function refreshOnce(token: JWT & { refreshToken: string; idTokenClaims: IdTokenClaims }, client: AuthingClient, now: number) {
  const response = await client.refreshTokens(token.refreshToken);
  const idTokenClaims = response.id_token ? await client.verifyIdToken(response.id_token) : token.idTokenClaims;
  if (idTokenClaims.sub !== token.sub) throw new Error("The refreshed id_token is for another user");
  return sessionTokensFrom({
    accessToken: response.access_token,
    refreshToken: response.refresh_token ?? token.refreshToken,
    expiresInSeconds: response.expires_in,
    idTokenClaims,
    now,
  });
}

/**
 * The session's JWT with a fresh access token when it is due. A refusal from the provider marks
 * the JWT with an error (the UI then asks to sign in again); an outage leaves it as it was.
 */
export async function refreshSessionTokenIfDue(token: JWT, now = Date.now(), client: AuthingClient = getAuthingClient()): Promise<JWT> {
  if (!isRefreshDue(token, now)) return token;
  const { refreshToken, idTokenClaims } = token;
  if (!refreshToken || !idTokenClaims) return failed(token);

  const key = createHash("sha256").update(refreshToken).digest("hex");
  let outcome = inFlight.get(key);
  if (!outcome) {
    const started = refreshOnce({ ...token, refreshToken, idTokenClaims }, client, now).then(
      (tokens): RefreshOutcome => ({ ok: true, tokens }),
      (error: unknown): RefreshOutcome => {
        if (error instanceof AuthingUnavailableError) throw error;
        log.warn("auth.refresh_failed", `Refreshing the access token failed, the session ends: ${error instanceof Error ? error.message : "unknown error"}`);
        return { ok: false };
      },
    );
    outcome = started;
    inFlight.set(key, started);
    void started.then(
      () => inFlight.delete(key),
      () => inFlight.delete(key),
    );
  }

  try {
    const settled = await outcome;
    if (!settled.ok) return failed(token);
    const { tokens } = settled;
    return {
      ...token,
      ...tokens,
      name: tokens.idTokenClaims.name ?? tokens.idTokenClaims.nickname ?? token.name,
      email: tokens.idTokenClaims.email ?? token.email,
      picture: tokens.idTokenClaims.picture ?? token.picture,
      error: undefined,
    };
  } catch {
    // The provider is unreachable: keep the session as it is and try again on the next request.
    return token;
  }
}

function failed(token: JWT): JWT {
  const ended: JWT = { ...token, error: "RefreshAccessTokenError" };
  delete ended.accessToken;
  delete ended.refreshToken;
  delete ended.accessTokenExpiresAt;
  delete ended.accessTokenRefreshAt;
  return ended;
}

/**
 * Revokes a refresh token's family and an access token at the provider: a copy of the access
 * token (a log, a proxy) would otherwise stay good for the rest of its life. Failures are logged.
 */
export async function revokeTokens(
  tokens: { refreshToken?: string; accessToken?: string },
  client: AuthingClient = getAuthingClient(),
): Promise<void> {
  const revocations: [string | undefined, "refresh_token" | "access_token"][] = [
    [tokens.refreshToken, "refresh_token"],
    [tokens.accessToken, "access_token"],
  ];
  await Promise.all(
    revocations.map(async ([value, hint]) => {
      if (!value) return;
      await client
        .revokeToken(value, hint)
        .catch((error: unknown) =>
          log.warn("auth.revocation_failed", `Revoking the ${hint.replace("_", " ")} failed: ${error instanceof Error ? error.message : "unknown error"}`, { hint }),
        );
    }),
  );
}
