import type { Locator, Page } from "@playwright/test";
import axeCore from "axe-core";

import { expect } from "./fixtures";

/** Relative luminance of a CSS rgb() colour (WCAG 2.x). */
export function luminance(rgb: string): number {
  const [r = 0, g = 0, b = 0] = (rgb.match(/\d+/g) ?? []).map(Number).map((value) => {
    const channel = value / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * The body's background as rgb(): a computed style keeps the theme's own notation (oklch(…)),
 * a canvas answers in sRGB.
 */
export function bodyBackground(page: Page): Promise<string> {
  return page.evaluate(() => {
    const context = document.createElement("canvas").getContext("2d")!;
    context.fillStyle = getComputedStyle(document.body).backgroundColor;
    context.fillRect(0, 0, 1, 1);
    const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
    return `rgb(${r}, ${g}, ${b})`;
  });
}

const wcag21AA = { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } as const;
/** The WCAG 2.1 A/AA rules whose outcome depends on colours. */
const colourRules = { type: "rule", values: ["color-contrast", "link-in-text-block"] } as const;

type AxeVerdict = { serious: string[]; looked: string[] };

/**
 * Runs axe-core in the page and answers only what the assertions read. axe is injected once per
 * document (an evaluation is not subject to the page's CSP), not once per run.
 */
async function runAxe(page: Page, runOnly: typeof wcag21AA | typeof colourRules): Promise<AxeVerdict> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeCore.source);
  return page.evaluate(async (runOnly) => {
    const axe = (window as unknown as { axe: typeof axeCore }).axe;
    const results = await axe.run(document, { runOnly: { type: runOnly.type, values: [...runOnly.values] }, resultTypes: ["violations"] });
    return {
      serious: results.violations
        .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
        .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`),
      looked: [...results.passes, ...results.incomplete].map((rule) => rule.id),
    };
  }, runOnly);
}

/**
 * No serious or critical WCAG 2.1 A/AA violation (contrast included), in light and in dark, and
 * the page really is dark in dark. Dark mode changes colours and nothing else (app/globals.css's variables),
 * so in dark only the rules that read colours run again.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    // Buttons ease into the new scheme's colours (a 120 ms transition): judge where they land.
    await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished)));
    const background = luminance(await bodyBackground(page));
    if (colorScheme === "dark") expect(background, `${what}: a dark background in dark mode`).toBeLessThan(0.05);
    else expect(background, `${what}: a light background in light mode`).toBeGreaterThan(0.8);
    const { serious, looked } = await runAxe(page, colorScheme === "light" ? wcag21AA : colourRules);
    expect(looked, `${what}: axe looked at contrast`).toContain("color-contrast");
    expect(serious, `${what} (${colorScheme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
}

/** Presses Tab until `target` has the focus: it is reachable by keyboard, in the page's order. */
export async function tabTo(page: Page, target: Locator, limit = 30): Promise<void> {
  await expect(target).toBeVisible();
  for (let presses = 0; presses < limit; presses += 1) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((element) => element === document.activeElement)) return;
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}
