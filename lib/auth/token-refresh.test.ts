import { describe, expect, it } from "vitest";

import { isRefreshDue, REFRESH_MARGIN_MS, sessionTokensFrom } from "@/lib/auth/token-refresh";
import type { IdTokenClaims } from "@/lib/authing/schemas";

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
