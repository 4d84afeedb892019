import { expect, openPage, test } from "./support/fixtures";
import { continueOnDesktop, continueScan, scanAs, showQrCode } from "./support/flows";
import { readQrCode } from "./support/qr-code";

/**
 * No silent session swap (docs/qr-login-threats.md): whoever sees a browser's code can scan it
 * with their own account and confirm first. One desktop, two phones: the attacker's confirmation
 * does not sign the victim's browser in; its own account still does, with no click there.
 */
test("a code another account confirms waits on the desktop, named, with a way out; this browser's own account signs in with no click", async ({
  app,
  browser,
  cspViolations,
  desktop,
  phone: alicePhone,
}) => {
  const bobPhone = await openPage(browser, app, { device: "phone", cspViolations });
  const session = async () => (await desktop.request.get("/api/auth/session")).json();
  const status = desktop.getByRole("status");

  // This browser's first sign-in asks once, then remembers alice.
  const first = await showQrCode(desktop);
  await scanAs(alicePhone, first.url, "alice");
  await alicePhone.getByRole("button", { name: "Confirm sign-in" }).click();
  await expect(status).toHaveText("Alice Chen scanned this code");
  expect(await session()).toEqual({});
  await continueOnDesktop(desktop, "Alice Chen");
  await desktop.waitForURL(`${app.origin}/`);
  expect((await session()).user.name).toBe("Alice Chen");
  await desktop.getByRole("button", { name: "Sign out" }).click();
  await expect(desktop.getByText("Signed in as")).toBeHidden();

  // The attack: bob scans the victim's code and confirms it before she does.
  const attacked = await showQrCode(desktop);
  await scanAs(bobPhone, attacked.url, "bob");
  await expect(desktop.getByText("Bob Li")).toBeVisible();
  await bobPhone.getByRole("button", { name: "Confirm sign-in" }).click();
  await expect(bobPhone.getByText(/signed in/i).first()).toBeVisible();

  // The victim's browser is not bob's: it names him (from his id_token) and offers a way out.
  await expect(status).toHaveText("Bob Li scanned this code");
  await expect(desktop.getByText(/Bob Li \(bob@example\.com\) confirmed on a phone/)).toBeVisible();
  await expect(desktop.getByRole("button", { name: "Continue as Bob Li" })).toBeVisible();
  const refuse = desktop.getByRole("button", { name: "Not Bob Li? Get a new code" });
  await expect(refuse).toBeVisible();
  expect(await session()).toEqual({});
  // The same post the tap sends, without NextAuth's CSRF token (as a cross-site form would), signs nothing in.
  await desktop.request.post("/api/auth/callback/qrcode", { form: { qrcodeId: attacked.qrcodeId, account: "continue", json: "true" } });
  expect(await session()).toEqual({});
  // Nor does a reload: the page makes a new code, and what is held waits only for the tap.
  await desktop.reload();
  await expect(status).toHaveText("Scan with the app");
  expect(await session()).toEqual({});

  // Again, and this time the victim refuses: a new code, nothing signed in, nothing held.
  const again = new URL(await readQrCode(desktop.getByRole("img", { name: /QR code/ })));
  await bobPhone.goto(again.toString());
  await continueScan(bobPhone);
  await bobPhone.getByRole("button", { name: "Confirm sign-in" }).click();
  await expect(status).toHaveText("Bob Li scanned this code");
  await refuse.click();
  await expect(status).toHaveText("Scan with the app");
  expect(await session()).toEqual({});
  expect((await desktop.request.get("/api/qr-login/held-sign-in")).status()).toBe(404);

  // The honest path: alice's phone confirms the new code, and the desktop signs in by itself.
  const fresh = new URL(await readQrCode(desktop.getByRole("img", { name: /QR code/ })));
  expect(fresh.pathname).not.toBe(again.pathname);
  await alicePhone.goto(fresh.toString());
  await continueScan(alicePhone);
  await alicePhone.getByRole("button", { name: "Confirm sign-in" }).click();
  await desktop.waitForURL(`${app.origin}/`);
  await expect(desktop.getByText("Signed in as")).toBeVisible();
  expect((await session()).user.name).toBe("Alice Chen");
  await bobPhone.context().close();
});
