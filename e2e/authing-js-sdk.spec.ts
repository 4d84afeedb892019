import { readFileSync } from "node:fs";
import path from "node:path";

import { expect, test, testApp } from "./support/fixtures";
import { scanAsAlice } from "./support/flows";
import { readQrCode } from "./support/qr-code";

// Authing's Web SDK as its customers load it in a browser: the package's own browser build
// (window.Authing), unmodified.
const sdkBuild = readFileSync(path.join(process.cwd(), "node_modules/authing-js-sdk/build/browser/index.min.js"), "utf8");

/**
 * A customer's page on the app's own origin, so that the SDK's calls to /api/v2 are same-origin
 * (the provider sends no CORS headers: docs/authing-v2.md). The SDK mounts its QR component in
 * #authing-qrcode; the callbacks it fires are listed for the test to read.
 */
const customerPage = (appId: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>authing-js-sdk startScanning</title></head>
<body>
  <main><div id="authing-qrcode"></div><ol id="events" aria-label="SDK callbacks"></ol></main>
  <script src="/__customer/authing-js-sdk.js"></script>
  <script>
    const log = (text) => {
      const item = document.createElement("li");
      item.textContent = text;
      document.getElementById("events").appendChild(item);
    };
    const client = new Authing.AuthenticationClient({ appId: ${JSON.stringify(appId)}, appHost: location.origin, lang: "en-US" });
    client.qrcode.startScanning("authing-qrcode", {
      onCodeShow: () => log("code shown"),
      onScanned: (userInfo) => log("scanned by " + userInfo.nickname),
      onSuccess: (userInfo, ticket) => { window.ticket = ticket; log("success for " + userInfo.nickname); },
      onCancel: () => log("cancelled"),
      onExpired: () => log("expired"),
      onError: (message) => log("error " + message),
      onCodeLoadFailed: (error) => log("load failed " + error.message),
    });
  </script>
</body></html>`;

test("authing-js-sdk's own QR component (startScanning) shows a code the companion scans and confirms; the app's server exchanges the ticket", async ({
  app,
  desktop,
  phone,
}) => {
  await desktop.route(`${app.origin}/__customer/**`, (route) =>
    route.request().url().endsWith(".js")
      ? route.fulfill({ contentType: "text/javascript", body: sdkBuild })
      : route.fulfill({ contentType: "text/html", body: customerPage(testApp.id) }),
  );
  await desktop.goto(`${app.origin}/__customer/login.html`);
  const events = desktop.getByRole("list", { name: "SDK callbacks" });
  await expect(events).toContainText("code shown");
  await expect(desktop.getByText("Please be on the mobile")).toBeVisible();

  // The SDK drew the provider's QR image onto its canvas and shows that canvas's pixels.
  const drawn = desktop.locator("#authing__qrcode-wrapper img").first();
  await expect(drawn).toHaveAttribute("src", /^data:image\/png;base64,/);
  const url = new URL(await readQrCode(drawn));
  expect(url.origin).toBe(app.origin);

  await scanAsAlice(phone, url);
  await expect(events).toContainText("scanned by Alice Chen");
  await phone.getByRole("button", { name: "Confirm sign-in" }).click();
  await expect(events).toContainText("success for Alice Chen");
  await expect(desktop.getByText("Scan code successfully")).toBeVisible();
  await expect(events).not.toContainText("error");

  // The browser holds the ticket but not the secret: its own exchange is refused, the server's is served.
  const ticket = await desktop.evaluate(() => (window as unknown as { ticket: string }).ticket);
  const refused = await desktop.evaluate(
    ([appId, ticket]) => {
      type Sdk = { AuthenticationClient: new (options: object) => { qrcode: { exchangeUserInfo(ticket: string): Promise<unknown> } } };
      const { AuthenticationClient } = (window as unknown as { Authing: Sdk }).Authing;
      return new AuthenticationClient({ appId, appHost: location.origin }).qrcode
        .exchangeUserInfo(ticket)
        .then(() => "served", (error: { code?: number }) => error.code);
    },
    [testApp.id, ticket] as const,
  );
  expect(refused).toBe(9003);
  const served = await fetch(`${app.origin}/api/v2/qrcode/userinfo`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-authing-app-id": testApp.id },
    body: JSON.stringify({ ticket, client_id: testApp.id, client_secret: testApp.secret }),
  });
  expect(await served.json()).toMatchObject({ code: 200, data: { username: "alice", token: expect.any(String) } });
});
