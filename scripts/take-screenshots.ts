import path from "node:path";

import { expect, test } from "../e2e/support/fixtures";
import { readQrCode } from "../e2e/support/qr-code";

const folder = path.join(__dirname, "..", "docs", "screenshots");

test("README screenshots: the login page and the phone's confirm screen", async ({ desktop, phone }) => {
  await desktop.setViewportSize({ width: 1100, height: 720 });
  await desktop.goto("/login");
  const qrImage = desktop.getByRole("img", { name: /QR code/ });
  await expect(qrImage).toBeVisible();
  await desktop.screenshot({ path: path.join(folder, "login.png") });

  await phone.goto(await readQrCode(qrImage));
  await phone.getByLabel("Username").fill("alice");
  await phone.getByLabel("Password").fill("scan-me-in");
  await phone.getByRole("button", { name: "Sign in" }).click();
  await expect(phone.getByRole("button", { name: "Confirm sign-in" })).toBeVisible();
  await phone.screenshot({ path: path.join(folder, "phone-confirm.png") });

  await expect(desktop.getByText("Confirm on your phone")).toBeVisible();
  await desktop.screenshot({ path: path.join(folder, "login-scanned.png") });
});
