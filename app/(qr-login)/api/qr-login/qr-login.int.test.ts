import http from "node:http";

import { afterAll, beforeEach, describe, expect, it } from "vitest";

import { parseSetCookie, TestBrowser, TestPhone } from "@/test-support/test-browser";
import { testApp } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";
import { testClock } from "@/test-support/test-clock";

type QrCode = { qrcodeId: string; imageUrl: string; expiresAt: string };

/** A request with a Host header of its own (fetch always sends the URL's). */
function requestWithHost(url: string, init: { method?: string; headers: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(url, { method: init.method ?? "GET", headers: init.headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
    request.end(init.body);
  });
}

// One trusted proxy hop: tests speak for distinct clients through X-Forwarded-For.
const clock = testClock();
afterAll(() => clock.remove());
const server = sharedAppServer({ TRUSTED_PROXY_HOPS: "1", ...clock.env });

async function newCode(browser: TestBrowser) {
  const created = await browser.json<QrCode>("/api/qr-login", { method: "POST" });
  expect(created.status).toBe(201);
  return created;
}

function expectNoSecrets(text: string) {
  expect(text).not.toContain(testApp.secret);
  expect(text).not.toContain(testApp.nextAuthSecret);
  expect(text).not.toMatch(/ticket/i);
  expect(text).not.toMatch(/access_token|refresh_token|id_token/);
}

describe("POST /api/qr-login", () => {
  it("creates a code bound to this browser with an httpOnly cookie, and returns no ticket or secret", async () => {
    const browser = new TestBrowser(server.origin);
    const { body, response } = await newCode(browser);
    expect(body).toEqual({ qrcodeId: expect.any(String), imageUrl: expect.any(String), expiresAt: expect.any(String) });
    expect(Object.keys(body).sort()).toEqual(["expiresAt", "imageUrl", "qrcodeId"]);
    expectNoSecrets(JSON.stringify(body));

    const cookie = parseSetCookie(response.headers.getSetCookie().find((header) => header.startsWith("__Host-qr-login-binding="))!);
    // Production: `__Host-` and Secure even over http://127.0.0.1 (browsers treat it as secure).
    expect(cookie.attributes).toMatchObject({ httponly: true, samesite: "lax", path: "/", secure: true });
    expect(cookie.attributes.domain).toBeUndefined();
    expect(Number(cookie.attributes["max-age"])).toBeGreaterThan(0);

    // The image is served from the origin the browser used.
    expect(body.imageUrl.startsWith(server.origin)).toBe(true);
    const image = await fetch(body.imageUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toMatch(/^image\//);
    const expiresIn = Date.parse(body.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(100_000);
    expect(expiresIn).toBeLessThanOrEqual(120_000);
  });

  it("refuses a cross-site request", async () => {
    const browser = new TestBrowser(server.origin);
    const response = await browser.fetch("/api/qr-login", { method: "POST", headers: { "sec-fetch-site": "cross-site" } });
    expect(response.status).toBe(403);
    expect(browser.cookies.has("__Host-qr-login-binding")).toBe(false);
  });

  it("answers other methods with 405, not 500", async () => {
    const response = await fetch(`${server.origin}/api/qr-login`, { method: "DELETE" });
    expect(response.status).toBe(405);
  });
});

describe("GET /api/qr-login/status", () => {
  it("answers only the browser whose cookie vouches for the code", async () => {
    const browser = new TestBrowser(server.origin);
    const { body: code } = await newCode(browser);

    const stranger = new TestBrowser(server.origin);
    const refused = await stranger.json<{ error: string; message: string }>(`/api/qr-login/status?qrcodeId=${code.qrcodeId}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe("not_bound");
    expect(refused.body.message).toMatch(/not created for this browser/);

    // A forged cookie is no better than none.
    const forged = await fetch(`${server.origin}/api/qr-login/status?qrcodeId=${code.qrcodeId}`, {
      headers: { cookie: `__Host-qr-login-binding=${browser.cookies.get("__Host-qr-login-binding")!.replace(/\.[^.]+$/, ".AAAA")}` },
    });
    expect(forged.status).toBe(403);

    const pending = await browser.json(`/api/qr-login/status?qrcodeId=${code.qrcodeId}`);
    expect(pending.status).toBe(200);
    expect(pending.body).toEqual({ status: "PENDING", expiresAt: code.expiresAt });
  });

  it("follows scan and confirm on the phone, shows who scanned, and never hands out the ticket", async () => {
    const browser = new TestBrowser(server.origin);
    const { body: code } = await newCode(browser);
    const phone = new TestPhone(server.origin);
    await phone.signIn("alice");

    expect((await phone.setStatus(code.qrcodeId, "SCAN")).statusCode).toBe(200);
    const scanned = await browser.json<Record<string, unknown>>(`/api/qr-login/status?qrcodeId=${code.qrcodeId}`);
    expect(scanned.body).toEqual({
      status: "SCANNED",
      scanner: { displayName: "Alice Chen", photo: expect.any(String) },
      expiresAt: code.expiresAt,
    });

    expect((await phone.setStatus(code.qrcodeId, "CONFIRM")).statusCode).toBe(200);
    const authorized = await browser.fetch(`/api/qr-login/status?qrcodeId=${code.qrcodeId}`);
    const text = await authorized.text();
    expect(JSON.parse(text)).toMatchObject({ status: "AUTHORIZED", scanner: { displayName: "Alice Chen" } });
    expectNoSecrets(text);

    // The app's codes carry a poll secret: whoever polls the provider directly sees no ticket, no scanner.
    const direct = await fetch(`${server.origin}/api/v3/get-qrcode-status?qrcodeId=${code.qrcodeId}`, {
      headers: { "x-authing-app-id": testApp.id },
    });
    expect(((await direct.json()) as { data: unknown }).data).toEqual({ status: "AUTHORIZED" });
  });

  it("reports a cancellation", async () => {
    const browser = new TestBrowser(server.origin);
    const { body: code } = await newCode(browser);
    const phone = new TestPhone(server.origin);
    await phone.signIn("bob");
    await phone.setStatus(code.qrcodeId, "SCAN");
    await phone.setStatus(code.qrcodeId, "CANCEL");
    const cancelled = await browser.json(`/api/qr-login/status?qrcodeId=${code.qrcodeId}`);
    expect(cancelled.body).toMatchObject({ status: "CANCELLED" });
    expect(cancelled.body).not.toHaveProperty("scanner");
  });

  it("keeps the newest three codes of one browser, so several tabs work at once", async () => {
    const browser = new TestBrowser(server.origin);
    const codes: QrCode[] = [];
    for (let index = 0; index < 4; index += 1) codes.push((await newCode(browser)).body);
    const statuses = await Promise.all(
      codes.map(async (code) => (await browser.fetch(`/api/qr-login/status?qrcodeId=${code.qrcodeId}`)).status),
    );
    expect(statuses).toEqual([403, 200, 200, 200]);
  });

  it("answers malformed ids with a clear 400, never a 500", async () => {
    const browser = new TestBrowser(server.origin);
    await newCode(browser);
    for (const query of ["", "?qrcodeId=", "?qrcodeId=%3Cscript%3E", `?qrcodeId=${"a".repeat(500)}`, "?qrcodeId=../../etc"]) {
      const answer = await browser.json<{ error: string; message: string }>(`/api/qr-login/status${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error).toBe("invalid_request");
      expect(answer.body.message.length).toBeGreaterThan(0);
    }
  });
});

describe("GET /login", () => {
  it("puts the QR image for a fresh code bound to this browser in the first HTML", async () => {
    const browser = new TestBrowser(server.origin);
    const response = await browser.fetch("/login", { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    const html = await response.text();

    const binding = browser.cookies.get("__Host-qr-login-binding");
    expect(binding).toBeDefined();
    const image = /<img[^>]*data-qrcode-id="[^"]+"[^>]*>/.exec(html)?.[0];
    expect(image).toBeDefined();
    expect(image).toMatch(/alt="[^"]*QR code[^"]*"/);
    const qrcodeId = /data-qrcode-id="([^"]+)"/.exec(image!)![1]!;
    expect(html).toMatch(/aria-live="polite"[^>]*>Scan with the app</);
    expectNoSecrets(html);

    // The code on the page is the one the cookie vouches for.
    const status = await browser.json(`/api/qr-login/status?qrcodeId=${qrcodeId}`);
    expect(status.body).toMatchObject({ status: "PENDING" });
  });

  it("makes no code for a browser's speculative prefetch", async () => {
    const prefetches: Record<string, string>[] = [{ "sec-purpose": "prefetch;prerender" }, { purpose: "prefetch" }];
    for (const headers of prefetches) {
      const browser = new TestBrowser(server.origin);
      await browser.fetch("/login", { headers });
      expect(browser.cookies.has("__Host-qr-login-binding")).toBe(false);
    }
  });

  it("points every code at NEXTAUTH_URL, whatever Host or X-Forwarded-Host say, even from a trusted proxy hop", async () => {
    const image = `${server.origin}/api/v3/qrcode-image?qrcodeId=`;
    const headers = { host: "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.25" };
    // The login page (the proxy makes its code), "get a new code", and the provider's public gene-qrcode.
    const page = await requestWithHost(`${server.origin}/login`, { headers });
    expect(page.status).toBe(200);
    expect(page.body).toContain(image);
    const created = await requestWithHost(`${server.origin}/api/qr-login`, { method: "POST", headers });
    expect(created.status).toBe(201);
    expect((JSON.parse(created.body) as QrCode).imageUrl.startsWith(image)).toBe(true);
    const gene = await requestWithHost(`${server.origin}/api/v3/gene-qrcode`, {
      method: "POST",
      headers: { ...headers, "x-authing-app-id": testApp.id, "content-type": "application/json" },
      body: JSON.stringify({ type: "MOBILE_APP" }),
    });
    expect((JSON.parse(gene.body) as { data: { url: string } }).data.url.startsWith(image)).toBe(true);
    for (const answer of [page, created, gene]) expect(answer.body).not.toContain("evil.example");
  });
});

describe("rate limits", () => {
  // Each test speaks for its own client address, so limits never leak between tests.
  const fromAddress = (address: string) => ({ "x-forwarded-for": address });

  // The limits count in fixed windows of whole minutes: each test starts at the beginning of one.
  beforeEach(() => clock.startFreshWindow());

  it("limits code creation per client address, and answers 429 with Retry-After", async () => {
    const browser = new TestBrowser(server.origin);
    const create = (address: string) =>
      browser.fetch("/api/qr-login", { method: "POST", headers: fromAddress(address) });
    const statuses = [];
    for (let attempt = 0; attempt < 30; attempt++) statuses.push((await create("203.0.113.10")).status);
    expect(new Set(statuses)).toEqual(new Set([201]));

    const refused = await create("203.0.113.10");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: "rate_limited" });
    // Another client is not held back by the first one's limit.
    expect((await create("203.0.113.11")).status).toBe(201);
  });

  it("keys the limit on the address the trusted proxy saw, not on what the client wrote before it", async () => {
    const browser = new TestBrowser(server.origin);
    const create = (forwardedFor: string) => browser.fetch("/api/qr-login", { method: "POST", headers: { "x-forwarded-for": forwardedFor } });
    const statuses = [];
    for (let attempt = 0; attempt < 30; attempt++) statuses.push((await create(`10.9.8.${attempt}, 203.0.113.20`)).status);
    expect(new Set(statuses)).toEqual(new Set([201]));
    expect((await create("10.9.8.200, 203.0.113.20")).status).toBe(429);
  });

  it("limits IPv6 clients per /64, so rotating the interface id does not escape", async () => {
    const browser = new TestBrowser(server.origin);
    const create = (address: string) => browser.fetch("/api/qr-login", { method: "POST", headers: fromAddress(address) });
    const statuses = [];
    for (let attempt = 0; attempt < 30; attempt++) statuses.push((await create(`2001:db8:7:7::${(attempt + 1).toString(16)}`)).status);
    expect(new Set(statuses)).toEqual(new Set([201]));
    expect((await create("2001:db8:7:7:aaaa:bbbb:cccc:dddd")).status).toBe(429);
    expect((await create("2001:db8:7:8::1")).status).toBe(201);
  });

  it("limits polling per bound code; polls for codes a browser does not hold are refused before they count", async () => {
    const owner = new TestBrowser(server.origin);
    const { body } = await newCode(owner);
    const stranger = new TestBrowser(server.origin);
    const strangerPoll = await stranger.fetch(`/api/qr-login/status?qrcodeId=${body.qrcodeId}`);
    expect(strangerPoll.status).toBe(403);

    const poll = () => owner.fetch(`/api/qr-login/status?qrcodeId=${body.qrcodeId}`);
    const statuses = [];
    for (let attempt = 0; attempt < 120; attempt++) statuses.push((await poll()).status);
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect((await poll()).status).toBe(429);

    // The browser's next code polls normally: the limit belongs to the code, not the address.
    const { body: next } = await newCode(owner);
    expect((await owner.fetch(`/api/qr-login/status?qrcodeId=${next.qrcodeId}`)).status).toBe(200);
  });
});
