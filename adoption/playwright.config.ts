import { defineConfig } from "@playwright/test";

import { chromiumLaunchOptions } from "../test-support/chromium";

// `npm run test:adoption`, apart from `npm test`: first runs under `next dev`, each compiling an app
// from nothing. This repository's quick start (quick-start.spec.ts), and what a user does to add
// the QR login to a fresh create-next-app app (adopt.spec.ts: each case installs, builds and lints
// a new app). CI runs it after `npm test` (.ci/run).
export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.ts",
  // Its own artifacts folder: the e2e suite empties test-results/ when it starts.
  outputDir: "./test-results",
  globalSetup: "./global-setup.ts",
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // npm install (better-sqlite3 compiles from source here), next build and lint, then the browsers.
  timeout: 30 * 60_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  use: { browserName: "chromium", locale: "en-US", launchOptions: chromiumLaunchOptions, trace: "retain-on-failure" },
});
