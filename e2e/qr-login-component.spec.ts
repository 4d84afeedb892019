import type { Page } from "@playwright/test";

import { expect, passTime, test } from "./support/fixtures";
import { continueOnDesktop, continueScan, scanAsAlice, signInOnPhone } from "./support/flows";
import { readQrCode } from "./support/qr-code";

const events = (page: Page) => page.getByRole("list", { name: "Callbacks so far" });

/** The code creations (POST /api/qr-login) the page sends from now on. */
function recordCodesCreated(page: Page): string[] {
  const created: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/qr-login") created.push(request.url());
  });
  return created;
}

test("<QrLogin> works on a page of its own: custom tips and size, every callback, no navigation when onSuccess says so", async ({
  app,
  desktop,
  phone,
}) => {
  await desktop.goto("/examples/qr-login");
  // No code in the first HTML here: the component asks for one itself.
  const image = desktop.getByRole("img", { name: /QR code/ });
  await expect(image).toBeVisible();
  await expect(image).toHaveAttribute("width", "200");
  await expect(desktop.getByText("Scan me with the companion app")).toBeVisible();
  await expect(events(desktop)).toContainText("qr-code-load");
  await expect(events(desktop)).toContainText("qr-code-show");
  await expect(events(desktop)).toContainText("status PENDING");

  const url = new URL(await readQrCode(image));
  expect(url.origin).toBe(app.origin);
  await scanAsAlice(phone, url);
  await expect(desktop.getByText("Scanned: waiting for the phone")).toBeVisible();
  await expect(events(desktop)).toContainText("scanned by Alice Chen");

  await phone.getByRole("button", { name: "Confirm sign-in" }).click();
  // This browser's first sign-in asks once (e2e/session-swap.spec.ts).
  await expect(events(desktop)).toContainText("ask-account Alice Chen");
  await continueOnDesktop(desktop);
  await expect(desktop.getByText("Welcome, Alice Chen.")).toBeVisible();
  await expect(events(desktop)).toContainText("success → /account");
  // onSuccess returned false: the page stayed, and the session is real.
  expect(new URL(desktop.url()).pathname).toBe("/examples/qr-login");
  await desktop.goto("/");
  await expect(desktop.getByText("Signed in as")).toBeVisible();
});

test("the desktop can drop a scanned code and start over; the old code then signs nobody in", async ({ desktop, phone }) => {
  await desktop.goto("/examples/qr-login");
  const image = desktop.getByRole("img", { name: /QR code/ });
  const first = new URL(await readQrCode(image));
  await scanAsAlice(phone, first);
  await desktop.getByRole("button", { name: "Start over with a new code" }).click();
  await expect(desktop.getByText("Scan me with the companion app")).toBeVisible();
  const second = new URL(await readQrCode(image));
  expect(second.toString()).not.toBe(first.toString());

  await phone.getByRole("button", { name: "Confirm sign-in" }).click();
  await expect(phone.getByText(/signed in/i).first()).toBeVisible();
  await expect(desktop.getByText("Scan me with the companion app")).toBeVisible();
  await expect(events(desktop)).not.toContainText("success");
});

test("after sign-in the user lands where they were going", async ({ app, desktop, phone }) => {
  await desktop.goto("/account");
  await expect(desktop).toHaveURL(/\/login\?callbackUrl=%2Faccount$/);
  const url = new URL(await readQrCode(desktop.getByRole("img", { name: /QR code/ })));
  await scanAsAlice(phone, url);
  await phone.getByRole("button", { name: "Confirm sign-in" }).click();
  await continueOnDesktop(desktop);
  await desktop.waitForURL(`${app.origin}/account`);
  await expect(desktop.getByRole("heading", { name: "Your account" })).toBeVisible();

  // Another site is never a destination.
  await desktop.goto("/login?callbackUrl=https%3A%2F%2Fevil.example%2F");
  await desktop.waitForURL(`${app.origin}/`);
});

/** Lets a test say whether the page is visible, as a hidden tab would (Playwright's pages always are). */
async function startHidden(page: Page): Promise<(visible: boolean) => Promise<void>> {
  await page.addInitScript(() => {
    const state = { hidden: true };
    Object.defineProperty(window, "__setHidden", {
      value: (hidden: boolean) => {
        state.hidden = hidden;
        document.dispatchEvent(new Event("visibilitychange"));
      },
    });
    Object.defineProperty(Document.prototype, "visibilityState", { get: () => (state.hidden ? "hidden" : "visible") });
    Object.defineProperty(Document.prototype, "hidden", { get: () => state.hidden });
  });
  return (visible) => page.evaluate((hidden) => (window as unknown as { __setHidden(h: boolean): void }).__setHidden(hidden), !visible);
}

// Codes last a minute; the tests let that minute pass at once (passTime) instead of waiting it out.
const AFTER_EXPIRY_MS = 60_500;

test.describe("with codes that renew themselves", () => {
  test.use({ serverEnv: { QR_CODE_TTL_SECONDS: "60", QR_CODE_AUTO_RENEWALS: "2" }, ownServer: true });

  test("an expired code on a visible page renews itself a bounded number of times, then asks", async ({ clock, desktop }) => {
    const created = recordCodesCreated(desktop);
    await desktop.clock.install();
    await desktop.goto("/login");
    const image = desktop.getByRole("img", { name: /QR code/ });
    const first = (await image.getAttribute("data-qrcode-id")) ?? "";
    // Two renewals, then the page stops and offers a new code.
    let shown = first;
    for (const renewals of [1, 2]) {
      await passTime(clock, AFTER_EXPIRY_MS, desktop);
      await expect(image).not.toHaveAttribute("data-qrcode-id", shown);
      shown = (await image.getAttribute("data-qrcode-id")) ?? "";
      expect(created).toHaveLength(renewals);
    }
    await passTime(clock, AFTER_EXPIRY_MS, desktop);
    await expect(desktop.getByRole("button", { name: "Get a new code" })).toBeVisible();
    await expect(desktop.getByText("This code has expired")).toBeVisible();
    await expect(desktop.getByText("Codes last 60 seconds.")).toBeVisible();
    expect(created).toHaveLength(2);
    expect(await image.getAttribute("data-qrcode-id")).toBe(shown);

    // The user's click starts over with a fresh code.
    await desktop.getByRole("button", { name: "Get a new code" }).click();
    await expect(image).not.toHaveAttribute("data-qrcode-id", shown);
  });

  test("a hidden page does not renew; it renews once it is seen again", async ({ clock, desktop }) => {
    const setVisible = await startHidden(desktop);
    const created = recordCodesCreated(desktop);
    await desktop.clock.install();
    await desktop.goto("/login");
    const image = desktop.getByRole("img", { name: /QR code/ });
    const first = await image.getAttribute("data-qrcode-id");
    await passTime(clock, AFTER_EXPIRY_MS, desktop);
    await expect(desktop.getByText("This code has expired")).toBeVisible();
    // The expiry has been handled (its state is on screen); no code was asked for.
    await desktop.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 500))));
    expect(created).toHaveLength(0);
    expect(await image.getAttribute("data-qrcode-id")).toBe(first);

    await setVisible(true);
    await expect(image).not.toHaveAttribute("data-qrcode-id", first ?? "");
    expect(created).toHaveLength(1);
  });
});

test.describe("with renewals switched off", () => {
  test.use({ serverEnv: { QR_CODE_TTL_SECONDS: "60", QR_CODE_AUTO_RENEWALS: "0" }, ownServer: true });

  test("an expired code waits for a click", async ({ clock, desktop }) => {
    await desktop.clock.install();
    await desktop.goto("/login");
    const image = desktop.getByRole("img", { name: /QR code/ });
    const first = await image.getAttribute("data-qrcode-id");
    await passTime(clock, AFTER_EXPIRY_MS, desktop);
    await expect(desktop.getByRole("button", { name: "Get a new code" })).toBeVisible();
    expect(await image.getAttribute("data-qrcode-id")).toBe(first);
  });
});

test.describe("the phone follows the code", () => {
  test.use({ serverEnv: { QR_CODE_TTL_SECONDS: "60", QR_CODE_AUTO_RENEWALS: "0" }, ownServer: true });

  test("its confirm screen says when the code expired, without a tap", async ({ clock, desktop, phone }) => {
    await signInOnPhone(phone);
    await desktop.goto("/login");
    const url = new URL(await readQrCode(desktop.getByRole("img", { name: /QR code/ })));
    await phone.clock.install();
    await phone.goto(url.toString());
    await continueScan(phone);
    await expect(phone.getByRole("button", { name: "Confirm sign-in" })).toBeVisible();
    await passTime(clock, AFTER_EXPIRY_MS, phone);
    await expect(phone.getByText(/expired/i).first()).toBeVisible();
    await expect(phone.getByRole("button", { name: "Confirm sign-in" })).toBeHidden();
  });
});

test("a phone action that does not reach the server says so, and can be tried again", async ({ desktop, phone }) => {
  await desktop.goto("/login");
  const url = new URL(await readQrCode(desktop.getByRole("img", { name: /QR code/ })));
  await scanAsAlice(phone, url);
  // Server actions are POSTs to the page: cut them, as a dead network would.
  await phone.route("**/m/scan/**", (route) => (route.request().method() === "POST" ? route.abort("internetdisconnected") : route.continue()));
  await phone.getByRole("button", { name: "Confirm sign-in" }).click();
  await expect(phone.getByText(/did not reach the server/)).toBeVisible();
  await phone.unroute("**/m/scan/**");
  await phone.getByRole("button", { name: "Confirm sign-in" }).click();
  await expect(phone.getByText(/signed in/i).first()).toBeVisible();
});
