import http from "node:http";
import type { AddressInfo } from "node:net";

import type { Response } from "@playwright/test";

import { codesCreated } from "../test-support/metrics";
import { expect, test } from "./support/fixtures";

const METRICS_TOKEN = "cross-site-embeds-metrics-token";
test.use({ serverEnv: { METRICS_TOKEN } });

/**
 * Another site: a page on `localhost` (the app is on 127.0.0.1, another site to the browser).
 * On loopback, since Chromium keeps a public site from loading anything from loopback at all.
 */
async function startOtherSite(html: string): Promise<{ origin: string; close(): void }> {
  const server = http.createServer((_request, response) => response.writeHead(200, { "content-type": "text/html" }).end(html));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://localhost:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

test("another site's <img> and <iframe> of /login make no code and the frame is refused; a link from it still opens a working login page", async ({ browser, app }) => {
  const otherSite = await startOtherSite(`<!doctype html><title>Other site</title>
    <img alt="" src="${app.origin}/login?as=image">
    <iframe title="framed" src="${app.origin}/login?as=frame"></iframe>
    <a href="${app.origin}/login">Sign in</a>`);
  const context = await browser.newContext();
  const page = await context.newPage();
  // How each load ended: the error the browser gave up with.
  const loads = new Map<string, string | undefined>();
  page.on("requestfailed", (request) => {
    if (request.url().startsWith(`${app.origin}/login?as=`)) loads.set(new URL(request.url()).searchParams.get("as")!, request.failure()?.errorText);
  });
  let frameLoad: Response | undefined;
  page.on("response", (response) => {
    if (response.url() === `${app.origin}/login?as=frame`) frameLoad = response;
  });
  const before = await codesCreated(app, METRICS_TOKEN);

  await page.goto(`${otherSite.origin}/`);
  // Both reached the app and were answered: the image's answer is no image (ORB drops it), and
  // the frame's refuses to be framed.
  await expect.poll(() => Object.fromEntries(loads)).toEqual({ image: "net::ERR_BLOCKED_BY_ORB", frame: "net::ERR_BLOCKED_BY_RESPONSE" });
  // The frame is refused: Chromium shows its error page in it instead of the login page.
  const framed = page.frames().find((frame) => frame !== page.mainFrame());
  await expect.poll(() => framed?.url()).toMatch(/^chrome-error:/);
  expect(frameLoad?.status()).toBe(200);
  const frameRequest = await frameLoad!.request().allHeaders();
  expect([frameRequest["sec-fetch-site"], frameRequest["sec-fetch-dest"]]).toEqual(["cross-site", "iframe"]);
  expect(await frameLoad?.headerValue("x-frame-options")).toBe("DENY");
  expect(await frameLoad?.headerValue("content-security-policy")).toContain("frame-ancestors 'none'");
  // Neither made a code (nor set the binding cookie).
  expect(await codesCreated(app, METRICS_TOKEN)).toBe(before);
  expect((await context.cookies(app.origin)).map((cookie) => cookie.name)).not.toContain("__Host-qr-login-binding");

  // A link from the other site is a top-level navigation: the login page works as ever.
  await page.getByRole("link", { name: "Sign in" }).click();
  await page.waitForURL(`${app.origin}/login`);
  await expect(page.getByRole("img", { name: /QR code/i })).toBeVisible();
  expect(await codesCreated(app, METRICS_TOKEN)).toBe(before + 1);
  await context.close();
  otherSite.close();
});
