import path from "node:path";

import type { Page } from "@playwright/test";

import { dictionaries } from "../lib/qr-login/client/i18n/messages";
import { CspViolations, expect, openPage, test } from "../e2e/support/fixtures";
import { scanAsAlice } from "../e2e/support/flows";
import { readQrCode } from "../e2e/support/qr-code";
import { virtualAuthenticator } from "../e2e/support/virtual-authenticator";

const folder = path.join(__dirname, "..", "docs", "screenshots");

// As behind one proxy (like e2e/qr-login.spec.ts): the phone sees the browser's address, on its network.
test.use({ serverEnv: { TRUSTED_PROXY_HOPS: "1" } });

async function showLogin(desktop: Page, waiting: string): Promise<URL> {
  await desktop.setViewportSize({ width: 1100, height: 720 });
  await desktop.goto("/login");
  await expect(desktop.getByRole("status")).toHaveText(waiting);
  return new URL(await readQrCode(desktop.getByRole("img", { name: /QR code|二维码/ })));
}

test("README screenshots: the login page in light, dark and Chinese, who scanned, the phone's sign-in and confirm screens", async ({
  app,
  browser,
  desktop,
  phone,
}) => {
  // Light, English: the login page, who scanned, and the phone's confirm screen.
  const url = await showLogin(desktop, dictionaries.en.qrLogin.waiting);
  await desktop.screenshot({ path: path.join(folder, "login.png") });
  await phone.goto("/m");
  await expect(phone.getByRole("heading", { name: dictionaries.en.companion.signInTitle })).toBeVisible();
  await phone.screenshot({ path: path.join(folder, "phone-sign-in.png") });
  await scanAsAlice(phone, url);
  await phone.screenshot({ path: path.join(folder, "phone-confirm.png") });
  await expect(desktop.getByRole("status")).toHaveText(dictionaries.en.qrLogin.scanned);
  await desktop.screenshot({ path: path.join(folder, "login-scanned.png") });

  // Dark (prefers-color-scheme), and Simplified Chinese (Accept-Language), each in a browser of its own.
  const cspViolations = new CspViolations();
  const dark = await openPage(browser, app, { device: "desktop", colorScheme: "dark", cspViolations });
  await showLogin(dark, dictionaries.en.qrLogin.waiting);
  await dark.screenshot({ path: path.join(folder, "login-dark.png") });

  const chinese = await openPage(browser, app, { device: "desktop", locale: "zh-CN", cspViolations });
  await showLogin(chinese, dictionaries["zh-CN"].qrLogin.waiting);
  await chinese.screenshot({ path: path.join(folder, "login-zh-CN.png") });

  const chinesePhone = await openPage(browser, app, { device: "phone", locale: "zh-CN", colorScheme: "dark", cspViolations });
  await chinesePhone.goto("/m");
  await chinesePhone.getByLabel(dictionaries["zh-CN"].companion.username).fill("bob");
  await chinesePhone.getByLabel(dictionaries["zh-CN"].companion.password).fill("scan-me-in");
  await chinesePhone.getByRole("button", { name: dictionaries["zh-CN"].companion.signIn }).click();
  await expect(chinesePhone.getByRole("heading", { name: dictionaries["zh-CN"].companion.readyTitle })).toBeVisible();
  const chineseUrl = await showLogin(chinese, dictionaries["zh-CN"].qrLogin.waiting);
  await chinesePhone.goto(chineseUrl.toString());
  await chinesePhone.getByRole("button", { name: dictionaries["zh-CN"].companion.askContinue }).click();
  await expect(chinesePhone.getByRole("button", { name: dictionaries["zh-CN"].companion.confirm })).toBeVisible();
  await chinesePhone.screenshot({ path: path.join(folder, "phone-confirm-zh-CN-dark.png") });

  for (const page of [dark, chinese, chinesePhone]) await page.context().close();
  expect(cspViolations.seen, "CSP violations").toEqual([]);
});

test.describe("passkeys", () => {
  // On localhost, where browsers offer passkeys (e2e/passkeys.spec.ts).
  test.use({ serverEnv: { NEXTAUTH_URL: "http://localhost:{port}" } });
  const t = dictionaries.en;

  test("docs/passkeys.md screenshots: signing in with a passkey, the user's passkeys, confirming with one", async ({ app, desktop, phone }) => {
    const origin = `http://localhost:${app.port}`;
    await virtualAuthenticator(phone);
    await phone.goto(`${origin}/m`);
    await expect(phone.getByRole("button", { name: t.passkeys.signIn })).toBeVisible();
    await phone.screenshot({ path: path.join(folder, "phone-passkey-sign-in.png") });
    await phone.getByLabel(t.companion.username).fill("alice");
    await phone.getByLabel(t.companion.password).fill("scan-me-in");
    await phone.getByRole("button", { name: t.companion.signIn, exact: true }).click();
    await phone.getByRole("button", { name: t.passkeys.add }).click();
    await expect(phone.getByRole("list", { name: t.passkeys.listLabel })).toBeVisible();
    await phone.screenshot({ path: path.join(folder, "phone-passkeys.png"), fullPage: true });

    await desktop.setViewportSize({ width: 1100, height: 720 });
    await desktop.goto(`${origin}/login`);
    const url = await readQrCode(desktop.getByRole("img", { name: /QR code/ }));
    await phone.goto(url);
    await phone.getByRole("button", { name: t.companion.askContinue }).click();
    await expect(phone.getByText(t.passkeys.confirmHint)).toBeVisible();
    await phone.screenshot({ path: path.join(folder, "phone-confirm-passkey.png") });
  });
});
