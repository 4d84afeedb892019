import type { JWT } from "next-auth/jwt";
import { describe, expect, it, vi } from "vitest";

import { isAccessTokenExpired, isLiveSession } from "@/lib/qr-login/client/auth/session-cookie";
import { isRefreshDue, REFRESH_MARGIN_MS, refreshSessionTokenIfDue, sessionTokensFrom } from "@/lib/qr-login/client/authing/token-refresh";
import { AuthingUnavailableError, type AuthingClient } from "@/lib/qr-login/client/authing/client";
import type { IdTokenClaims } from "@/lib/qr-login/client/authing/schemas";

const claims: IdTokenClaims = { iss: "http://localhost/oidc", aud: "app", sub: "user-1", iat: 1, exp: 2 };
const now = 1_800_000_000_000;

describe("when the access token is refreshed", () => {
  it("is shortly before expiry: a minute early for long-lived tokens", () => {
    const tokens = sessionTokensFrom({ accessToken: "a", refreshToken: "r", expiresInSeconds: 7200, idTokenClaims: claims, now });
    expect(tokens.accessTokenExpiresAt).toBe(now + 7_200_000);
    expect(tokens.accessTokenRefreshAt).toBe(now + 7_200_000 - REFRESH_MARGIN_MS);
    expect(isRefreshDue(tokens, tokens.accessTokenRefreshAt - 1)).toBe(false);
    expect(isRefreshDue(tokens, tokens.accessTokenRefreshAt)).toBe(true);
  });

  it("is half-way through the life of a short-lived token", () => {
    const tokens = sessionTokensFrom({ accessToken: "a", refreshToken: "r", expiresInSeconds: 10, idTokenClaims: claims, now });
    expect(tokens.accessTokenRefreshAt).toBe(now + 5_000);
  });

  it("is never once the session is marked as needing a new sign-in", () => {
    const tokens = sessionTokensFrom({ accessToken: "a", refreshToken: "r", expiresInSeconds: 10, idTokenClaims: claims, now });
    expect(isRefreshDue({ ...tokens, error: "RefreshAccessTokenError" }, now + 60_000)).toBe(false);
    expect(isRefreshDue({}, now)).toBe(false);
  });
});

describe("refreshes of one refresh token", () => {
  /** A provider that rotates: every call answers a new pair, after a tick. */
  function rotatingProvider() {
    let issued = 0;
    const refreshTokens = vi.fn(async (refreshToken: string) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      issued += 1;
      return { access_token: `access-${issued}`, refresh_token: `${refreshToken}>${issued}`, token_type: "Bearer", expires_in: 7200 };
    });
    const client = { refreshTokens, verifyIdToken: async () => claims } as unknown as AuthingClient;
    return { client, refreshTokens };
  }
  // The real clock: what a process would remember is measured on it.
  const at = Date.now();
  const due: JWT = {
    sub: "user-1",
    ...sessionTokensFrom({ accessToken: "access-0", refreshToken: "refresh-0", expiresInSeconds: 7200, idTokenClaims: claims, now: at - 7_200_000 }),
  };

  it("merges refreshes that are under way at once into one call to the provider", async () => {
    const { client, refreshTokens } = rotatingProvider();
    const [first, second] = await Promise.all([refreshSessionTokenIfDue(due, at, client), refreshSessionTokenIfDue(due, at, client)]);
    expect(refreshTokens).toHaveBeenCalledTimes(1);
    expect(first).toMatchObject({ accessToken: "access-1", refreshToken: "refresh-0>1" });
    expect(second).toEqual(first);
  });

  it("hands a finished refresh's tokens to no later request that replays the old cookie: it asks the provider", async () => {
    const { client, refreshTokens } = rotatingProvider();
    const first = await refreshSessionTokenIfDue(due, at, client);
    expect(first).toMatchObject({ accessToken: "access-1" });
    const replay = await refreshSessionTokenIfDue(due, at + 1_000, client);
    expect(refreshTokens).toHaveBeenCalledTimes(2);
    expect(replay).toMatchObject({ accessToken: "access-2", refreshToken: "refresh-0>2" });
  });
});

describe("a session whose provider cannot refresh it", () => {
  const tokens = sessionTokensFrom({ accessToken: "a", refreshToken: "r", expiresInSeconds: 7200, idTokenClaims: claims, now });
  const session: JWT = { sub: "user-1", sid: "s", ...tokens };
  const unreachable = {
    refreshTokens: async () => {
      throw new AuthingUnavailableError("the provider is unreachable");
    },
  } as unknown as AuthingClient;

  it("stays signed in through an outage only until the access token expires: its expiry is a hard deadline", async () => {
    const beforeExpiry = tokens.accessTokenExpiresAt - 1;
    const kept = await refreshSessionTokenIfDue(session, beforeExpiry, unreachable);
    expect(kept).toBe(session);
    expect(isLiveSession(kept, beforeExpiry)).toBe(true);

    const atExpiry = tokens.accessTokenExpiresAt;
    const stillKept = await refreshSessionTokenIfDue(session, atExpiry, unreachable);
    expect(stillKept.refreshToken).toBe("r");
    expect(isAccessTokenExpired(stillKept, atExpiry)).toBe(true);
    expect(isLiveSession(stillKept, atExpiry)).toBe(false);
    expect(isLiveSession(stillKept, atExpiry + 86_400_000)).toBe(false);
  });
});
