import { devices } from "@playwright/test";

import { startAppServer } from "../test-support/app-server";
import { expect, test, testApp } from "./support/fixtures";
import { continueOnDesktop, scanAsAlice } from "./support/flows";
import { readQrCode } from "./support/qr-code";

/**
 * The path a real Authing deployment takes: AUTHING_APP_HOST points the app at a provider on
 * another origin, and the app's own provider is off. Here that provider is a second instance of
 * this app (its embedded provider speaks the same V3 API), so the whole flow runs for real.
 */
test("an app pointed at another provider by AUTHING_APP_HOST signs in through it", async ({ browser }) => {
  const provider = await startAppServer();
  const app = await startAppServer({ AUTHING_APP_HOST: provider.origin });
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
    expect(new URL((await image.getAttribute("src")) ?? "").origin).toBe(provider.origin);
    const url = new URL(await readQrCode(image));
    expect(url.origin).toBe(provider.origin);
    await expect(desktop.getByRole("link", { name: /Open the phone page/ })).toHaveCount(0);

    const phone = await phoneContext.newPage();
    await scanAsAlice(phone, url);
    await expect(desktop.getByText("Confirm on your phone")).toBeVisible();
    await phone.getByRole("button", { name: "Confirm sign-in" }).click();
    await continueOnDesktop(desktop);

    await desktop.waitForURL(`${app.origin}/`);
    await expect(desktop.getByText("Signed in as")).toBeVisible();
    await expect(desktop.getByText("Alice Chen")).toBeVisible();
    // The profile comes from the provider, read with the access token the app holds.
    await desktop.goto("/account");
    await expect(desktop.getByText("alice@example.com").first()).toBeVisible();
  } finally {
    await desktopContext.close();
    await phoneContext.close();
    await app.stop();
    await provider.stop();
  }
});
