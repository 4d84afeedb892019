import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { TestBrowser, TestPhone } from "@/test-support/test-browser";
import { startAppServer, type AppServer } from "@/test-support/app-server";
import { sharedRedisServer } from "@/test-support/shared-redis-server";

/** Two production servers behind one public origin, sharing one Redis, as on Vercel. */
describe("a sign-out on one instance", () => {
  const redis = sharedRedisServer();
  let first: AppServer;
  let second: AppServer;
  beforeAll(async () => {
    first = await startAppServer({ REDIS_URL: redis.url });
    second = await startAppServer({ REDIS_URL: redis.url, NEXTAUTH_URL: first.origin });
  });
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it("ends the session on the other: a copy of the cookie is refused there too", async () => {
    const browser = new TestBrowser(first.origin);
    const html = await (await browser.fetch("/login")).text();
    const qrcodeId = /data-qrcode-id="([^"]+)"/.exec(html)![1]!;
    const phone = new TestPhone(second.origin);
    await phone.signIn("alice");
    await phone.approve(qrcodeId);
    expect((await browser.signInWithQrCode(qrcodeId)).status).toBe(200);

    const copy = browser.cookieHeader();
    const onSecond = (path: string) => fetch(`${second.origin}${path}`, { headers: { cookie: copy }, redirect: "manual" });
    expect((await onSecond("/account")).status).toBe(200);

    expect((await browser.signOut()).status).toBe(200);

    expect((await onSecond("/account")).status).toBe(307);
    expect(await (await onSecond("/api/auth/session")).json()).toEqual({});
    expect(await (await onSecond("/")).text()).not.toContain("Signed in as");
  });
});
