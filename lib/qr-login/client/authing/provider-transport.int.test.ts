import { describe, expect, it } from "vitest";

import { TestBrowser } from "@/test-support/test-browser";
import { sharedAppServer } from "@/test-support/shared-app-server";

// NEXTAUTH_URL is the embedded provider's base URL. Pointed at a port nobody listens on, every
// call the app makes to its provider over HTTP would fail: only the in-process transport that
// instrumentation.ts registers can reach it.
const server = sharedAppServer({ NEXTAUTH_URL: "http://127.0.0.1:9" });

describe("the embedded provider's in-process transport", () => {
  it("is registered at start: the app reaches its provider without the network", async () => {
    const browser = new TestBrowser(server.origin);
    const created = await browser.json<{ qrcodeId: string }>("/api/qr-login", { method: "POST" });
    expect(created.status).toBe(201);
    const status = await browser.json<{ status: string }>(`/api/qr-login/status?qrcodeId=${created.body.qrcodeId}`);
    expect(status.body.status).toBe("PENDING");
  });
});
