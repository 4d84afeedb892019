import { describe, expect, it } from "vitest";

import { TestBrowser, TestPhone } from "@/test-support/test-browser";
import { sharedAppServer } from "@/test-support/shared-app-server";

// TRUSTED_PROXY_HOPS is 0 by default: nothing in front of the app vouches for forwarded headers.
describe("with no trusted proxy", () => {
  const server = sharedAppServer();

  it("believes no X-Forwarded-For: the phone learns no address for the browser", async () => {
    const browser = new TestBrowser(server.origin);
    const { body } = await browser.json<{ qrcodeId: string }>("/api/qr-login", { method: "POST", headers: { "x-forwarded-for": "127.0.0.1" } });
    const phone = new TestPhone(server.origin);
    await phone.signIn();
    const scanned = (await phone.setStatus(body.qrcodeId, "SCAN")) as { statusCode: number; data: { requester?: { context?: { ip?: string } } } };
    expect(scanned.statusCode).toBe(200);
    expect(scanned.data.requester?.context).toBeDefined();
    expect(scanned.data.requester?.context?.ip).toBeUndefined();
  });

  it("lets no X-Forwarded-Host decide where the QR code points", async () => {
    const browser = new TestBrowser(server.origin);
    const html = await (await browser.fetch("/login", { headers: { "x-forwarded-host": "phishing.test", "x-forwarded-proto": "https" } })).text();
    expect(html).toContain(`${server.origin}/api/v3/qrcode-image?qrcodeId=`);
    expect(html).not.toContain("phishing.test");
  });
});
