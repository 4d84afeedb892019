import { dictionaries, type Locale } from "../lib/qr-login/client/i18n/messages";
import { bodyBackground, expectAccessible, luminance, tabTo } from "./support/accessibility";
import { demoPassword } from "./support/flows";
import { CspViolations, expect, openPage, passTime, test } from "./support/fixtures";
import { readQrCode } from "./support/qr-code";

const languages: { locale: string; lang: Locale }[] = [
  { locale: "en-US", lang: "en" },
  { locale: "zh-CN", lang: "zh-CN" },
];

for (const { locale, lang } of languages) {
  const t = dictionaries[lang];

  test.describe(`a browser and a phone in ${locale}`, () => {
    test.use({ locale });

    test("every page speaks their language, passes axe in light and dark, and the whole flow works by keyboard alone", async ({
      app,
      desktop,
      phone,
    }) => {
      // Two dozen axe runs, each a second or two on two shared cores.
      test.setTimeout(240_000);
      // Home, signed out: the language comes from Accept-Language, and <html lang> says it.
      await desktop.goto("/");
      await expect(desktop.locator("html")).toHaveAttribute("lang", lang);
      await expect(desktop).toHaveTitle(t.meta.title);
      await expect(desktop.getByRole("heading", { name: t.home.title })).toBeVisible();
      await expectAccessible(desktop, "home, signed out");

      await tabTo(desktop, desktop.getByRole("link", { name: t.home.signIn }));
      await desktop.keyboard.press("Enter");
      await desktop.waitForURL(`${app.origin}/login`);
      await expect(desktop.getByRole("status")).toHaveText(t.qrLogin.waiting);
      await expectAccessible(desktop, "login, waiting");
      const first = new URL(await readQrCode(desktop.getByRole("img", { name: t.qrLogin.imageAlt })));

      // The phone signs in with the keyboard alone (the scan itself is the camera opening the URL).
      await phone.goto(first.toString());
      await expect(phone.locator("html")).toHaveAttribute("lang", lang);
      await expect(phone.getByRole("heading", { name: t.companion.signInTitle })).toBeVisible();
      await expectAccessible(phone, "companion sign-in");
      await tabTo(phone, phone.getByLabel(t.companion.username));
      await phone.keyboard.type("alice");
      await phone.keyboard.press("Tab");
      await expect(phone.getByLabel(t.companion.password)).toBeFocused();
      await phone.keyboard.type(demoPassword);
      await phone.keyboard.press("Enter");
      // A link opened from outside the companion waits for a tap before the desktop learns anything.
      await expect(phone.getByRole("heading", { name: t.companion.askTitle })).toBeVisible();
      await expectAccessible(phone, "companion asks before scanning");
      await tabTo(phone, phone.getByRole("button", { name: t.companion.askContinue }));
      await phone.keyboard.press("Enter");
      await expect(phone.getByRole("heading", { name: t.companion.confirmTitle })).toBeVisible();
      await expectAccessible(phone, "companion confirm");

      // The desktop shows who scanned, and starts over by keyboard.
      await expect(desktop.getByRole("status")).toHaveText(t.qrLogin.scanned);
      await expectAccessible(desktop, "login, scanned");
      await tabTo(desktop, desktop.getByRole("button", { name: t.qrLogin.startOver }));
      await desktop.keyboard.press("Enter");
      await expect(desktop.getByRole("status")).toHaveText(t.qrLogin.waiting);
      const second = new URL(await readQrCode(desktop.getByRole("img", { name: t.qrLogin.imageAlt })));
      expect(second.pathname).not.toBe(first.pathname);

      // The phone scans the new code and cancels with Space.
      await phone.goto(second.toString());
      await phone.getByRole("button", { name: t.companion.askContinue }).click();
      await tabTo(phone, phone.getByRole("button", { name: t.companion.cancel }));
      await phone.keyboard.press("Space");
      await expect(phone.getByRole("heading", { name: t.companion.cancelledTitle })).toBeVisible();
      await expectAccessible(phone, "companion cancelled");
      await expect(desktop.getByRole("status")).toHaveText(t.qrLogin.cancelled);
      await expectAccessible(desktop, "login, cancelled");

      // The desktop gets a new code by keyboard; the phone confirms it with Enter.
      await tabTo(desktop, desktop.getByRole("button", { name: t.qrLogin.newCode }));
      await desktop.keyboard.press("Enter");
      await expect(desktop.getByRole("status")).toHaveText(t.qrLogin.waiting);
      const third = new URL(await readQrCode(desktop.getByRole("img", { name: t.qrLogin.imageAlt })));
      expect(third.pathname).not.toBe(second.pathname);
      await phone.goto(third.toString());
      await phone.getByRole("button", { name: t.companion.askContinue }).click();
      await tabTo(phone, phone.getByRole("button", { name: t.companion.confirm }));
      await phone.keyboard.press("Enter");
      await expect(phone.getByRole("heading", { name: t.companion.confirmed })).toBeVisible();
      await expectAccessible(phone, "companion confirmed");

      // This browser's first sign-in asks who it is for; it continues by keyboard.
      await expect(desktop.getByRole("status")).toHaveText(t.qrLogin.askAccount("Alice Chen"));
      await expect(desktop.getByText(t.qrLogin.askAccountDetail("Alice Chen", "alice@example.com"))).toBeVisible();
      await expect(desktop.getByRole("button", { name: t.qrLogin.notMe("Alice Chen") })).toBeVisible();
      await expectAccessible(desktop, "login, asks before signing in");
      await tabTo(desktop, desktop.getByRole("button", { name: t.qrLogin.continueAs("Alice Chen") }));
      await desktop.keyboard.press("Enter");

      // Signed in: home and account, reached by keyboard.
      await desktop.waitForURL(`${app.origin}/`);
      await expect(desktop.getByText(t.home.signedInAs)).toBeVisible();
      await expectAccessible(desktop, "home, signed in");
      await tabTo(desktop, desktop.getByRole("link", { name: t.home.accountDetails }));
      await desktop.keyboard.press("Enter");
      await desktop.waitForURL(`${app.origin}/account`);
      await expect(desktop.getByRole("heading", { name: t.account.title })).toBeVisible();
      await expect(desktop.getByRole("table", { name: t.account.claims })).toBeVisible();
      await expectAccessible(desktop, "account");

      await phone.goto("/m");
      await expect(phone.getByRole("heading", { name: t.companion.readyTitle })).toBeVisible();
      await expectAccessible(phone, "companion, ready to scan");
    });
  });
}

test.describe("with codes that expire", () => {
  test.use({ serverEnv: { QR_CODE_TTL_SECONDS: "60", QR_CODE_AUTO_RENEWALS: "0" }, ownServer: true });

  test("the expired state is in each language, passes axe, and gets a new code by keyboard", async ({ app, browser, clock }) => {
    for (const { locale, lang } of languages) {
      const t = dictionaries[lang];
      const cspViolations = new CspViolations();
      const desktop = await openPage(browser, app, { device: "desktop", locale, cspViolations });
      try {
        // The page reads the code's expiry in the server's time, which the first language moved.
        await desktop.clock.install({ time: clock.now() });
        await desktop.goto("/login");
        await expect(desktop.getByRole("img", { name: t.qrLogin.imageAlt })).toBeVisible();
        await passTime(clock, 60_500, desktop);
        await expect(desktop.getByRole("status")).toHaveText(t.qrLogin.expired);
        await expect(desktop.getByText(t.qrLogin.expiredDetail(t.qrLogin.seconds(60)))).toBeVisible();
        await expectAccessible(desktop, `login, expired (${locale})`);
        await tabTo(desktop, desktop.getByRole("button", { name: t.qrLogin.newCode }));
        await desktop.keyboard.press("Enter");
        await expect(desktop.getByRole("img", { name: t.qrLogin.imageAlt })).toBeVisible();
      } finally {
        await desktop.context().close();
      }
      expect(cspViolations.seen, "CSP violations").toEqual([]);
    }
  });
});

test.describe("a browser that prefers Chinese", () => {
  test.use({ locale: "zh-CN" });

  test("the switcher is labelled, reachable by keyboard, remembered over Accept-Language, and <html lang> follows", async ({
    desktop,
  }) => {
    await desktop.goto("/login");
    await expect(desktop.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(desktop.getByRole("status")).toHaveText("使用 APP 扫码登录");
    const switcher = desktop.getByRole("navigation", { name: "Language / 语言" });
    await expect(switcher.getByRole("button", { name: "简体中文" })).toHaveAttribute("aria-pressed", "true");
    await expect(switcher.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "false");

    await tabTo(desktop, switcher.getByRole("button", { name: "English" }));
    await desktop.keyboard.press("Enter");
    await expect(desktop.locator("html")).toHaveAttribute("lang", "en");
    await expect(desktop.getByRole("status")).toHaveText("Scan with the app");
    expect((await desktop.context().cookies()).find((cookie) => cookie.name === "locale")?.value).toBe("en");

    // Remembered on every page, though the browser still asks for Chinese.
    await desktop.goto("/m");
    await expect(desktop.locator("html")).toHaveAttribute("lang", "en");
    await expect(desktop.getByRole("button", { name: "Sign in" })).toBeVisible();
    await desktop.getByRole("button", { name: "简体中文" }).click();
    await expect(desktop.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(desktop.getByRole("button", { name: "登录" })).toBeVisible();
    await desktop.goto("/");
    await expect(desktop.getByRole("heading", { name: "扫码登录" })).toBeVisible();
  });

  test("the companion's sign-in errors, made on the server, come in the phone's language", async ({ phone }) => {
    const t = dictionaries["zh-CN"].companion;
    await phone.goto("/m");
    await phone.getByRole("button", { name: t.signIn }).click();
    await expect(phone.getByText(t.enterUsername)).toBeVisible();
    await phone.getByLabel(t.username).fill("alice");
    await phone.getByLabel(t.password).fill("not the password");
    await phone.getByRole("button", { name: t.signIn }).click();
    await expect(phone.getByText(t.problems["wrong-credentials"])).toBeVisible();
  });
});

test.describe("in dark mode", () => {
  test.use({ colorScheme: "dark" });

  test("the login page is dark, by the system's setting or a dark class, and the QR keeps a light quiet zone a phone can read", async ({ desktop }) => {
    await desktop.goto("/login");
    const image = desktop.getByRole("img", { name: /QR code/ });
    const background = await bodyBackground(desktop);
    expect(luminance(background)).toBeLessThan(0.05);
    const frame = await image.evaluate((element) => getComputedStyle(element.parentElement!).backgroundColor);
    expect(frame).toBe("rgb(255, 255, 255)");
    expect(new URL(await readQrCode(image)).pathname).toMatch(/^\/m\/scan\//);

    // shadcn's toggle works too: a `dark` class on <html> darkens a page the system shows light.
    await desktop.emulateMedia({ colorScheme: "light" });
    expect(luminance(await bodyBackground(desktop))).toBeGreaterThan(0.8);
    await desktop.evaluate(() => document.documentElement.classList.add("dark"));
    expect(luminance(await bodyBackground(desktop))).toBeLessThan(0.05);
    expect(await image.evaluate((element) => getComputedStyle(element.parentElement!).backgroundColor)).toBe("rgb(255, 255, 255)");
  });
});
