import type { Page } from "@playwright/test";

/**
 * What Next prints when a page reads something it must not while prerendering (Cache Components:
 * a random or time value before `connection()`, the request outside <Suspense>), or when a
 * redirect escapes where Next can handle it. Any of these in a server's log fails the test.
 */
const NEXT_RENDER_ERROR =
  /encountered (the )?(unstable value|uncached|runtime data)|while prerendering|blocking-prerender|prevents the route from being prerendered|NEXT_REDIRECT|Error occurred prerendering|Route "[^"]+":.*(Suspense|prerender)/i;

/** The lines of a server's log that are Next's prerendering or redirect errors. */
export function nextRenderErrors(output: string): string[] {
  return output.split("\n").filter((line) => NEXT_RENDER_ERROR.test(line));
}

/**
 * Collects a page's script failures into `errors`: an uncaught exception, a refused script (a
 * CSP that does not fit the page), a failed hydration, Next's render errors. Not a refused
 * request, which tests provoke on purpose (a 429 is logged as a failed resource).
 */
export function watchForScriptErrors(page: Page, errors: string[]): void {
  const where = () => {
    try {
      return new URL(page.url()).pathname;
    } catch {
      return page.url();
    }
  };
  page.on("pageerror", (error) => errors.push(`${where()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && /Refused|Content Security Policy|hydrat|Uncaught|NEXT_REDIRECT|prerender/i.test(message.text())) {
      errors.push(`${where()}: ${message.text()}`);
    }
  });
}
