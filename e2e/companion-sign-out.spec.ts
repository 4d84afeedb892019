import { test as base, devices, expect } from "@playwright/test";

import { startAppServer, type AppServer } from "../test-support/app-server";
import { startRedisServer, type RedisServer } from "../test-support/redis-server";
import { signInOnPhone } from "./support/flows";

/** A production server on a Redis this test can take away (and bring back with its data). */
const test = base.extend<{ redis: RedisServer; app: AppServer }>({
  redis: async ({}, provide) => {
    const redis = await startRedisServer({ appendOnly: true });
    await provide(redis);
    await redis.stop();
  },
  app: async ({ redis }, provide) => {
    const app = await startAppServer({ REDIS_URL: redis.url, SEED_DEMO_USERS: "true" });
    await provide(app);
    await app.stop();
  },
});

test("the phone's sign-out fails closed: while the provider cannot record it the phone stays signed in and says so", async ({ browser, app, redis }) => {
  const context = await browser.newContext({ ...devices["Pixel 7"], baseURL: app.origin });
  const phone = await context.newPage();
  await signInOnPhone(phone);
  const token = async () => (await context.cookies()).find((cookie) => cookie.name === "qr-companion-token")?.value;
  const signedIn = await token();
  expect(signedIn).toBeTruthy();

  await redis.kill();
  try {
    await phone.getByRole("button", { name: "Sign out" }).click();
    await expect(phone.getByRole("alert").filter({ hasText: "Sign-out did not go through" })).toContainText("still signed in");
    expect(await token()).toBe(signedIn);
  } finally {
    await redis.start();
  }

  // Once the provider answers again, the same tap signs out, and the token is refused there.
  await expect.poll(async () => (await fetch(`${app.origin}/api/health/ready`)).status, { timeout: 15_000 }).toBe(200);
  await phone.goto("/m");
  await phone.getByRole("button", { name: "Sign out" }).click();
  await expect(phone.getByLabel("Username")).toBeVisible();
  expect(await token()).toBeUndefined();
  expect((await fetch(`${app.origin}/oidc/me`, { headers: { authorization: `Bearer ${signedIn}` } })).status).toBe(401);
  await context.close();
});
