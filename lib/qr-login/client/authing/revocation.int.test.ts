import { describe, expect, it } from "vitest";

import { createAuthingClient, OAuthError } from "@/lib/qr-login/client/authing/client";
import type { TokenEndpointAuthMethod } from "@/lib/qr-login/platform/config";
import { clientAuth, form, signin } from "@/test-support/test-client";
import { testApp } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";

// Each revocation method, on an app whose token endpoint uses another one: the two are separate.
const cases: [revocation: TokenEndpointAuthMethod, token: TokenEndpointAuthMethod][] = [
  ["client_secret_post", "client_secret_basic"],
  ["client_secret_basic", "client_secret_post"],
  ["none", "client_secret_post"],
];

describe.each(cases)("revocation endpoint auth method %s (token endpoint: %s)", (revocation, token) => {
  const server = sharedAppServer({ AUTHING_TOKEN_ENDPOINT_AUTH_METHOD: token, AUTHING_REVOCATION_ENDPOINT_AUTH_METHOD: revocation });
  const client = (revocationEndpointAuthMethod: TokenEndpointAuthMethod) =>
    createAuthingClient({ baseUrl: server.origin, appId: testApp.id, appSecret: testApp.secret, tokenEndpointAuthMethod: token, revocationEndpointAuthMethod });

  it("revokes with its own method, and advertises it", async () => {
    const { refresh_token } = await signin(server, "alice", token);
    await client(revocation).revokeToken(refresh_token);
    expect(await form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token, ...clientAuth(token).body }, clientAuth(token).headers)).toMatchObject({
      http: 400,
      body: { error: "invalid_grant" },
    });
    const discovery = await (await fetch(`${server.origin}/oidc/.well-known/openid-configuration`)).json();
    expect(discovery).toMatchObject({ revocation_endpoint_auth_methods_supported: [revocation], token_endpoint_auth_methods_supported: [token] });
  });

  it("refuses the token endpoint's method at the revocation endpoint, and the token stays valid", async () => {
    const { refresh_token } = await signin(server, "alice", token);
    const refusal = await client(token).revokeToken(refresh_token).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(OAuthError);
    expect((refusal as OAuthError).error).toBe("invalid_client");
    const refreshed = await form(server, "/oidc/token", { grant_type: "refresh_token", refresh_token, ...clientAuth(token).body }, clientAuth(token).headers);
    expect(refreshed.http).toBe(200);
  });
});
