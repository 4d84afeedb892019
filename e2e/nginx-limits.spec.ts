import { spawn } from "node:child_process";
import http from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";

import { test as base, devices, expect } from "@playwright/test";

import { freePort, projectRoot, startAppServer, testApp, type AppServer } from "../test-support/app-server";
import { waitsHeld } from "../test-support/metrics";
import { NGINX_SITE_CONFIG, startNginx, type NginxServer } from "../test-support/nginx";

type Site = { nginx: NginxServer; app: AppServer };

/**
 * deploy/nginx/qr-login.conf as committed (ports and name substituted) in front of ONE instance
 * (both upstream lines point at it): the limits must hold a crowd without a second instance to
 * share it. TRUSTED_PROXY_HOPS=1, as the file's header says.
 */
const test = base.extend<object, { site: Site }>({
  site: [
    async ({}, provide) => {
      const nginxPort = await freePort();
      const app = await startAppServer({ TRUSTED_PROXY_HOPS: "1", NEXTAUTH_URL: `http://127.0.0.1:${nginxPort}`, METRICS_TOKEN });
      const nginx = await startNginx([app.port, app.port], nginxPort);
      try {
        await provide({ nginx, app });
      } finally {
        await nginx.stop();
        await app.stop();
      }
    },
    { scope: "worker" },
  ],
});

const METRICS_TOKEN = "nginx-limits-metrics-token";
// Every loopback address is this machine's: each client below is another address to nginx.
const CROWD_ADDRESS = "127.0.0.2";
const OTHER_ADDRESS = "127.0.0.3";
const CROWD = 3_000;
const WAIT_SECONDS = 8;

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One request on a connection of its own (closed after), from `localAddress`. */
function request(
  url: string,
  { localAddress, method = "GET", headers = {}, body }: { localAddress: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(url, { method, headers, localAddress, agent: false }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      response.on("error", reject);
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

type Crowd = { statuses: Record<string, number>; proxyRefusal?: Answer; unexpected?: Answer };

/** test-support/status-crowd.mjs: `count` requests at once from `localAddress`, in a process of its own. */
function crowdOf(url: string, localAddress: string, count: number, headers: Record<string, string>): Promise<Crowd> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot, "test-support", "status-crowd.mjs"), url, localAddress, String(count), JSON.stringify(headers)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(output) as Crowd) : reject(new Error(`status-crowd.mjs exited with ${code}`))));
  });
}

type LogLine = { address: string; request: string; status: number; upstream: string; seconds: number };

/** test-support/nginx.ts's log format: address, request, status, the app's status (`-`: none), time. */
function accessLogLines(nginx: NginxServer): LogLine[] {
  return nginx
    .accessLog()
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [, address, request, status, upstream, seconds] = /^(\S+) "([^"]*)" (\d{3}) upstream=(\S+) time=(\S+)/.exec(line) ?? [];
      if (!address) throw new Error(`an access log line in another format: ${line}`);
      return { address, request: request!, status: Number(status), upstream: upstream!, seconds: Number(seconds) };
    });
}

/** The status zone's numbers as committed: what nginx lets through from one address. */
function statusZone(): { ratePerSecond: number; burst: number; connections: number } {
  const config = readFileSync(NGINX_SITE_CONFIG, "utf8");
  const rate = /zone=qr_login_status:\S+ rate=(\d+)r\/s;/.exec(config)?.[1];
  const statusLocation = /location ~ \^\/api\/\(qr-login\/status[^{]*\{([^}]*)\}/.exec(config)?.[1] ?? "";
  const burst = /limit_req zone=qr_login_status burst=(\d+)/.exec(statusLocation)?.[1];
  const connections = /limit_conn qr_login_requests (\d+);/.exec(statusLocation)?.[1];
  if (!rate || !burst || !connections) throw new Error(`${NGINX_SITE_CONFIG}: the status limits are not where this test reads them`);
  return { ratePerSecond: Number(rate), burst: Number(burst), connections: Number(connections) };
}

const appHeaders = { "x-authing-app-id": testApp.id, "content-type": "application/json" };

test("one address opening 3,000 held status waits: nginx answers the excess 429 itself, the app sees a bounded share, another client's /login keeps working, nothing answers 5xx", async ({ browser, site }) => {
  test.setTimeout(150_000);
  const { nginx, app } = site;
  const zone = statusZone();

  // A public code to wait on, as anyone can make one (the app id is no secret).
  const made = await request(`${nginx.origin}/api/v3/gene-qrcode`, { localAddress: CROWD_ADDRESS, method: "POST", headers: appHeaders, body: JSON.stringify({ type: "MOBILE_APP" }) });
  expect(made.status).toBe(200);
  const { qrcodeId } = (JSON.parse(made.body) as { data: { qrcodeId: string } }).data;
  const statusUrl = `${nginx.origin}/api/v3/get-qrcode-status?qrcodeId=${qrcodeId}&waitSeconds=${WAIT_SECONDS}&knownStatus=PENDING`;

  // Another client (a real browser, from 127.0.0.1) loads the login page over and over, before,
  // during and after the crowd.
  const context = await browser.newContext({ ...devices["Desktop Chrome"], baseURL: nginx.origin });
  const page = await context.newPage();
  const loads: { status: number | undefined; answeredMs: number; shownMs: number }[] = [];
  const loadLogin = async () => {
    const started = Date.now();
    const response = await page.goto("/login", { waitUntil: "commit" });
    await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
    // From the browser's own clock: from sending the request to the first byte of the answer.
    const answeredMs = Math.round(response?.request().timing().responseStart ?? Number.NaN);
    loads.push({ status: response?.status(), answeredMs, shownMs: Date.now() - started });
  };
  await loadLogin();

  let crowdDone = false;
  const crowdStarted = Date.now();
  const crowd = crowdOf(statusUrl, CROWD_ADDRESS, CROWD, { "x-authing-app-id": testApp.id }).finally(() => (crowdDone = true));
  // The waits the app holds are real: its gauge counts them while the crowd is there.
  await expect.poll(() => waitsHeld(app, METRICS_TOKEN)).toBeGreaterThan(0);
  while (!crowdDone) {
    await loadLogin();
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
  const { statuses, proxyRefusal, unexpected } = await crowd;
  const crowdSeconds = (Date.now() - crowdStarted) / 1000;
  await loadLogin();

  // Every request of the crowd was answered: the app's answer (held, or at once) or nginx's 429.
  expect(Object.keys(statuses).sort(), JSON.stringify(unexpected)).toEqual(["200", "429"]);
  expect(proxyRefusal?.headers["content-type"]).toBe("application/json");
  expect(proxyRefusal?.headers["retry-after"]).toBe("2");
  expect(JSON.parse(proxyRefusal!.body)).toEqual({ statusCode: 429, error: "rate_limited", message: expect.any(String), data: null });

  // nginx's access log: who answered each of the crowd's requests (`upstream=-`: nginx itself).
  const log = accessLogLines(nginx);
  const lines = log.filter((line) => line.address === CROWD_ADDRESS && line.request.startsWith("GET /api/v3/get-qrcode-status"));
  expect(lines).toHaveLength(CROWD);
  const refusedByProxy = lines.filter((line) => line.status === 429 && line.upstream === "-").length;
  const reachedApp = lines.filter((line) => line.upstream !== "-").length;
  expect(refusedByProxy + reachedApp).toBe(CROWD);
  // At most the burst, plus the rate for as long as the crowd lasted: a bounded share.
  expect(reachedApp).toBeGreaterThan(0);
  expect(reachedApp).toBeLessThanOrEqual(zone.burst + Math.ceil(zone.ratePerSecond * crowdSeconds));
  // Nothing answered 5xx, neither nginx nor the app, for anyone.
  expect(log.filter((line) => line.status >= 500 || /^5/.test(line.upstream))).toEqual([]);

  // The other client: every load of the login page answered and showed its QR code.
  expect(loads.length).toBeGreaterThan(2);
  expect(loads.every((load) => load.status === 200)).toBe(true);
  const answered = loads.map((load) => load.answeredMs).sort((a, b) => a - b);
  const shown = loads.map((load) => load.shownMs).sort((a, b) => a - b);
  const measured =
    `${CROWD} waits from one address in ${crowdSeconds.toFixed(1)} s: ${refusedByProxy} answered 429 by nginx, ${reachedApp} reached the app ` +
    `(${statuses["200"]} answered 200 in all); another client's /login (${loads.length} loads): answered in ` +
    `${answered[Math.floor(answered.length / 2)]} ms median, ${answered.at(-1)} ms max; QR shown in ${shown.at(-1)} ms max`;
  test.info().annotations.push({ type: "measured", description: measured });
  console.log(measured);
  await context.close();
});

test("names its server: another Host gets no answer at all, and no header a client sends decides where a code points", async ({ site }) => {
  const { nginx } = site;
  // A name nginx does not serve: the connection is closed with nothing said (444), the app never asked.
  const unknownHost = request(`${nginx.origin}/login`, { localAddress: OTHER_ADDRESS, headers: { host: "evil.example" } });
  await expect(unknownHost).rejects.toThrow(/socket hang up|ECONNRESET/);
  expect(accessLogLines(nginx)).toContainEqual(expect.objectContaining({ address: OTHER_ADDRESS, request: "GET /login HTTP/1.1", status: 444, upstream: "-" }));

  // The right name, with X-Forwarded-Host and -Proto of the client's choosing: nginx sends its
  // own, and the app points the code at NEXTAUTH_URL (nginx's origin) either way.
  const made = await request(`${nginx.origin}/api/v3/gene-qrcode`, {
    localAddress: OTHER_ADDRESS,
    method: "POST",
    headers: { ...appHeaders, "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" },
    body: JSON.stringify({ type: "MOBILE_APP" }),
  });
  expect(made.status).toBe(200);
  expect((JSON.parse(made.body) as { data: { url: string } }).data.url.startsWith(`${nginx.origin}/api/v3/qrcode-image?qrcodeId=`)).toBe(true);
  expect(made.body).not.toContain("evil.example");
});
