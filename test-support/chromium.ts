import { existsSync } from "node:fs";

import type { LaunchOptions } from "@playwright/test";

/**
 * Debian's headless shell (`chromium-headless-shell`) by default: the same Blink without the
 * full browser around it, which ran the e2e suite in two thirds of the time of `chromium`'s new
 * headless mode on two cores. Then Debian's Chromium (also for `--headed`: set
 * CHROMIUM_PATH=/usr/bin/chromium). CHROMIUM_PATH points elsewhere, and an empty CHROMIUM_PATH
 * with neither installed uses Playwright's own browser (no browser download is possible here).
 */
const executablePath =
  process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].find((binary) => existsSync(binary));

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
