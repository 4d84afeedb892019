import { readFileSync } from "node:fs";
import path from "node:path";

import { startAppServer, type AppServer } from "../test-support/app-server";
import { nextRenderErrors } from "../test-support/render-errors";

import { expect, test } from "../e2e/support/fixtures";
import { continueOnDesktop, scanAsAlice, showQrCode } from "../e2e/support/flows";
import { readQrCode } from "../e2e/support/qr-code";

// What the README's quick start runs: `next dev` with no configuration, so React renders in
// Strict Mode (effects mount, unmount and mount again) and every route compiles on first use.
// The first visit to each page and route compiles it, which on a busy two-core machine can take
// longer than the 120 s a code lives by default: the only variable set.
test.setTimeout(300_000);

// One `next dev` for both tests, as a developer runs one: starting and warming it is most of the
// cost. The first test meets routes compiled on first use; the second, the example page's.
let devServer: AppServer | undefined;
test.beforeAll(async () => {
  test.setTimeout(300_000);
  devServer = await startAppServer({ QR_CODE_TTL_SECONDS: "900" }, { dev: true });
});
test.afterAll(async () => {
  await devServer?.stop();
});
test.use({
  app: async ({}, provide) => {
    if (!devServer) throw new Error("next dev did not start");
    // next dev checks every page under Cache Components as it renders it: nothing of it logged.
    const from = devServer.output().length;
    await provide(devServer);
    expect(nextRenderErrors(devServer.output().slice(from)), "Next's render errors in next dev's log").toEqual([]);
  },
});

test("under next dev, a phone scans and confirms, and the desktop is signed in", async ({ app, desktop, phone, responses }) => {
  const statusRequests: string[] = [];
  desktop.on("request", (request) => {
    if (request.url().includes("/api/qr-login/status")) statusRequests.push(request.url());
  });

  const { url, qrcodeId } = await showQrCode(desktop);
  expect(url.origin).toBe(app.origin);
  expect(url.pathname).toBe(`/m/scan/${qrcodeId}`);

  await scanAsAlice(phone, url);
  // On one laptop the desktop and the phone are the same machine: development believes the
  // address the dev server itself saw, so the phone does not warn about a different network.
  await expect(phone.getByText("127.0.0.1").first()).toBeVisible();
  await expect(phone.getByText("Different network.")).toBeHidden();

  // The desktop follows its code: it learns who scanned without a reload.
  await expect(desktop.getByText("Alice Chen")).toBeVisible({ timeout: 60_000 });
  await phone.getByRole("button", { name: "Confirm sign-in" }).click();
  await expect(phone.getByText(/signed in/i).first()).toBeVisible();

  await continueOnDesktop(desktop);
  await expect(desktop).toHaveURL(`${app.origin}/`, { timeout: 60_000 });
  await expect(desktop.getByText(/Signed in as Alice Chen/)).toBeVisible({ timeout: 60_000 });
  // Every status request was for the code on screen, and they did not stop at the first.
  expect(statusRequests.length).toBeGreaterThan(1);
  expect(statusRequests.every((request) => request.includes(qrcodeId))).toBe(true);

  // The generated development secret never reached a browser.
  const devSecrets = JSON.parse(readFileSync(path.join(app.dataDir, "dev-secrets.json"), "utf8")) as {
    appSecret: string;
    nextAuthSecret: string;
  };
  expect(await responses.containing(devSecrets.appSecret)).toBe(0);
  expect(await responses.containing(devSecrets.nextAuthSecret)).toBe(0);

  // The pages this flow did not render, each checked by next dev as it renders it (the app
  // fixture reads its log): the account page, and its redirect of a visitor with no session;
  // the companion's scanner.
  await desktop.goto("/account");
  await expect(desktop.getByRole("heading", { level: 1 })).toBeVisible({ timeout: 60_000 });
  await phone.goto("/account");
  await expect(phone).toHaveURL(/\/login\?callbackUrl=%2Faccount$/, { timeout: 60_000 });
  await phone.goto("/m/scan-code");
  await expect(phone.getByRole("heading", { level: 1 })).toBeVisible({ timeout: 60_000 });
});

test("under next dev, <QrLogin> makes one code, fires each callback once, and signs in once", async ({ desktop, phone }) => {
  const posts: string[] = [];
  desktop.on("request", (request) => {
    const { pathname } = new URL(request.url());
    if (request.method() === "POST" && (pathname === "/api/qr-login" || pathname === "/api/auth/callback/qrcode")) posts.push(pathname);
  });
  await desktop.goto("/examples/qr-login");
  const image = desktop.getByRole("img", { name: /QR code/ });
  const events = desktop.getByRole("list", { name: "Callbacks so far" }).getByRole("listitem");
  // The page and the code-creating route compile on first use, then the page reloads once.
  await expect(events.filter({ hasText: "qr-code-show" })).toHaveCount(1, { timeout: 120_000 });

  await scanAsAlice(phone, new URL(await readQrCode(image)));
  await expect(desktop.getByText("Scanned: waiting for the phone")).toBeVisible({ timeout: 60_000 });
  await phone.getByRole("button", { name: "Confirm sign-in" }).click();
  await continueOnDesktop(desktop);
  await expect(desktop.getByText("Welcome, Alice Chen.")).toBeVisible({ timeout: 60_000 });

  // Strict Mode mounts every effect twice; no callback and no request may follow it.
  for (const once of ["qr-code-load", "qr-code-show", "scanned by Alice Chen", "ask-account Alice Chen", "success → /account"]) {
    await expect(events.filter({ hasText: once }), once).toHaveCount(1);
  }
  await expect(events.filter({ hasText: /error|expired|cancel|renew/ })).toHaveCount(0);
  // The sign-in, held (this browser's first), then the tap that continues it.
  expect(posts).toEqual(["/api/qr-login", "/api/auth/callback/qrcode", "/api/auth/callback/qrcode"]);
});
