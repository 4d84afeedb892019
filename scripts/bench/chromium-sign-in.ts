/**
 * Confirm → signed in, in headless Chromium: the real login page follows its code (SWR), the phone
 * scans and confirms through the V3 API, and the clock runs from the CONFIRM's answer until the
 * page has left /login and the home page says "Signed in as".
 */
import { chromium, type BrowserContext } from "@playwright/test";

import type { AppServer } from "../../test-support/app-server";
import { chromiumLaunchOptions } from "../../test-support/chromium";
import { Phones, SimulatedBrowser, now } from "./fleet";

export type ChromiumRun = {
  /** CONFIRM answered → the page's status answer said AUTHORIZED (as Playwright saw it). */
  noticeMs: number | undefined;
  /** CONFIRM answered → "Signed in as" on the home page (timestamped in the page). */
  signedInMs: number;
};


// Records (page clock, ms since epoch) the moment the home page first says "Signed in as".
const recordSignedIn = () => {
  const mark = () => {
    const w = window as unknown as { __signedInAt?: number };
    if (w.__signedInAt === undefined && location.pathname !== "/login" && document.body?.innerText.includes("Signed in as")) {
      w.__signedInAt = performance.timeOrigin + performance.now();
    }
  };
  new MutationObserver(mark).observe(document, { subtree: true, childList: true, characterData: true });
  document.addEventListener("DOMContentLoaded", mark);
};

export async function confirmToSignedIn(
  startApp: (env: Record<string, string>) => Promise<AppServer>,
  serverEnv: Record<string, string>,
  runs: number,
  log: (line: string) => void,
): Promise<ChromiumRun[]> {
  const server = await startApp(serverEnv);
  const browser = await chromium.launch(chromiumLaunchOptions);
  const phones = new Phones(server.origin);
  const results: ChromiumRun[] = [];
  try {
    await phones.signIn();
    // One warm-up run first (first renders, first token exchange), not reported. It is this
    // browser's first sign-in, so it asks once ("Continue as …"); the measured runs are a returning
    // browser's, which signs in with no click: each starts with the cookie that remembers alice.
    let remembered: Awaited<ReturnType<BrowserContext["storageState"]>> | undefined;
    for (let run = 0; run <= runs; run++) {
      const context = await browser.newContext({ baseURL: server.origin, viewport: { width: 1280, height: 800 }, storageState: remembered });
      await context.addInitScript(recordSignedIn);
      const page = await context.newPage();
      let authorizedSeenAt: number | undefined;
      page.on("response", (response) => {
        if (!response.url().includes("/api/qr-login/status")) return;
        const seen = now();
        response
          .json()
          .then((body: { status?: string }) => {
            if (body.status === "AUTHORIZED") authorizedSeenAt ??= seen;
          })
          .catch(() => undefined);
      });
      await page.goto("/login");
      const image = page.locator("img[data-qrcode-id]");
      await image.waitFor();
      const qrcodeId = (await image.getAttribute("data-qrcode-id"))!;
      // The page is following its code; the phone scans, the page shows who, then they confirm.
      await page.waitForTimeout(300 + Math.random() * 400);
      const code = Object.assign(new SimulatedBrowser(0, "waiting"), { qrcodeId });
      await phones.confirmAtRandomMoments([code], 0, 0, [400, 1_200]);
      if (code.confirmAnsweredAt === undefined) throw new Error(`the phone could not confirm: ${JSON.stringify(phones.errorKinds)}`);
      const confirmedEpoch = Date.now() - (now() - code.confirmAnsweredAt);
      if (!remembered) await page.getByRole("button", { name: /^Continue as / }).click();
      await page.waitForURL((url) => url.pathname !== "/login", { timeout: 20_000 });
      await page.getByText("Signed in as").waitFor({ timeout: 20_000 });
      const signedInAt = await page.evaluate(() => (window as unknown as { __signedInAt?: number }).__signedInAt);
      const signedInMs = (signedInAt ?? Date.now()) - confirmedEpoch;
      const noticeMs = authorizedSeenAt === undefined ? undefined : authorizedSeenAt - code.confirmAnsweredAt;
      if (!remembered) {
        const state = await context.storageState();
        remembered = { ...state, cookies: state.cookies.filter((cookie) => cookie.name.endsWith("qr-login-last-account")) };
      }
      if (run > 0) {
        results.push({ noticeMs, signedInMs });
        log(`    run ${run}: signed in ${signedInMs.toFixed(0)} ms after CONFIRM (status seen after ${noticeMs?.toFixed(0) ?? "?"} ms)`);
      }
      await context.close();
      code.agent.destroy();
    }
  } finally {
    phones.close();
    await browser.close();
    await server.stop();
  }
  return results;
}
