import path from "node:path";

import { expect, test } from "../e2e/support/fixtures";
import { scanAsAlice } from "../e2e/support/flows";
import { readQrCode } from "../e2e/support/qr-code";

const folder = path.join(__dirname, "..", "docs", "screenshots");

test("README screenshots: the login page and the phone's confirm screen", async ({ desktop, phone }) => {
  await desktop.setViewportSize({ width: 1100, height: 720 });
  await desktop.goto("/login");
  const qrImage = desktop.getByRole("img", { name: /QR code/ });
  await expect(qrImage).toBeVisible();
  await desktop.screenshot({ path: path.join(folder, "login.png") });

  await scanAsAlice(phone, new URL(await readQrCode(qrImage)));
  await phone.screenshot({ path: path.join(folder, "phone-confirm.png") });

  await expect(desktop.getByText("Confirm on your phone")).toBeVisible();
  await desktop.screenshot({ path: path.join(folder, "login-scanned.png") });
});
