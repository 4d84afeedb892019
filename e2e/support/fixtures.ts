import { test as base, devices, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

import { startAppServer, testApp, type AppServer } from "../../test-support/app-server";
import { nextRenderErrors, watchForScriptErrors } from "../../test-support/render-errors";
import { testClock, type TestClock } from "../../test-support/test-clock";

export { expect, testApp };

/** Every response body a browser context received, to prove what never reaches a browser. */
export class ResponseLog {
  private readonly bodies: Promise<string>[] = [];

  record(context: BrowserContext): void {
    context.on("response", (response) => {
      this.bodies.push(
        response
          .body()
          .then((body) => `${JSON.stringify(response.headers())}\n${body.toString("utf8")}`)
          .catch(() => ""),
      );
    });
  }

  async containing(secret: string): Promise<number> {
    const bodies = await Promise.all(this.bodies);
    return bodies.filter((body) => body.includes(secret)).length;
  }

  async count(): Promise<number> {
    return (await Promise.all(this.bodies)).length;
  }
}

/**
 * Every Content Security Policy violation a page reports, from the page's own
 * securitypolicyviolation events and from Chromium's console. A test that ends with any fails.
 */
export class CspViolations {
  readonly seen: string[] = [];

  async record(context: BrowserContext): Promise<void> {
    await context.exposeBinding("__reportCspViolation", (_source, report: string) => {
      this.seen.push(report);
    });
    await context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        (window as unknown as { __reportCspViolation(report: string): void }).__reportCspViolation(
          `${event.violatedDirective} blocked ${event.blockedURI || "inline"} on ${location.pathname}`,
        );
      });
    });
    context.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) this.seen.push(message.text());
    });
  }
}

/** A page in a context of its own, recording CSP violations like the fixtures'. */
export async function openPage(
  browser: Browser,
  app: AppServer,
  options: {
    device: "desktop" | "phone";
    locale?: string;
    colorScheme?: "light" | "dark" | "no-preference" | null;
    cspViolations: CspViolations;
    /** Where the page's script failures go (an uncaught exception, a refused script, a failed hydration). */
    scriptErrors?: string[];
  },
): Promise<Page> {
  const context = await browser.newContext({
    ...devices[options.device === "desktop" ? "Desktop Chrome" : "Pixel 7"],
    baseURL: app.origin,
    locale: options.locale ?? "en-US",
    colorScheme: options.colorScheme ?? "light",
  });
  await options.cspViolations.record(context);
  const page = await context.newPage();
  if (options.scriptErrors) watchForScriptErrors(page, options.scriptErrors);
  return page;
}

/**
 * Lets `ms` pass at once for the server and for these pages, instead of waiting it out: the
 * server's test clock moves, and each page's clock (installed with `page.clock.install()` before
 * it loaded) jumps as far, firing the timers that came due.
 */
export async function passTime(clock: TestClock, ms: number, ...pages: Page[]): Promise<void> {
  clock.advance(ms);
  await Promise.all(pages.map((page) => page.clock.fastForward(ms)));
}

/** A production server with its clock. */
type ClockedServer = { app: AppServer; clock: TestClock };

/**
 * The servers of one worker, one per `serverEnv`: every test of every file the worker runs that
 * asks for the same environment shares one (a start costs about 1.3 s of CPU, and the routes it
 * loads on first use about as much again). Each test makes its own codes and browser contexts;
 * a test that leaves what the next would meet has a server of its own (`ownServer`).
 */
class WorkerServers {
  private readonly servers = new Map<string, Promise<ClockedServer>>();

  async serverFor(env: Record<string, string>): Promise<ClockedServer> {
    const key = JSON.stringify(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)));
    let server = this.servers.get(key);
    if (!server) {
      server = startClockedServer(env);
      // A start that failed is not kept: the next test asking for this environment tries again.
      server.catch(() => this.servers.delete(key));
      this.servers.set(key, server);
    }
    return server;
  }

  async stopAll(): Promise<void> {
    const servers = [...this.servers.values()];
    this.servers.clear();
    await Promise.all(servers.map(async (server) => stopClockedServer(await server.catch(() => undefined))));
  }
}

async function startClockedServer(env: Record<string, string>): Promise<ClockedServer> {
  const clock = testClock();
  try {
    return { app: await startAppServer({ ...clock.env, ...env }), clock };
  } catch (error) {
    clock.remove();
    throw error;
  }
}

async function stopClockedServer(server: ClockedServer | undefined): Promise<void> {
  await server?.app.stop();
  server?.clock.remove();
}

/** `locale` and `colorScheme` are Playwright's own options: `test.use({ locale: "zh-CN" })`. */
type Fixtures = {
  /** The production server's environment (`next start`, each with its own data). */
  serverEnv: Record<string, string>;
  /**
   * A server for this test alone, for a test that leaves what the next would meet (a locked
   * account, a spent limit, moved time). Otherwise the tests with the same `serverEnv` that one
   * worker runs share one, and each makes its own codes and browser contexts.
   */
  ownServer: boolean;
  server: ClockedServer;
  /** The server's clock (test-support/test-clock.ts); see `passTime`. */
  clock: TestClock;
  app: AppServer;
  responses: ResponseLog;
  cspViolations: CspViolations;
  /** Script failures on the desktop's and the phone's pages; a test that ends with any fails. */
  scriptErrors: string[];
  desktop: Page;
  phone: Page;
};

export const test = base.extend<Fixtures, { workerServers: WorkerServers }>({
  serverEnv: [{}, { option: true }],
  ownServer: [false, { option: true }],
  workerServers: [
    async ({}, provide) => {
      const servers = new WorkerServers();
      await provide(servers);
      await servers.stopAll();
    },
    { scope: "worker" },
  ],
  server: async ({ serverEnv, ownServer, workerServers }, provide) => {
    if (!ownServer) return provide(await workerServers.serverFor(serverEnv));
    const server = await startClockedServer(serverEnv);
    await provide(server);
    await stopClockedServer(server);
  },
  clock: async ({ server, ownServer }, provide) => {
    // Moved time stays moved: the next test on a shared server would meet it.
    if (!ownServer) throw new Error("a test that moves the server's clock needs test.use({ ownServer: true })");
    await provide(server.clock);
  },
  app: async ({ server }, provide) => {
    // The server's log of this test (a shared server's earlier lines are another test's).
    const from = server.app.output().length;
    await provide(server.app);
    expect(nextRenderErrors(server.app.output().slice(from)), "Next's render errors in the server's log").toEqual([]);
  },
  // Reading every body costs the browser and the runner real time, so only the tests that ask
  // for the log record one. Fixtures are set up before the test runs: nothing is missed.
  responses: async ({ desktop, phone }, provide) => {
    const responses = new ResponseLog();
    responses.record(desktop.context());
    responses.record(phone.context());
    await provide(responses);
  },
  cspViolations: async ({}, provide) => {
    await provide(new CspViolations());
  },
  scriptErrors: async ({}, provide) => {
    await provide([]);
  },
  desktop: async ({ browser, app, cspViolations, scriptErrors, locale, colorScheme }, provide) => {
    const page = await openPage(browser, app, { device: "desktop", locale, colorScheme, cspViolations, scriptErrors });
    await provide(page);
    await page.context().close();
    expect(cspViolations.seen, "CSP violations").toEqual([]);
    expect(scriptErrors, "script errors on the desktop's or the phone's pages").toEqual([]);
  },
  phone: async ({ browser, app, cspViolations, scriptErrors, locale, colorScheme }, provide) => {
    const page = await openPage(browser, app, { device: "phone", locale, colorScheme, cspViolations, scriptErrors });
    await provide(page);
    await page.context().close();
    expect(cspViolations.seen, "CSP violations").toEqual([]);
    expect(scriptErrors, "script errors on the desktop's or the phone's pages").toEqual([]);
  },
});
