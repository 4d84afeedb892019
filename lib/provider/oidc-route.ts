import "server-only";

import { errorFields, log } from "@/lib/ops/log";
import { metrics } from "@/lib/ops/metrics";
import { withRequestId } from "@/lib/ops/request-context";
import { isStoreUnavailable } from "@/lib/qr-login/store-unavailable";
import { RateLimitedError } from "@/lib/qr-login/rate-limit";

import type { ProviderDeps } from "./deps";
import { OAuthError } from "./errors";
import { ALL_METHODS, embedded, noStore, rateLimitedResponse, type Method, type RouteHandler } from "./http-responses";
import { getProvider } from "./provider";

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

export const oidcJson = (body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { headers: { ...noStore, ...headers } });
