import "server-only";

import type { OidcTokenResponse } from "@/lib/qr-login/client/authing/schemas";

import { authenticateClient } from "./client-auth";
import type { ProviderDeps } from "./deps";
import { OAuthRefusal } from "./errors";
import { countClientAuthFailure, requireClientAuthBudget, type ClientAuthCaller } from "./provider-rate-limits";
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

/** Who called: the raw Authorization header, the address failures are counted under, and whether it is the app in process. */
export type OidcCaller = ClientAuthCaller & { authorization: string | null };

/**
 * RFC 6749 2.3: a client that tried HTTP Basic gets WWW-Authenticate with its 401. Failures count
 * against the caller's address; past the limit the answer is 429, to the right secret too.
 */
async function requireClient(
  deps: ProviderDeps,
  params: Record<string, string>,
  { authorization, ...caller }: OidcCaller,
  method = deps.settings.tokenEndpointAuthMethod,
): Promise<void> {
  await requireClientAuthBudget(deps, caller);
  const result = authenticateClient(deps.settings, { authorization, clientId: params.client_id, clientSecret: params.client_secret }, method);
  if (!result.ok) {
    await countClientAuthFailure(deps, caller.ip);
    const basic = result.usedBasic || method === "client_secret_basic";
    throw new OAuthRefusal("invalid_client", result.reason, 401, basic ? { "www-authenticate": 'Basic realm="oidc"' } : {});
  }
}

export async function tokenEndpoint(
  deps: ProviderDeps,
  params: Record<string, string>,
  caller: OidcCaller,
): Promise<OidcTokenResponse> {
  if (!params.grant_type) throw new OAuthRefusal("invalid_request", "grant_type is required", 400);
  if (params.grant_type !== "refresh_token") {
    throw new OAuthRefusal("unsupported_grant_type", "Only grant_type=refresh_token is supported", 400);
  }
  await requireClient(deps, params, caller);
  if (!params.refresh_token) throw new OAuthRefusal("invalid_request", "refresh_token is required", 400);
  const outcome = await rotateRefreshToken(deps, params.refresh_token);
  if (!outcome.ok) throw new OAuthRefusal("invalid_grant", "The refresh token is invalid, expired, revoked or already used", 400);
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
  caller: OidcCaller,
): Promise<void> {
  await requireClient(deps, params, caller, deps.settings.revocationEndpointAuthMethod);
  if (!params.token) throw new OAuthRefusal("invalid_request", "token is required", 400);
  // RFC 7009 2.1: the hint only orders the search; an unknown one is ignored.
  await revokeToken(deps, params.token, params.token_type_hint === "access_token" ? "access_token" : "refresh_token");
}

/** RFC 6750 2.1: the token in `Authorization: Bearer …`. */
export function bearerTokenOf(authorization: string | null): string | undefined {
  return authorization?.match(/^bearer\s+(.+)$/i)?.[1]?.trim() || undefined;
}

/**
 * The token from the Authorization header only (`elsewhere`: the request also carried one in the
 * query or the body). A token in a URL ends up in access logs, proxies and Referer headers, so
 * it is refused even where Authing's Node SDK sends it by default (pass `tokenPlace: "header"`).
 */
export async function userInfo(deps: ProviderDeps, token: string | undefined, { elsewhere = false } = {}) {
  if (elsewhere) {
    throw new OAuthRefusal("invalid_request", "Send the access token in the Authorization header (Bearer), not in the query or the body", 400, {
      "www-authenticate": 'Bearer realm="oidc", error="invalid_request"',
    });
  }
  try {
    const { user } = await verifyAccessToken(deps, token);
    return { sub: user.id, ...profileClaimsOf(user), updated_at: Math.floor(user.updatedAt / 1000) };
  } catch (error) {
    if (!(error instanceof AccessTokenError)) throw error;
    const missing = error.reason === "missing";
    throw new OAuthRefusal(
      missing ? "invalid_request" : "invalid_token",
      missing ? "An access token is required" : "The access token is invalid, expired or revoked",
      401,
      { "www-authenticate": missing ? 'Bearer realm="oidc"' : 'Bearer realm="oidc", error="invalid_token"' },
    );
  }
}
