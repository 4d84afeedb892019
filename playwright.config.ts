import { defineConfig } from "@playwright/test";

import { chromiumLaunchOptions } from "./test-support/chromium";

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./test-support/global-setup.ts",
  // Two test files at a time; alone they keep about one core of two busy, so `npm test` runs the
  // integration tests beside them (docs/testing.md). PLAYWRIGHT_WORKERS sets another number.
  workers: Number(process.env.PLAYWRIGHT_WORKERS) || 2,
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
    launchOptions: chromiumLaunchOptions,
    // A failed test keeps its trace: actions, console and network. The screencast (a seventh of
    // the suite's CPU on two cores) and the DOM snapshots around every action (about 6 % of the
    // browser tests' CPU) are left out.
    trace: { mode: "retain-on-failure", screenshots: false, snapshots: false },
  },
});
