import { UAParser } from "ua-parser-js";

/** "Chrome 131 on macOS 10.15", or what can be said about an unusual user agent. */
export function describeUserAgent(userAgent: string | undefined): { browser: string; os: string } {
  if (!userAgent) return { browser: "Unknown browser", os: "unknown system" };
  const result = new UAParser(userAgent).getResult();
  const major = result.browser.version?.split(".")[0];
  const browser = result.browser.name ? [result.browser.name, major].filter(Boolean).join(" ") : "Unknown browser";
  const os = result.os.name ? [result.os.name, result.os.version].filter(Boolean).join(" ") : "unknown system";
  return { browser, os };
}
