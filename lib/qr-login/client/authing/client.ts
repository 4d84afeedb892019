import "server-only";

import { createRemoteJWKSet, customFetch, jwtVerify } from "jose";
import { z } from "zod";

import { getConfig, type TokenEndpointAuthMethod } from "@/lib/qr-login/platform/config";
import { registeredProviderTransport } from "@/lib/qr-login/client/authing/provider-transport";
import type { RequestOrigin } from "@/lib/qr-login/platform/forwarded-headers";
import {
  envelopeAnswerSchema,
  geneQrCodeAnswerSchema,
  idTokenClaimsSchema,
  oauthErrorSchema,
  oidcTokenAnswerSchema,
  passkeyOptionsAnswerSchema,
  passkeySummaryAnswerSchema,
  qrCodeStatusAnswerSchema,
  setQrCodeStatusAnswerSchema,
  signInTokenSetAnswerSchema,
  tokenSetAnswerSchema,
  userInfoSchema,
  userProfileAnswerSchema,
  type GeneQrCodeData,
  type IdTokenClaims,
  type OidcTokenResponse,
  type QrCodeAction,
  type QrCodeStatus,
  type QrCodeStatusData,
  type RequesterContext,
  type SetQrCodeStatusData,
  type TokenSet,
  type UserInfo,
  type UserProfile,
} from "@/lib/qr-login/client/authing/schemas";
import { APP_ID_HEADER, CLIENT_IP_HEADER, POLL_SECRET_HEADER, SIGNIN_DEVICE_HEADER } from "@/lib/qr-login/client/authing/wire-headers";

export type AuthingClientOptions = {
  /** The provider's base URL: AUTHING_APP_HOST, or this app's own origin for the embedded one. */
  baseUrl: string;
  appId: string;
  appSecret: string;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** Set apart from the token endpoint's at Authing; its default there is client_secret_post. */
  revocationEndpointAuthMethod?: TokenEndpointAuthMethod;
  timeoutMs?: number;
  /** How requests travel: HTTP by default; the embedded provider is reached in-process. */
  fetch?: typeof fetch;
};

/** Base of every error this client throws, so callers can tell ours from programming errors. */
export class AuthingClientError extends Error {
  /** The full URL the client called, for the server's log (never shown to a browser). */
  url?: string;
  /** The HTTP status of an answer that was not the contract, if there was an answer. */
  httpStatus?: number;
}

function at<E extends AuthingClientError>(error: E, url: string, httpStatus?: number): E {
  error.url = url;
  error.httpStatus = httpStatus;
  return error;
}

/** "ECONNREFUSED", "ENOTFOUND", "timed out": what undici's "fetch failed" hides in its causes. */
export function causeOf(error: unknown): string {
  const seen: string[] = [];
  for (let current = error, depth = 0; current && depth < 4; depth += 1) {
    const { code, name, message, cause } = current as { code?: string; name?: string; message?: string; cause?: unknown };
    if (name === "TimeoutError") return "timed out";
    if (typeof code === "string") return code;
    if (message && message !== "fetch failed") seen.push(message);
    current = cause;
  }
  return seen[0] ?? "unknown cause";
}

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

/**
 * The provider answered in the V3 envelope (so AUTHING_APP_HOST is right), but not what the
 * contract says: `fields` names each field and why, never a value that could be a token.
 */
export class AuthingContractError extends AuthingUnavailableError {
  constructor(
    readonly fields: string[],
    readonly requestId?: string,
  ) {
    super(`its answer${requestId ? ` (requestId ${requestId})` : ""} does not fit the contract at ${fields.join("; ")}`);
    this.name = "AuthingContractError";
  }
}

const MAX_DESCRIBED_ISSUES = 3;

/**
 * `data.status: expected one of PENDING|SCANNED|…, got "FOO"`: each issue's path and cause. Only
 * a value outside an enum is quoted (a status, a type); any other value could be a token or a
 * ticket, and only its type is said.
 */
export function describeIssues(error: z.ZodError, root: string): string[] {
  const described = error.issues.slice(0, MAX_DESCRIBED_ISSUES).map((issue) => {
    const path = [root, ...issue.path.map((key) => (typeof key === "number" ? `[${key}]` : String(key)))].filter(Boolean).join(".").replace(/\.\[/g, "[");
    return `${path || "the answer"}: ${causeOfIssue(issue)}`;
  });
  const more = error.issues.length - described.length;
  return more > 0 ? [...described, `and ${more} more`] : described;
}

function causeOfIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  const got = input === undefined ? "nothing" : input === null ? "null" : Array.isArray(input) ? "an array" : typeof input;
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}, got ${got}`;
    case "invalid_value": {
      const shown = typeof input === "string" || typeof input === "number" || typeof input === "boolean" ? JSON.stringify(input).slice(0, 40) : got;
      return `expected ${issue.values.map((value) => (typeof value === "string" ? value : JSON.stringify(value))).join("|")}, got ${shown}`;
    }
    default:
      return issue.message;
  }
}

/** The caller went away (its browser closed the page) before the provider answered. */
export class AuthingRequestAbortedError extends AuthingClientError {
  constructor() {
    super("The request was aborted by its caller");
    this.name = "AuthingRequestAbortedError";
  }
}

const DEFAULT_TIMEOUT_MS = 8_000;
/**
 * How long the provider's JWKS is trusted before it is read again: a key the provider removed
 * (revoked after a leak) stops verifying id_tokens here within this time. jose's default is 10 min.
 */
export const JWKS_CACHE_MAX_AGE_MS = 60_000;

export type AuthingClient = ReturnType<typeof createAuthingClient>;

export function createAuthingClient(options: AuthingClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = options.fetch ?? fetch;

  async function send(
    path: string,
    init: RequestInit,
    { extraTimeoutMs = 0, signal }: { extraTimeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<{ status: number; body: unknown }> {
    let response: Response;
    const url = `${baseUrl}${path}`;
    const timeout = AbortSignal.timeout(timeoutMs + extraTimeoutMs);
    try {
      response = await transport(url, {
        ...init,
        cache: "no-store",
        redirect: "error",
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw new AuthingRequestAbortedError();
      throw at(new AuthingUnavailableError(`Could not reach the identity provider at ${url}: ${causeOf(error)}`, { cause: error }), url);
    }
    const text = await response.text().catch(() => "");
    try {
      return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
    } catch {
      throw at(new AuthingUnavailableError(`The identity provider answered ${url} with HTTP ${response.status} and no JSON`), url, response.status);
    }
  }

  /** `/api/v3/*`: errors come back in the envelope, whatever the HTTP status says. */
  async function callV3<T extends z.ZodType>(
    path: string,
    dataSchema: T,
    init: { method: "GET" | "POST"; body?: unknown; headers?: Record<string, string> },
    sendOptions?: Parameters<typeof send>[2],
  ): Promise<z.infer<T>> {
    const headers: Record<string, string> = { [APP_ID_HEADER]: options.appId, accept: "application/json", ...init.headers };
    if (init.body !== undefined) headers["content-type"] = "application/json";
    const { status, body } = await send(path, {
      method: init.method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }, sendOptions);
    const url = `${baseUrl}${path}`;
    // Something that is not a V3 answer at all (an HTML page, another API) is the wrong host.
    if (typeof body !== "object" || body === null || typeof (body as { statusCode?: unknown }).statusCode !== "number") {
      throw at(new AuthingUnavailableError(`The identity provider answered ${url} with HTTP ${status} and no V3 envelope`), url, status);
    }
    const envelope = envelopeAnswerSchema.safeParse(body, { reportInput: true });
    if (!envelope.success) {
      throw at(new AuthingContractError(describeIssues(envelope.error, "")), url, status);
    }
    const { statusCode, message, apiCode, requestId, data } = envelope.data;
    if (statusCode !== 200) throw at(new AuthingApiError(statusCode, message, apiCode, requestId), url, status);
    const parsed = dataSchema.safeParse(data, { reportInput: true });
    if (!parsed.success) {
      throw at(new AuthingContractError(describeIssues(parsed.error, "data"), requestId), url, status);
    }
    return parsed.data;
  }

  /** Client authentication for the exchange and signin endpoints (JSON bodies). */
  function jsonClientAuth(method = options.tokenEndpointAuthMethod): { body: Record<string, string>; headers: Record<string, string> } {
    switch (method) {
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
    if (status < 200 || status >= 300) throw at(oauthErrorFrom(path, status, body), `${baseUrl}${path}`, status);
    const parsed = schema.safeParse(body ?? {}, { reportInput: true });
    if (!parsed.success) {
      const url = `${baseUrl}${path}`;
      throw at(new AuthingContractError(describeIssues(parsed.error, "")), url, status);
    }
    return parsed.data;
  }

  const jwks = createRemoteJWKSet(new URL(`${baseUrl}/oidc/.well-known/jwks.json`), {
    timeoutDuration: timeoutMs,
    cacheMaxAge: JWKS_CACHE_MAX_AGE_MS,
    ...(options.fetch ? { [customFetch]: options.fetch } : {}),
  });

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
      // The app proves its secret as on the exchange (under `none`, in the body if it has one):
      // a provider takes `context` (who is asking, shown on the phone) only from the app.
      // Authing's gene-qrcode needs no proof and ignores fields it does not declare, as it
      // ignores `withPollSecret`.
      const auth = jsonClientAuth(options.tokenEndpointAuthMethod === "none" && options.appSecret ? "client_secret_post" : undefined);
      // Always asks for a poll secret; a provider without the extension ignores the field.
      return callV3("/api/v3/gene-qrcode", geneQrCodeAnswerSchema, {
        method: "POST",
        headers: { ...headers, ...auth.headers },
        body: {
          type: "MOBILE_APP",
          context: input.context,
          customData: input.customData,
          withPollSecret: true,
          ...auth.body,
        },
      });
    },

    /**
     * The code's status. `wait` (this project's extension, for the embedded provider) holds the
     * answer until the status differs from `knownStatus` or `waitSeconds` pass.
     */
    getQrCodeStatus(
      qrcodeId: string,
      {
        pollSecret,
        wait,
        clientIp,
      }: { pollSecret?: string; wait?: { waitSeconds: number; knownStatus: QrCodeStatus; signal?: AbortSignal }; clientIp?: string } = {},
    ): Promise<QrCodeStatusData> {
      const query = new URLSearchParams({ qrcodeId });
      if (wait && wait.waitSeconds > 0) {
        query.set("waitSeconds", String(wait.waitSeconds));
        query.set("knownStatus", wait.knownStatus);
      }
      const headers: Record<string, string> = pollSecret ? { [POLL_SECRET_HEADER]: pollSecret } : {};
      // Whom the embedded provider counts a held wait against (it believes this only from the app).
      if (clientIp && wait) headers[CLIENT_IP_HEADER] = clientIp;
      return callV3(`/api/v3/get-qrcode-status?${query}`, qrCodeStatusAnswerSchema, { method: "GET", headers }, {
        extraTimeoutMs: (wait?.waitSeconds ?? 0) * 1000,
        signal: wait?.signal,
      });
    },

    exchangeTicket(ticket: string): Promise<TokenSet> {
      const auth = jsonClientAuth();
      return callV3("/api/v3/exchange-tokenset-with-qrcode-ticket", signInTokenSetAnswerSchema, {
        method: "POST",
        headers: auth.headers,
        body: { ticket, ...auth.body },
      });
    },

    refreshTokens(refreshToken: string): Promise<OidcTokenResponse> {
      return callOidcForm("/oidc/token", { grant_type: "refresh_token", refresh_token: refreshToken }, oidcTokenAnswerSchema);
    },

    /** RFC 7009; the hint saves the provider a guess, and one that ignores it still revokes. */
    async revokeToken(token: string, tokenTypeHint?: "access_token" | "refresh_token"): Promise<void> {
      const form: Record<string, string> = tokenTypeHint ? { token, token_type_hint: tokenTypeHint } : { token };
      await callOidcForm("/oidc/token/revocation", form, z.unknown(), options.revocationEndpointAuthMethod ?? "client_secret_post");
    },

    async getUserInfo(accessToken: string): Promise<UserInfo> {
      const path = "/oidc/me";
      const { status, body } = await send(path, {
        method: "GET",
        headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
      });
      if (status < 200 || status >= 300) throw oauthErrorFrom(path, status, body);
      const parsed = userInfoSchema.safeParse(body, { reportInput: true });
      if (!parsed.success) {
        const url = `${baseUrl}${path}`;
        throw at(new AuthingContractError(describeIssues(parsed.error, "")), url, status);
      }
      return parsed.data;
    },

    /**
     * Verifies an id_token's RS256 signature against the provider's JWKS, and its iss, aud and
     * exp. The type is pinned: an access token (`at+jwt`) is signed by the same key for the same
     * audience, and must not pass as an id_token.
     */
    async verifyIdToken(idToken: string): Promise<IdTokenClaims> {
      const { payload } = await jwtVerify(idToken, jwks, {
        typ: "JWT",
        issuer: `${baseUrl}/oidc`,
        audience: options.appId,
        algorithms: ["RS256"],
        requiredClaims: ["sub", "exp", "iat"],
      });
      return idTokenClaimsSchema.parse(payload);
    },

    // The companion phone app's calls, made as its signed-in user.

    /** `clientIp`: the end user's address, which the embedded provider's limits count by (see CLIENT_IP_HEADER). */
    // `device`: the phone's id, vouched for by its signed device cookie (the embedded provider counts it apart).
    signinWithPassword(input: { account: string; password: string; clientIp?: string; device?: string }): Promise<TokenSet> {
      const auth = jsonClientAuth();
      return callV3("/api/v3/signin", tokenSetAnswerSchema, {
        method: "POST",
        headers: {
          ...auth.headers,
          ...(input.clientIp ? { [CLIENT_IP_HEADER]: input.clientIp } : {}),
          ...(input.device ? { [SIGNIN_DEVICE_HEADER]: input.device } : {}),
        },
        body: { connection: "PASSWORD", passwordPayload: { account: input.account, password: input.password }, ...auth.body },
      });
    },

    /** `userVerification`: the embedded provider's extension, a passkey assertion for this code. */
    setQrCodeStatus(userAccessToken: string, qrcodeId: string, action: QrCodeAction, userVerification?: unknown): Promise<SetQrCodeStatusData> {
      return callV3("/api/v3/set-qrcode-status", setQrCodeStatusAnswerSchema, {
        method: "POST",
        headers: { authorization: userAccessToken },
        body: userVerification === undefined ? { qrcodeId, action } : { qrcodeId, action, userVerification },
      });
    },

    // The embedded provider's passkeys: extensions Authing does not have, for its companion.

    passkeyRegistrationOptions(userAccessToken: string) {
      return callV3("/api/v3/passkey-registration-options", passkeyOptionsAnswerSchema, { method: "POST", headers: { authorization: userAccessToken }, body: {} });
    },

    registerPasskey(userAccessToken: string, credential: unknown) {
      return callV3("/api/v3/register-passkey", passkeySummaryAnswerSchema, { method: "POST", headers: { authorization: userAccessToken }, body: { credential } });
    },

    listPasskeys(userAccessToken: string) {
      return callV3("/api/v3/list-passkeys", z.array(passkeySummaryAnswerSchema), { method: "GET", headers: { authorization: userAccessToken } });
    },

    async removePasskey(userAccessToken: string, id: string): Promise<void> {
      await callV3("/api/v3/remove-passkey", z.object({ success: z.literal(true) }), { method: "POST", headers: { authorization: userAccessToken }, body: { id } });
    },

    passkeyConfirmOptions(userAccessToken: string, qrcodeId: string) {
      return callV3("/api/v3/passkey-confirm-options", passkeyOptionsAnswerSchema, { method: "POST", headers: { authorization: userAccessToken }, body: { qrcodeId } });
    },

    /** `clientIp`: the phone's address, which the provider counts these options by (see CLIENT_IP_HEADER). */
    passkeySignInOptions(input: { clientIp?: string } = {}) {
      const auth = jsonClientAuth("client_secret_basic");
      return callV3("/api/v3/passkey-sign-in-options", passkeyOptionsAnswerSchema, {
        method: "POST",
        headers: { ...auth.headers, ...(input.clientIp ? { [CLIENT_IP_HEADER]: input.clientIp } : {}) },
        body: {},
      });
    },

    signinWithPasskey(input: { credential: unknown; clientIp?: string }): Promise<TokenSet> {
      const auth = jsonClientAuth();
      return callV3("/api/v3/signin-by-passkey", tokenSetAnswerSchema, {
        method: "POST",
        headers: { ...auth.headers, ...(input.clientIp ? { [CLIENT_IP_HEADER]: input.clientIp } : {}) },
        body: { credential: input.credential, ...auth.body },
      });
    },

    getProfile(userAccessToken: string): Promise<UserProfile> {
      return callV3("/api/v3/get-profile", userProfileAnswerSchema, {
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
      // Read per request: the embedded provider registers its in-process transport at start.
      fetch: config.provider.embedded ? (input, init) => (registeredProviderTransport() ?? fetch)(input, init) : undefined,
      revocationEndpointAuthMethod: config.app.revocationEndpointAuthMethod,
    });
  }
  return configured;
}
