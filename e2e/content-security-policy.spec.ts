import { expect, test } from "./support/fixtures";
import { CspViolations } from "./support/fixtures";

// Every test's desktop and phone record CSP violations and fail on any (support/fixtures.ts), so
// the whole flow in qr-login.spec.ts runs under the policy. This test proves the recorder sees one.
test("an inline script without the nonce is refused, and the refusal is recorded", async ({ browser, app }) => {
  const violations = new CspViolations();
  const context = await browser.newContext({ baseURL: app.origin });
  await violations.record(context);
  const page = await context.newPage();
  await page.goto("/login");
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  expect(violations.seen).toEqual([]);

  // The classic injection: markup with an inline event handler (no nonce can vouch for one).
  const ran = await page.evaluate(async () => {
    const holder = document.createElement("div");
    holder.innerHTML = '<button type="button" onclick="window.__injected = true">x</button>';
    document.body.append(holder);
    holder.querySelector("button")!.click();
    await new Promise((resolve) => setTimeout(resolve, 100));
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations.seen.length).toBeGreaterThan(0);
  expect(violations.seen.join("\n")).toMatch(/script-src/);
  await context.close();
});
