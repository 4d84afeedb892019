import "server-only";

import { registerProviderTransport } from "@/lib/qr-login/client/authing/provider-transport";
import { registerClientState } from "@/lib/qr-login/platform/client-state";
import { closeStoreIfOpen, getStore } from "@/lib/qr-login/provider/store";

import * as exchangeTicket from "@/lib/qr-login/provider/routes/exchange-tokenset-with-qrcode-ticket";
import * as geneQrCode from "@/lib/qr-login/provider/routes/gene-qrcode";
import * as getProfile from "@/lib/qr-login/provider/routes/get-profile";
import * as getQrCodeStatus from "@/lib/qr-login/provider/routes/get-qrcode-status";
import * as listPasskeys from "@/lib/qr-login/provider/routes/list-passkeys";
import * as passkeyConfirmOptions from "@/lib/qr-login/provider/routes/passkey-confirm-options";
import * as passkeyRegistrationOptions from "@/lib/qr-login/provider/routes/passkey-registration-options";
import * as passkeySignInOptions from "@/lib/qr-login/provider/routes/passkey-sign-in-options";
import * as registerPasskey from "@/lib/qr-login/provider/routes/register-passkey";
import * as removePasskey from "@/lib/qr-login/provider/routes/remove-passkey";
import * as setQrCodeStatus from "@/lib/qr-login/provider/routes/set-qrcode-status";
import * as signin from "@/lib/qr-login/provider/routes/signin";
import * as signinByPasskey from "@/lib/qr-login/provider/routes/signin-by-passkey";
import * as jwks from "@/lib/qr-login/provider/routes/oidc-jwks";
import * as me from "@/lib/qr-login/provider/routes/oidc-userinfo";
import * as revocation from "@/lib/qr-login/provider/routes/oidc-revocation";
import * as token from "@/lib/qr-login/provider/routes/oidc-token";

import { markInProcess } from "@/lib/qr-login/provider/in-process-requests";

type RouteModule = Partial<Record<string, unknown>>;

/** The provider routes the app's own client calls; everything else stays reachable over HTTP. */
const routes: Record<string, RouteModule> = {
  "/api/v3/gene-qrcode": geneQrCode,
  "/api/v3/get-qrcode-status": getQrCodeStatus,
  "/api/v3/exchange-tokenset-with-qrcode-ticket": exchangeTicket,
  "/api/v3/signin": signin,
  "/api/v3/set-qrcode-status": setQrCodeStatus,
  "/api/v3/get-profile": getProfile,
  // The companion's passkeys.
  "/api/v3/passkey-registration-options": passkeyRegistrationOptions,
  "/api/v3/register-passkey": registerPasskey,
  "/api/v3/list-passkeys": listPasskeys,
  "/api/v3/remove-passkey": removePasskey,
  "/api/v3/passkey-confirm-options": passkeyConfirmOptions,
  "/api/v3/passkey-sign-in-options": passkeySignInOptions,
  "/api/v3/signin-by-passkey": signinByPasskey,
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

/**
 * The embedded provider plugs into the QR login client here (called by instrumentation.ts): the
 * client calls its routes in-process and keeps its sign-outs and rate limits in the provider's
 * store, which survives a restart (SQLite) or is shared by every instance (Redis).
 */
export function registerInProcessProvider(): void {
  registerProviderTransport(inProcessProviderFetch);
  registerClientState({
    consumeRateLimit: (key, limit, windowSeconds) => getStore().consumeRateLimit(key, limit, windowSeconds),
    revokeSession: (input) => getStore().revokeSession(input),
    isSessionRevoked: (sid) => getStore().isSessionRevoked(sid),
    ping: () => getStore().ping(),
    checkEviction: () => getStore().checkEviction(),
    close: () => closeStoreIfOpen(),
  });
}
