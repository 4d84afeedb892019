/**
 * Requests to the provider's /api/v2 (Authing's older dialect) for integration tests, as its Web
 * SDK and phone SDKs make them.
 */
import { APP_ID_HEADER, LANG_HEADER, REQUEST_FROM_HEADER, SDK_VERSION_HEADER, USER_POOL_ID_HEADER } from "@/lib/qr-login/client/authing/wire-headers";
import { testApp, type AppServer } from "@/test-support/app-server";

/** The pool id the V2 tests' servers run with (AUTHING_USERPOOL_ID): Authing's shape, 24 hex digits. */
export const USER_POOL_ID = "61a0c0ffee0ddba11c0ffee0";

// The tests read whatever data each endpoint answers.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type V2Answer = { http: number; headers: Headers; body: { code: number; message: string; data: any } };

type V2Request = { method?: string; body?: unknown; headers?: Record<string, string> };

/** A request to /api/v2/`path` with exactly `headers` (and a JSON content type when there is a body). */
export async function v2(server: Pick<AppServer, "origin">, path: string, { method = "POST", body, headers = {} }: V2Request = {}): Promise<V2Answer> {
  const response = await fetch(`${server.origin}/api/v2/${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { http: response.status, headers: response.headers, body: await response.json() };
}

/** A web-side call under /api/v2/qrcode, naming the app as authing-js-sdk does. */
export const webV2 = (server: Pick<AppServer, "origin">, path: string, { headers = {}, ...request }: V2Request = {}) =>
  v2(server, `qrcode/${path}`, { ...request, headers: { [APP_ID_HEADER]: testApp.id, [REQUEST_FROM_HEADER]: "sdk", ...headers } });

/** What the Flutter SDK's AuthClient sends (markQRCodeScanned, loginByScannedTicket, cancelByScannedTicket). */
export const flutterHeaders = {
  [USER_POOL_ID_HEADER]: USER_POOL_ID,
  [APP_ID_HEADER]: testApp.id,
  [REQUEST_FROM_HEADER]: "SDK@Flutter@1.2.3",
  [SDK_VERSION_HEADER]: "1.2.3",
  [LANG_HEADER]: "zh-CN",
  "content-type": "application/json",
};

/** What Guard for iOS sends: its own request-from and user agent, the pool id and no app id. */
export const guardIosHeaders = {
  [USER_POOL_ID_HEADER]: USER_POOL_ID,
  [REQUEST_FROM_HEADER]: "guard-ios",
  [SDK_VERSION_HEADER]: "1.4.5",
  [LANG_HEADER]: "en-US",
  "user-agent": "MyPhoneApp/1.0 (iPhone; iOS 17.0)",
  "content-type": "application/json",
};

/** The phone's call: `authorization` exactly as given (Bearer or bare), Flutter's headers unless told. */
export const phoneV2 = (
  server: Pick<AppServer, "origin">,
  action: "scanned" | "confirm" | "cancel",
  random: string,
  authorization: string | undefined,
  headers: Record<string, string> = flutterHeaders,
) => v2(server, `qrcode/${action}`, { body: { random }, headers: { ...headers, ...(authorization === undefined ? {} : { authorization }) } });
