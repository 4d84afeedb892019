import "server-only";

import { withRequestId } from "@/lib/qr-login/platform/request-context";

import type { ProviderDeps } from "./deps";
import { ALL_METHODS, answerError, embedded, noStore, type Method, type RouteHandler, type Surface } from "./http-responses";
import { getProvider } from "./provider";

// /oidc/*: standard OAuth error JSON and real HTTP status codes.

export type OidcContext = { request: Request; deps: ProviderDeps };

const oauthErrorBody = (error: string, description: string) => ({ error, error_description: description });

function oauthError(httpStatus: number, error: string, description: string, headers: Record<string, string> = {}) {
  return Response.json(oauthErrorBody(error, description), { status: httpStatus, headers: { ...noStore, ...headers } });
}

/** OAuth's error JSON with real HTTP statuses; only failed client authentication is rate-limited here. */
const OIDC: Surface = {
  body: ({ oauthError = "invalid_request", message }) => oauthErrorBody(oauthError, message),
  realHttpStatus: true,
  rateLimitedMessage: "Too many failed attempts from this address. Try again later.",
};

export function oidcRoute(name: string, handler: (context: OidcContext) => Promise<Response>) {
  return (request: Request): Promise<Response> => withRequestId(request, async (requestId) => {
    try {
      if (!embedded()) return oauthError(404, "not_found", "The embedded provider is switched off");
      return await handler({ request, deps: await getProvider() });
    } catch (error) {
      return answerError(error, requestId, name, OIDC);
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
