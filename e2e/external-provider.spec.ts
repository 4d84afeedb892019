import { devices } from "@playwright/test";

import { freePort, startAppServer } from "../test-support/app-server";
import { startRewritingProxy, UNKNOWN_FIELD } from "../test-support/rewriting-proxy";
import { expect, test, testApp } from "./support/fixtures";
import { continueOnDesktop, scanAsAlice } from "./support/flows";
import { readQrCode } from "./support/qr-code";

/**
 * The path a real Authing deployment takes: AUTHING_APP_HOST points the app at a provider on
 * another origin, and the app's own provider is off. Here that provider is a second instance of
 * this app (its embedded provider speaks the same V3 API), so the whole flow runs for real.
 * It answers through a proxy that writes what Authing documents as "not required" the way
 * Authing may send it: `null` for every optional field left out (apiCode and requestId on a
 * success; ticket, briefUserInfo and tokenSet on a status), plus a field nobody knows.
 */
test("an app pointed at another provider by AUTHING_APP_HOST signs in through it, reading nulls and unknown fields", async ({ browser }) => {
  // The provider's issuer and pages are on the proxy's origin: that is its address for the app.
  const proxyPort = await freePort();
  const provider = await startAppServer({ NEXTAUTH_URL: `http://127.0.0.1:${proxyPort}` });
  const proxy = await startRewritingProxy(provider.origin, proxyPort);
  const app = await startAppServer({ AUTHING_APP_HOST: proxy.origin });
  const desktopContext = await browser.newContext({ ...devices["Desktop Chrome"], baseURL: app.origin });
  const phoneContext = await browser.newContext({ ...devices["Pixel 7"] });
  try {
    const ownProvider = await fetch(`${app.origin}/api/v3/gene-qrcode`, {
      method: "POST",
      headers: { "x-authing-app-id": testApp.id, "content-type": "application/json" },
      body: JSON.stringify({ type: "MOBILE_APP" }),
    });
    expect(ownProvider.status).toBe(404);

    const desktop = await desktopContext.newPage();
    await desktop.goto("/login");
    const image = desktop.getByRole("img", { name: /QR code/ });
    await expect(image).toBeVisible();
    // The code belongs to the provider: its image and its phone page live on the provider's origin.
    expect(new URL((await image.getAttribute("src")) ?? "").origin).toBe(proxy.origin);
    const url = new URL(await readQrCode(image));
    expect(url.origin).toBe(proxy.origin);
    await expect(desktop.getByRole("link", { name: /Open the phone page/ })).toHaveCount(0);

    const phone = await phoneContext.newPage();
    await scanAsAlice(phone, url);
    // The app proved its secret on gene-qrcode over HTTP, so the provider believed whom it named:
    // the phone shows the desktop's browser, not the app server's fetch.
    await expect(phone.getByText(/Chrome/).first()).toBeVisible();
    await expect(phone.getByText(/Windows/).first()).toBeVisible();
    await expect(phone.getByText("Unknown browser")).toHaveCount(0);
    await expect(desktop.getByText("Confirm on your phone")).toBeVisible();
    await expect(desktop.getByText("Alice Chen")).toBeVisible();
    await phone.getByRole("button", { name: "Confirm sign-in" }).click();
    await continueOnDesktop(desktop);

    await desktop.waitForURL(`${app.origin}/`);
    await expect(desktop.getByText("Signed in as")).toBeVisible();
    await expect(desktop.getByText("Alice Chen")).toBeVisible();
    // The profile comes from the provider, read with the access token the app holds.
    await desktop.goto("/account");
    await expect(desktop.getByText("alice@example.com").first()).toBeVisible();

    // The app read what the proxy wrote, and found nothing outside the contract in it.
    for (const field of ["apiCode", "requestId", "ticket", "briefUserInfo", "tokenSet"]) {
      expect(proxy.nulled.get(field) ?? 0, `${field} written as null`).toBeGreaterThan(0);
    }
    expect(app.output()).not.toContain("outside the V3 contract");
    expect(app.output()).not.toContain(UNKNOWN_FIELD);
  } finally {
    await desktopContext.close();
    await phoneContext.close();
    await app.stop();
    await proxy.stop();
    await provider.stop();
  }
});
