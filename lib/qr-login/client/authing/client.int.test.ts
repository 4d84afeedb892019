import { decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";

import {
  AuthingApiError,
  AuthingUnavailableError,
  createAuthingClient,
  OAuthError,
  type AuthingClient,
} from "@/lib/qr-login/client/authing/client";
import { apiCodes, type TokenSet } from "@/lib/qr-login/client/authing/schemas";
import type { TokenEndpointAuthMethod } from "@/lib/qr-login/platform/config";
import { freePort, testApp, type AppServer } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";

const methods: TokenEndpointAuthMethod[] = ["none", "client_secret_post", "client_secret_basic"];

function clientFor(server: AppServer, method: TokenEndpointAuthMethod, overrides: { appSecret?: string; appId?: string } = {}) {
  return createAuthingClient({
    baseUrl: server.origin,
    appId: overrides.appId ?? testApp.id,
    appSecret: overrides.appSecret ?? testApp.secret,
    tokenEndpointAuthMethod: method,
  });
}

/** Alice signs in on the "phone" and approves a fresh code; answers the code's ticket. */
async function approvedTicket(client: AuthingClient): Promise<{ qrcodeId: string; ticket: string }> {
  const phone = await client.signinWithPassword({ account: "alice", password: "scan-me-in" });
  const { qrcodeId, url, pollSecret } = await client.geneQrCode({ context: { ip: "198.51.100.7", userAgent: "Test/1.0" } });
  expect(url).toMatch(/^https?:\/\//);
  expect(pollSecret).toEqual(expect.any(String));
  expect(await client.getQrCodeStatus(qrcodeId, { pollSecret })).toEqual({ status: "PENDING" });

  const scan = await client.setQrCodeStatus(phone.access_token!, qrcodeId, "SCAN");
  expect(scan.requester?.context).toEqual({ ip: "198.51.100.7", userAgent: "Test/1.0" });
  expect((await client.getQrCodeStatus(qrcodeId, { pollSecret })).status).toBe("SCANNED");
  await client.setQrCodeStatus(phone.access_token!, qrcodeId, "CONFIRM");

  // Without the code's poll secret the client sees the status, not the ticket.
  expect(await client.getQrCodeStatus(qrcodeId)).toEqual({ status: "AUTHORIZED" });
  const status = await client.getQrCodeStatus(qrcodeId, { pollSecret });
  expect(status.status).toBe("AUTHORIZED");
  expect(status.ticket).toEqual(expect.any(String));
  return { qrcodeId, ticket: status.ticket! };
}

// One server per auth method, for the whole file: the errors below use the default method's.
const servers = Object.fromEntries(
  methods.map((method) => [method, sharedAppServer({ AUTHING_TOKEN_ENDPOINT_AUTH_METHOD: method })]),
) as Record<TokenEndpointAuthMethod, AppServer>;

describe.each(methods)("the V3 client with token endpoint auth method %s", (method) => {
  const server = servers[method];

  it("creates a code, follows it to AUTHORIZED, and exchanges the ticket for a verified token set", async () => {
    const client = clientFor(server, method);
    const { ticket } = await approvedTicket(client);

    const tokenSet: TokenSet = await client.exchangeTicket(ticket);
    expect(tokenSet.access_token).toEqual(expect.any(String));
    expect(tokenSet.refresh_token).toEqual(expect.any(String));
    expect(tokenSet.expire_in).toBeGreaterThan(0);

    const claims = await client.verifyIdToken(tokenSet.id_token!);
    expect(claims.iss).toBe(`${server.origin}/oidc`);
    expect(claims.aud).toBe(testApp.id);
    expect(claims.name ?? claims.nickname).toBe("Alice Chen");

    const userInfo = await client.getUserInfo(tokenSet.access_token!);
    expect(userInfo.sub).toBe(claims.sub);
    const profile = await client.getProfile(tokenSet.access_token!);
    expect(profile.userId).toBe(claims.sub);

    // A ticket is good for one exchange only.
    await expect(client.exchangeTicket(ticket)).rejects.toBeInstanceOf(AuthingApiError);
  });

  it("refreshes with rotation, and a revoked refresh token is refused", async () => {
    const client = clientFor(server, method);
    const tokenSet = await client.exchangeTicket((await approvedTicket(client)).ticket);

    const refreshed = await client.refreshTokens(tokenSet.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokenSet.access_token);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokenSet.refresh_token);

    await client.revokeToken(refreshed.refresh_token!);
    const refusal = await client.refreshTokens(refreshed.refresh_token!).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(OAuthError);
    expect((refusal as OAuthError).error).toBe("invalid_grant");
  });

  // With method none there is no secret to get wrong.
  it.skipIf(method === "none")("maps a wrong secret to a typed error, and the refused exchange leaves the ticket usable", async () => {
    const client = clientFor(server, method);
    const { ticket } = await approvedTicket(client);
    const wrong = clientFor(server, method, { appSecret: "not-the-secret-0123456789abcdef" });

    const error = await wrong.exchangeTicket(ticket).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthingApiError);
    expect((error as AuthingApiError).statusCode).toBe(401);
    await expect(wrong.signinWithPassword({ account: "alice", password: "scan-me-in" })).rejects.toBeInstanceOf(AuthingApiError);

    await expect(client.exchangeTicket(ticket)).resolves.toMatchObject({ token_type: expect.any(String) });
  });
});

describe("the V3 client's errors", () => {
  const server = servers.client_secret_post;

  it("reports an unknown code with Authing's apiCode 2241", async () => {
    const error = await clientFor(server, "client_secret_post")
      .getQrCodeStatus("AAAAAAAAAAAAAAAAAAAAAA")
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthingApiError);
    expect(error).toMatchObject({ statusCode: 404, apiCode: apiCodes.qrCodeNotFound });
  });

  it("refuses an id_token made for another app (aud) or by another issuer", async () => {
    const client = clientFor(server, "client_secret_post");
    const { id_token } = await client.signinWithPassword({ account: "alice", password: "scan-me-in" });
    await expect(client.verifyIdToken(id_token!)).resolves.toMatchObject({ aud: testApp.id });

    const otherApp = clientFor(server, "client_secret_post", { appId: "some-other-app" });
    await expect(otherApp.verifyIdToken(id_token!)).rejects.toThrow();

    const tampered = id_token!.replace(/\.([^.]+)\./, (_match, payload: string) => {
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
      return `.${Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString("base64url")}.`;
    });
    await expect(client.verifyIdToken(tampered)).rejects.toThrow();
  });

  it("refuses an access token presented as an id_token: same key, same audience, another type", async () => {
    const client = clientFor(server, "client_secret_post");
    const { access_token, id_token } = await client.signinWithPassword({ account: "alice", password: "scan-me-in" });
    expect(decodeProtectedHeader(access_token!).typ).toBe("at+jwt");
    expect(decodeProtectedHeader(id_token!).typ).toBe("JWT");
    await expect(client.verifyIdToken(access_token!)).rejects.toThrow(/typ/);
    await expect(client.verifyIdToken(id_token!)).resolves.toMatchObject({ aud: testApp.id });
  });

  it("reports wrong user credentials and a bad user token as business errors", async () => {
    const client = clientFor(server, "client_secret_post");
    await expect(client.signinWithPassword({ account: "alice", password: "wrong" })).rejects.toBeInstanceOf(AuthingApiError);
    const error = await client.setQrCodeStatus("not-a-token", "AAAAAAAAAAAAAAAAAAAAAA", "SCAN").catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 401 });
  });

  it("reports a provider that cannot be reached as unavailable", async () => {
    const port = await freePort();
    const client = createAuthingClient({
      baseUrl: `http://127.0.0.1:${port}`,
      appId: testApp.id,
      appSecret: testApp.secret,
      tokenEndpointAuthMethod: "client_secret_post",
      timeoutMs: 2_000,
    });
    await expect(client.geneQrCode({})).rejects.toBeInstanceOf(AuthingUnavailableError);
  });
});
