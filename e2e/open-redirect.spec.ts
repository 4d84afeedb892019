import { expect, test } from "./support/fixtures";
import { continueOnDesktop, scanAsAlice } from "./support/flows";
import { readQrCode } from "./support/qr-code";

// A signed-out victim opens a crafted sign-in link and finishes the QR login: no server redirect
// is involved, the page navigates by itself after sign-in. (Every spelling of the corpus is
// checked against the server's redirect in lib/qr-login/client/auth/nextauth.int.test.ts.)
for (const spelling of ["/..//evil.example/", "/%2e%2e//evil.example/"]) {
  test(`a QR login begun at /login?callbackUrl=${JSON.stringify(spelling)} ends on this site`, async ({ app, desktop, phone }) => {
    const offSite: string[] = [];
    desktop.on("request", (request) => {
      if (new URL(request.url()).origin !== app.origin && request.isNavigationRequest()) offSite.push(request.url());
    });
    await desktop.goto(`/login?callbackUrl=${encodeURIComponent(spelling)}`);
    const url = new URL(await readQrCode(desktop.getByRole("img", { name: /QR code/ })));
    await scanAsAlice(phone, url);
    await phone.getByRole("button", { name: "Confirm sign-in" }).click();
    await continueOnDesktop(desktop);
    await desktop.waitForURL(`${app.origin}/`);
    await expect(desktop.getByText("Signed in as")).toBeVisible();
    expect(offSite).toEqual([]);
  });
}
