import path from "node:path";

import Database from "better-sqlite3";

import { expect, passTime, test, testApp } from "./support/fixtures";
import { continueOnDesktop, continueScan, scanAsAlice, showQrCode, signInOnPhone } from "./support/flows";
import { readQrCode } from "./support/qr-code";

// As behind one proxy: Next fills X-Forwarded-For from the socket when nobody in front did, and
// a context's extraHTTPHeaders plays the proxy that speaks for a client elsewhere. Status requests
// are held 2 s rather than 25, for the network test below; a change still answers them at once.
test.use({ serverEnv: { TRUSTED_PROXY_HOPS: "1", QR_STATUS_WAIT_SECONDS: "2" } });

test("a phone scans the code, confirms, and the desktop is signed in", async ({ app, desktop, phone, responses }) => {
  const { url, qrcodeId } = await showQrCode(desktop);
  // The QR encodes the companion page on the origin the desktop opened.
  expect(url.origin).toBe(app.origin);
  expect(url.pathname).toBe(`/m/scan/${qrcodeId}`);
  // With no phone at hand, the same page opens from a link in a second window.
  await expect(desktop.getByRole("link", { name: /Open the phone page/ })).toHaveAttribute("href", url.pathname);

  await scanAsAlice(phone, url);
  // The phone says what is asking before anyone confirms.
  await expect(phone.getByText(/Chrome/).first()).toBeVisible();
  await expect(phone.getByText(/Windows/).first()).toBeVisible();
  await expect(phone.getByText("127.0.0.1").first()).toBeVisible();
  await expect(phone.getByText("Different network.")).toBeHidden();
  await expect(phone.getByRole("button", { name: "Cancel" })).toBeVisible();

  // The desktop shows who scanned, and announces it.
  await expect(desktop.getByText("Confirm on your phone")).toBeVisible();
  await expect(desktop.getByText("Alice Chen")).toBeVisible();
  await expect(desktop.locator('[aria-live], [role="status"]').first()).toContainText(/phone/i);

  await phone.getByRole("button", { name: "Confirm sign-in" }).click();
  await expect(phone.getByText(/signed in/i).first()).toBeVisible();

  // This browser's first sign-in asks once who it is for (e2e/session-swap.spec.ts).
  await expect(desktop.getByRole("status")).toHaveText("Alice Chen scanned this code");
  await continueOnDesktop(desktop);
  await desktop.waitForURL(`${app.origin}/`);
  await expect(desktop.getByText("Signed in as")).toBeVisible();
  await expect(desktop.getByText("Alice Chen")).toBeVisible();

  await desktop.goto("/account");
  await expect(desktop.getByText("alice@example.com").first()).toBeVisible();

  await desktop.goto("/");
  // A sign-out the server could not record (its answer when the store is away, as
  // lib/qr-login/platform/store-outage.int.test.ts proves) is said, and the page stays signed in.
  await desktop.route("**/api/auth/signout", (route) =>
    route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: "service_unavailable", message: "Sign-out did not go through" }) }),
  );
  await desktop.getByRole("button", { name: "Sign out" }).click();
  await expect(desktop.getByRole("alert").filter({ hasText: "Sign-out did not go through" })).toContainText("You are still signed in");
  await expect(desktop.getByText("Signed in as")).toBeVisible();
  await desktop.unroute("**/api/auth/signout");
  await desktop.getByRole("button", { name: "Sign out" }).click();
  await expect(desktop.getByText("Signed in as")).toBeHidden();
  await desktop.goto("/account");
  await expect(desktop).toHaveURL(/\/login/);

  expect(await responses.count()).toBeGreaterThan(5);
  expect(await responses.containing(testApp.secret)).toBe(0);
  expect(await responses.containing(testApp.nextAuthSecret)).toBe(0);
});

test("signing out on the phone revokes its access token at the provider; its refresh token was revoked at sign-in", async ({ app, phone }) => {
  const since = Date.now();
  await signInOnPhone(phone);
  const token = (await phone.context().cookies()).find((cookie) => cookie.name === "qr-companion-token")!.value;
  const userInfo = () => fetch(`${app.origin}/oidc/me`, { headers: { authorization: `Bearer ${token}` } });
  expect((await userInfo()).status).toBe(200);
  // The phone keeps no refresh token, so the one that came with its sign-in is revoked at once.
  const store = new Database(path.join(app.dataDir, "provider.sqlite"), { readonly: true });
  const issued = store
    .prepare("SELECT revoked_at FROM refresh_tokens WHERE user_id = (SELECT id FROM users WHERE username = 'alice') AND created_at >= ?")
    .all(since) as { revoked_at: number | null }[];
  store.close();
  expect(issued).toHaveLength(1);
  expect(issued[0]!.revoked_at).not.toBeNull();

  await phone.getByRole("button", { name: "Sign out" }).click();
  await expect(phone.getByLabel("Username")).toBeVisible();
  // A copy of the cookie's token is refused by the provider, not only forgotten by the phone.
  expect((await userInfo()).status).toBe(401);
});

test("a scan link opened on the phone tells the desktop nothing until its user taps Continue", async ({ app, desktop, phone }) => {
  await signInOnPhone(phone);
  const { url, qrcodeId } = await showQrCode(desktop);
  const providerStatus = async () => {
    const response = await fetch(`${app.origin}/api/v3/get-qrcode-status?qrcodeId=${qrcodeId}`, { headers: { "x-authing-app-id": testApp.id } });
    return ((await response.json()) as { data: { status: string } }).data.status;
  };

  await phone.goto(url.toString(), { waitUntil: "networkidle" });
  // The phone says what is asking (this site, for this user) and has sent nothing yet.
  await expect(phone.getByRole("heading", { name: "A sign-in code" })).toBeVisible();
  await expect(phone.getByText(new URL(app.origin).host)).toBeVisible();
  await expect(phone.getByRole("button", { name: "Confirm sign-in" })).toBeHidden();
  expect(await providerStatus()).toBe("PENDING");
  await expect(desktop.getByText("Scan with the app")).toBeVisible();

  await continueScan(phone);
  await expect(phone.getByRole("button", { name: "Confirm sign-in" })).toBeVisible();
  await expect(desktop.getByText("Confirm on your phone")).toBeVisible();
  expect(await providerStatus()).toBe("SCANNED");
});

test("cancelling on the phone shows cancelled on the desktop, with a way to start over", async ({ desktop, phone }) => {
  const { url } = await showQrCode(desktop);
  await scanAsAlice(phone, url);
  await phone.getByRole("button", { name: "Cancel" }).click();
  await expect(phone.getByText(/cancelled/i).first()).toBeVisible();

  await expect(desktop.getByText(/cancelled/i).first()).toBeVisible();
  await desktop.getByRole("button", { name: "Get a new code" }).click();
  await expect(desktop.getByText("Scan with the app")).toBeVisible();
  const fresh = await readQrCode(desktop.getByRole("img", { name: /QR code/ }));
  expect(fresh).not.toBe(url.toString());
  await expect(desktop.getByText("Signed in as")).toBeHidden();
});

// The network is cut while a status request is held: the short wait lets it end and the next fail.
test("network trouble shows, retries, and clears once the server answers again", async ({ desktop }) => {
  const { qrcodeId } = await showQrCode(desktop);
  await desktop.route("**/api/qr-login/status**", (route) => route.abort("internetdisconnected"));
  await expect(desktop.getByText("Network trouble")).toBeVisible();
  await expect(desktop.getByRole("button", { name: "Try again" })).toBeVisible();

  await desktop.unroute("**/api/qr-login/status**");
  await desktop.getByRole("button", { name: "Try again" }).click();
  await expect(desktop.getByText("Scan with the app")).toBeVisible();
  // Still the same code: trouble on the way does not cost the user their code.
  await expect(desktop.getByRole("img", { name: /QR code/ })).toHaveAttribute("data-qrcode-id", qrcodeId);
});

test("the phone warns when the browser asking is on another network", async ({ browser, app, phone }) => {
  // The trusted proxy appended the address it saw (right-most); the client wrote the left-most
  // itself to look local, and is not believed.
  const farAway = await browser.newContext({ baseURL: app.origin, extraHTTPHeaders: { "x-forwarded-for": "127.0.0.1, 203.0.113.50" } });
  const desktop = await farAway.newPage();
  const { url } = await showQrCode(desktop);

  await scanAsAlice(phone, url);
  await expect(phone.getByText("203.0.113.50")).toBeVisible();
  await expect(phone.getByText("Different network.")).toBeVisible();
  await farAway.close();
});

test.describe("with no trusted proxy", () => {
  test.use({ serverEnv: {} });

  test("the addresses are unknown, so the phone warns (it fails closed)", async ({ browser, app, phone }) => {
    const forger = await browser.newContext({ baseURL: app.origin, extraHTTPHeaders: { "x-forwarded-for": "127.0.0.1" } });
    const { url } = await showQrCode(await forger.newPage());

    await scanAsAlice(phone, url);
    await expect(phone.getByText("Unknown")).toBeVisible();
    await expect(phone.getByText("127.0.0.1")).toBeHidden();
    await expect(phone.getByText("Different network.")).toBeVisible();
    await forger.close();
  });
});

test.describe("with short-lived codes", () => {
  // Renewals off: this test is about the expired code itself (renewal: qr-login-component.spec.ts).
  test.use({ serverEnv: { QR_CODE_TTL_SECONDS: "60", QR_CODE_AUTO_RENEWALS: "0" }, ownServer: true });

  test("an expired code offers a new one, and the new one signs in", async ({ app, clock, desktop, phone }) => {
    await signInOnPhone(phone);
    await desktop.clock.install();
    const first = await showQrCode(desktop);
    await passTime(clock, 60_500, desktop);
    await expect(desktop.getByText(/expired/i).first()).toBeVisible();

    // The phone cannot approve the expired code.
    await phone.goto(first.url.toString());
    await continueScan(phone);
    await expect(phone.getByText(/expired/i).first()).toBeVisible();
    await expect(phone.getByRole("button", { name: "Confirm sign-in" })).toBeHidden();

    await desktop.getByRole("button", { name: "Get a new code" }).click();
    await expect(desktop.getByText("Scan with the app")).toBeVisible();
    const fresh = new URL(await readQrCode(desktop.getByRole("img", { name: /QR code/ })));
    expect(fresh.toString()).not.toBe(first.url.toString());

    await phone.goto(fresh.toString());
    await continueScan(phone);
    await phone.getByRole("button", { name: "Confirm sign-in" }).click();
    await continueOnDesktop(desktop);
    await desktop.waitForURL(`${app.origin}/`);
    await expect(desktop.getByText("Signed in as")).toBeVisible();
  });
});

test("a browser that learns the qrcodeId cannot sign in with it, and no browser ever sees the ticket", async ({
  app,
  browser,
  desktop,
  phone,
  responses,
}) => {
  const { url, qrcodeId } = await showQrCode(desktop);
  // The victim's page stops following the code, so the ticket stays unredeemed while the attacker tries.
  await desktop.goto("about:blank");

  await scanAsAlice(phone, url);
  await phone.getByRole("button", { name: "Confirm sign-in" }).click();
  await expect(phone.getByText(/signed in/i).first()).toBeVisible();

  // An onlooker who polls the provider publicly with the id from the QR image gets no ticket:
  // the app's codes carry a poll secret that only the app's server holds.
  const statusAnswer = await fetch(`${app.origin}/api/v3/get-qrcode-status?qrcodeId=${qrcodeId}`, {
    headers: { "x-authing-app-id": testApp.id },
  }).then((response) => response.json());
  expect(statusAnswer.data).toEqual({ status: "AUTHORIZED" });
  // The ticket exists all the same: the test reads it from the provider's store, to look for it below.
  const store = new Database(path.join(app.dataDir, "provider.sqlite"), { readonly: true });
  const { ticket } = store.prepare("SELECT ticket FROM qr_codes WHERE id = ?").get(qrcodeId) as { ticket: string };
  store.close();
  expect(ticket.length).toBeGreaterThanOrEqual(22);

  const attackerContext = await browser.newContext({ baseURL: app.origin });
  responses.record(attackerContext);
  const attacker = attackerContext.request;
  const attackerStatus = await attacker.get(`/api/qr-login/status?qrcodeId=${qrcodeId}`);
  expect(attackerStatus.status()).toBe(403);
  expect(await attackerStatus.text()).not.toContain(ticket);

  const signInWith = async (request: typeof attacker, fields: Record<string, string> = {}) => {
    const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
    const callback = await request.post("/api/auth/callback/qrcode", {
      form: { qrcodeId, csrfToken, json: "true", ...fields },
    });
    expect(callback.status()).toBeLessThan(500);
    expect(await callback.text()).not.toContain(ticket);
    return (await request.get("/api/auth/session")).json();
  };

  expect(await signInWith(attacker)).not.toHaveProperty("user");
  expect(await signInWith(attacker, { account: "continue" })).not.toHaveProperty("user");
  await attackerContext.close();

  // The browser the code belongs to still signs in: the attacker did not burn the ticket. (Its
  // first sign-in is held until it continues: e2e/session-swap.spec.ts.)
  expect(await signInWith(desktop.context().request)).not.toHaveProperty("user");
  const session = await signInWith(desktop.context().request, { account: "continue" });
  expect(session.user.name).toBe("Alice Chen");
  expect(JSON.stringify(session)).not.toMatch(/access_token|refresh_token|id_token|accessToken|refreshToken/);

  // A ticket is good once: signing out of the session (binding cookie kept) cannot reuse the code.
  await desktop.context().clearCookies({ name: /session-token/ });
  expect(await signInWith(desktop.context().request)).not.toHaveProperty("user");

  expect(await responses.count()).toBeGreaterThan(5);
  expect(await responses.containing(ticket)).toBe(0);
  expect(await responses.containing(testApp.secret)).toBe(0);
});
