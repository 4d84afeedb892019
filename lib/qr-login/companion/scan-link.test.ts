import { describe, expect, it } from "vitest";

import { scanLinkPath, scannedCode } from "@/lib/qr-login/companion/scan-link";

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

describe("scannedCode: what the companion's camera scanner does with a code", () => {
  const userPoolId = "5f8e4d3c2b1a09f8e7d6c5b4";
  const here = { origin, userPoolId };
  const payload = (fields: Record<string, unknown> = {}) =>
    JSON.stringify({
      scene: "APP_AUTH",
      random: id,
      userPoolId,
      createdAt: "2026-12-07T01:00:00.000Z",
      expireAt: "2026-12-07T01:02:00.000Z",
      customData: {},
      ...fields,
    });

  it("opens this site's scan link, as scanLinkPath does", () => {
    expect(scannedCode(`${origin}/m/scan/${id}`, here)).toEqual({ path: `/m/scan/${id}` });
    expect(scannedCode(`https://evil.example.com/m/scan/${id}`, here)).toEqual({ refusal: "not-ours" });
  });

  it("opens Authing's APP_AUTH payload of this pool at the scan page of its random", () => {
    expect(scannedCode(payload(), here)).toEqual({ path: `/m/scan/${id}` });
    expect(scannedCode(`\n ${payload()} \n`, here)).toEqual({ path: `/m/scan/${id}` });
    // What the scanner does not act on may be absent, null or unknown: only scene, random and pool matter.
    expect(scannedCode(JSON.stringify({ scene: "APP_AUTH", random: id, userPoolId }), here)).toEqual({ path: `/m/scan/${id}` });
    expect(scannedCode(payload({ customData: null, createdAt: null, extra: [1] }), here)).toEqual({ path: `/m/scan/${id}` });
  });

  it("refuses a payload of another user pool, saying so", () => {
    expect(scannedCode(payload({ userPoolId: "61a0b1c2d3e4f5a6b7c8d9e0" }), here)).toEqual({ refusal: "other-pool" });
    expect(scannedCode(payload({ userPoolId: userPoolId.toUpperCase() }), here)).toEqual({ refusal: "other-pool" });
  });

  it("refuses a payload that is not an APP_AUTH code with an id of ours", () => {
    for (const text of [
      payload({ scene: "WXAPP_AUTH" }),
      payload({ scene: undefined }),
      payload({ random: undefined }),
      payload({ random: "short" }),
      payload({ random: "a".repeat(129) }),
      payload({ random: `${id}/../../login` }),
      payload({ random: `${id}?next=https://evil.example.com` }),
      payload({ random: 12345678901234567890 }),
      payload({ userPoolId: undefined }),
      payload({ userPoolId: "" }),
      JSON.stringify([payload()]),
      JSON.stringify(payload()),
      "null",
      "42",
      `{"scene":"APP_AUTH","random":"${id}"`,
    ]) {
      expect(scannedCode(text, here), text).toEqual({ refusal: "not-ours" });
    }
  });

  it("refuses anything else", () => {
    for (const text of ["", "hello", "WIFI:S:home;T:WPA;P:secret;;", `/m/scan/${id}`, `https://core.authing.cn/qrcode/${id}`]) {
      expect(scannedCode(text, here), text).toEqual({ refusal: "not-ours" });
    }
  });
});
