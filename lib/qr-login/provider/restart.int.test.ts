import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";

import { testApp } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";

import { exchange, form, geneQrCode, qrStatus, setStatus, signin, v3 } from "../../../test-support/test-client";

describe("state survives a restart of the provider", () => {
  const server = sharedAppServer({ ALLOW_SIGNUP: "true" });

  it("keeps users, keys, a scanned code and refresh tokens", async () => {
    const signup = await v3(server, "/api/v3/signup", {
      body: { connection: "PASSWORD", passwordPayload: { username: "dave", password: "dave-password" } },
    });
    expect(signup.body.statusCode).toBe(200);
    const alice = await signin(server, "alice", "client_secret_post");
    const { qrcodeId } = await geneQrCode(server);
    expect((await setStatus(server, alice.access_token, qrcodeId, "SCAN")).body.statusCode).toBe(200);
    const jwksBefore = await (await fetch(`${server.origin}/oidc/.well-known/jwks.json`)).json();

    await server.restart();

    const jwksAfter = await (await fetch(`${server.origin}/oidc/.well-known/jwks.json`)).json();
    expect(jwksAfter).toEqual(jwksBefore);
    const { payload } = await jwtVerify(alice.id_token, createLocalJWKSet(jwksAfter), { issuer: `${server.origin}/oidc`, audience: testApp.id });
    expect(payload.email).toBe("alice@example.com");

    expect((await signin(server, "dave", "client_secret_post", "dave-password")).access_token).toBeTruthy();
    // The phone's token from before the restart still works, and the scanned code goes on.
    expect((await qrStatus(server, qrcodeId)).body.data.status).toBe("SCANNED");
    expect((await setStatus(server, alice.access_token, qrcodeId, "CONFIRM")).body.statusCode).toBe(200);
    const { ticket } = (await qrStatus(server, qrcodeId)).body.data;
    expect((await exchange(server, ticket, "client_secret_post")).body.statusCode).toBe(200);

    const refreshed = await form(server, "/oidc/token", {
      grant_type: "refresh_token",
      refresh_token: alice.refresh_token,
      client_id: testApp.id,
      client_secret: testApp.secret,
    });
    expect(refreshed.http).toBe(200);
  });
});
