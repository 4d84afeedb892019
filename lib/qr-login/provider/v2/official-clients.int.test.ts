/**
 * Authing's own clients against the embedded provider over real HTTP: the Web SDK (authing-js-sdk,
 * pinned, unmodified) makes a code, follows it with checkStatus and startPolling, and exchanges
 * the ticket; the phone SDKs' exact requests (Flutter's AuthClient, Guard for iOS) scan, confirm
 * and cancel.
 */
import { AuthenticationClient } from "authing-js-sdk";
import { afterAll, describe, expect, it } from "vitest";

import { POLL_SECRET_HEADER } from "@/lib/qr-login/client/authing/wire-headers";
import { testApp } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";
import { testClock } from "@/test-support/test-clock";

import { clientAuth, setStatus, signin, v3 } from "../../../../test-support/test-client";
import { flutterHeaders, guardIosHeaders, phoneV2, v2, webV2, USER_POOL_ID } from "../../../../test-support/v2-test-client";

type Answer = { code: number; message: string; data: unknown };
const sdkRefusal = (promise: Promise<unknown>): Promise<Answer> => promise.then(
  (value) => { throw new Error(`expected a refusal, got ${JSON.stringify(value)}`); },
  (error: Answer) => error,
);

type QrCodeClient = AuthenticationClient["qrcode"];
type ClientOptions = ConstructorParameters<typeof AuthenticationClient>[0];
// The SDK sends options.userPoolId as x-authing-userpool-id, though its option type does not declare it.
const withPool = (options: ClientOptions, userPoolId: string) => ({ ...options, userPoolId }) as ClientOptions;
type PollEvent = { event: "scanned" | "success" | "cancel" | "expired" | "error"; args: unknown[] };

/**
 * startPolling, its callbacks recorded; `next(event)` resolves when that callback has been called.
 * The SDK polls every 800 ms by default; 100 ms keeps the test short.
 */
function follow(qrcode: QrCodeClient, random: string) {
  const events: PollEvent[] = [];
  const waiting = new Map<string, () => void>();
  const record = (event: PollEvent["event"]) => (...args: unknown[]) => {
    events.push({ event, args });
    waiting.get(event)?.();
  };
  void qrcode.startPolling(random, {
    interval: 100,
    onScanned: record("scanned"),
    onSuccess: record("success"),
    onCancel: record("cancel"),
    onExpired: record("expired"),
    onError: record("error"),
  });
  const next = (event: PollEvent["event"]) =>
    events.some((each) => each.event === event) ? Promise.resolve() : new Promise<void>((resolve) => waiting.set(event, resolve));
  return { events, next };
}

describe("authing-js-sdk's qrcode client, allowExchangeUserInfoFromBrowser off (the default)", () => {
  const clock = testClock();
  afterAll(() => clock.remove());
  const server = sharedAppServer({ AUTHING_USERPOOL_ID: USER_POOL_ID, ...clock.env });
  const web = () => new AuthenticationClient(withPool({ appId: testApp.id, appHost: server.origin }, USER_POOL_ID)).qrcode;

  it("makes a code and follows it through 0, 1 and 2 with checkStatus and startPolling; the browser's exchangeUserInfo is refused, a server's is served once", async () => {
    const alice = await signin(server, "alice", "client_secret_post");
    const qrcode = web();
    const code = await qrcode.geneCode({ customData: { orderId: "42" }, context: { ip: "10.0.0.7" } });
    expect(code).toEqual({ random: expect.any(String), url: `${server.origin}/api/v3/qrcode-image?qrcodeId=${code.random}`, expiresIn: 120 });
    expect((await fetch(code.url)).headers.get("content-type")).toBe("image/png");
    expect(await qrcode.checkStatus(code.random)).toEqual({ random: code.random, status: 0, userInfo: null, ticket: null, scannedUserId: null });

    const polling = follow(qrcode, code.random);
    const scanned = await phoneV2(server, "scanned", code.random, `Bearer ${alice.access_token}`);
    expect(scanned.body).toEqual({ code: 200, message: expect.any(String), data: { random: code.random, status: 1, description: expect.any(String) } });
    await polling.next("scanned");
    const aliceSeen = { nickname: "Alice Chen", photo: expect.stringMatching(/^data:image\/svg\+xml;base64,/) };
    expect(polling.events).toEqual([{ event: "scanned", args: [aliceSeen] }]);
    expect(await qrcode.checkStatus(code.random)).toEqual({ random: code.random, status: 1, userInfo: aliceSeen, ticket: null, scannedUserId: null });

    expect((await phoneV2(server, "confirm", code.random, `Bearer ${alice.access_token}`)).body.data).toMatchObject({ status: 2 });
    await polling.next("success");
    const [, success] = polling.events;
    expect(success).toEqual({ event: "success", args: [aliceSeen, expect.any(String)] });
    const ticket = success!.args[1] as string;
    expect(await qrcode.checkStatus(code.random)).toEqual({ random: code.random, status: 2, userInfo: aliceSeen, ticket, scannedUserId: null });

    // The browser holds no secret: refused, and the ticket stays good for the app's server.
    expect(await sdkRefusal(qrcode.exchangeUserInfo(ticket))).toMatchObject({ code: 9003, message: expect.stringMatching(/app secret.*QR_ALLOW_EXCHANGE_USER_INFO_FROM_BROWSER/) });
    // A wrong secret is no proof either.
    expect((await webV2(server, "userinfo", { body: { ticket, client_id: testApp.id, client_secret: "a-guess-at-the-secret" } })).body).toMatchObject({ code: 9003 });
    const served = await webV2(server, "userinfo", { body: { ticket, ...clientAuth("client_secret_post").body } });
    expect(served.body).toMatchObject({
      code: 200,
      data: { id: expect.any(String), userPoolId: USER_POOL_ID, username: "alice", email: "alice@example.com", nickname: "Alice Chen", token: expect.any(String) },
    });
    const user = served.body.data as { id: string; token: string; tokenExpiredAt: string };
    expect(Date.parse(user.tokenExpiredAt)).toBeGreaterThan(clock.now());
    // The token is the user's: the provider's own API takes it.
    expect((await v3(server, "/api/v3/get-profile", { method: "GET", headers: { authorization: `Bearer ${user.token}` } })).body.data).toMatchObject({ userId: user.id });
    // Once.
    expect((await webV2(server, "userinfo", { body: { ticket, ...clientAuth("client_secret_post").body } })).body).toMatchObject({ code: 9013, data: null });
    expect(await qrcode.checkStatus(code.random)).toMatchObject({ status: 2, ticket: null });
  });

  it("startPolling calls onCancel at 3 and onExpired at -1, and stops", async () => {
    const bob = await signin(server, "bob", "client_secret_post");
    const qrcode = web();
    const cancelled = await qrcode.geneCode();
    const cancelPolling = follow(qrcode, cancelled.random);
    await phoneV2(server, "scanned", cancelled.random, bob.access_token);
    await cancelPolling.next("scanned");
    expect((await phoneV2(server, "cancel", cancelled.random, bob.access_token)).body.data).toMatchObject({ status: 3 });
    await cancelPolling.next("cancel");
    // After a cancel nobody is shown.
    expect(await qrcode.checkStatus(cancelled.random)).toEqual({ random: cancelled.random, status: 3, userInfo: null, ticket: null, scannedUserId: null });

    const expiring = await qrcode.geneCode();
    const expirePolling = follow(qrcode, expiring.random);
    clock.advance(120_000);
    await expirePolling.next("expired");
    expect(await qrcode.checkStatus(expiring.random)).toMatchObject({ status: -1, userInfo: null, ticket: null });
    expect((await phoneV2(server, "scanned", expiring.random, bob.access_token)).body).toMatchObject({ code: 500, message: "QR code has expired" });

    // Each poller stopped at its end: nothing more arrives while the codes' states stay put. The
    // SDK's setInterval does not wait for an answer, so on a slow machine requests already in
    // flight when the first 3 (or -1) arrived may each call back again (the SDK's behaviour, not
    // ours): what is asked is that only that callback repeats, and that the repeats stop.
    const settled = async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return [cancelPolling.events.length, expirePolling.events.length];
    };
    const afterFirstWait = await settled();
    expect(await settled()).toEqual(afterFirstWait);
    expect([...new Set(cancelPolling.events.map((each) => each.event))]).toEqual(["scanned", "cancel"]);
    expect([...new Set(expirePolling.events.map((each) => each.event))]).toEqual(["expired"]);
  });

  it("gets Authing's codes in the envelope: 2241 for an unknown code, and a wrong app or pool refused", async () => {
    expect(await sdkRefusal(web().checkStatus("AAAAAAAAAAAAAAAAAAAAAA"))).toEqual({ code: 2241, message: "QR code does not exist", data: null });
    const strangerApp = new AuthenticationClient({ appId: "another-app", appHost: server.origin }).qrcode;
    expect(await sdkRefusal(strangerApp.geneCode())).toMatchObject({ code: 9002, message: "App not found" });
    const strangerPool = new AuthenticationClient(withPool({ appId: testApp.id, appHost: server.origin }, "5e04ae0d5f3cee22fb37612b")).qrcode;
    expect(await sdkRefusal(strangerPool.geneCode())).toMatchObject({ code: 9002, message: expect.stringMatching(/^User pool not found/) });
  });

  it("never shows a V3 code's scanner or ticket to a V2 poller when the code has a poll secret", async () => {
    const alice = await signin(server, "alice", "client_secret_post");
    const made = await v3(server, "/api/v3/gene-qrcode", { body: { type: "MOBILE_APP", withPollSecret: true, ...clientAuth("client_secret_post").body } });
    const { qrcodeId, pollSecret } = made.body.data as { qrcodeId: string; pollSecret: string };
    const qrcode = web();
    await setStatus(server, alice.access_token, qrcodeId, "SCAN");
    expect(await qrcode.checkStatus(qrcodeId)).toEqual({ random: qrcodeId, status: 1, userInfo: null, ticket: null, scannedUserId: null });
    await setStatus(server, alice.access_token, qrcodeId, "CONFIRM");
    expect(await qrcode.checkStatus(qrcodeId)).toEqual({ random: qrcodeId, status: 2, userInfo: null, ticket: null, scannedUserId: null });
    // Not even with the secret: V2 takes none.
    const withSecret = await webV2(server, `check?random=${qrcodeId}`, { method: "GET", headers: { [POLL_SECRET_HEADER]: pollSecret } });
    expect(withSecret.body.data).toMatchObject({ status: 2, userInfo: null, ticket: null });
    // Its own page, holding the secret, sees the ticket through V3.
    expect((await v3(server, `/api/v3/get-qrcode-status?qrcodeId=${qrcodeId}`, { method: "GET", headers: { [POLL_SECRET_HEADER]: pollSecret } })).body.data.ticket).toEqual(expect.any(String));
  });

  it("serves the phone SDKs' exact requests through SCAN, CONFIRM and CANCEL, refusing a bad token, a wrong state and another user; a server exchanges with HTTP Basic", async () => {
    const [alice, bob] = [await signin(server, "alice", "client_secret_post"), await signin(server, "bob", "client_secret_post")];
    const qrcode = web();
    const { random } = await qrcode.geneCode();
    const statusNow = async () => (await qrcode.checkStatus(random)).status;

    // Flutter, Bearer token. A bad or missing token and a confirm before the scan change nothing.
    expect((await phoneV2(server, "scanned", random, "Bearer not-a-token")).body).toEqual({ code: 2020, message: "The user's access token is invalid, expired or revoked", data: null });
    expect((await phoneV2(server, "scanned", random, undefined)).body).toMatchObject({ code: 2020, message: expect.stringMatching(/^Login required/) });
    expect((await phoneV2(server, "confirm", random, `Bearer ${alice.access_token}`)).body).toMatchObject({ code: 500, message: "Cannot confirm a QR code that has not been scanned" });
    expect(await statusNow()).toBe(0);
    const scanned = await phoneV2(server, "scanned", random, `Bearer ${alice.access_token}`);
    expect(scanned.http).toBe(200);
    expect(scanned.body).toEqual({ code: 200, message: expect.any(String), data: { random, status: 1, description: expect.any(String) } });
    // A reload on the phone scans again harmlessly; another user may not take it over.
    expect((await phoneV2(server, "scanned", random, `Bearer ${alice.access_token}`)).body.code).toBe(200);
    expect((await phoneV2(server, "confirm", random, `Bearer ${bob.access_token}`)).body).toMatchObject({ code: 500, message: "QR code was scanned by another user" });
    expect((await phoneV2(server, "confirm", random, `Bearer ${alice.access_token}`)).body.data).toEqual({ random, status: 2, description: expect.any(String) });
    expect((await phoneV2(server, "cancel", random, `Bearer ${alice.access_token}`)).body).toMatchObject({ code: 500, message: "Cannot cancel: QR code is already AUTHORIZED" });
    expect(await statusNow()).toBe(2);
    // The app's server may prove its secret with HTTP Basic as well.
    const { ticket } = await qrcode.checkStatus(random);
    const basic = await webV2(server, "userinfo", { body: { ticket }, headers: clientAuth("client_secret_basic").headers });
    expect(basic.body).toMatchObject({ code: 200, data: { username: "alice" } });

    // Guard for iOS names the pool and no app; the older callers' bare token is taken too.
    const second = await qrcode.geneCode();
    expect((await phoneV2(server, "scanned", second.random, bob.access_token, guardIosHeaders)).body.data).toMatchObject({ status: 1 });
    expect((await phoneV2(server, "cancel", second.random, bob.access_token, guardIosHeaders)).body.data).toEqual({ random: second.random, status: 3, description: expect.any(String) });
    expect((await phoneV2(server, "confirm", second.random, bob.access_token, guardIosHeaders)).body).toMatchObject({ code: 500, message: "Cannot confirm: QR code is already CANCELLED" });
    expect((await qrcode.checkStatus(second.random)).status).toBe(3);

    // Another pool, no app or pool at all, and an unknown code.
    expect((await phoneV2(server, "scanned", random, bob.access_token, { ...guardIosHeaders, "x-authing-userpool-id": "5e04ae0d5f3cee22fb37612b" })).body).toMatchObject({ code: 9002 });
    const anonymous = Object.fromEntries(Object.entries(flutterHeaders).filter(([name]) => !["x-authing-userpool-id", "x-authing-app-id"].includes(name)));
    expect((await phoneV2(server, "scanned", random, bob.access_token, anonymous)).body).toMatchObject({ code: 9002, message: "The x-authing-app-id or x-authing-userpool-id header is required" });
    expect((await phoneV2(server, "scanned", "AAAAAAAAAAAAAAAAAAAAAA", bob.access_token)).body).toEqual({ code: 2241, message: "QR code does not exist", data: null });
  });

  it("answers every mistake in the V2 envelope as JSON, never a page", async () => {
    const wrongMethod = await webV2(server, "gene", { method: "GET" });
    expect(wrongMethod).toMatchObject({ http: 405, body: { code: 405, message: "Method not allowed: use POST", data: null } });
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect((await webV2(server, "check?random=x", { method: "DELETE" })).headers.get("allow")).toBe("GET");
    for (const path of ["nope", "qrcode/nope", "users/me", "qrcode/scanned/extra"]) {
      const unknown = await v2(server, path, { method: "POST", headers: flutterHeaders, body: {} });
      expect(unknown.http).toBe(404);
      expect(unknown.headers.get("content-type")).toMatch(/^application\/json/);
      expect(unknown.body).toMatchObject({ code: 404, data: null });
    }
    expect(await webV2(server, "gene", { body: "{not json" })).toMatchObject({ http: 400, body: { code: 9001, message: "Request body is not valid JSON" } });
    expect((await webV2(server, "gene", { body: { scene: "APP_AUTH", params: { note: "x".repeat(70_000) } } })).http).toBe(413);
    // 1,400 CJK characters are 4,200 bytes: over the cap on custom data, as on /api/v3.
    expect((await webV2(server, "gene", { body: { scene: "APP_AUTH", params: { note: "码".repeat(1400) } } })).body).toMatchObject({ code: 9001, message: expect.stringMatching(/^Invalid request: params: .*4096 bytes/) });
    expect((await webV2(server, "gene", { body: { scene: "WXAPP_AUTH" } })).body).toMatchObject({ code: 9001, message: expect.stringMatching(/scene must be "APP_AUTH"/) });
    // null for an absent field, as Authing's clients may send it.
    expect((await webV2(server, "gene", { body: { scene: "APP_AUTH", params: null, context: null, extIdpConnId: null } })).body).toMatchObject({ code: 200, data: { random: expect.any(String) } });
    expect((await webV2(server, "check?random=%3Cscript%3E", { method: "GET" })).body).toMatchObject({ code: 9001, data: null });
  });
});

describe("authing-js-sdk's qrcode client, allowExchangeUserInfoFromBrowser on", () => {
  const server = sharedAppServer({ AUTHING_USERPOOL_ID: USER_POOL_ID, QR_ALLOW_EXCHANGE_USER_INFO_FROM_BROWSER: "true" });

  it("exchangeUserInfo in the browser gets the user and a token, once", async () => {
    const alice = await signin(server, "alice", "client_secret_post");
    const qrcode = new AuthenticationClient({ appId: testApp.id, appHost: server.origin }).qrcode;
    const { random } = await qrcode.geneCode();
    await phoneV2(server, "scanned", random, alice.access_token);
    await phoneV2(server, "confirm", random, alice.access_token);
    const { ticket } = await qrcode.checkStatus(random);
    const user = await qrcode.exchangeUserInfo(ticket!);
    expect(user).toMatchObject({ username: "alice", nickname: "Alice Chen", token: expect.any(String) });
    expect((await v3(server, "/api/v3/get-profile", { method: "GET", headers: { authorization: user.token! } })).body.data).toMatchObject({ username: "alice" });
    expect(await sdkRefusal(qrcode.exchangeUserInfo(ticket!))).toMatchObject({ code: 9013, message: "Ticket is invalid, expired or already used" });
  });
});
