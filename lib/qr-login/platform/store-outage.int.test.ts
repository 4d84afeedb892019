import { describe, expect, it } from "vitest";

import { TestBrowser, TestPhone } from "@/test-support/test-browser";
import { testApp } from "@/test-support/app-server";
import { sharedAppServer } from "@/test-support/shared-app-server";
import { sharedRedisServer } from "@/test-support/shared-redis-server";

const redis = sharedRedisServer({ appendOnly: true });
const server = sharedAppServer(() => ({ REDIS_URL: redis.url, SEED_DEMO_USERS: "true" }));

const v3 = (path: string, body: unknown) =>
  fetch(`${server.origin}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-authing-app-id": testApp.id },
    body: JSON.stringify(body),
  });

const lines = (event: string) => server.output().split("\n").filter((line) => line.includes(`"event":"${event}"`));

async function newCode(browser: TestBrowser): Promise<string> {
  const created = await browser.json<{ qrcodeId: string }>("/api/qr-login", { method: "POST" });
  expect(created.status).toBe(201);
  return created.body.qrcodeId;
}

describe("Redis going away", () => {
  it("answers every request with 'service unavailable' while Redis is down, logs it once, and recovers by itself", async () => {
    const browser = new TestBrowser(server.origin);
    const phone = new TestPhone(server.origin);
    await phone.signIn();
    const code = await newCode(browser);
    expect((await fetch(`${server.origin}/api/health/ready`)).status).toBe(200);
    // No METRICS_TOKEN here: no scrape endpoint either.
    expect((await fetch(`${server.origin}/api/metrics`)).status).toBe(404);

    await redis.kill();
    // All answered while Redis is still down (before the test starts it again): nothing queues.
    const round = async () => {
      const [login, create, status, ready, gene, signin] = await Promise.all([
        new TestBrowser(server.origin).fetch("/login"),
        new TestBrowser(server.origin).fetch("/api/qr-login", { method: "POST" }),
        browser.fetch(`/api/qr-login/status?qrcodeId=${code}`),
        fetch(`${server.origin}/api/health/ready`),
        v3("/api/v3/gene-qrcode", { type: "MOBILE_APP" }),
        v3("/api/v3/signin", { connection: "PASSWORD", passwordPayload: { username: "bob", password: "scan-me-in" }, client_id: testApp.id, client_secret: testApp.secret }),
      ]);
      expect(login.status, server.output().slice(-2500)).toBe(200);
      expect(await login.text()).toContain("Sign-in service unavailable");
      expect(create.status).toBe(503);
      expect(await create.json()).toMatchObject({ error: "service_unavailable" });
      expect(status.status).toBe(503);
      expect(ready.status).toBe(503);
      const readiness = await ready.text();
      expect(JSON.parse(readiness)).toMatchObject({ status: "not_ready", failing: expect.arrayContaining(["store"]) });
      // The route is public: it names what failed, never the store's host, port or address.
      expect(readiness).not.toContain(new URL(redis.url).host);
      expect(readiness).not.toContain(String(new URL(redis.url).port));
      expect(gene.status).toBe(503);
      expect(await gene.json()).toMatchObject({ statusCode: 503 });
      expect(signin.status).toBe(503);
      expect(await signin.json()).toMatchObject({ statusCode: 503 });
    };
    for (let i = 0; i < 3; i++) await round();
    expect(server.output()).not.toMatch(/"statusCode":500|Internal error/);
    expect(lines("store.unavailable")).toHaveLength(1);
    expect(lines("store.unavailable")[0]).toContain("REDIS_URL");

    await redis.start();
    await expect.poll(async () => (await fetch(`${server.origin}/api/health/ready`)).status, { timeout: 15_000, interval: 200 }).toBe(200);
    expect(lines("store.recovered")).toHaveLength(1);

    // Waits subscribe again: one held now is woken by the phone's scan.
    const held = browser.json<{ status: string }>(`/api/qr-login/status?qrcodeId=${code}&waitSeconds=20&knownStatus=PENDING`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await phone.setStatus(code, "SCAN")).statusCode).toBe(200);
    expect((await held).body.status).toBe("SCANNED");
    expect((await phone.setStatus(code, "CONFIRM")).statusCode).toBe(200);
    expect((await browser.signInWithQrCode(code)).status).toBe(200);
    expect((await browser.session()).user).toMatchObject({ name: "Alice Chen" });
    expect(lines("store.unavailable")).toHaveLength(1);
  }, 90_000);

  it("fails a sign-out closed while Redis is down: 503, the session kept whole, and signed out for good once Redis is back", async () => {
    const browser = new TestBrowser(server.origin);
    const phone = new TestPhone(server.origin);
    await phone.signIn();
    const code = await newCode(browser);
    await phone.approve(code);
    expect((await browser.signInWithQrCode(code)).status).toBe(200);
    const copy = browser.cookieHeader();
    const replay = (path: string) => fetch(`${server.origin}${path}`, { headers: { cookie: copy }, redirect: "manual" });

    await redis.kill();
    let failed: Response;
    try {
      failed = await browser.signOut();
    } finally {
      await redis.start();
    }
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ error: "service_unavailable", message: expect.stringContaining("You are still signed in") });
    // No cookie was cleared: the browser still holds the session it was told it still has.
    expect(failed.headers.getSetCookie().filter((header) => header.includes("session-token"))).toEqual([]);
    expect(browser.cookieHeader()).toBe(copy);
    expect(lines("auth.sign_out_failed")).toHaveLength(1);

    await expect.poll(async () => (await fetch(`${server.origin}/api/health/ready`)).status, { timeout: 15_000, interval: 200 }).toBe(200);
    expect((await replay("/account")).status).toBe(200);
    expect((await browser.signOut()).status).toBe(200);
    expect((await replay("/account")).status).toBe(307);
    expect(await (await replay("/api/auth/session")).json()).toEqual({});
  }, 60_000);
});
