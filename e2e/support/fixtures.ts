import { test as base, devices, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

import { startAppServer, testApp, type AppServer } from "../../test-support/app-server";
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

/** A page in a context of its own, recording responses and CSP violations like the fixtures'. */
export async function openPage(
  browser: Browser,
  app: AppServer,
  options: {
    device: "desktop" | "phone";
    locale?: string;
    colorScheme?: "light" | "dark" | "no-preference" | null;
    cspViolations: CspViolations;
    responses?: ResponseLog;
  },
): Promise<Page> {
  const context = await browser.newContext({
    ...devices[options.device === "desktop" ? "Desktop Chrome" : "Pixel 7"],
    baseURL: app.origin,
    locale: options.locale ?? "en-US",
    colorScheme: options.colorScheme ?? "light",
  });
  options.responses?.record(context);
  await options.cspViolations.record(context);
  return context.newPage();
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

/** `locale` and `colorScheme` are Playwright's own options: `test.use({ locale: "zh-CN" })`. */
type Fixtures = {
  /** A production server (`next start`) with its own data, for this test alone. */
  serverEnv: Record<string, string>;
  /** Run `next dev`, as the README's quick start does, instead of the production build. */
  devServer: boolean;
  /** The server's clock (test-support/test-clock.ts); see `passTime`. */
  clock: TestClock;
  app: AppServer;
  responses: ResponseLog;
  cspViolations: CspViolations;
  desktop: Page;
  phone: Page;
};

export const test = base.extend<Fixtures>({
  serverEnv: [{}, { option: true }],
  devServer: [false, { option: true }],
  clock: async ({}, provide) => {
    const clock = testClock();
    await provide(clock);
    clock.remove();
  },
  app: async ({ serverEnv, devServer, clock }, provide) => {
    const app = await startAppServer({ ...clock.env, ...serverEnv }, { dev: devServer });
    await provide(app);
    await app.stop();
  },
  responses: async ({}, provide) => {
    await provide(new ResponseLog());
  },
  cspViolations: async ({}, provide) => {
    await provide(new CspViolations());
  },
  desktop: async ({ browser, app, responses, cspViolations, locale, colorScheme }, provide) => {
    const page = await openPage(browser, app, { device: "desktop", locale, colorScheme, cspViolations, responses });
    await provide(page);
    await page.context().close();
    expect(cspViolations.seen, "CSP violations").toEqual([]);
  },
  phone: async ({ browser, app, responses, cspViolations, locale, colorScheme }, provide) => {
    const page = await openPage(browser, app, { device: "phone", locale, colorScheme, cspViolations, responses });
    await provide(page);
    await page.context().close();
    expect(cspViolations.seen, "CSP violations").toEqual([]);
  },
});
