import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, describe, expect, it } from "vitest";

import { idTokenClaimsSchema, qrCodeIdSchema, tokenSetSchema } from "@/lib/qr-login/client/authing/schemas";
import type { TokenEndpointAuthMethod } from "@/lib/qr-login/platform/config";
import { testApp } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";
import { testClock } from "@/test-support/test-clock";

import { clientAuth, exchange, form, geneQrCode, qrStatus, setStatus, signin, v3 } from "../../../test-support/test-client";

const methods: TokenEndpointAuthMethod[] = ["none", "client_secret_post", "client_secret_basic"];

describe.each(methods)("the whole QR login over HTTP, auth method %s", (method) => {
  const clock = testClock();
  afterAll(() => clock.remove());
  const server = sharedAppServer({
    AUTHING_TOKEN_ENDPOINT_AUTH_METHOD: method,
    AUTHING_REVOCATION_ENDPOINT_AUTH_METHOD: method,
    // The longest there is, so a slow machine never outlasts it by accident: the clock moves past it.
    REFRESH_TOKEN_REUSE_INTERVAL_SECONDS: "60",
    ...clock.env,
  });

  it("signs in, scans, confirms, exchanges, verifies, refreshes with rotation and revokes", async () => {
    const phone = await signin(server, "alice", method);

    const { qrcodeId, url } = await geneQrCode(server, { ip: "10.0.0.7", userAgent: "Firefox on Linux" });
    expect(qrCodeIdSchema.safeParse(qrcodeId).success).toBe(true);
    expect(Buffer.from(qrcodeId, "base64url")).toHaveLength(16);
    expect(url).toBe(`${server.origin}/api/v3/qrcode-image?qrcodeId=${qrcodeId}`);
    const image = await fetch(url);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await image.arrayBuffer()).subarray(1, 4).toString()).toBe("PNG");
    expect((await qrStatus(server, qrcodeId)).body.data).toEqual({ status: "PENDING" });

    const scan = await setStatus(server, phone.access_token, qrcodeId, "SCAN");
    expect(scan.body).toMatchObject({ statusCode: 200, data: { success: true, requester: { context: { ip: "10.0.0.7", userAgent: "Firefox on Linux" } } } });
    const scanned = (await qrStatus(server, qrcodeId)).body.data;
    expect(scanned.status).toBe("SCANNED");
    expect(scanned.briefUserInfo.displayName).toBe("Alice Chen");
    expect(scanned.briefUserInfo.photo).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(scanned.ticket).toBeUndefined();

    expect((await setStatus(server, `Bearer ${phone.access_token}`, qrcodeId, "CONFIRM")).body).toMatchObject({ statusCode: 200, data: { success: true } });
    const authorized = (await qrStatus(server, qrcodeId)).body.data;
    expect(authorized.status).toBe("AUTHORIZED");
    expect(Buffer.from(authorized.ticket, "base64url")).toHaveLength(32);
    expect(authorized.tokenSet).toBeUndefined();

    const exchanged = await exchange(server, authorized.ticket, method);
    expect(exchanged.body.statusCode).toBe(200);
    const tokenSet = tokenSetSchema.parse(exchanged.body.data);
    expect(tokenSet).toMatchObject({ token_type: "Bearer", expire_in: 7200 });
    // Once redeemed, the ticket is no longer shown.
    expect((await qrStatus(server, qrcodeId)).body.data).not.toHaveProperty("ticket");

    const discovery = await (await fetch(`${server.origin}/oidc/.well-known/openid-configuration`)).json();
    expect(discovery.issuer).toBe(`${server.origin}/oidc`);
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(tokenSet.id_token!, jwks, { issuer: `${server.origin}/oidc`, audience: testApp.id });
    expect(protectedHeader).toMatchObject({ alg: "RS256" });
    const claims = idTokenClaimsSchema.parse(payload);
    expect(claims).toMatchObject({ name: "Alice Chen", nickname: "Alice Chen", email: "alice@example.com" });
    expect(claims.picture).toMatch(/^data:image\/svg\+xml/);
    expect(claims.exp - claims.iat).toBe(7200);

    const me = await fetch(`${server.origin}/oidc/me`, { headers: { authorization: `Bearer ${tokenSet.access_token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ sub: claims.sub, email: "alice@example.com", name: "Alice Chen" });
    const profile = await v3(server, "/api/v3/get-profile", { method: "GET", headers: { authorization: tokenSet.access_token! } });
    expect(profile.body.data).toMatchObject({ userId: claims.sub, username: "alice" });

    const auth = clientAuth(method);
    const refreshed = await form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token: tokenSet.refresh_token!, ...auth.body }, auth.headers);
    expect(refreshed.http).toBe(200);
    expect(refreshed.body).toMatchObject({ token_type: "Bearer", expires_in: 7200 });
    expect(refreshed.body.refresh_token).not.toBe(tokenSet.refresh_token);
    await jwtVerify(refreshed.body.id_token, jwks, { issuer: `${server.origin}/oidc`, audience: testApp.id });

    // Within the reuse interval (60 s here) a replay is a racing twin and gets a successor too...
    const raced = await form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token: tokenSet.refresh_token!, ...auth.body }, auth.headers);
    expect(raced.http).toBe(200);
    expect(raced.body.refresh_token).not.toBe(refreshed.body.refresh_token);
    // ...after it, a replay is theft.
    clock.advance(61_000);
    const replayed = await form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token: tokenSet.refresh_token!, ...auth.body }, auth.headers);
    expect(replayed).toMatchObject({ http: 400, body: { error: "invalid_grant" } });
    // Reuse of a rotated token revokes its family: the token just issued is dead too.
    const afterReuse = await form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token: refreshed.body.refresh_token, ...auth.body }, auth.headers);
    expect(afterReuse).toMatchObject({ http: 400, body: { error: "invalid_grant" } });
    const racedAfterReuse = await form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token: raced.body.refresh_token, ...auth.body }, auth.headers);
    expect(racedAfterReuse).toMatchObject({ http: 400, body: { error: "invalid_grant" } });

    const revoked = await form(server, "/oidc/token/revocation", { token: refreshed.body.access_token, ...auth.body }, auth.headers);
    expect(revoked.http).toBe(200);
    const meAfter = await fetch(`${server.origin}/oidc/me`, { headers: { authorization: `Bearer ${refreshed.body.access_token}` } });
    expect(meAfter.status).toBe(401);
    expect(meAfter.headers.get("www-authenticate")).toContain('error="invalid_token"');
    // Another access token of the same user is untouched.
    expect((await fetch(`${server.origin}/oidc/me`, { headers: { authorization: `Bearer ${tokenSet.access_token}` } })).status).toBe(200);

    // A fresh sign-in's refresh token, revoked, can no longer be used.
    const second = await signin(server, "bob", method);
    expect((await form(server, "/oidc/token/revocation", { token: second.refresh_token, ...auth.body }, auth.headers)).http).toBe(200);
    const refreshRevoked = await form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token: second.refresh_token, ...auth.body }, auth.headers);
    expect(refreshRevoked).toMatchObject({ http: 400, body: { error: "invalid_grant" } });

    expect(server.output()).not.toContain(testApp.secret);
    expect(server.output()).not.toContain(tokenSet.refresh_token!);
  });
});
