/**
 * "A client built on Authing's official SDKs, pointed at it, must work unchanged": the official
 * Node SDK's AuthenticationClient, unmodified, against the embedded provider over real HTTP.
 */
import { AuthenticationClient } from "authing-node-sdk";
import { describe, expect, it } from "vitest";

import type { TokenEndpointAuthMethod } from "@/lib/qr-login/platform/config";
import { testApp } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";

describe.each<TokenEndpointAuthMethod>(["client_secret_post", "client_secret_basic"])(
  "authing-node-sdk AuthenticationClient, auth method %s",
  (method) => {
    const server = sharedAppServer({ AUTHING_TOKEN_ENDPOINT_AUTH_METHOD: method, AUTHING_REVOCATION_ENDPOINT_AUTH_METHOD: method });

    const client = () =>
      new AuthenticationClient({
        appId: testApp.id,
        appSecret: testApp.secret,
        appHost: server.origin,
        tokenEndPointAuthMethod: method,
        revocationEndPointAuthMethod: method,
      });

    it("signs in, generates a code, walks it through its states and exchanges the ticket", async () => {
      const phone = client();
      const signedIn = await phone.signInByAccountPassword({ account: "alice", password: "scan-me-in" });
      expect(signedIn.statusCode).toBe(200);
      phone.setAccessToken(signedIn.data.access_token!);

      const web = client();
      const generated = await web.geneQrCode({ type: "MOBILE_APP" as never, context: { ip: "10.1.2.3" } });
      expect(generated.statusCode).toBe(200);
      const { qrcodeId } = generated.data;

      expect((await web.checkQrCodeStatus({ qrcodeId })).data.status).toBe("PENDING");
      expect((await phone.setQrCodeStatus({ qrcodeId, action: "SCAN" as never })).statusCode).toBe(200);
      const scanned = await web.getQrCodeStatus({ qrcodeId });
      expect(scanned.data).toMatchObject({ status: "SCANNED", briefUserInfo: { displayName: "Alice Chen" } });
      expect((await phone.changeQrCodeStatus({ qrcodeId, action: "CONFIRM" as never })).statusCode).toBe(200);
      const authorized = await web.checkQrCodeStatus({ qrcodeId });
      expect(authorized.data.status).toBe("AUTHORIZED");

      const body = method === "client_secret_post" ? { client_id: testApp.id, client_secret: testApp.secret } : {};
      const exchanged = await web.exchangeTokenSetWithQrCodeTicket({ ticket: authorized.data.ticket!, ...body });
      expect(exchanged.statusCode).toBe(200);
      const { id_token, access_token, refresh_token } = exchanged.data;

      const idToken = await web.parseIDToken(id_token!);
      expect(idToken).toMatchObject({ aud: testApp.id, iss: `${server.origin}/oidc`, email: "alice@example.com" });
      expect(await web.parseAccessToken(access_token!)).toMatchObject({ sub: idToken.sub });
      // The SDK's default puts the token in the query, which /oidc/me refuses (a URL is logged).
      expect(await web.getUserInfoByAccessToken(access_token!, { method: "GET", tokenPlace: "header" })).toMatchObject({ sub: idToken.sub, name: "Alice Chen" });
      expect((await phone.getProfile({})).data).toMatchObject({ userId: idToken.sub, username: "alice" });

      const refreshed = (await web.getNewAccessTokenByRefreshToken(refresh_token!)) as { refresh_token: string };
      expect(refreshed.refresh_token).toEqual(expect.any(String));
      expect(await web.revokeToken(refreshed.refresh_token)).toBe(true);
    });

    it("gets business errors in the body, as the SDK expects", async () => {
      const web = client();
      const unknown = await web.getQrCodeStatus({ qrcodeId: "AAAAAAAAAAAAAAAAAAAAAA" });
      expect(unknown).toMatchObject({ statusCode: 404, apiCode: 2241 });
    });
  },
);
