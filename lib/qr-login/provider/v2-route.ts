import "server-only";

import { apiCodes } from "@/lib/qr-login/client/authing/schemas";
import { withRequestId } from "@/lib/qr-login/platform/request-context";

import { ALL_METHODS, answerError, embedded, noStore, type Method, type Refusal, type RefusalBody, type RouteHandler } from "./http-responses";
import { getProvider } from "./provider";
import { requireAppOrPool } from "./request-auth";
import type { V3Context } from "./v3-route";

// /api/v2/*: Authing's older envelope {code, message, data}, spoken by its Web SDK (authing-js-sdk)
// and its phone SDKs. Business errors are HTTP 200 as there (axios, under the
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
