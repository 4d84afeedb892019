import { describe, expect, it } from "vitest";

import { TestBrowser, TestPhone } from "@/test-support/test-browser";
import { testApp } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";

type BrowserStatus = { status: string; scanner?: { displayName: string }; expiresAt: string };

const server = sharedAppServer({ SEED_DEMO_USERS: "true" });

async function codeFor(browser: TestBrowser): Promise<string> {
  const created = await browser.json<{ qrcodeId: string }>("/api/qr-login", { method: "POST" });
  expect(created.status).toBe(201);
  return created.body.qrcodeId;
}

/** Gives a request just sent the time to reach the server, so that it is held when the phone acts. */
const reachServer = () => new Promise((resolve) => setTimeout(resolve, 300));

/** A wait long enough that, had no transition woken it, it would answer the status it was given. */
const statusAfterChange = (browser: TestBrowser, qrcodeId: string, knownStatus: string) =>
  browser.json<BrowserStatus>(`/api/qr-login/status?qrcodeId=${qrcodeId}&waitSeconds=20&knownStatus=${knownStatus}`);

describe("GET /api/qr-login/status with waitSeconds and knownStatus", () => {
  it("holds each request until the phone changes the status, and answers the new one", async () => {
    const browser = new TestBrowser(server.origin);
    const phone = new TestPhone(server.origin);
    await phone.signIn();
    const qrcodeId = await codeFor(browser);

    const untilScanned = statusAfterChange(browser, qrcodeId, "PENDING");
    await reachServer();
    expect((await phone.setStatus(qrcodeId, "SCAN")).statusCode).toBe(200);
    const scanned = await untilScanned;
    expect(scanned.status).toBe(200);
    expect(scanned.body).toMatchObject({ status: "SCANNED", scanner: { displayName: "Alice Chen" } });

    const untilConfirmed = statusAfterChange(browser, qrcodeId, "SCANNED");
    await reachServer();
    expect((await phone.setStatus(qrcodeId, "CONFIRM")).statusCode).toBe(200);
    const confirmed = await untilConfirmed;
    expect(confirmed.body.status).toBe("AUTHORIZED");
    expect(JSON.stringify(confirmed.body)).not.toMatch(/ticket/i);

    // The waited-for code still signs this browser in.
    const signIn = await browser.signInWithQrCode(qrcodeId);
    expect(signIn.status).toBe(200);
    expect((await browser.session()).user).toMatchObject({ name: "Alice Chen" });
  });

  it("answers at once when the status already differs, and the unchanged status when the wait ends", async () => {
    const browser = new TestBrowser(server.origin);
    const qrcodeId = await codeFor(browser);
    const differs = await browser.json<BrowserStatus>(`/api/qr-login/status?qrcodeId=${qrcodeId}&waitSeconds=25&knownStatus=SCANNED`);
    expect(differs.body.status).toBe("PENDING");
    const unchanged = await browser.json<BrowserStatus>(`/api/qr-login/status?qrcodeId=${qrcodeId}&waitSeconds=1&knownStatus=PENDING`);
    expect(unchanged).toMatchObject({ status: 200, body: { status: "PENDING" } });
  });

  it("refuses a wait it cannot honour with a 400 that names the parameter", async () => {
    const browser = new TestBrowser(server.origin);
    const qrcodeId = await codeFor(browser);
    for (const query of ["waitSeconds=26", "waitSeconds=-1", "waitSeconds=soon", "knownStatus=DONE"]) {
      const answer = await browser.json<{ error: string; message: string }>(`/api/qr-login/status?qrcodeId=${qrcodeId}&${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: "invalid_request", message: expect.stringContaining(query.split("=")[0]!) });
    }
  });
});

describe("the embedded provider's get-qrcode-status over HTTP, with the same extension", () => {
  const provider = (path: string) => fetch(`${server.origin}${path}`, { headers: { "x-authing-app-id": testApp.id } });

  it("wakes a waiting public status request (and its deprecated twin) at the scan", async () => {
    const phone = new TestPhone(server.origin);
    await phone.signIn();
    // A code made as Authing's SDKs make it (no poll secret), so the public answer names the scanner.
    const made = await fetch(`${server.origin}/api/v3/gene-qrcode`, {
      method: "POST",
      headers: { "x-authing-app-id": testApp.id, "content-type": "application/json" },
      body: JSON.stringify({ type: "MOBILE_APP" }),
    });
    const { qrcodeId } = ((await made.json()) as { data: { qrcodeId: string } }).data;
    const waits = ["get-qrcode-status", "check-qrcode-status"].map((route) =>
      provider(`/api/v3/${route}?qrcodeId=${qrcodeId}&waitSeconds=20&knownStatus=PENDING`).then((response) => response.json()),
    );
    await reachServer();
    await phone.setStatus(qrcodeId, "SCAN");
    for (const answer of await Promise.all(waits)) {
      expect(answer).toMatchObject({ statusCode: 200, data: { status: "SCANNED", briefUserInfo: { displayName: "Alice Chen" } } });
    }
  });

  it("answers a malformed wait with a 400 envelope", async () => {
    const browser = new TestBrowser(server.origin);
    const qrcodeId = await codeFor(browser);
    const response = await provider(`/api/v3/get-qrcode-status?qrcodeId=${qrcodeId}&waitSeconds=99`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ statusCode: 400, message: expect.stringContaining("waitSeconds") });
  });
});

describe("a browser address past its held-wait cap (QR_STATUS_MAX_HELD_WAITS_PER_ADDRESS=1)", () => {
  const capped = sharedAppServer({ SEED_DEMO_USERS: "true", TRUSTED_PROXY_HOPS: "1", QR_STATUS_MAX_HELD_WAITS_PER_ADDRESS: "1" });
  const from = (address: string) => ({ headers: { "x-forwarded-for": address } });

  it("gets the status at once with a hint to poll; another address still waits; the held one is woken", async () => {
    const browser = new TestBrowser(capped.origin);
    const phone = new TestPhone(capped.origin);
    await phone.signIn();
    const created = await browser.json<{ qrcodeId: string }>("/api/qr-login", { method: "POST", ...from("203.0.113.90") });
    const { qrcodeId } = created.body;
    const wait = (address: string) =>
      browser.json<BrowserStatus & { pollAfterMs?: number }>(`/api/qr-login/status?qrcodeId=${qrcodeId}&waitSeconds=20&knownStatus=PENDING`, from(address));

    // Two waits from one address: one is held, the other (whichever comes second) is told to poll at once.
    const both = [wait("203.0.113.90"), wait("203.0.113.90")];
    const first = await Promise.race(both.map((request, index) => request.then((answer) => ({ answer, index }))));
    expect(first.answer.body).toMatchObject({ status: "PENDING", pollAfterMs: expect.any(Number) });
    const held = both[1 - first.index]!;
    const heldElsewhere = wait("198.51.100.90");
    await reachServer();
    expect((await phone.setStatus(qrcodeId, "SCAN")).statusCode).toBe(200);
    for (const answer of await Promise.all([held, heldElsewhere])) {
      expect(answer.body.status).toBe("SCANNED");
      expect(answer.body.pollAfterMs).toBeUndefined();
    }
  });
});
