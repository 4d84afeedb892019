import "server-only";

import { apiCodes } from "@/lib/qr-login/client/authing/schemas";
import { APP_ID_HEADER, CLIENT_IP_HEADER, USER_POOL_ID_HEADER } from "@/lib/qr-login/client/authing/wire-headers";
import { plainIp } from "@/lib/qr-login/platform/forwarded-headers";
import { clientIpFrom } from "@/lib/qr-login/platform/request-info";
import type { UserRecord } from "@/lib/qr-login/provider/store/types";

import type { ProviderDeps } from "./deps";
import { ProviderError } from "./errors";
import { authenticateClient } from "./client-auth";
import { clientAuthCallerOf, countClientAuthFailure, requireClientAuthBudget } from "./provider-rate-limits";
import { AccessTokenError, verifyAccessToken } from "./tokens";

// Who calls a provider route: the app or pool it names, the user's token it carries, whether it is the app's server.

export function requireAppId(deps: ProviderDeps, request: Request): void {
  const appId = request.headers.get(APP_ID_HEADER);
  if (!appId) throw new ProviderError(400, `The ${APP_ID_HEADER} header is required`, apiCodes.appNotFound);
  if (appId !== deps.settings.appId) throw new ProviderError(400, "App not found", apiCodes.appNotFound);
}

/**
 * Authing's V2 clients name the app (x-authing-app-id), the pool (x-authing-userpool-id) or both:
 * at least one, and each one given must be this provider's.
 */
export function requireAppOrPool(deps: ProviderDeps, request: Request): void {
  const appId = request.headers.get(APP_ID_HEADER) || undefined;
  const poolId = request.headers.get(USER_POOL_ID_HEADER) || undefined;
  if (!appId && !poolId) {
    throw new ProviderError(400, `The ${APP_ID_HEADER} or ${USER_POOL_ID_HEADER} header is required`, apiCodes.appNotFound);
  }
  if (appId !== undefined && appId !== deps.settings.appId) throw new ProviderError(400, "App not found", apiCodes.appNotFound);
  if (poolId !== undefined && poolId !== deps.settings.userPoolId) {
    throw new ProviderError(400, `User pool not found: ${USER_POOL_ID_HEADER} is not this provider's (AUTHING_USERPOOL_ID)`, apiCodes.appNotFound);
  }
}

/** The user's token, sent bare (Authing's V3 SDKs) or as `Bearer <token>`. */
export function userTokenOf(request: Request): string | undefined {
  const header = request.headers.get("authorization")?.trim();
  if (!header) return undefined;
  return header.replace(/^bearer\s+/i, "").trim() || undefined;
}

export async function requireUser(deps: ProviderDeps, request: Request): Promise<UserRecord> {
  try {
    return (await verifyAccessToken(deps, userTokenOf(request))).user;
  } catch (error) {
    if (!(error instanceof AccessTokenError)) throw error;
    const message =
      error.reason === "missing" ? "Login required: send the user's access token in the authorization header" : "The user's access token is invalid, expired or revoked";
    throw new ProviderError(401, message, apiCodes.invalidUserToken);
  }
}

/**
 * The address a sign-in attempt is counted under. Call after requireClientV3: a caller that
 * proved the app secret is the app's server and may name its user's address; under auth method
 * none anyone could, so then only the trusted request address counts.
 */
export function signinClientAddress(deps: ProviderDeps, request: Request): string | undefined {
  const named = deps.settings.tokenEndpointAuthMethod === "none" ? undefined : plainIp(request.headers.get(CLIENT_IP_HEADER));
  return named ?? clientIpFrom(request.headers);
}

/**
 * Client authentication for exchange and signin, by the app's configured method. A failure
 * counts against the caller's address; past the limit the answer is 429, to the right secret too.
 */
export async function requireClientV3(
  deps: ProviderDeps,
  request: Request,
  body: { client_id?: string; client_secret?: string },
): Promise<void> {
  const caller = clientAuthCallerOf(request);
  await requireClientAuthBudget(deps, caller);
  const result = authenticateClient(deps.settings, {
    authorization: request.headers.get("authorization"),
    clientId: body.client_id,
    clientSecret: body.client_secret,
  });
  if (result.ok) return;
  await countClientAuthFailure(deps, caller.ip);
  throw new ProviderError(401, `Client authentication failed: ${result.reason}`, apiCodes.clientAuthFailed);
}
