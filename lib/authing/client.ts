import "server-only";

import { createRemoteJWKSet, jwtVerify } from "jose";
import { z } from "zod";

import { getConfig, type TokenEndpointAuthMethod } from "@/lib/config";
import type { RequestOrigin } from "@/lib/forwarded-headers";
import {
  envelopeSchema,
  geneQrCodeDataSchema,
  idTokenClaimsSchema,
  oauthErrorSchema,
  oidcTokenResponseSchema,
  qrCodeStatusDataSchema,
  setQrCodeStatusDataSchema,
  tokenSetSchema,
  userInfoSchema,
  userProfileSchema,
  type GeneQrCodeData,
  type IdTokenClaims,
  type OidcTokenResponse,
  type QrCodeAction,
  type QrCodeStatusData,
  type RequesterContext,
  type SetQrCodeStatusData,
  type TokenSet,
  type UserInfo,
  type UserProfile,
} from "@/lib/authing/schemas";

export type AuthingClientOptions = {
  /** The provider's base URL: AUTHING_APP_HOST, or this app's own origin for the embedded one. */
  baseUrl: string;
  appId: string;
  appSecret: string;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** Set apart from the token endpoint's at Authing; its default there is client_secret_post. */
  revocationEndpointAuthMethod?: TokenEndpointAuthMethod;
  timeoutMs?: number;
};

/** Base of every error this client throws, so callers can tell ours from programming errors. */
export class AuthingClientError extends Error {}

/** A business error from `/api/v3/*`: the envelope's statusCode was not 200. */
export class AuthingApiError extends AuthingClientError {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly apiCode: number | undefined,
    readonly requestId: string | undefined,
  ) {
    super(message);
    this.name = "AuthingApiError";
  }
}

/** A standard OAuth error from `/oidc/*` (`{ error, error_description }`). */
export class OAuthError extends AuthingClientError {
  constructor(
    readonly error: string,
    readonly description: string | undefined,
    readonly httpStatus: number,
  ) {
    super(description ? `${error}: ${description}` : error);
    this.name = "OAuthError";
  }
}

/** The provider could not be reached, timed out, or answered something that is not the contract. */
export class AuthingUnavailableError extends AuthingClientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AuthingUnavailableError";
  }
}

const DEFAULT_TIMEOUT_MS = 8_000;

export type AuthingClient = ReturnType<typeof createAuthingClient>;

export function createAuthingClient(options: AuthingClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function send(path: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        ...init,
        cache: "no-store",
        redirect: "error",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new AuthingUnavailableError(`Could not reach the identity provider (${path})`, { cause: error });
    }
    const text = await response.text().catch(() => "");
    try {
      return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
    } catch {
      throw new AuthingUnavailableError(`The identity provider answered ${path} with HTTP ${response.status} and no JSON`);
    }
  }

  /** `/api/v3/*`: errors come back in the envelope, whatever the HTTP status says. */
  async function callV3<T extends z.ZodType>(
    path: string,
    dataSchema: T,
    init: { method: "GET" | "POST"; body?: unknown; headers?: Record<string, string> },
  ): Promise<z.infer<T>> {
    const headers: Record<string, string> = { "x-authing-app-id": options.appId, accept: "application/json", ...init.headers };
    if (init.body !== undefined) headers["content-type"] = "application/json";
    const { status, body } = await send(path, {
      method: init.method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const envelope = envelopeSchema(z.unknown()).safeParse(body);
    if (!envelope.success) {
      throw new AuthingUnavailableError(`The identity provider answered ${path} with HTTP ${status} and no V3 envelope`);
    }
    const { statusCode, message, apiCode, requestId, data } = envelope.data;
    if (statusCode !== 200) throw new AuthingApiError(statusCode, message, apiCode, requestId);
    const parsed = dataSchema.safeParse(data);
    if (!parsed.success) {
      throw new AuthingUnavailableError(`The identity provider's answer to ${path} does not match the contract: ${parsed.error.message}`);
    }
    return parsed.data;
  }

  /** Client authentication for the exchange and signin endpoints (JSON bodies). */
  function jsonClientAuth(): { body: Record<string, string>; headers: Record<string, string> } {
    switch (options.tokenEndpointAuthMethod) {
      case "none":
        return { body: {}, headers: {} };
      case "client_secret_post":
        return { body: { client_id: options.appId, client_secret: options.appSecret }, headers: {} };
      case "client_secret_basic":
        return { body: {}, headers: { authorization: basicAuthorization(options.appId, options.appSecret) } };
    }
  }

  /** `/oidc/*`: form bodies, OAuth errors. */
  async function callOidcForm<T extends z.ZodType>(
    path: string,
    form: Record<string, string>,
    schema: T,
    authMethod: TokenEndpointAuthMethod = options.tokenEndpointAuthMethod,
  ): Promise<z.infer<T>> {
    const params = new URLSearchParams(form);
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
    switch (authMethod) {
      case "none":
        params.set("client_id", options.appId);
        break;
      case "client_secret_post":
        params.set("client_id", options.appId);
        params.set("client_secret", options.appSecret);
        break;
      case "client_secret_basic":
        headers.authorization = basicAuthorization(options.appId, options.appSecret);
        break;
    }
    const { status, body } = await send(path, { method: "POST", headers, body: params.toString() });
    if (status < 200 || status >= 300) throw oauthErrorFrom(path, status, body);
    const parsed = schema.safeParse(body ?? {});
    if (!parsed.success) {
      throw new AuthingUnavailableError(`The identity provider's answer to ${path} does not match the contract: ${parsed.error.message}`);
    }
    return parsed.data;
  }

  const jwks = createRemoteJWKSet(new URL(`${baseUrl}/oidc/.well-known/jwks.json`), { timeoutDuration: timeoutMs });

  return {
    baseUrl,
    appId: options.appId,

    /** Creates a code. `forwardedOrigin` tells the provider which origin the QR should point at. */
    geneQrCode(input: { context?: RequesterContext; customData?: Record<string, unknown>; forwardedOrigin?: RequestOrigin }): Promise<GeneQrCodeData> {
      const headers: Record<string, string> = {};
      if (input.forwardedOrigin) {
        headers["x-forwarded-proto"] = input.forwardedOrigin.proto;
        headers["x-forwarded-host"] = input.forwardedOrigin.host;
      }
      return callV3("/api/v3/gene-qrcode", geneQrCodeDataSchema, {
        method: "POST",
        headers,
        body: { type: "MOBILE_APP", context: input.context, customData: input.customData },
      });
    },

    getQrCodeStatus(qrcodeId: string): Promise<QrCodeStatusData> {
      return callV3(`/api/v3/get-qrcode-status?${new URLSearchParams({ qrcodeId })}`, qrCodeStatusDataSchema, { method: "GET" });
    },

    exchangeTicket(ticket: string): Promise<TokenSet> {
      const auth = jsonClientAuth();
      return callV3("/api/v3/exchange-tokenset-with-qrcode-ticket", tokenSetSchema, {
        method: "POST",
        headers: auth.headers,
        body: { ticket, ...auth.body },
      });
    },

    refreshTokens(refreshToken: string): Promise<OidcTokenResponse> {
      return callOidcForm("/oidc/token", { grant_type: "refresh_token", refresh_token: refreshToken }, oidcTokenResponseSchema);
    },

    async revokeToken(token: string): Promise<void> {
      await callOidcForm("/oidc/token/revocation", { token }, z.unknown(), options.revocationEndpointAuthMethod ?? "client_secret_post");
    },

    async getUserInfo(accessToken: string): Promise<UserInfo> {
      const path = "/oidc/me";
      const { status, body } = await send(path, {
        method: "GET",
        headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
      });
      if (status < 200 || status >= 300) throw oauthErrorFrom(path, status, body);
      const parsed = userInfoSchema.safeParse(body);
      if (!parsed.success) throw new AuthingUnavailableError(`The identity provider's answer to ${path} has no sub`);
      return parsed.data;
    },

    /** Verifies an id_token's RS256 signature against the provider's JWKS, and its iss, aud and exp. */
    async verifyIdToken(idToken: string): Promise<IdTokenClaims> {
      const { payload } = await jwtVerify(idToken, jwks, {
        issuer: `${baseUrl}/oidc`,
        audience: options.appId,
        algorithms: ["RS256"],
        requiredClaims: ["sub", "exp", "iat"],
      });
      return idTokenClaimsSchema.parse(payload);
    },

    // The companion phone app's calls, made as its signed-in user.

    /** `clientIp`: the end user's address, which the embedded provider's limits count by (see CLIENT_IP_HEADER). */
    signinWithPassword(input: { account: string; password: string; clientIp?: string }): Promise<TokenSet> {
      const auth = jsonClientAuth();
      return callV3("/api/v3/signin", tokenSetSchema, {
        method: "POST",
        headers: { ...auth.headers, ...(input.clientIp ? { "x-qr-login-client-ip": input.clientIp } : {}) },
        body: { connection: "PASSWORD", passwordPayload: { account: input.account, password: input.password }, ...auth.body },
      });
    },

    setQrCodeStatus(userAccessToken: string, qrcodeId: string, action: QrCodeAction): Promise<SetQrCodeStatusData> {
      return callV3("/api/v3/set-qrcode-status", setQrCodeStatusDataSchema, {
        method: "POST",
        headers: { authorization: userAccessToken },
        body: { qrcodeId, action },
      });
    },

    getProfile(userAccessToken: string): Promise<UserProfile> {
      return callV3("/api/v3/get-profile", userProfileSchema, {
        method: "GET",
        headers: { authorization: userAccessToken },
      });
    },
  };
}

function basicAuthorization(clientId: string, clientSecret: string): string {
  // As Authing documents it: base64 of the raw "id:secret", not RFC 6749's form-encoded parts.
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
}

function oauthErrorFrom(path: string, status: number, body: unknown): AuthingClientError {
  const parsed = oauthErrorSchema.safeParse(body);
  if (parsed.success) return new OAuthError(parsed.data.error, parsed.data.error_description, status);
  if (status >= 500) return new AuthingUnavailableError(`The identity provider answered ${path} with HTTP ${status}`);
  return new OAuthError("invalid_request", `HTTP ${status} from ${path}`, status);
}

let configured: AuthingClient | undefined;

/** The client configured from getConfig(); the JWKS it verifies with is cached with it. */
export function getAuthingClient(): AuthingClient {
  if (!configured) {
    const config = getConfig();
    configured = createAuthingClient({
      baseUrl: config.provider.baseUrl,
      appId: config.app.id,
      appSecret: config.app.secret,
      tokenEndpointAuthMethod: config.app.tokenEndpointAuthMethod,
      revocationEndpointAuthMethod: config.app.revocationEndpointAuthMethod,
    });
  }
  return configured;
}
