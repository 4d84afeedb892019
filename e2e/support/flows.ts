import { expect, type Page } from "@playwright/test";

import { readQrCode } from "./qr-code";

export const demoPassword = "scan-me-in";

/** The login page's code as a phone camera reads it: the companion's URL, or Authing's JSON (QR_CODE_CONTENT). */
export async function showQrCodeContent(desktop: Page): Promise<string> {
  await desktop.goto("/login");
  const image = desktop.getByRole("img", { name: /QR code/ });
  await expect(image).toBeVisible();
  await expect(desktop.getByText("Scan with the app")).toBeVisible();
  return readQrCode(image);
}

export async function showQrCode(desktop: Page): Promise<{ url: URL; qrcodeId: string }> {
  const url = new URL(await showQrCodeContent(desktop));
  const qrcodeId = url.pathname.split("/").pop() ?? "";
  return { url, qrcodeId };
}

/**
 * A scan link opened from outside the companion (the phone's camera app) says what is asking and
 * sends nothing until its user taps Continue; then the confirm screen shows who asked.
 */
export async function continueScan(phone: Page, continueLabel = "Continue"): Promise<void> {
  await phone.getByRole("button", { name: continueLabel }).click();
}

/** The companion phone app: opening a code's URL asks the user to sign in first, then to continue. */
export async function scanAs(phone: Page, url: URL, username: string): Promise<void> {
  await phone.goto(url.toString());
  await phone.getByLabel("Username").fill(username);
  await phone.getByLabel("Password").fill(demoPassword);
  await phone.getByRole("button", { name: "Sign in" }).click();
  await continueScan(phone);
  await expect(phone.getByRole("button", { name: "Confirm sign-in" })).toBeVisible();
}

export async function scanAsAlice(phone: Page, url: URL): Promise<void> {
  await scanAs(phone, url, "alice");
}

/**
 * A browser's first sign-in (or one with another account than its last) waits for a tap on the
 * desktop: "Continue as ‹name›" (no silent session swap, lib/qr-login/client/flow/account-check.ts).
 */
export async function continueOnDesktop(desktop: Page, name = "Alice Chen"): Promise<void> {
  await desktop.getByRole("button", { name: `Continue as ${name}` }).click();
}

export async function signInOnPhone(phone: Page): Promise<void> {
  await phone.goto("/m");
  await phone.getByLabel("Username").fill("alice");
  await phone.getByLabel("Password").fill(demoPassword);
  await phone.getByRole("button", { name: "Sign in" }).click();
  await expect(phone.getByLabel("Username")).toBeHidden();
}
