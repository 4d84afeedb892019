import { test as base, devices, expect } from "@playwright/test";

import { startAppServer, type AppServer } from "../test-support/app-server";
import { startRedisServer } from "../test-support/redis-server";
import { TestPhone } from "../test-support/test-browser";
import { continueOnDesktop, showQrCode } from "./support/flows";

type Instances = { first: AppServer; second: AppServer };

/** Two production servers behind one public origin, sharing one Redis, as on Vercel. */
const test = base.extend<{ instances: Instances }>({
  instances: async ({}, provide) => {
    const redis = await startRedisServer();
    const first = await startAppServer({ REDIS_URL: redis.url, SEED_DEMO_USERS: "true" });
    const second = await startAppServer({ REDIS_URL: redis.url, SEED_DEMO_USERS: "true", NEXTAUTH_URL: first.origin });
    try {
      await provide({ first, second });
    } finally {
      await Promise.all([first.stop(), second.stop()]);
      await redis.stop();
    }
  },
});

test("a code made on one instance is confirmed through another, and the first one's waiting page signs in", async ({ browser, instances }) => {
  const { first, second } = instances;
  const context = await browser.newContext({ ...devices["Desktop Chrome"], baseURL: first.origin });
  const desktop = await context.newPage();
  const { qrcodeId } = await showQrCode(desktop);

  const phone = new TestPhone(second.origin);
  await phone.signIn();
  // The page's request that is open when the phone scans on the other instance is the one that answers.
  const wokenAnswer = desktop.waitForResponse(
    (response) => response.url().includes("/api/qr-login/status") && response.url().includes("knownStatus=PENDING"),
  );
  const heldSince = Date.now();
  await desktop.waitForTimeout(500);
  expect((await phone.setStatus(qrcodeId, "SCAN")).statusCode).toBe(200);
  const woken = await wokenAnswer;
  expect(await woken.json()).toMatchObject({ status: "SCANNED" });
  expect(woken.request().timing().startTime).toBeLessThan(heldSince + 500);
  await expect(desktop.getByText("Alice Chen")).toBeVisible();

  expect((await phone.setStatus(qrcodeId, "CONFIRM")).statusCode).toBe(200);
  await continueOnDesktop(desktop);
  await desktop.waitForURL(`${first.origin}/`);
  await expect(desktop.getByText("Signed in as")).toBeVisible();
  await expect(desktop.getByText("Alice Chen")).toBeVisible();

  // The second instance sees the same code, its ticket redeemed by the first (so no longer shown).
  const seenBySecond = await fetch(`${second.origin}/api/v3/get-qrcode-status?qrcodeId=${qrcodeId}`, {
    headers: { "x-authing-app-id": second.env.AUTHING_APP_ID! },
  }).then((response) => response.json() as Promise<{ statusCode: number; data: Record<string, unknown> }>);
  expect(seenBySecond).toMatchObject({ statusCode: 200, data: { status: "AUTHORIZED" } });
  expect(seenBySecond.data).not.toHaveProperty("ticket");
  await context.close();
});
