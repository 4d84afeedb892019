import { describe, expect, it } from "vitest";

import { scanLinkPath } from "@/lib/qr-login/scan-link";

const origin = "https://sign-in.example.com";
const id = "Zp3vX0c9q1Jm2k4Lw8s7Tg";

describe("scanLinkPath", () => {
  it("accepts this site's scan link and returns the in-app path", () => {
    expect(scanLinkPath(`${origin}/m/scan/${id}`, origin)).toBe(`/m/scan/${id}`);
    expect(scanLinkPath(`  ${origin}/m/scan/${id}\n`, origin)).toBe(`/m/scan/${id}`);
    // Hex ids (128 bits) and the host's case do not matter.
    expect(scanLinkPath(`https://SIGN-IN.example.com/m/scan/${"a1".repeat(16)}`, origin)).toBe(`/m/scan/${"a1".repeat(16)}`);
    expect(scanLinkPath(`http://192.168.1.20:3000/m/scan/${id}`, "http://192.168.1.20:3000")).toBe(`/m/scan/${id}`);
  });

  it("refuses another site's links, however close", () => {
    for (const foreign of [
      `https://evil.example.com/m/scan/${id}`,
      `https://sign-in.example.com.evil.net/m/scan/${id}`,
      `http://sign-in.example.com/m/scan/${id}`,
      `https://sign-in.example.com:8443/m/scan/${id}`,
      `https://attacker@evil.example.com/m/scan/${id}`,
      `https://core.authing.cn/qrcode/${id}`,
    ]) {
      expect(scanLinkPath(foreign, origin), foreign).toBeNull();
    }
  });

  it("refuses anything on this site but a scan link with an id", () => {
    for (const text of [
      `${origin}/m`,
      `${origin}/login`,
      `${origin}/m/scan/`,
      `${origin}/m/scan/short`,
      `${origin}/m/scan/${id}/extra`,
      `${origin}/m/scan/${id}?next=https://evil.example.com`,
      `${origin}/m/scan/${id}#x`,
      `${origin}/m/scan/${id}%2F..`,
      `${origin}/m/scan/../../login`,
      `${origin}/m/scan/${"a".repeat(129)}`,
      `https://user:pass@sign-in.example.com/m/scan/${id}`,
    ]) {
      expect(scanLinkPath(text, origin), text).toBeNull();
    }
  });

  it("refuses what is not a URL at all", () => {
    for (const text of ["", "hello", `/m/scan/${id}`, `m/scan/${id}`, "WIFI:S:home;T:WPA;P:secret;;", `javascript:alert(1)//${origin}/m/scan/${id}`, `data:text/html,${origin}`]) {
      expect(scanLinkPath(text, origin), text).toBeNull();
    }
    // An opaque origin ("null") never matches, even a page whose own origin is opaque.
    expect(scanLinkPath(`data:text/plain,/m/scan/${id}`, "null")).toBeNull();
  });
});
