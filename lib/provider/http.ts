import "server-only";

import { randomUUID } from "node:crypto";
import type { z } from "zod";

import { apiCodes, type Envelope } from "@/lib/authing/schemas";
import { getConfig } from "@/lib/config";
import { errorFields, log } from "@/lib/ops/log";
import { metrics } from "@/lib/ops/metrics";
import { withRequestId } from "@/lib/ops/request-context";
import { isStoreUnavailable } from "@/lib/qr-login/store-unavailable";
import { RateLimitedError } from "@/lib/qr-login/rate-limit";
import { plainIp } from "@/lib/forwarded-headers";
import { clientIpFrom, trustedRequestOrigin } from "@/lib/qr-login/request-info";
import type { UserRecord } from "@/lib/store/types";

import type { ProviderDeps } from "./deps";
import { OAuthError, ProviderError } from "./errors";
import { authenticateClient } from "./client-auth";
import { getProvider } from "./provider";
import { CLIENT_IP_HEADER, countClientAuthFailure } from "./throttle";
import { AccessTokenError, verifyAccessToken } from "./tokens";

/**
 * HTTP decisions for /api/v3/* (all answers are the envelope):
 * - business errors (validation of a well-formed body, unknown app, bad token, wrong state,
 *   unknown code 2241): HTTP 200, the code in `statusCode`, as Authing does;
 * - protocol errors: malformed JSON 400, body over 64 KiB 413, wrong method 405 (+ Allow);
 * - provider switched off (AUTHING_APP_HOST set): 404; a fault of ours: 500.
 */
export const MAX_BODY_BYTES = 64 * 1024;
const ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof ALL_METHODS)[number];
type RouteHandler = (request: Request) => Promise<Response>;

const noStore = { "cache-control": "no-store", pragma: "no-cache" };

function envelope<T>(httpStatus: number, body: Envelope<T>, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status: httpStatus, headers: { ...noStore, ...headers } });
}

const embedded = () => getConfig().provider.embedded;

const disabledEnvelope = (requestId: string) =>
  envelope(404, { statusCode: 404, message: "Not found: the embedded provider is switched off", requestId, data: null });

const apiCodeNames = new Map<number, string>(Object.entries(apiCodes).map(([name, code]) => [code, name]));

/**
 * Every 429 the provider answers, /api/v3 and /oidc alike, is made here: one place for a
 * rate-limit metric to count them by route.
 */
export function rateLimitedResponse(route: string, error: RateLimitedError, body: unknown): Response {
  metrics().rateLimited.inc({ scope: route });
  log.warn("rate_limited", `${route}: over a rate limit`, { route, retryAfterSeconds: error.retryAfterSeconds });
  return Response.json(body, { status: 429, headers: { ...noStore, "retry-after": String(error.retryAfterSeconds) } });
}

/** What a refusal says, in the body of whichever envelope its route speaks (V3's or V2's). */
export type Refusal = { statusCode: number; message: string; apiCode?: number };
export type RefusalBody = (refusal: Refusal, requestId: string) => unknown;

const v3RefusalBody: RefusalBody = ({ statusCode, message, apiCode }, requestId) =>
  ({ statusCode, message, ...(apiCode === undefined ? {} : { apiCode }), requestId, data: null }) satisfies Envelope<null>;

function answerError(
  error: unknown,
  requestId: string,
  route: string,
  { realHttpStatus = false, body = v3RefusalBody }: { realHttpStatus?: boolean; body?: RefusalBody } = {},
): Response {
  const answer = (httpStatus: number, refusal: Refusal, headers: Record<string, string> = {}) =>
    Response.json(body(refusal, requestId), { status: httpStatus, headers: { ...noStore, ...headers } });
  if (isStoreUnavailable(error)) {
    // The store logged the cause once for the outage; each request only counts.
    metrics().storeUnavailable.inc();
    return answer(503, { statusCode: 503, message: "Service unavailable: the provider's store cannot be reached. Try again shortly." }, { "retry-after": "2" });
  }
  if (error instanceof RateLimitedError) {
    return rateLimitedResponse(route, error, body({ statusCode: 429, message: "Too many requests. Try again later.", apiCode: apiCodes.rateLimited }, requestId));
  }
  if (error instanceof ProviderError) {
    const reason = (error.apiCode !== undefined && apiCodeNames.get(error.apiCode)) || `http_${error.statusCode}`;
    metrics().refusals.inc({ reason });
    log.info("refused", `${route}: ${error.message}`, { route, reason, statusCode: error.statusCode });
    return answer(realHttpStatus ? error.statusCode : error.httpStatus, error);
  }
  log.error("provider.failed", `${route} failed`, { route, ...errorFields(error) });
  return answer(500, { statusCode: 500, message: "Internal error" });
}

export type V3Context = { request: Request; deps: ProviderDeps; requestId: string };

/** Wraps a /api/v3/* handler: provider switch, app id check, envelope, errors. The handler returns `data`. */
export function v3Route(name: string, handler: (context: V3Context) => Promise<unknown>) {
  return (request: Request): Promise<Response> => withRequestId(request, async (requestId) => {
    try {
      if (!embedded()) return disabledEnvelope(requestId);
      const deps = await getProvider();
      requireAppId(deps, request);
      const data = await handler({ request, deps, requestId });
      return envelope(200, { statusCode: 200, message: "Operation successful", requestId, data });
    } catch (error) {
      return answerError(error, requestId, name);
    }
  });
}

/**
 * Like v3Route, but the handler makes its own Response and no app id is required: for the QR
 * image, which an <img> loads without custom headers. Errors are envelopes with the real HTTP
 * status, since an <img> reads nothing else.
 */
export function v3RawRoute(name: string, handler: (context: V3Context) => Promise<Response>) {
  return (request: Request): Promise<Response> => withRequestId(request, async (requestId) => {
    try {
      if (!embedded()) return disabledEnvelope(requestId);
      return await handler({ request, deps: await getProvider(), requestId });
    } catch (error) {
      return answerError(error, requestId, name, { realHttpStatus: true });
    }
  });
}

/** The other methods of a route, each answering the envelope with 405 and `Allow`. */
export function v3OtherMethods<A extends Method>(...allowed: A[]): Record<Exclude<Method, A>, RouteHandler> {
  const handler = async () => {
    const requestId = randomUUID();
    if (!embedded()) return disabledEnvelope(requestId);
    return envelope(
      405,
      { statusCode: 405, message: `Method not allowed: use ${allowed.join(" or ")}`, apiCode: apiCodes.methodNotAllowed, requestId, data: null },
      { allow: allowed.join(", ") },
    );
  };
  return Object.fromEntries(ALL_METHODS.filter((m) => !(allowed as Method[]).includes(m)).map((m) => [m, handler])) as never;
}

/** Every method of a path under /api/v3 that names no endpoint: the envelope, 404. */
export function v3UnknownEndpoint(): Record<Method, RouteHandler> {
  const handler = async () =>
    envelope(404, { statusCode: 404, message: "Not found: no such endpoint", apiCode: apiCodes.invalidRequest, requestId: randomUUID(), data: null });
  return Object.fromEntries(ALL_METHODS.map((m) => [m, handler])) as never;
}

export function requireAppId(deps: ProviderDeps, request: Request): void {
  const appId = request.headers.get("x-authing-app-id");
  if (!appId) throw new ProviderError(400, "The x-authing-app-id header is required", apiCodes.appNotFound);
  if (appId !== deps.settings.appId) throw new ProviderError(400, "App not found", apiCodes.appNotFound);
}

/** Reads at most MAX_BODY_BYTES, whatever Content-Length claims, so a huge body costs us nothing. */
export async function readBodyText(request: Request, tooLarge: () => Error): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const v3TooLarge = () =>
  new ProviderError(413, `Request body is larger than ${MAX_BODY_BYTES} bytes`, apiCodes.bodyTooLarge, 413);

export function zodMessage(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ");
}

/** JSON body validated by `schema`: malformed JSON is a protocol error, a wrong shape a business one. */
export async function readV3Body<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  const text = await readBodyText(request, v3TooLarge);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProviderError(400, "Request body is not valid JSON", apiCodes.invalidRequest, 400);
  }
  return parseV3(schema, json);
}

export function parseV3<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ProviderError(400, `Invalid request: ${zodMessage(parsed.error)}`, apiCodes.invalidRequest);
  return parsed.data;
}

export const queryOf = (request: Request) => Object.fromEntries(new URL(request.url).searchParams);

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
 * The origin a code made by this request points at: NEXTAUTH_URL in production; in development
 * the origin the browser used (the app's server forwards it when it calls on the browser's behalf).
 */
export function requestOrigin(request: Request): string {
  const { proto, host } = trustedRequestOrigin(request.headers, new URL(request.url));
  return `${proto}://${host}`;
}

// ---------------------------------------------------------------------------------------------
// /api/v2/*: Authing's older envelope {code, message, data}, spoken by its Web SDK (authing-js-sdk)
// and its phone SDKs (docs/authing-v2.md). Business errors are HTTP 200 as there (axios, under the
// Web SDK, throws on any other status and the SDK would never read the code); protocol errors keep
// their real status, as on /api/v3.

/** Authing's V2 codes where its docs give one; any other refusal keeps its V3 apiCode, or its status. */
const V2_CODES: Partial<Record<number, number>> = {
  [apiCodes.qrCodeNotFound]: 2241,
  // "2020 未登录" (Guard for Android's documented codes).
  [apiCodes.invalidUserToken]: 2020,
  // "500 无效二维码": Authing's one code for a code in the wrong state, expired or someone else's.
  [apiCodes.qrCodeExpired]: 500,
  [apiCodes.qrCodeWrongState]: 500,
  [apiCodes.qrCodeScannedByAnother]: 500,
};

export type V2Envelope<T> = { code: number; message: string; data: T };

export const v2CodeOf = ({ statusCode, apiCode }: Refusal) => (apiCode === undefined ? statusCode : (V2_CODES[apiCode] ?? apiCode));

const v2RefusalBody: RefusalBody = (refusal) => ({ code: v2CodeOf(refusal), message: refusal.message, data: null }) satisfies V2Envelope<null>;

const v2Envelope = <T>(httpStatus: number, body: V2Envelope<T>, headers: Record<string, string> = {}) =>
  Response.json(body, { status: httpStatus, headers: { ...noStore, ...headers } });

const v2Disabled = () => v2Envelope(404, { code: 404, message: "Not found: the embedded provider is switched off", data: null });

/**
 * Authing's V2 clients name the app (x-authing-app-id), the pool (x-authing-userpool-id) or both:
 * at least one, and each one given must be this provider's.
 */
export function requireAppOrPool(deps: ProviderDeps, request: Request): void {
  const appId = request.headers.get("x-authing-app-id") || undefined;
  const poolId = request.headers.get("x-authing-userpool-id") || undefined;
  if (!appId && !poolId) {
    throw new ProviderError(400, "The x-authing-app-id or x-authing-userpool-id header is required", apiCodes.appNotFound);
  }
  if (appId !== undefined && appId !== deps.settings.appId) throw new ProviderError(400, "App not found", apiCodes.appNotFound);
  if (poolId !== undefined && poolId !== deps.settings.userPoolId) {
    throw new ProviderError(400, "User pool not found: x-authing-userpool-id is not this provider's (AUTHING_USERPOOL_ID)", apiCodes.appNotFound);
  }
}

/** Wraps a /api/v2/* handler like v3Route: provider switch, app or pool check, V2 envelope, errors. */
export function v2Route(name: string, handler: (context: V3Context) => Promise<unknown>) {
  return (request: Request): Promise<Response> => withRequestId(request, async (requestId) => {
    try {
      if (!embedded()) return v2Disabled();
      const deps = await getProvider();
      requireAppOrPool(deps, request);
      const data = await handler({ request, deps, requestId });
      return v2Envelope(200, { code: 200, message: "Operation successful", data });
    } catch (error) {
      return answerError(error, requestId, name, { body: v2RefusalBody });
    }
  });
}

export function v2OtherMethods<A extends Method>(...allowed: A[]): Record<Exclude<Method, A>, RouteHandler> {
  const handler = async () =>
    embedded()
      ? v2Envelope(405, { code: 405, message: `Method not allowed: use ${allowed.join(" or ")}`, data: null }, { allow: allowed.join(", ") })
      : v2Disabled();
  return Object.fromEntries(ALL_METHODS.filter((m) => !(allowed as Method[]).includes(m)).map((m) => [m, handler])) as never;
}

/** Every method of a path under /api/v2 that names no endpoint: the V2 envelope, 404 (never a page). */
export function v2UnknownEndpoint(): Record<Method, RouteHandler> {
  const handler = async () =>
    v2Envelope(404, { code: 404, message: "Not found: the embedded provider serves only /api/v2/qrcode/{gene,check,userinfo,scanned,confirm,cancel} of Authing's V2 API", data: null });
  return Object.fromEntries(ALL_METHODS.map((m) => [m, handler])) as never;
}

// ---------------------------------------------------------------------------------------------
// /oidc/*: standard OAuth error JSON and real HTTP status codes.

export type OidcContext = { request: Request; deps: ProviderDeps };

function oauthError(httpStatus: number, error: string, description: string, headers: Record<string, string> = {}) {
  return Response.json({ error, error_description: description }, { status: httpStatus, headers: { ...noStore, ...headers } });
}

export function oidcRoute(name: string, handler: (context: OidcContext) => Promise<Response>) {
  return (request: Request): Promise<Response> => withRequestId(request, async () => {
    try {
      if (!embedded()) return oauthError(404, "not_found", "The embedded provider is switched off");
      return await handler({ request, deps: await getProvider() });
    } catch (error) {
      if (error instanceof OAuthError) {
        metrics().refusals.inc({ reason: error.error });
        log.info("refused", `${name}: ${error.description}`, { route: name, reason: error.error, statusCode: error.httpStatus });
        return oauthError(error.httpStatus, error.error, error.description, error.headers);
      }
      if (error instanceof RateLimitedError) {
        return rateLimitedResponse(name, error, { error: "slow_down", error_description: "Too many failed attempts from this address. Try again later." });
      }
      if (isStoreUnavailable(error)) {
        metrics().storeUnavailable.inc();
        return oauthError(503, "temporarily_unavailable", "The provider's store cannot be reached. Try again shortly.", { "retry-after": "2" });
      }
      log.error("provider.failed", `${name} failed`, { route: name, ...errorFields(error) });
      return oauthError(500, "server_error", "Internal error");
    }
  });
}

export function oidcOtherMethods<A extends Method>(...allowed: A[]): Record<Exclude<Method, A>, RouteHandler> {
  const handler = async () =>
    embedded()
      ? oauthError(405, "invalid_request", `Method not allowed: use ${allowed.join(" or ")}`, { allow: allowed.join(", ") })
      : oauthError(404, "not_found", "The embedded provider is switched off");
  return Object.fromEntries(ALL_METHODS.filter((m) => !(allowed as Method[]).includes(m)).map((m) => [m, handler])) as never;
}

/** Every method of a path under /oidc that names no endpoint: OAuth's error JSON, 404. */
export function oidcUnknownEndpoint(): Record<Method, RouteHandler> {
  const handler = async () => oauthError(404, "not_found", "No such endpoint");
  return Object.fromEntries(ALL_METHODS.map((m) => [m, handler])) as never;
}

const oidcTooLarge = () => new OAuthError(413, "invalid_request", `Request body is larger than ${MAX_BODY_BYTES} bytes`);

/**
 * Form parameters; JSON only when the body clearly is JSON (Authing's SDK sometimes sends a
 * form body with no usable content-type).
 */
export async function readOidcParams(request: Request): Promise<Record<string, string>> {
  if (request.method === "GET" || request.method === "HEAD") return {};
  const text = await readBodyText(request, oidcTooLarge);
  const contentType = request.headers.get("content-type") ?? "";
  const trimmed = text.trim();
  if (contentType.includes("json") || (!contentType.includes("form") && trimmed.startsWith("{"))) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed || "{}");
    } catch {
      throw new OAuthError(400, "invalid_request", "Request body is not valid JSON");
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      throw new OAuthError(400, "invalid_request", "Request body must be an object");
    }
    return Object.fromEntries(
      Object.entries(json).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
  }
  return Object.fromEntries(new URLSearchParams(text));
}

export const oidcJson = (body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { headers: { ...noStore, ...headers } });

export { CLIENT_IP_HEADER };

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
 * counts against the caller's address; past the limit the answer is 429 instead of 401.
 */
export async function requireClientV3(
  deps: ProviderDeps,
  request: Request,
  body: { client_id?: string; client_secret?: string },
): Promise<void> {
  const result = authenticateClient(deps.settings, {
    authorization: request.headers.get("authorization"),
    clientId: body.client_id,
    clientSecret: body.client_secret,
  });
  if (result.ok) return;
  await countClientAuthFailure(deps, clientIpFrom(request.headers));
  throw new ProviderError(401, `Client authentication failed: ${result.reason}`, apiCodes.clientAuthFailed);
}
