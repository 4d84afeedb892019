import { generateKeyPair, SignJWT, decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { apiCodes } from "@/lib/qr-login/client/authing/schemas";
import { testApp } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";
import { testClock } from "@/test-support/test-clock";

import { authorizedTicket, exchange, form, geneQrCode, qrStatus, setStatus, signin, v3 } from "../../../test-support/test-client";

describe("refusals (client_secret_post app)", () => {
  const server = sharedAppServer({ AUTHING_TOKEN_ENDPOINT_AUTH_METHOD: "client_secret_post", ALLOW_SIGNUP: "true" });
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    alice = (await signin(server, "alice", "client_secret_post")).access_token;
    bob = (await signin(server, "bob@example.com", "client_secret_post")).access_token;
  });

  const statusOf = async (qrcodeId: string) => (await qrStatus(server, qrcodeId)).body.data.status;

  it("refuses CONFIRM and CANCEL before SCAN, and the code stays PENDING", async () => {
    const { qrcodeId } = await geneQrCode(server);
    for (const action of ["CONFIRM", "CANCEL"]) {
      const answer = await setStatus(server, alice, qrcodeId, action);
      expect(answer).toMatchObject({ http: 200, body: { statusCode: 400, apiCode: apiCodes.qrCodeWrongState, data: null } });
      expect(answer.body.requestId).toEqual(expect.any(String));
    }
    expect(await statusOf(qrcodeId)).toBe("PENDING");
  });

  it("refuses a second scanner (403) but lets the first scan again; only the scanner decides", async () => {
    const { qrcodeId } = await geneQrCode(server);
    expect((await setStatus(server, alice, qrcodeId, "SCAN")).body.statusCode).toBe(200);
    expect((await setStatus(server, bob, qrcodeId, "SCAN")).body).toMatchObject({ statusCode: 403, apiCode: apiCodes.qrCodeScannedByAnother });
    expect((await setStatus(server, alice, qrcodeId, "SCAN")).body).toMatchObject({ statusCode: 200, data: { success: true } });
    for (const action of ["CONFIRM", "CANCEL"]) {
      expect((await setStatus(server, bob, qrcodeId, action)).body.statusCode).toBe(403);
    }
    const status = (await qrStatus(server, qrcodeId)).body.data;
    expect(status).toMatchObject({ status: "SCANNED", briefUserInfo: { displayName: "Alice Chen" } });
  });

  it("refuses CANCEL after CONFIRM and CONFIRM after CANCEL", async () => {
    const confirmed = await authorizedTicket(server, "client_secret_post");
    expect((await setStatus(server, confirmed.userToken, confirmed.qrcodeId, "CANCEL")).body).toMatchObject({ statusCode: 400, apiCode: apiCodes.qrCodeWrongState });
    expect((await qrStatus(server, confirmed.qrcodeId)).body.data).toMatchObject({ status: "AUTHORIZED", ticket: confirmed.ticket });

    const { qrcodeId } = await geneQrCode(server);
    await setStatus(server, alice, qrcodeId, "SCAN");
    expect((await setStatus(server, alice, qrcodeId, "CANCEL")).body.statusCode).toBe(200);
    expect((await setStatus(server, alice, qrcodeId, "CONFIRM")).body.statusCode).toBe(400);
    expect((await setStatus(server, alice, qrcodeId, "SCAN")).body.statusCode).toBe(400);
    const status = (await qrStatus(server, qrcodeId)).body.data;
    expect(status.status).toBe("CANCELLED");
    expect(status.ticket).toBeUndefined();
  });

  it("refuses a reused ticket, a wrong secret and the wrong auth method, changing nothing", async () => {
    const { ticket, qrcodeId } = await authorizedTicket(server, "client_secret_post");
    expect((await exchange(server, ticket, "client_secret_post", "wrong-secret-0123456789abcdef")).body).toMatchObject({ statusCode: 401, apiCode: apiCodes.clientAuthFailed });
    expect((await exchange(server, ticket, "client_secret_basic")).body).toMatchObject({ statusCode: 401, apiCode: apiCodes.clientAuthFailed });
    expect((await exchange(server, ticket, "none")).body.statusCode).toBe(401);
    const unknownClient = await v3(server, "/api/v3/exchange-tokenset-with-qrcode-ticket", { body: { ticket, client_id: "someone-else", client_secret: testApp.secret } });
    expect(unknownClient.body.statusCode).toBe(401);
    // None of those used the ticket up.
    expect((await qrStatus(server, qrcodeId)).body.data.ticket).toBe(ticket);
    expect((await exchange(server, ticket, "client_secret_post")).body.statusCode).toBe(200);
    expect((await exchange(server, ticket, "client_secret_post")).body).toMatchObject({ statusCode: 400, apiCode: apiCodes.ticketInvalid });
    expect((await exchange(server, "no-such-ticket", "client_secret_post")).body).toMatchObject({ statusCode: 400, apiCode: apiCodes.ticketInvalid });
  });

  it("refuses a missing or unknown app id", async () => {
    const missing = await v3(server, "/api/v3/gene-qrcode", { appId: null, body: { type: "MOBILE_APP" } });
    expect(missing).toMatchObject({ http: 200, body: { statusCode: 400, apiCode: apiCodes.appNotFound } });
    const unknown = await v3(server, "/api/v3/gene-qrcode", { appId: "not-our-app", body: { type: "MOBILE_APP" } });
    expect(unknown).toMatchObject({ http: 200, body: { statusCode: 400, apiCode: apiCodes.appNotFound } });
    const { qrcodeId } = await geneQrCode(server);
    expect((await v3(server, `/api/v3/get-qrcode-status?qrcodeId=${qrcodeId}`, { method: "GET", appId: "not-our-app" })).body.statusCode).toBe(400);
  });

  it("refuses a missing, forged, mistyped or revoked user token, and the code stays PENDING", async () => {
    const { qrcodeId } = await geneQrCode(server);
    const { privateKey } = await generateKeyPair("RS256");
    const claims = decodeJwt(alice);
    const forged = await new SignJWT({ ...claims }).setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid: "x" }).sign(privateKey);
    const [header, , signature] = alice.split(".");
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString("base64url")}.${signature}`;
    const { id_token, access_token: revokedToken } = await signin(server, "alice", "client_secret_post");
    await form(server, "/oidc/token/revocation", { token: revokedToken, client_id: testApp.id, client_secret: testApp.secret });

    const noToken = await v3(server, "/api/v3/set-qrcode-status", { body: { qrcodeId, action: "SCAN" } });
    expect(noToken.body).toMatchObject({ statusCode: 401, apiCode: apiCodes.invalidUserToken });
    for (const token of [forged, tampered, id_token, revokedToken, "Bearer not-a-jwt", `Basic ${Buffer.from("a:b").toString("base64")}`]) {
      const answer = await setStatus(server, token, qrcodeId, "SCAN");
      expect(answer, token.slice(0, 20)).toMatchObject({ http: 200, body: { statusCode: 401, apiCode: apiCodes.invalidUserToken } });
    }
    expect((await v3(server, "/api/v3/get-profile", { method: "GET", headers: { authorization: forged } })).body.statusCode).toBe(401);
    expect(await statusOf(qrcodeId)).toBe("PENDING");
  });

  it("answers an unknown qrcodeId with 404 / apiCode 2241 and a malformed one with 400", async () => {
    const unknown = "AAAAAAAAAAAAAAAAAAAAAA";
    expect((await qrStatus(server, unknown))).toMatchObject({ http: 200, body: { statusCode: 404, apiCode: 2241 } });
    expect((await v3(server, `/api/v3/check-qrcode-status?qrcodeId=${unknown}`, { method: "GET" })).body.apiCode).toBe(2241);
    expect((await setStatus(server, alice, unknown, "SCAN")).body).toMatchObject({ statusCode: 404, apiCode: 2241 });
    expect((await fetch(`${server.origin}/api/v3/qrcode-image?qrcodeId=${unknown}`)).status).toBe(404);
    expect((await qrStatus(server, "../etc/passwd")).body).toMatchObject({ statusCode: 400, apiCode: apiCodes.invalidRequest });
    expect((await v3(server, "/api/v3/get-qrcode-status", { method: "GET" })).body.statusCode).toBe(400);
  });

  it("answers bad input with an envelope, never a 500, and changes nothing", async () => {
    const { qrcodeId: untouched } = await geneQrCode(server);
    const invalidJson = await v3(server, "/api/v3/set-qrcode-status", { headers: { authorization: alice }, body: `{"qrcodeId": "${untouched}", ` });
    expect(invalidJson).toMatchObject({ http: 400, body: { statusCode: 400, apiCode: apiCodes.invalidRequest, data: null } });
    for (const body of [{ qrcodeId: 123, action: "SCAN" }, { qrcodeId: untouched, action: "EXPLODE" }, [untouched], "null", { qrcodeId: untouched }]) {
      const wrong = await v3(server, "/api/v3/set-qrcode-status", { headers: { authorization: alice }, body });
      expect(wrong, JSON.stringify(body)).toMatchObject({ http: 200, body: { statusCode: 400, apiCode: apiCodes.invalidRequest } });
    }
    expect(await statusOf(untouched)).toBe("PENDING");
    expect((await v3(server, "/api/v3/gene-qrcode", { body: { type: "WECHAT" } })).body.statusCode).toBe(400);
    expect((await v3(server, "/api/v3/gene-qrcode", { body: { type: "MOBILE_APP", context: { blob: "x".repeat(5000) } } })).body.statusCode).toBe(400);

    const huge = await v3(server, "/api/v3/set-qrcode-status", { headers: { authorization: alice }, body: JSON.stringify({ qrcodeId: untouched, action: "SCAN", pad: "x".repeat(100 * 1024) }) });
    expect(huge).toMatchObject({ http: 413, body: { statusCode: 413, apiCode: apiCodes.bodyTooLarge } });
    expect(await statusOf(untouched)).toBe("PENDING");

    const wrongMethod = await v3(server, "/api/v3/gene-qrcode", { method: "GET" });
    expect(wrongMethod).toMatchObject({ http: 405, body: { statusCode: 405, apiCode: apiCodes.methodNotAllowed } });
    const wrongMethodPut = await fetch(`${server.origin}/api/v3/get-qrcode-status`, { method: "PUT" });
    expect(wrongMethodPut.status).toBe(405);
    expect(wrongMethodPut.headers.get("allow")).toBe("GET");
    expect((await wrongMethodPut.json()).statusCode).toBe(405);
    expect(server.output()).not.toMatch(/failed \(request/);
  });

  it("refuses bad sign-ins alike and creates users on sign-up", async () => {
    const post = { client_id: testApp.id, client_secret: testApp.secret };
    const wrongPassword = await v3(server, "/api/v3/signin", { body: { connection: "PASSWORD", passwordPayload: { username: "alice", password: "nope" }, ...post } });
    const noUser = await v3(server, "/api/v3/signin", { body: { connection: "PASSWORD", passwordPayload: { email: "nobody@example.com", password: "nope" }, ...post } });
    expect(wrongPassword.body).toMatchObject({ statusCode: 401, apiCode: apiCodes.wrongCredentials });
    expect(noUser.body).toMatchObject({ statusCode: 401, message: wrongPassword.body.message });
    const noSecret = await v3(server, "/api/v3/signin", { body: { connection: "PASSWORD", passwordPayload: { username: "alice", password: "scan-me-in" } } });
    expect(noSecret.body.statusCode).toBe(401);

    const created = await v3(server, "/api/v3/signup", { body: { connection: "PASSWORD", passwordPayload: { username: "carol", email: "carol@example.com", password: "long-enough-pw" }, profile: { nickname: "Carol" } } });
    expect(created.body).toMatchObject({ statusCode: 200, data: { username: "carol", email: "carol@example.com", nickname: "Carol" } });
    expect(created.body.data.photo).toMatch(/^data:image\/svg\+xml/);
    expect(JSON.stringify(created.body)).not.toContain("long-enough-pw");
    // A taken name gets the same answer as a new one (nothing says which accounts exist), and nothing is made.
    const again = await v3(server, "/api/v3/signup", { body: { connection: "PASSWORD", passwordPayload: { username: "CAROL", password: "other-password" } } });
    const fresh = await v3(server, "/api/v3/signup", { body: { connection: "PASSWORD", passwordPayload: { username: "CAROLINE", password: "other-password" } } });
    const shape = (answer: typeof again) => ({ ...answer, body: { ...answer.body, requestId: "", data: Object.keys(answer.body.data).sort() } });
    expect(shape(again)).toEqual(shape(fresh));
    expect(again.body.data.userId).not.toBe(created.body.data.userId);
    expect((await signin(server, "carol@example.com", "client_secret_post", "long-enough-pw")).access_token).toBeTruthy();
    await expect(signin(server, "carol", "client_secret_post", "other-password")).rejects.toThrow(/signin failed/);
  });

  it("reads a chunked body with no Content-Length only up to its cap, and answers 413 in the route's envelope", async () => {
    /** POSTs an endless body, sent in chunks with no Content-Length; answers the response and the bytes the server took before it. */
    async function endlessPost(pathname: string, headers: Record<string, string>) {
      let sent = 0;
      const chunk = new TextEncoder().encode(`{"pad":"${"x".repeat(16 * 1024)}`);
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          // A stop far past every cap, should a reader take the whole body after all.
          if (sent > 64 * 1024 * 1024) return controller.close();
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const response = await fetch(`${server.origin}${pathname}`, { method: "POST", headers, body, duplex: "half" } as RequestInit);
      const answer = { status: response.status, text: await response.text(), sent };
      await body.cancel().catch(() => {});
      return answer;
    }
    const v3Answer = await endlessPost("/api/v3/gene-qrcode", { "content-type": "application/json", "x-authing-app-id": testApp.id });
    expect(v3Answer.status).toBe(413);
    expect(JSON.parse(v3Answer.text)).toMatchObject({ statusCode: 413, apiCode: apiCodes.bodyTooLarge, data: null });
    expect(v3Answer.sent).toBeLessThan(64 * 1024 * 1024);
    const oidc = await endlessPost("/oidc/token", { "content-type": "application/x-www-form-urlencoded" });
    expect(oidc.status).toBe(413);
    expect(JSON.parse(oidc.text)).toMatchObject({ error: "invalid_request" });
    expect(oidc.sent).toBeLessThan(64 * 1024 * 1024);
    // NextAuth's routes sit behind the proxy, for which Next buffers a body (up to 10 MB) before any
    // code of ours runs: a finite chunked body, then, read by the route only up to its cap.
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let part = 0; part < 8; part++) controller.enqueue(new TextEncoder().encode(`pad${part}=${"x".repeat(16 * 1024)}&`));
        controller.close();
      },
    });
    const nextAuth = await fetch(`${server.origin}/api/auth/callback/qrcode`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: chunked,
      duplex: "half",
    } as RequestInit);
    expect(nextAuth.status).toBe(413);
    expect(await nextAuth.json()).toMatchObject({ error: "invalid_request", message: "Request body is too large" });
  });

  it("answers /oidc/* with standard OAuth errors", async () => {
    const post = { client_id: testApp.id, client_secret: testApp.secret };
    expect(await form(server, "/oidc/token", { grant_type: "password", ...post })).toMatchObject({ http: 400, body: { error: "unsupported_grant_type" } });
    expect(await form(server, "/oidc/token", { ...post })).toMatchObject({ http: 400, body: { error: "invalid_request" } });
    expect(await form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token: "x", client_id: testApp.id, client_secret: "wrong" })).toMatchObject({ http: 401, body: { error: "invalid_client" } });
    const basic = await form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token: "x" }, { authorization: `Basic ${Buffer.from(`${testApp.id}:${testApp.secret}`).toString("base64")}` });
    expect(basic).toMatchObject({ http: 401, body: { error: "invalid_client" } });
    expect(basic.headers.get("www-authenticate")).toContain("Basic");
    expect(await form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token: "unknown", ...post })).toMatchObject({ http: 400, body: { error: "invalid_grant" } });
    expect(await form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token: "x".repeat(100 * 1024), ...post })).toMatchObject({ http: 413, body: { error: "invalid_request" } });
    const json = await fetch(`${server.origin}/oidc/token`, { method: "POST", headers: { "content-type": "application/json" }, body: "{oops" });
    expect(json.status).toBe(400);
    expect((await fetch(`${server.origin}/oidc/token`, { method: "GET" })).status).toBe(405);
    expect((await fetch(`${server.origin}/oidc/me`)).status).toBe(401);
    // The official SDK's form bodies sometimes come without a usable content-type.
    const { refresh_token } = await signin(server, "alice", "client_secret_post");
    const bare = await fetch(`${server.origin}/oidc/token`, { method: "POST", headers: { "content-type": "text/plain" }, body: new URLSearchParams({ grant_type: "refresh_token", refresh_token, ...post }).toString() });
    expect(bare.status).toBe(200);
  });
});

describe("a server with the production defaults", () => {
  const server = sharedAppServer();

  describe("sign-up in production (ALLOW_SIGNUP unset)", () => {
    it("is off: refused in the envelope, whether the name is taken or not, and nothing is made", async () => {
      for (const username of ["alice", "someone-new"]) {
        const answer = await v3(server, "/api/v3/signup", { body: { connection: "PASSWORD", passwordPayload: { username, password: "long-enough-pw" } } });
        expect(answer.body).toMatchObject({ statusCode: 403, apiCode: apiCodes.signupDisabled, data: null });
      }
      await expect(signin(server, "someone-new", "client_secret_post", "long-enough-pw")).rejects.toThrow(/signin failed/);
    });
  });

  describe("/oidc/me", () => {
    it("takes the access token from the Authorization header only, never from the query or the body", async () => {
      const { access_token } = await signin(server, "alice", "client_secret_post");
      const bearer = { authorization: `Bearer ${access_token}` };
      expect((await fetch(`${server.origin}/oidc/me`, { headers: bearer })).status).toBe(200);
      expect((await fetch(`${server.origin}/oidc/me`, { method: "POST", headers: bearer })).status).toBe(200);

      const inQuery = await fetch(`${server.origin}/oidc/me?access_token=${access_token}`);
      expect(inQuery.status).toBe(400);
      expect(await inQuery.json()).toMatchObject({ error: "invalid_request" });
      const inBody = await form(server, "/oidc/me", { access_token });
      expect(inBody).toMatchObject({ http: 400, body: { error: "invalid_request" } });
      // Two ways at once (RFC 6750 2): refused too, even though the header alone would do.
      expect((await fetch(`${server.origin}/oidc/me?access_token=${access_token}`, { headers: bearer })).status).toBe(400);
      // A bare token in the header is not a Bearer credential.
      expect((await fetch(`${server.origin}/oidc/me`, { headers: { authorization: access_token } })).status).toBe(401);
    });
  });
});

describe("expiry (QR_CODE_TTL_SECONDS=2, TICKET_TTL_SECONDS=1, client_secret_basic app, on a test clock)", () => {
  const clock = testClock();
  afterAll(() => clock.remove());
  const server = sharedAppServer({
    AUTHING_TOKEN_ENDPOINT_AUTH_METHOD: "client_secret_basic",
    QR_CODE_TTL_SECONDS: "2",
    TICKET_TTL_SECONDS: "1",
    ...clock.env,
  });
  let alice: string;
  beforeAll(async () => {
    alice = (await signin(server, "alice", "client_secret_basic")).access_token;
  });

  it("reads a code past its time as EXPIRED and refuses to scan or confirm it", async () => {
    const pending = await geneQrCode(server);
    const scanned = await geneQrCode(server);
    expect((await setStatus(server, alice, scanned.qrcodeId, "SCAN")).body.statusCode).toBe(200);
    clock.advance(2_100);
    expect((await qrStatus(server, pending.qrcodeId)).body.data).toEqual({ status: "EXPIRED" });
    expect((await setStatus(server, alice, pending.qrcodeId, "SCAN")).body).toMatchObject({ statusCode: 400, apiCode: apiCodes.qrCodeExpired });
    expect((await setStatus(server, alice, scanned.qrcodeId, "CONFIRM")).body).toMatchObject({ statusCode: 400, apiCode: apiCodes.qrCodeExpired });
    expect((await qrStatus(server, scanned.qrcodeId)).body.data.status).toBe("EXPIRED");
  });

  it("drops an expired ticket from the status and refuses to exchange it", async () => {
    const { ticket, qrcodeId } = await authorizedTicket(server, "client_secret_basic");
    expect(ticket).toBeTruthy();
    clock.advance(1_100);
    expect((await qrStatus(server, qrcodeId)).body.data).not.toHaveProperty("ticket");
    expect((await exchange(server, ticket, "client_secret_basic")).body).toMatchObject({ statusCode: 400, apiCode: apiCodes.ticketInvalid });
  });

  it("refuses client_secret_post on a client_secret_basic app", async () => {
    const { ticket } = await authorizedTicket(server, "client_secret_basic");
    expect((await exchange(server, ticket, "client_secret_post")).body).toMatchObject({ statusCode: 401, apiCode: apiCodes.clientAuthFailed });
    expect((await exchange(server, ticket, "client_secret_basic")).body.statusCode).toBe(200);
  });
});
