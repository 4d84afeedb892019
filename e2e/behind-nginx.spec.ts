import { test as base, devices, expect } from "@playwright/test";

import { freePort, startAppServer, type AppServer } from "../test-support/app-server";
import { waitsHeld } from "../test-support/metrics";
import { startNginx, type NginxServer } from "../test-support/nginx";
import { startRedisServer, type RedisServer } from "../test-support/redis-server";
import { continueOnDesktop, scanAsAlice, showQrCode } from "./support/flows";

type Site = { nginx: NginxServer; instances: [AppServer, AppServer]; redis: RedisServer };

/**
 * As docs/deploying.md ("Self-hosting") runs it: deploy/nginx/qr-login.conf (its ports substituted) in front
 * of two standalone servers (`output: "standalone"`) sharing one redis-server, TRUSTED_PROXY_HOPS=1.
 */
const test = base.extend<{ site: Site }>({
  site: async ({}, provide) => {
    const redis = await startRedisServer();
    const nginxPort = await freePort();
    const env = {
      REDIS_URL: redis.url,
      TRUSTED_PROXY_HOPS: "1",
      SEED_DEMO_USERS: "true",
      NEXTAUTH_URL: `http://127.0.0.1:${nginxPort}`,
      // Status requests held 3 s instead of 25, so nginx soon deals one to each instance.
      QR_STATUS_WAIT_SECONDS: "3",
      METRICS_TOKEN,
    };
    const instances = (await Promise.all([startAppServer(env, { standalone: true }), startAppServer(env, { standalone: true })])) as [AppServer, AppServer];
    const nginx = await startNginx([instances[0].port, instances[1].port], nginxPort);
    try {
      await provide({ nginx, instances, redis });
    } finally {
      await nginx.stop();
      await Promise.all(instances.map((instance) => instance.stop()));
      await redis.stop();
    }
  },
});

const FORGED_ADDRESS = "203.0.113.77";
const METRICS_TOKEN = "behind-nginx-metrics-token";

test("through nginx: made on one instance, that instance killed mid-wait, confirmed through the other; the phone sees the address nginx saw", async ({ browser, site }) => {
  // Two servers, Redis and nginx to start, and a page that retries after its instance died.
  test.setTimeout(180_000);
  const { nginx, instances } = site;
  // The desktop's browser forges X-Forwarded-For on every request; nginx appends what it saw.
  const desktopContext = await browser.newContext({
    ...devices["Desktop Chrome"],
    baseURL: nginx.origin,
    extraHTTPHeaders: { "x-forwarded-for": FORGED_ADDRESS },
  });
  const desktop = await desktopContext.newPage();
  const { url, qrcodeId } = await showQrCode(desktop);
  // The code's link is nginx's public origin (X-Forwarded-Host), not an instance's port.
  expect(url.origin).toBe(nginx.origin);

  const madeBy = (instance: AppServer) => instance.output().includes(`"event":"qr_code.created","qrcodeId":"${qrcodeId}"`);
  const creator = instances.find(madeBy);
  expect(creator, "the instance whose log says it created the code").toBeDefined();
  const survivor = instances.find((instance) => instance !== creator)!;

  // Once the instance that made the code holds the page's status request open, it dies mid-wait
  // (SIGKILL: no shutdown code runs). nginx sends everything that follows to the other one.
  await expect.poll(() => waitsHeld(creator!, METRICS_TOKEN), { timeout: 30_000 }).toBe(1);
  process.kill(creator!.pid()!, "SIGKILL");

  const phoneContext = await browser.newContext({ ...devices["Pixel 7"], baseURL: nginx.origin });
  const phone = await phoneContext.newPage();
  await scanAsAlice(phone, url);
  // The address the code was requested from: the one nginx saw (loopback here), never the forged one.
  await expect(phone.getByText("127.0.0.1", { exact: true })).toBeVisible();
  await expect(phone.getByText(FORGED_ADDRESS)).toHaveCount(0);
  await expect(desktop.getByText("Alice Chen")).toBeVisible();

  await phone.getByRole("button", { name: "Confirm sign-in" }).click();
  await continueOnDesktop(desktop);
  await desktop.waitForURL(`${nginx.origin}/`);
  await expect(desktop.getByText("Signed in as")).toBeVisible();
  await expect(desktop.getByText("Alice Chen")).toBeVisible();

  expect(survivor.output()).toContain(`"event":"qr_code.confirmed","qrcodeId":"${qrcodeId}"`);
  expect(survivor.output()).toContain(`"event":"ticket.redeemed","qrcodeId":"${qrcodeId}"`);
  // nginx passed a request id on; the app answered with it.
  const answer = await fetch(`${nginx.origin}/api/health`);
  expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
  await desktopContext.close();
  await phoneContext.close();
});
