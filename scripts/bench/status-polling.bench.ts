/**
 * The hot path: every open login page polls its code's status about once a second.
 *
 * Baseline: a browser polling the provider's public status endpoint itself (what Authing's own
 * web SDK does, and what leaks the ticket). Ours: the browser polls the app, which checks the
 * binding cookie, counts the poll against the code's rate limit, and polls the provider on the
 * server. The difference is what keeping the ticket off the browser costs per poll.
 *
 * `npm run bench` (builds first). Numbers vary by machine; compare the rows of one run.
 */
import { afterAll, beforeAll, bench, describe } from "vitest";

import { TestBrowser } from "@/lib/qr-login/testing/test-browser";
import { startAppServer, testApp, type AppServer } from "@/test-support/app-server";

const browsers = 60; // the app allows 120 polls a minute per code; spread the load as real pages do
const concurrent = 50;

let server: AppServer;
let pages: { browser: TestBrowser; qrcodeId: string }[] = [];
let turn = 0;
const nextPage = () => pages[turn++ % pages.length]!;

beforeAll(async () => {
  // Each simulated browser speaks for its own address through one trusted proxy hop.
  server = await startAppServer({ TRUSTED_PROXY_HOPS: "1" });
  pages = [];
  for (let index = 0; index < browsers; index++) {
    const browser = new TestBrowser(server.origin);
    // One address per page, as distinct visitors have; creation is limited per address.
    const created = await browser.fetch("/api/qr-login", {
      method: "POST",
      headers: { "x-forwarded-for": `198.51.100.${index + 1}` },
    });
    if (created.status !== 201) throw new Error(`could not create a code: ${created.status}`);
    const { qrcodeId } = (await created.json()) as { qrcodeId: string };
    pages.push({ browser, qrcodeId });
  }
});

afterAll(async () => {
  await server?.stop();
});

async function pollProvider(qrcodeId: string): Promise<void> {
  const response = await fetch(`${server.origin}/api/v3/get-qrcode-status?qrcodeId=${qrcodeId}`, {
    headers: { "x-authing-app-id": testApp.id },
  });
  const body = (await response.json()) as { statusCode: number };
  if (body.statusCode !== 200) throw new Error(`provider answered ${body.statusCode}`);
}

async function pollApp(): Promise<void> {
  const { browser, qrcodeId } = nextPage();
  const response = await browser.fetch(`/api/qr-login/status?qrcodeId=${qrcodeId}`);
  if (response.status !== 200) throw new Error(`app answered ${response.status}`);
  await response.json();
}

const options = { time: 3_000, warmupTime: 500 };

describe("one poll at a time", () => {
  bench("baseline: browser polls the provider directly (public polling)", () => pollProvider(nextPage().qrcodeId), options);
  bench("app: browser polls the app, bound by cookie, provider polled server-side", pollApp, options);
});

describe(`${concurrent} polls at once`, () => {
  bench(
    "baseline: browser polls the provider directly (public polling)",
    () => Promise.all(Array.from({ length: concurrent }, () => pollProvider(nextPage().qrcodeId))).then(() => undefined),
    options,
  );
  bench(
    "app: browser polls the app, bound by cookie, provider polled server-side",
    () => Promise.all(Array.from({ length: concurrent }, pollApp)).then(() => undefined),
    options,
  );
});
