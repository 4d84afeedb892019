import "server-only";

import { randomUUID } from "node:crypto";

import { apiCodes, type Envelope } from "@/lib/qr-login/client/authing/schemas";
import { withRequestId } from "@/lib/qr-login/platform/request-context";

import type { ProviderDeps } from "./deps";
import { ALL_METHODS, answerError, embedded, noStore, type Method, type RouteHandler } from "./http-responses";
import { getProvider } from "./provider";
import { requireAppId } from "./request-auth";

/**
 * HTTP decisions for /api/v3/* (all answers are the envelope):
 * - business errors (validation of a well-formed body, unknown app, bad token, wrong state,
 *   unknown code 2241): HTTP 200, the code in `statusCode`, as Authing does;
 * - protocol errors: malformed JSON 400, body over 64 KiB 413, wrong method 405 (+ Allow);
 * - provider switched off (AUTHING_APP_HOST set): 404; a fault of ours: 500.
 */
function envelope<T>(httpStatus: number, body: Envelope<T>, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status: httpStatus, headers: { ...noStore, ...headers } });
}

const disabledEnvelope = (requestId: string) =>
  envelope(404, { statusCode: 404, message: "Not found: the embedded provider is switched off", requestId, data: null });

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
