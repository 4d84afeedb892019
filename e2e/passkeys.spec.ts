import type { Page } from "@playwright/test";

import { dictionaries } from "../lib/qr-login/client/i18n/messages";
import { expectAccessible, tabTo } from "./support/accessibility";
import { continueOnDesktop, continueScan, demoPassword } from "./support/flows";
import { expect, test, testApp } from "./support/fixtures";
import { readQrCode } from "./support/qr-code";
import { virtualAuthenticator } from "./support/virtual-authenticator";

// Browsers offer passkeys in a secure context only, never for an IP address: this server's own
// origin is http://localhost:<port> (the pages open there), so passkeys are on, with that origin.
test.use({ serverEnv: { NEXTAUTH_URL: "http://localhost:{port}" } });

const t = dictionaries.en;

/** An assertion made in the phone's page, for options the provider gave someone (a replay's raw material). */
function assertionIn(page: Page, options: { challenge: string; rpId: string }, userVerification: UserVerificationRequirement = "required"): Promise<unknown> {
  return page.evaluate(async ({ challenge, rpId, userVerification }) => {
    const fromBase64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
    const toBase64url = (buffer: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const credential = (await navigator.credentials.get({
      publicKey: { challenge: fromBase64url(challenge), rpId, userVerification },
    })) as PublicKeyCredential;
    const response = credential.response as AuthenticatorAssertionResponse;
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: "public-key",
      response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
        authenticatorData: toBase64url(response.authenticatorData),
        signature: toBase64url(response.signature),
        userHandle: response.userHandle ? toBase64url(response.userHandle) : undefined,
      },
      clientExtensionResults: {},
    };
  }, { challenge: options.challenge, rpId: options.rpId, userVerification });
}

test("a phone adds a passkey, signs in with it, and confirms a desktop's code with the user's verification; the refusals", async ({ app, desktop, phone }) => {
  test.setTimeout(120_000);
  const origin = `http://localhost:${app.port}`;
  const { cdp, authenticatorId } = await virtualAuthenticator(phone);
  /** The provider's V3 API as the phone's signed-in user (its companion cookie) or as anyone. */
  const asPhone = async (path: string, body: unknown) => {
    const token = (await phone.context().cookies(`${origin}/m`)).find((cookie) => cookie.name === "qr-companion-token")?.value ?? "";
    const response = await fetch(`${app.origin}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-authing-app-id": testApp.id, authorization: token },
      body: JSON.stringify(body),
    });
    return (await response.json()) as { statusCode: number; apiCode?: number; message: string; data: Record<string, unknown> & { challenge: string; rpId: string } };
  };
  const statusOf = async (qrcodeId: string) =>
    ((await (await fetch(`${app.origin}/api/v3/get-qrcode-status?qrcodeId=${qrcodeId}`, { headers: { "x-authing-app-id": testApp.id } })).json()) as { data: { status: string } }).data.status;
  const passkeyButton = phone.getByRole("button", { name: t.passkeys.signIn });

  // Signed out, the companion offers a passkey first and the password as the fallback.
  await phone.goto(`${origin}/m`);
  await expect(passkeyButton).toBeVisible();
  await expect(phone.getByLabel(t.companion.username)).toHaveAttribute("autocomplete", "username webauthn");
  await expectAccessible(phone, "companion sign-in with passkeys");
  await phone.getByLabel(t.companion.username).fill("alice");
  await phone.getByLabel(t.companion.password).fill(demoPassword);
  await phone.getByRole("button", { name: t.companion.signIn, exact: true }).click();

  // Signed in with the password: the phone offers to add a passkey; added, it is listed.
  await phone.getByRole("button", { name: t.passkeys.add }).click();
  await expect(phone.getByRole("status").filter({ hasText: t.passkeys.addedNow })).toBeVisible();
  const list = phone.getByRole("list", { name: t.passkeys.listLabel });
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(list).toContainText(t.passkeys.neverUsed);
  await expectAccessible(phone, "companion with a passkey");
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0]!.isResidentCredential).toBe(true);
  expect(credentials[0]!.rpId).toBe("localhost");

  // Signed out, the passkey signs the phone in again: offered by the username field's autofill
  // (conditional UI; Chromium's virtual authenticator picks the one passkey at once)…
  await phone.getByRole("button", { name: t.companion.signOut }).click();
  await expect(phone.getByRole("heading", { name: t.companion.readyTitle })).toBeVisible();
  await expect(list).toContainText("last used");
  // …and, in a browser without that autofill, with the button.
  await phone.context().addInitScript(() => Object.defineProperty(PublicKeyCredential, "isConditionalMediationAvailable", { value: undefined }));
  await phone.reload();
  await phone.getByRole("button", { name: t.companion.signOut }).click();
  await passkeyButton.click();
  await expect(phone.getByRole("heading", { name: t.companion.readyTitle })).toBeVisible();

  // The desktop's code, scanned on the phone: Confirm will ask for the user's verification.
  await desktop.goto(`${origin}/login`);
  const url = new URL(await readQrCode(desktop.getByRole("img", { name: /QR code/ })));
  const qrcodeId = url.pathname.split("/").pop()!;
  expect(url.origin).toBe(origin);
  await phone.goto(url.toString());
  await continueScan(phone);
  await expect(phone.getByText(t.passkeys.confirmHint)).toBeVisible();
  await expect(desktop.getByText("Alice Chen")).toBeVisible();

  // Refused, and the code still waits: a CONFIRM without an assertion, straight to the API…
  expect(await asPhone("/api/v3/set-qrcode-status", { qrcodeId, action: "CONFIRM" })).toMatchObject({ statusCode: 403, apiCode: 9031 });
  // …an assertion made for another code this user scanned (then spent: it is good for no code)…
  const other = (await (
    await fetch(`${app.origin}/api/v3/gene-qrcode`, { method: "POST", headers: { "content-type": "application/json", "x-authing-app-id": testApp.id }, body: JSON.stringify({ type: "MOBILE_APP" }) })
  ).json()) as { data: { qrcodeId: string } };
  expect((await asPhone("/api/v3/set-qrcode-status", { qrcodeId: other.data.qrcodeId, action: "SCAN" })).statusCode).toBe(200);
  const forOther = await assertionIn(phone, (await asPhone("/api/v3/passkey-confirm-options", { qrcodeId: other.data.qrcodeId })).data);
  const replayed = await asPhone("/api/v3/set-qrcode-status", { qrcodeId, action: "CONFIRM", userVerification: forOther });
  expect(replayed).toMatchObject({ statusCode: 403, apiCode: 9032, message: expect.stringMatching(/another QR code/) });
  expect(await asPhone("/api/v3/set-qrcode-status", { qrcodeId: other.data.qrcodeId, action: "CONFIRM", userVerification: forOther })).toMatchObject({
    statusCode: 403,
    apiCode: 9032,
  });
  // …an assertion without the user's verification (asked of the authenticator as not needed)…
  await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified: false });
  const unverified = await assertionIn(phone, (await asPhone("/api/v3/passkey-confirm-options", { qrcodeId })).data, "discouraged");
  const notVerified = await asPhone("/api/v3/set-qrcode-status", { qrcodeId, action: "CONFIRM", userVerification: unverified });
  expect(notVerified).toMatchObject({ statusCode: 403, apiCode: 9032, message: expect.stringMatching(/user could not be verified/i) });
  // …and on the phone, a fingerprint that does not pass: the browser refuses, the page says to try again.
  await phone.getByRole("button", { name: t.companion.confirm }).click();
  await expect(phone.getByRole("alert").filter({ hasText: t.passkeys.errors.cancelled })).toBeVisible();
  await expectAccessible(phone, "companion confirm with a passkey, refused");
  expect(await statusOf(qrcodeId)).toBe("SCANNED");

  // Verified: the desktop is signed in.
  await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified: true });
  await phone.getByRole("button", { name: t.companion.confirm }).click();
  await expect(phone.getByRole("heading", { name: t.companion.confirmed })).toBeVisible();
  await continueOnDesktop(desktop);
  await desktop.waitForURL(`${origin}/`);
  await expect(desktop.getByText("Signed in as")).toBeVisible();

  // Removed, the passkey no longer signs in, and the page says what to do instead.
  await phone.goto(`${origin}/m`);
  await phone.getByRole("button", { name: t.passkeys.removeLabel(t.passkeys.passkeyName(1)) }).click();
  await expect(phone.getByRole("status").filter({ hasText: t.passkeys.removedNow })).toBeVisible();
  await expect(list).toBeHidden();
  await phone.getByRole("button", { name: t.companion.signOut }).click();
  await passkeyButton.click();
  await expect(phone.getByRole("alert").filter({ hasText: t.passkeys.signInRefused })).toBeVisible();
  await expectAccessible(phone, "companion sign-in, passkey refused");
});

test.describe("in 简体中文", () => {
  test.use({ locale: "zh-CN" });
  const zh = dictionaries["zh-CN"];

  test("the passkey screens speak Chinese, pass axe, and work by keyboard", async ({ app, phone }) => {
    const origin = `http://localhost:${app.port}`;
    await virtualAuthenticator(phone);
    await phone.goto(`${origin}/m`);
    await expect(phone.getByRole("button", { name: zh.passkeys.signIn })).toBeVisible();
    await phone.getByLabel(zh.companion.username).fill("bob");
    await phone.getByLabel(zh.companion.password).fill(demoPassword);
    await phone.getByRole("button", { name: zh.companion.signIn, exact: true }).click();
    await expect(phone.getByText(zh.passkeys.offer)).toBeVisible();
    // By keyboard alone: added, then removed.
    await tabTo(phone, phone.getByRole("button", { name: zh.passkeys.add }));
    await phone.keyboard.press("Enter");
    await expect(phone.getByRole("list", { name: zh.passkeys.listLabel })).toContainText(zh.passkeys.neverUsed);
    await expectAccessible(phone, "companion with a passkey, in Chinese");
    await tabTo(phone, phone.getByRole("button", { name: zh.passkeys.removeLabel(zh.passkeys.passkeyName(1)) }));
    await phone.keyboard.press("Enter");
    await expect(phone.getByRole("status").filter({ hasText: zh.passkeys.removedNow })).toBeVisible();
  });
});
