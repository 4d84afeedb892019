import { decode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TestBrowser, TestPhone } from "@/test-support/test-browser";
import { startAppServer, testApp, type AppServer } from "@/test-support/app-server";
import { testClock } from "@/test-support/test-clock";

const SESSION_COOKIE = "__Secure-next-auth.session-token";

/** The app signs in through a provider on another origin (as with real Authing), which then goes away. */
describe("a session whose provider cannot refresh it (both on one test clock)", () => {
  const clock = testClock();
  let provider: AppServer;
  let app: AppServer;
  beforeAll(async () => {
    provider = await startAppServer({ ACCESS_TOKEN_TTL_SECONDS: "10", ...clock.env });
    app = await startAppServer({ AUTHING_APP_HOST: provider.origin, ...clock.env });
  });
  afterAll(async () => {
    await Promise.all([app?.stop(), provider?.stop()]);
    clock.remove();
  });

  it("ends at the access token's expiry: the token's expiry is a hard deadline", async () => {
    const browser = new TestBrowser(app.origin);
    const html = await (await browser.fetch("/login")).text();
    const qrcodeId = /data-qrcode-id="([^"]+)"/.exec(html)![1]!;
    const phone = new TestPhone(provider.origin);
    await phone.signIn("alice");
    await phone.approve(qrcodeId);
    expect((await browser.signInWithQrCode(qrcodeId)).status).toBe(200);
    const jwt = await decode({ token: browser.cookies.get(SESSION_COOKIE), secret: testApp.nextAuthSecret });
    const expiresAt = jwt!.accessTokenExpiresAt!;

    // The provider goes away; the session was refreshable until now.
    await provider.stop();
    expect(await (await browser.fetch("/")).text()).toContain("Signed in as");

    clock.advance(Math.max(0, expiresAt - clock.now()) + 500);
    const account = await browser.fetch("/account");
    expect(account.status).toBe(307);
    expect(new URL(account.headers.get("location")!, app.origin).pathname).toBe("/login");
    const home = await (await browser.fetch("/")).text();
    expect(home).not.toContain("Signed in as");
    expect(home).toContain("Your session has ended. Sign in again with your phone.");
    expect(await browser.session()).toMatchObject({ error: "RefreshAccessTokenError" });
    // /login shows the sign-in page (with the "session ended" notice), not a redirect away.
    const login = await browser.fetch("/login");
    expect(login.status).toBe(200);
    expect(await login.text()).toContain("Your session has ended. Sign in again.");
  });
});
