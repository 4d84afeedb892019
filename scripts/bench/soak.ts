/**
 * `npm run load`: a bounded soak against a production build. 1,000 login pages wait on their
 * codes the whole time while steady logins run the full flow beside them: a page creates its
 * code and waits, a phone scans and confirms, the page redeems the ticket through NextAuth's
 * callback and its session names the user. Prints errors (target 0), login and notice latency,
 * and the server's RSS at start and end (target: flat). Reports, never asserts; exits 1 only when
 * the run itself could not happen.
 *
 * Knobs (environment): LOAD_SECONDS (60), LOAD_BROWSERS (1000), LOAD_LOGINS_PER_SECOND (5),
 * LOAD_STORE ("sqlite" or "redis": a local redis-server the run starts), LOAD_OUT (a JSON file to
 * write the figures to; default none), LOAD_SERVER_NODE_OPTIONS (e.g. "--max-old-space-size=320") and
 * LOAD_SERVER_LOG (a file for everything the server printed).
 */
import { writeFileSync } from "node:fs";

import { SIGN_IN_ASK_ACCOUNT } from "../../lib/qr-login/client/flow/sign-in-errors";
import { startAppServer, type AppServer } from "../../test-support/app-server";
import { startRedisServer, type RedisServer } from "../../test-support/redis-server";
import { Fleet, Phones, cutOpenRequests, now, send, targetOf, type SimulatedBrowser } from "./fleet";
import { MeasuredProcess } from "./proc";
import { percentile } from "./report";

const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};

const settings = {
  seconds: number("LOAD_SECONDS", 60),
  browsers: number("LOAD_BROWSERS", 1000),
  loginsPerSecond: number("LOAD_LOGINS_PER_SECOND", 5),
  store: process.env.LOAD_STORE === "redis" ? "redis" : "sqlite",
  out: process.env.LOAD_OUT,
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const startedAt = now();
const log = (line: string) => console.log(`[${((now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const ms = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? "–" : `${value.toFixed(value < 10 ? 1 : 0)} ms`);

const cookiesOf = (setCookie: string[]) => setCookie.map((header) => header.split(";")[0]!);

/** A Cookie header after these Set-Cookie headers: a cookie set again replaces its old value. */
function withCookies(cookie: string, setCookie: string[]): string {
  const jar = new Map(cookie.split("; ").filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf("=")), pair] as const));
  for (const pair of cookiesOf(setCookie)) jar.set(pair.slice(0, pair.indexOf("=")), pair);
  return [...jar.values()].join("; ");
}

const errorOf = (body: string, origin: string) => {
  const { url } = JSON.parse(body || "{}") as { url?: string };
  return url ? new URL(url, origin).searchParams.get("error") : null;
};

type Login = { ok: boolean; failure?: string; totalMs: number; noticeMs?: number };

/**
 * The page's side after AUTHORIZED, as components/qr-login/sign-in-with-qr-code.ts does it: the CSRF token,
 * one POST to the qrcode callback, then the session it made.
 */
async function redeem(origin: string, browser: SimulatedBrowser): Promise<string | undefined> {
  const target = targetOf(origin);
  const headers = { "user-agent": "qr-login-load", "x-forwarded-for": browser.address };
  const csrf = await send(browser.agent, target, "/api/auth/csrf", { headers: { ...headers, cookie: browser.cookie } });
  if (csrf.status !== 200) return `csrf HTTP ${csrf.status}`;
  const cookie = [browser.cookie, ...cookiesOf(csrf.setCookie)].join("; ");
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const post = (fields: Record<string, string>, cookies: string) =>
    send(browser.agent, target, "/api/auth/callback/qrcode", {
      method: "POST",
      headers: { ...headers, cookie: cookies, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ qrcodeId: browser.qrcodeId, csrfToken, callbackUrl: "/", json: "true", ...fields }).toString(),
    });
  let callback = await post({}, cookie);
  let cookies = withCookies(cookie, callback.setCookie);
  // A browser's first sign-in is held until its person taps "Continue" (lib/qr-login/client/flow/account-check.ts): the tap.
  if (errorOf(callback.body, origin) === SIGN_IN_ASK_ACCOUNT) {
    callback = await post({ account: "continue" }, cookies);
    cookies = withCookies(cookies, callback.setCookie);
  }
  const { url } = JSON.parse(callback.body || "{}") as { url?: string };
  if (callback.status !== 200 || !url || new URL(url, origin).searchParams.has("error")) return `callback HTTP ${callback.status} ${url ?? ""}`;
  const session = await send(browser.agent, target, "/api/auth/session", { headers: { ...headers, cookie: cookies } });
  const user = (JSON.parse(session.body || "{}") as { user?: { name?: string; username?: string; email?: string } }).user;
  if (session.status !== 200 || !user) return `session HTTP ${session.status} without a user`;
  return undefined;
}

async function login(origin: string, fleet: Fleet, phones: Phones): Promise<Login> {
  const begun = now();
  try {
    const [browser] = await fleet.create(1, 1);
    fleet.follow([browser!], 0);
    // A person takes the phone out and reads it: 0.2–0.6 s to scan, 0.2–0.6 s to confirm.
    await phones.confirmAtRandomMoments([browser!], 200, 600, [200, 600]);
    await browser!.loop;
    if (browser!.confirmFailed) return { ok: false, failure: "the phone's SCAN or CONFIRM failed", totalMs: now() - begun };
    if (browser!.noticedAt === undefined) return { ok: false, failure: "the page never saw AUTHORIZED", totalMs: now() - begun };
    const failure = await redeem(origin, browser!);
    browser!.agent.destroy();
    return { ok: failure === undefined, failure, totalMs: now() - begun, noticeMs: browser!.noticedAt - browser!.confirmAnsweredAt! };
  } catch (error) {
    return { ok: false, failure: String(error), totalMs: now() - begun };
  }
}

async function main(): Promise<void> {
  let redis: RedisServer | undefined;
  let server: AppServer | undefined;
  const stopAll = async () => {
    cutOpenRequests();
    await server?.stop();
    await redis?.stop();
  };
  process.once("SIGINT", () => void stopAll().then(() => process.exit(130)));
  try {
    if (settings.store === "redis") redis = await startRedisServer({ appendOnly: true });
    server = await startAppServer({
      // One address per page through one trusted hop; codes outlive the run.
      TRUSTED_PROXY_HOPS: "1",
      SEED_DEMO_USERS: "true",
      QR_CODE_TTL_SECONDS: String(Math.min(3600, Math.ceil(settings.seconds) + 300)),
      ...(redis ? { REDIS_URL: redis.url } : {}),
      ...(process.env.LOAD_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.LOAD_SERVER_NODE_OPTIONS } : {}),
    });
    const measured = new MeasuredProcess("app", server.port);
    log(`production server on ${server.origin} (${settings.store}); ${settings.browsers} waiting pages, ${settings.loginsPerSecond} logins/s for ${settings.seconds} s`);

    const phones = new Phones(server.origin);
    await phones.signIn();
    const crowd = new Fleet(server.origin, "waiting");
    const browsers = await crowd.create(settings.browsers);
    crowd.follow(browsers, 5_000);
    const unsettled = await crowd.settle(browsers, 30_000);
    const start = measured.usage();
    log(`${settings.browsers - unsettled} pages waiting; server RSS ${mb(start.rssBytes)} MB`);

    const logins = new Fleet(server.origin, "waiting", 1_000_000);
    const rssSamples: [number, number][] = [[0, start.rssBytes]];
    measured.startSampling(1_000);
    const runStart = now();
    const inFlight: Promise<Login>[] = [];
    const gap = 1_000 / settings.loginsPerSecond;
    let nextReport = runStart + 10_000;
    for (let next = runStart; now() - runStart < settings.seconds * 1_000; next += gap) {
      await sleep(Math.max(0, next - now()));
      inFlight.push(login(server.origin, logins, phones));
      if (now() >= nextReport) {
        const rss = measured.usage().rssBytes;
        rssSamples.push([(now() - runStart) / 1000, rss]);
        log(`${inFlight.length} logins started; RSS ${mb(rss)} MB`);
        nextReport += 10_000;
      }
    }
    const results = await Promise.all(inFlight);
    const end = measured.usage();
    const peak = measured.stopSampling();
    rssSamples.push([(now() - runStart) / 1000, end.rssBytes]);
    const crowdStillWaiting = crowd.idleBrowsers().length;
    await crowd.stop();
    await logins.stop();
    phones.close();

    const failures = results.filter((result) => !result.ok);
    const failureKinds: Record<string, number> = {};
    for (const failure of failures) failureKinds[failure.failure!] = (failureKinds[failure.failure!] ?? 0) + 1;
    const totals = results.filter((result) => result.ok).map((result) => result.totalMs);
    const notices = results.flatMap((result) => (result.noticeMs === undefined ? [] : [result.noticeMs]));
    const figures = {
      seconds: settings.seconds,
      store: settings.store,
      waitingPages: settings.browsers,
      waitingPagesStillWaitingAtEnd: crowdStillWaiting,
      logins: results.length,
      loginsSignedIn: totals.length,
      loginFailures: failureKinds,
      crowdErrors: crowd.counters.errorKinds,
      loginPageErrors: logins.counters.errorKinds,
      phoneErrors: phones.errorKinds,
      errors: failures.length + crowd.counters.errors + logins.counters.errors + phones.errors,
      loginMs: { p50: percentile(totals, 50), p99: percentile(totals, 99) },
      noticeMs: { p50: percentile(notices, 50), p99: percentile(notices, 99) },
      rssMb: { start: Number(mb(start.rssBytes)), end: Number(mb(end.rssBytes)), peak: Number(mb(peak)) },
      rssSamples: rssSamples.map(([at, bytes]) => [Math.round(at), Number(mb(bytes))]),
      serverCpuSeconds: Number((end.cpuSeconds - start.cpuSeconds).toFixed(1)),
    };

    console.log(`
Soak: ${figures.seconds} s, ${settings.store} store, ${figures.waitingPages} pages waiting throughout (${crowdStillWaiting} still waiting at the end)
| Figure | Value |
|---|---|
| Logins (create → scan → confirm → NextAuth session) | ${figures.loginsSignedIn} of ${figures.logins} signed in |
| Errors (target 0) | ${figures.errors} ${figures.errors ? JSON.stringify({ ...failureKinds, ...crowd.counters.errorKinds, ...logins.counters.errorKinds, ...phones.errorKinds }) : ""} |
| Login, code created → session, p50 / p99 | ${ms(figures.loginMs.p50)} / ${ms(figures.loginMs.p99)} |
| Notice, CONFIRM answered → page saw AUTHORIZED, p50 / p99 | ${ms(figures.noticeMs.p50)} / ${ms(figures.noticeMs.p99)} |
| Server RSS start → end (peak) (target: flat) | ${figures.rssMb.start} MB → ${figures.rssMb.end} MB (${figures.rssMb.peak} MB) |
| Server RSS every 10 s | ${figures.rssSamples.map(([at, rss]) => `${at} s: ${rss} MB`).join(", ")} |
| Server CPU during the run | ${figures.serverCpuSeconds} s (${((figures.serverCpuSeconds / figures.seconds) * 100).toFixed(0)} % of a core) |
`);
    if (settings.out) writeFileSync(settings.out, `${JSON.stringify(figures, null, 2)}\n`);
  } finally {
    if (process.env.LOAD_SERVER_LOG && server) writeFileSync(process.env.LOAD_SERVER_LOG, server.output());
    await stopAll();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
