import "server-only";

import { apiCodes, type Envelope } from "@/lib/authing/schemas";
import { getConfig } from "@/lib/config";
import { errorFields, log } from "@/lib/ops/log";
import { metrics } from "@/lib/ops/metrics";
import { isStoreUnavailable } from "@/lib/qr-login/store-unavailable";
import { RateLimitedError } from "@/lib/qr-login/rate-limit";

import { ProviderError } from "./errors";

/** What the route wrappers of /api/v3, /api/v2 and /oidc share: methods, headers, refusals. */
export const ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof ALL_METHODS)[number];
export type RouteHandler = (request: Request) => Promise<Response>;

export const noStore = { "cache-control": "no-store", pragma: "no-cache" };

export const embedded = () => getConfig().provider.embedded;

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

export const v3RefusalBody: RefusalBody = ({ statusCode, message, apiCode }, requestId) =>
  ({ statusCode, message, ...(apiCode === undefined ? {} : { apiCode }), requestId, data: null }) satisfies Envelope<null>;

export function answerError(
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
