import http from "node:http";
import type { AddressInfo } from "node:net";

import { devices } from "@playwright/test";

import { freePort, startAppServer, type AppServer } from "../test-support/app-server";
import { expect, test } from "./support/fixtures";
import { scanAsAlice } from "./support/flows";
import { readQrCode } from "./support/qr-code";

/**
 * A provider that cannot be reached, answers 404, or refuses the app's secret is the server's
 * configuration: the page must not blame the user's network, and the log must say what to fix.
 */
async function withApp(env: Record<string, string>, run: (app: AppServer) => Promise<void>): Promise<void> {
  const app = await startAppServer(env);
  try {
    await run(app);
  } finally {
    await app.stop();
  }
}

test("an AUTHING_APP_HOST nobody answers on: 'sign-in service unavailable', and the log names URL, cause and variable", async ({ browser }) => {
  const host = `http://127.0.0.1:${await freePort()}`;
  await withApp({ AUTHING_APP_HOST: host }, async (app) => {
    const page = await (await browser.newContext({ baseURL: app.origin })).newPage();
    await page.goto("/login");
    await expect(page.getByText("Sign-in service unavailable")).toBeVisible();
    await expect(page.getByText(/not your connection/)).toBeVisible();
    await expect(page.getByText("Network trouble")).toBeHidden();
    await expect.poll(() => app.output()).toContain(`${host}/api/v3/gene-qrcode`);
    expect(app.output()).toContain("ECONNREFUSED");
    expect(app.output()).toContain("AUTHING_APP_HOST");
    await page.context().close();
  });
});

test("an AUTHING_APP_HOST that answers 404: the same page, and a log that says so", async ({ browser }) => {
  const notAProvider = http.createServer((_request, response) => response.writeHead(404, { "content-type": "text/html" }).end("<h1>Not Found</h1>"));
  await new Promise<void>((resolve) => notAProvider.listen(0, "127.0.0.1", resolve));
  const host = `http://127.0.0.1:${(notAProvider.address() as AddressInfo).port}`;
  try {
    await withApp({ AUTHING_APP_HOST: host }, async (app) => {
      const page = await (await browser.newContext({ baseURL: app.origin })).newPage();
      await page.goto("/login");
      await expect(page.getByText("Sign-in service unavailable")).toBeVisible();
      await expect.poll(() => app.output()).toContain(`${host}/api/v3/gene-qrcode`);
      expect(app.output()).toContain("HTTP 404");
      expect(app.output()).toContain("AUTHING_APP_HOST");
      await page.context().close();
    });
  } finally {
    await new Promise((resolve) => notAProvider.close(resolve));
  }
});

test("a wrong AUTHING_APP_SECRET: after the phone confirms, the desktop says the service is unavailable, not 'scan again'", async ({
  browser,
}) => {
  const provider = await startAppServer();
  const phoneContext = await browser.newContext({ ...devices["Pixel 7"] });
  try {
    await withApp({ AUTHING_APP_HOST: provider.origin, AUTHING_APP_SECRET: "a-wrong-secret-0123456789" }, async (app) => {
      const desktop = await (await browser.newContext({ baseURL: app.origin })).newPage();
      await desktop.goto("/login");
      const url = new URL(await readQrCode(desktop.getByRole("img", { name: /QR code/ })));
      const phone = await phoneContext.newPage();
      await scanAsAlice(phone, url);
      await phone.getByRole("button", { name: "Confirm sign-in" }).click();

      await expect(desktop.getByText("Sign-in service unavailable")).toBeVisible();
      await expect(desktop.getByText("Get a new code and scan it again.")).toBeHidden();
      await expect.poll(() => app.output()).toContain(`${provider.origin}/api/v3/exchange-tokenset-with-qrcode-ticket`);
      expect(app.output()).toContain("AUTHING_APP_SECRET");
      expect(app.output()).toContain("AUTHING_TOKEN_ENDPOINT_AUTH_METHOD");
      expect(app.output()).not.toContain("a-wrong-secret-0123456789");
      await desktop.context().close();
    });
  } finally {
    await phoneContext.close();
    await provider.stop();
  }
});

test("an AUTHING_APP_HOST with a path is refused at start, naming the variable", async () => {
  await expect(startAppServer({ AUTHING_APP_HOST: "https://my-app.authing.cn/authing/v3" })).rejects.toThrow(
    /AUTHING_APP_HOST: must be the app domain alone, with no path/,
  );
});
