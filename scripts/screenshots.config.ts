import { defineConfig } from "@playwright/test";

import baseConfig from "../playwright.config";

/** `npm run screenshots`: the README's pictures, taken from the real app. Not part of `npm test`. */
export default defineConfig({
  ...baseConfig,
  testDir: ".",
  testMatch: "take-screenshots.ts",
  globalSetup: "../test-support/global-setup.ts",
  reporter: [["list"]],
});
