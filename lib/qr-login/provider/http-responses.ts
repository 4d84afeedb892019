import "server-only";

import { apiCodes, type Envelope } from "@/lib/qr-login/client/authing/schemas";
import { getConfig } from "@/lib/qr-login/platform/config";
import { errorFields, log } from "@/lib/qr-login/platform/log";
import { metrics } from "@/lib/qr-login/platform/metrics";
import { countRateLimited, countStoreUnavailable } from "@/lib/qr-login/client/flow/http-errors";
import { isStoreUnavailable } from "@/lib/qr-login/platform/store-unavailable";
import { RateLimitedError } from "@/lib/qr-login/platform/rate-limit";
import { BodyTooLargeError } from "@/lib/qr-login/platform/request-body";

import { OAuthRefusal, ProviderError } from "./errors";

/** What the route wrappers of /api/v3, /api/v2 and /oidc share: methods, headers, refusals. */
export const ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof ALL_METHODS)[number];
export type RouteHandler = (request: Request) => Promise<Response>;

export const noStore = { "cache-control": "no-store", pragma: "no-cache" };

export const embedded = () => getConfig().provider.embedded;

const apiCodeNames = new Map<number, string>(Object.entries(apiCodes).map(([name, code]) => [code, name]));

/** What a refusal says, in the body of whichever envelope its route speaks (V3's, V2's or OAuth's). */
export type Refusal = { statusCode: number; message: string; apiCode?: number; oauthError?: string };
export type RefusalBody = (refusal: Refusal, requestId: string) => unknown;

export const v3RefusalBody: RefusalBody = ({ statusCode, message, apiCode }, requestId) =>
  ({ statusCode, message, ...(apiCode === undefined ? {} : { apiCode }), requestId, data: null }) satisfies Envelope<null>;

/** How a surface (/api/v3, /api/v2, /oidc) answers a refusal. */
export type Surface = {
  body?: RefusalBody;
  /** Answer a ProviderError with its own status (V3's QR image, OAuth), not its httpStatus (200 for a business error). */
  realHttpStatus?: boolean;
  rateLimitedMessage?: string;
};

/**
 * The one way the provider's routes turn what they throw into an answer, for every surface: the
 * store away (503), over a rate limit (429, counted by route), a body over the one cap (413), a
 * refusal the caller caused (ProviderError or OAuthRefusal), and anything else (500, logged).
 */
export function answerError(
  error: unknown,
  requestId: string,
  route: string,
  { body = v3RefusalBody, realHttpStatus = false, rateLimitedMessage = "Too many requests. Try again later." }: Surface = {},
): Response {
  const answer = (httpStatus: number, refusal: Refusal, headers: Record<string, string> = {}) =>
    Response.json(body(refusal, requestId), { status: httpStatus, headers: { ...noStore, ...headers } });
  if (isStoreUnavailable(error)) {
    // The store logged the cause once for the outage; each request only counts.
    countStoreUnavailable();
    return answer(
      503,
      { statusCode: 503, message: "Service unavailable: the provider's store cannot be reached. Try again shortly.", oauthError: "temporarily_unavailable" },
      { "retry-after": "2" },
    );
  }
  if (error instanceof RateLimitedError) {
    countRateLimited(route, error);
    const refusal = { statusCode: 429, message: rateLimitedMessage, apiCode: apiCodes.rateLimited, oauthError: "slow_down" };
    return answer(429, refusal, { "retry-after": String(error.retryAfterSeconds) });
  }
  if (error instanceof BodyTooLargeError) {
    logRefusal(route, "bodyTooLarge", 413, error.message);
    return answer(413, { statusCode: 413, message: error.message, apiCode: apiCodes.bodyTooLarge, oauthError: "invalid_request" });
  }
  if (error instanceof ProviderError) {
    const reason = (error.apiCode !== undefined && apiCodeNames.get(error.apiCode)) || `http_${error.statusCode}`;
    logRefusal(route, reason, error.statusCode, error.message);
    return answer(realHttpStatus ? error.statusCode : error.httpStatus, error);
  }
  if (error instanceof OAuthRefusal) {
    logRefusal(route, error.error, error.httpStatus, error.description);
    return answer(error.httpStatus, { statusCode: error.httpStatus, message: error.description, oauthError: error.error }, error.headers);
  }
  log.error("provider.failed", `${route} failed`, { route, ...errorFields(error) });
  return answer(500, { statusCode: 500, message: "Internal error", oauthError: "server_error" });
}

function logRefusal(route: string, reason: string, statusCode: number, message: string): void {
  metrics().refusals.inc({ reason });
  log.info("refused", `${route}: ${message}`, { route, reason, statusCode });
}
