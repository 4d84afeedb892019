import { describe, expect, it } from "vitest";

import { describeUserAgent } from "@/lib/qr-login/companion/user-agent";

describe("describeUserAgent", () => {
  it("names the browser and the operating system", () => {
    const chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    expect(describeUserAgent(chrome)).toEqual({ browser: "Chrome 131", os: "Windows 10" });
    const safari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";
    expect(describeUserAgent(safari)).toEqual({ browser: "Safari 17", os: "Mac OS 10.15.7" });
  });

  it("says so when it cannot tell", () => {
    expect(describeUserAgent(undefined)).toEqual({ browser: "Unknown browser", os: "unknown system" });
    expect(describeUserAgent("curl/8.5.0").os).toBe("unknown system");
  });
});
