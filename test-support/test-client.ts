/**
 * A small HTTP client for the provider's integration tests: real requests to a real server
 * (test-support/app-server.ts), acting as the app (with its secret) or as the phone.
 */
import { APP_ID_HEADER } from "@/lib/qr-login/client/authing/wire-headers";
import type { TokenEndpointAuthMethod } from "@/lib/qr-login/platform/config";
import { testApp, type AppServer } from "@/test-support/app-server";

// The tests read whatever data each endpoint answers; its schemas are what the tests check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type V3Answer = { http: number; body: { statusCode: number; message: string; apiCode?: number; requestId?: string; data: any } };

export async function v3(
  server: Pick<AppServer, "origin">,
  path: string,
  { method = "POST", body, headers = {}, appId = testApp.id }: { method?: string; body?: unknown; headers?: Record<string, string>; appId?: string | null } = {},
): Promise<V3Answer> {
  const response = await fetch(`${server.origin}${path}`, {
    method,
    headers: {
      ...(appId === null ? {} : { [APP_ID_HEADER]: appId }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { http: response.status, body: await response.json() };
}

/** How a client proves it is the app, for each token endpoint auth method. */
export function clientAuth(method: TokenEndpointAuthMethod, secret: string = testApp.secret) {
  switch (method) {
    case "none":
      return { headers: {} as Record<string, string>, body: {} as Record<string, string> };
    case "client_secret_post":
      return { headers: {}, body: { client_id: testApp.id, client_secret: secret } };
    case "client_secret_basic":
      return { headers: { authorization: `Basic ${Buffer.from(`${testApp.id}:${secret}`).toString("base64")}` }, body: {} };
  }
}

export async function signin(server: Pick<AppServer, "origin">, account: string, method: TokenEndpointAuthMethod, password = "scan-me-in") {
  const auth = clientAuth(method);
  const answer = await v3(server, "/api/v3/signin", {
    headers: auth.headers,
    body: { connection: "PASSWORD", passwordPayload: { account, password }, ...auth.body },
  });
  if (answer.body.statusCode !== 200) throw new Error(`signin failed: ${JSON.stringify(answer.body)}`);
  return answer.body.data as { access_token: string; id_token: string; refresh_token: string; expire_in: number };
}

/** A code made as the app: with its secret, so the provider takes `context` from it and does not count it per address. */
export async function geneQrCode(server: Pick<AppServer, "origin">, context?: Record<string, unknown>) {
  const answer = await v3(server, "/api/v3/gene-qrcode", {
    body: { type: "MOBILE_APP", ...(context ? { context } : {}), ...clientAuth("client_secret_post").body },
  });
  if (answer.body.statusCode !== 200) throw new Error(`gene-qrcode failed: ${JSON.stringify(answer.body)}`);
  return answer.body.data as { qrcodeId: string; url: string };
}

export const setStatus = (server: Pick<AppServer, "origin">, token: string, qrcodeId: string, action: string) =>
  v3(server, "/api/v3/set-qrcode-status", { headers: { authorization: token }, body: { qrcodeId, action } });

export const qrStatus = (server: Pick<AppServer, "origin">, qrcodeId: string) =>
  v3(server, `/api/v3/get-qrcode-status?qrcodeId=${encodeURIComponent(qrcodeId)}`, { method: "GET" });

export function exchange(server: Pick<AppServer, "origin">, ticket: string, method: TokenEndpointAuthMethod, secret?: string) {
  const auth = clientAuth(method, secret);
  return v3(server, "/api/v3/exchange-tokenset-with-qrcode-ticket", { headers: auth.headers, body: { ticket, ...auth.body } });
}

/** signin -> gene -> SCAN -> CONFIRM: a code AUTHORIZED by `account`, with its ticket. */
export async function authorizedTicket(server: Pick<AppServer, "origin">, method: TokenEndpointAuthMethod, account = "alice") {
  const { access_token } = await signin(server, account, method);
  const { qrcodeId } = await geneQrCode(server);
  for (const action of ["SCAN", "CONFIRM"]) {
    const answer = await setStatus(server, access_token, qrcodeId, action);
    if (answer.body.statusCode !== 200) throw new Error(`${action} failed: ${JSON.stringify(answer.body)}`);
  }
  const status = await qrStatus(server, qrcodeId);
  return { qrcodeId, ticket: status.body.data.ticket as string, userToken: access_token };
}

export async function form(
  server: Pick<AppServer, "origin">,
  path: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${server.origin}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(params),
  });
  const text = await response.text();
  return { http: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}
