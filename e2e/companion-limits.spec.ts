import { expect, test } from "./support/fixtures";
import { demoPassword } from "./support/flows";

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
    return (await phone.locator("p.form-error").textContent()) ?? "";
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
