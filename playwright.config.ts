import { existsSync } from "node:fs";

import { defineConfig } from "@playwright/test";

/**
 * Debian's Chromium by default (no browser download is possible here); CHROMIUM_PATH points
 * elsewhere, and an empty CHROMIUM_PATH with no /usr/bin/chromium uses Playwright's own browser.
 */
const chromiumPath =
  process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./test-support/global-setup.ts",
  // Each test starts its own server and two browser contexts; two cores run one at a time best.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    browserName: "chromium",
    // The pages follow Accept-Language: English unless a test asks for another language.
    locale: "en-US",
    launchOptions: {
      executablePath: chromiumPath || undefined,
      args: [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-gpu",
        "--no-first-run",
      ],
    },
    trace: "retain-on-failure",
  },
});
