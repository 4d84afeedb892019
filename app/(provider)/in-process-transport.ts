import "server-only";

import { registerProviderTransport } from "@/lib/authing/provider-transport";

import * as exchangeTicket from "@/app/(provider)/api/v3/exchange-tokenset-with-qrcode-ticket/route";
import * as geneQrCode from "@/app/(provider)/api/v3/gene-qrcode/route";
import * as getProfile from "@/app/(provider)/api/v3/get-profile/route";
import * as getQrCodeStatus from "@/app/(provider)/api/v3/get-qrcode-status/route";
import * as setQrCodeStatus from "@/app/(provider)/api/v3/set-qrcode-status/route";
import * as signin from "@/app/(provider)/api/v3/signin/route";
import * as jwks from "@/app/(provider)/oidc/.well-known/jwks.json/route";
import * as me from "@/app/(provider)/oidc/me/route";
import * as revocation from "@/app/(provider)/oidc/token/revocation/route";
import * as token from "@/app/(provider)/oidc/token/route";

import { markInProcess } from "@/lib/provider/in-process-requests";

type RouteModule = Partial<Record<string, unknown>>;

/** The provider routes the app's own client calls; everything else stays reachable over HTTP. */
const routes: Record<string, RouteModule> = {
  "/api/v3/gene-qrcode": geneQrCode,
  "/api/v3/get-qrcode-status": getQrCodeStatus,
  "/api/v3/exchange-tokenset-with-qrcode-ticket": exchangeTicket,
  "/api/v3/signin": signin,
  "/api/v3/set-qrcode-status": setQrCodeStatus,
  "/api/v3/get-profile": getProfile,
  "/oidc/.well-known/jwks.json": jwks,
  "/oidc/token": token,
  "/oidc/token/revocation": revocation,
  "/oidc/me": me,
};

/**
 * A `fetch` that hands the request to the embedded provider's own route handlers in this
 * process: the same wire contract, envelope and validation as over HTTP, without a loopback hop
 * (two sockets and a second trip through the server) on every status request.
 */
const inProcessProviderFetch: typeof fetch = async (input, init) => {
  const request = markInProcess(new Request(input, init));
  const handler = routes[new URL(request.url).pathname]?.[request.method];
  if (typeof handler !== "function") {
    return Response.json({ error: "not_found", error_description: "No such provider route in this process" }, { status: 404 });
  }
  return (handler as (request: Request) => Promise<Response>)(request);
};

/** The embedded provider plugs into the QR login client here (called by instrumentation.ts). */
export function registerInProcessProvider(): void {
  registerProviderTransport(inProcessProviderFetch);
}
