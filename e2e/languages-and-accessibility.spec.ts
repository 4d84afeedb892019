import AxeBuilder from "@axe-core/playwright";
import { devices, type Browser, type Page } from "@playwright/test";

import { dictionaries, type Locale } from "../lib/i18n/messages";
import { expect, test } from "./support/fixtures";
import { readQrCode } from "./support/qr-code";

/** No serious or critical WCAG 2.1 A/AA violation, in light and in dark. */
async function expectAccessible(page: Page, what: string): Promise<void> {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const serious = violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
    expect(serious, `${what} (${colorScheme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: "light" });
}

async function contexts(browser: Browser, origin: string, locale: Locale) {
  const desktop = await (await browser.newContext({ ...devices["Desktop Chrome"], baseURL: origin, locale })).newPage();
  const phone = await (await browser.newContext({ ...devices["Pixel 7"], baseURL: origin, locale })).newPage();
  return { desktop, phone, close: () => Promise.all([desktop.context().close(), phone.context().close()]) };
}

for (const locale of ["en", "zh-CN"] as const) {
  const t = dictionaries[locale];

  test(`${locale}: every page speaks the browser's language, passes axe in light and dark, and works with the keyboard`, async ({
    app,
    browser,
  }) => {
    const { desktop, phone, close } = await contexts(browser, app.origin, locale);
    try {
      await desktop.goto("/");
      await expect(desktop.locator("html")).toHaveAttribute("lang", locale);
      await expect(desktop.getByRole("heading", { name: t.home.title })).toBeVisible();
      await expectAccessible(desktop, "home, signed out");

      await desktop.goto("/login");
      await expect(desktop.getByText(t.qrLogin.waiting)).toBeVisible();
      await expectAccessible(desktop, "login, waiting");
      const first = new URL(await readQrCode(desktop.getByRole("img", { name: t.qrLogin.imageAlt })));

      // The phone, by keyboard only: sign in, then cancel.
      await phone.goto(first.toString());
      await expect(phone.locator("html")).toHaveAttribute("lang", locale);
      await expectAccessible(phone, "companion sign-in");
      await phone.keyboard.press("Tab");
      await expect(phone.getByLabel(t.companion.username)).toBeFocused();
      await phone.keyboard.type("alice");
      await phone.keyboard.press("Tab");
      await phone.keyboard.type("scan-me-in");
      await phone.keyboard.press("Enter");
      await expect(phone.getByRole("button", { name: t.companion.confirm })).toBeVisible();
      await expectAccessible(phone, "companion confirm");

      await expect(desktop.getByText(t.qrLogin.scanned)).toBeVisible();
      await expectAccessible(desktop, "login, scanned");

      await phone.getByRole("button", { name: t.companion.cancel }).focus();
      await phone.keyboard.press("Enter");
      await expect(phone.getByRole("heading", { name: t.companion.cancelledTitle })).toBeVisible();
      await expectAccessible(phone, "companion cancelled");
      await expect(desktop.getByText(t.qrLogin.cancelled)).toBeVisible();
      await expectAccessible(desktop, "login, cancelled");

      // The desktop, by keyboard: a new code.
      await desktop.getByRole("button", { name: t.qrLogin.newCode }).focus();
      await desktop.keyboard.press("Enter");
      await expect(desktop.getByText(t.qrLogin.waiting)).toBeVisible();
      const second = new URL(await readQrCode(desktop.getByRole("img", { name: t.qrLogin.imageAlt })));
      expect(second.toString()).not.toBe(first.toString());

      await phone.goto(second.toString());
      await phone.getByRole("button", { name: t.companion.confirm }).focus();
      await phone.keyboard.press("Enter");
      await expect(phone.getByRole("heading", { name: t.companion.confirmed })).toBeVisible();
      await desktop.waitForURL(`${app.origin}/`);
      await expect(desktop.getByText(t.home.signedInAs)).toBeVisible();
      await expectAccessible(desktop, "home, signed in");
      await desktop.goto("/account");
      await expect(desktop.getByRole("heading", { name: t.account.title })).toBeVisible();
      await expectAccessible(desktop, "account");
    } finally {
      await close();
    }
  });
}

test.describe("with codes that expire in seconds", () => {
  test.use({ serverEnv: { QR_CODE_TTL_SECONDS: "2", QR_CODE_AUTO_RENEWALS: "0" } });

  test("the expired state passes axe in both languages", async ({ app, browser }) => {
    for (const locale of ["en", "zh-CN"] as const) {
      const { desktop, close } = await contexts(browser, app.origin, locale);
      try {
        await desktop.goto("/login");
        await expect(desktop.getByText(dictionaries[locale].qrLogin.expired)).toBeVisible({ timeout: 15_000 });
        await expectAccessible(desktop, `login, expired (${locale})`);
      } finally {
        await close();
      }
    }
  });
});

test("the switcher remembers the choice over the browser's language, and <html lang> follows", async ({ app, browser }) => {
  const { desktop, close } = await contexts(browser, app.origin, "zh-CN");
  try {
    await desktop.goto("/login");
    await expect(desktop.getByText("使用 APP 扫码登录")).toBeVisible();
    await desktop.getByRole("button", { name: "English" }).click();
    await expect(desktop.locator("html")).toHaveAttribute("lang", "en");
    await expect(desktop.getByText("Scan with the app")).toBeVisible();
    await desktop.goto("/m");
    await expect(desktop.getByRole("button", { name: "Sign in" })).toBeVisible();
    await desktop.getByRole("button", { name: "简体中文" }).click();
    await expect(desktop.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(desktop.getByRole("button", { name: "登录" })).toBeVisible();
  } finally {
    await close();
  }
});

test("dark mode: dark pages, and the QR keeps a light quiet zone a phone can read", async ({ app, browser }) => {
  const context = await browser.newContext({ baseURL: app.origin, colorScheme: "dark" });
  try {
    const page = await context.newPage();
    await page.goto("/login");
    const image = page.getByRole("img", { name: /QR code/ });
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(luminance(background)).toBeLessThan(0.1);
    const frame = await image.evaluate((element) => getComputedStyle(element.parentElement!).backgroundColor);
    expect(frame).toBe("rgb(255, 255, 255)");
    expect(new URL(await readQrCode(image)).pathname).toMatch(/^\/m\/scan\//);
  } finally {
    await context.close();
  }
});

function luminance(rgb: string): number {
  const [r = 0, g = 0, b = 0] = (rgb.match(/\d+/g) ?? []).map(Number).map((value) => {
    const channel = value / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
