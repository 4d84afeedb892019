import { existsSync } from "node:fs";

import type { LaunchOptions } from "@playwright/test";

/**
 * Debian's Chromium by default (no browser download is possible here); CHROMIUM_PATH points
 * elsewhere, and an empty CHROMIUM_PATH with no /usr/bin/chromium uses Playwright's own browser.
 */
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

/** How the e2e suite and the benchmarks launch Chromium. */
export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: executablePath || undefined,
  args: [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
  ],
};
