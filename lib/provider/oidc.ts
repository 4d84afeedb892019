import "server-only";

import type { OidcTokenResponse } from "@/lib/authing/schemas";

import { authenticateClient } from "./client-auth";
import type { ProviderDeps } from "./deps";
import { OAuthError } from "./errors";
import { AccessTokenError, revokeToken, rotateRefreshToken, TOKEN_SCOPE, verifyAccessToken } from "./tokens";
import { profileClaimsOf } from "./users";

export function discoveryDocument({ settings }: ProviderDeps) {
  const issuer = settings.issuer;
  // No authorization endpoint: this provider signs users in by password and QR code only.
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    token_endpoint: `${issuer}/token`,
    userinfo_endpoint: `${issuer}/me`,
    revocation_endpoint: `${issuer}/token/revocation`,
    grant_types_supported: ["refresh_token"],
    response_types_supported: ["code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    token_endpoint_auth_methods_supported: [settings.tokenEndpointAuthMethod],
    revocation_endpoint_auth_methods_supported: [settings.revocationEndpointAuthMethod],
    scopes_supported: TOKEN_SCOPE.split(" "),
    claims_supported: ["sub", "iss", "aud", "iat", "exp", "name", "nickname", "preferred_username", "picture", "email", "email_verified"],
  };
}

/** RFC 6749 2.3: a client that tried HTTP Basic gets WWW-Authenticate with its 401. */
function requireClient(
  deps: ProviderDeps,
  params: Record<string, string>,
  authorization: string | null,
  method = deps.settings.tokenEndpointAuthMethod,
): void {
  const result = authenticateClient(deps.settings, { authorization, clientId: params.client_id, clientSecret: params.client_secret }, method);
  if (!result.ok) {
    const basic = result.usedBasic || method === "client_secret_basic";
    throw new OAuthError(401, "invalid_client", result.reason, basic ? { "www-authenticate": 'Basic realm="oidc"' } : {});
  }
}

export async function tokenEndpoint(
  deps: ProviderDeps,
  params: Record<string, string>,
  authorization: string | null,
): Promise<OidcTokenResponse> {
  if (!params.grant_type) throw new OAuthError(400, "invalid_request", "grant_type is required");
  if (params.grant_type !== "refresh_token") {
    throw new OAuthError(400, "unsupported_grant_type", "Only grant_type=refresh_token is supported");
  }
  requireClient(deps, params, authorization);
  if (!params.refresh_token) throw new OAuthError(400, "invalid_request", "refresh_token is required");
  const outcome = await rotateRefreshToken(deps, params.refresh_token);
  if (!outcome.ok) throw new OAuthError(400, "invalid_grant", "The refresh token is invalid, expired, revoked or already used");
  const { tokens } = outcome;
  return {
    access_token: tokens.accessToken,
    id_token: tokens.idToken,
    refresh_token: tokens.refreshToken,
    token_type: "Bearer",
    expires_in: tokens.expiresIn,
    scope: tokens.scope,
  };
}

export async function revocationEndpoint(
  deps: ProviderDeps,
  params: Record<string, string>,
  authorization: string | null,
): Promise<void> {
  requireClient(deps, params, authorization, deps.settings.revocationEndpointAuthMethod);
  if (!params.token) throw new OAuthError(400, "invalid_request", "token is required");
  await revokeToken(deps, params.token);
}

/** Bearer header, then `access_token` in the query or the form body (the Node SDK's default is the query). */
export async function userInfo(deps: ProviderDeps, token: string | undefined) {
  try {
    const { user } = await verifyAccessToken(deps, token);
    return { sub: user.id, ...profileClaimsOf(user), updated_at: Math.floor(user.updatedAt / 1000) };
  } catch (error) {
    if (!(error instanceof AccessTokenError)) throw error;
    const missing = error.reason === "missing";
    throw new OAuthError(
      401,
      missing ? "invalid_request" : "invalid_token",
      missing ? "An access token is required" : "The access token is invalid, expired or revoked",
      { "www-authenticate": missing ? 'Bearer realm="oidc"' : 'Bearer realm="oidc", error="invalid_token"' },
    );
  }
}
