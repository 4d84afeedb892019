import type { Page } from "@playwright/test";

import { CspViolations, expect, openPage, test } from "./support/fixtures";
import { demoPassword } from "./support/flows";

// Each test spends alice's sign-in budget on purpose: a server of its own.
test.use({ ownServer: true });

/** One sign-in on the companion's form; answers the form's error ("" when signed in). */
async function signInAttempt(phone: Page, password: string): Promise<string> {
  await phone.getByLabel("Username").fill("alice");
  await phone.getByLabel("Password").fill(password);
  await Promise.all([
    phone.waitForResponse((response) => response.request().method() === "POST" && new URL(response.url()).pathname === "/m"),
    phone.getByRole("button", { name: "Sign in" }).click(),
  ]);
  // The answer re-renders the page: signed in (a Sign out button), or the form again with its error.
  const signOut = phone.getByRole("button", { name: "Sign out" });
  const error = phone.locator("[data-slot=form-error]", { hasText: /\S/ });
  await expect(signOut.or(error)).toBeVisible();
  if (await signOut.isVisible()) return "";
  await expect(phone.getByRole("button", { name: "Sign in" })).toBeEnabled();
  return (await error.textContent()) ?? "";
}

test("a stranger guessing an account does not lock its owner out of the phone they signed in on before", async ({ phone, browser, app }) => {
  // The owner signed in on this phone once (it keeps a signed device cookie), then signed out.
  await phone.goto("/m");
  expect(await signInAttempt(phone, demoPassword)).toBe("");
  await phone.getByRole("button", { name: "Sign out" }).click();
  await expect(phone.getByLabel("Username")).toBeVisible();

  // A stranger hammers the username until the account's own limit refuses every new phone.
  const stranger = await openPage(browser, app, { device: "phone", cspViolations: new CspViolations() });
  await stranger.goto("/m");
  let message = "";
  for (let attempt = 0; attempt < 25 && !message.startsWith("Too many"); attempt++) message = await signInAttempt(stranger, `guess-${attempt}`);
  expect(message).toMatch(/^Too many sign-in attempts/);
  expect(await signInAttempt(stranger, demoPassword)).toMatch(/^Too many sign-in attempts/);
  await stranger.context().close();

  // The owner's phone still signs in.
  expect(await signInAttempt(phone, demoPassword)).toBe("");
  await expect(phone.getByRole("button", { name: "Sign out" })).toBeVisible();
});

test("the phone's sign-in stops guessing after ten tries for an account, and says so plainly", async ({ phone }) => {
  await phone.goto("/m");
  const attempt = async (password: string) => {
    await phone.getByLabel("Username").fill("alice");
    await phone.getByLabel("Password").fill(password);
    await Promise.all([
      phone.waitForResponse((response) => response.request().method() === "POST" && new URL(response.url()).pathname === "/m"),
      phone.getByRole("button", { name: "Sign in" }).click(),
    ]);
    await expect(phone.getByRole("button", { name: "Sign in" })).toBeEnabled();
    return (await phone.locator("[data-slot=form-error]").textContent()) ?? "";
  };

  // Ten tries a minute per account; a minute boundary during the test may allow up to ten more.
  let allowed = 0;
  let message = "";
  while (allowed <= 20) {
    message = await attempt(`wrong-${allowed}`);
    if (!message.includes("Wrong username or password.")) break;
    allowed += 1;
  }
  expect(allowed).toBeGreaterThanOrEqual(10);
  expect(message).toMatch(/^Too many sign-in attempts\. Try again in \d+ (seconds|minutes)\.$/);
  // While the account waits, even the right password is not tried.
  expect(await attempt(demoPassword)).toMatch(/^Too many sign-in attempts/);
  await expect(phone.getByLabel("Username")).toBeVisible();
});
