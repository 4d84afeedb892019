import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { parseConfig } from "@/lib/config";

import { contentSecurityPolicy, strictTransportSecurity } from "./security-headers";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "qr-login-csp-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const production = {
  NODE_ENV: "production",
  DATA_DIR: dataDir,
  AUTHING_APP_ID: "my-app",
  AUTHING_APP_SECRET: "a-secret-of-sixteen-or-more",
  NEXTAUTH_SECRET: "n".repeat(32),
};

describe("security headers", () => {
  it("on an https origin: HSTS, and every request upgraded", () => {
    const config = parseConfig({ ...production, NEXTAUTH_URL: "https://qr.example.com" });
    expect(strictTransportSecurity(config)).toMatch(/^max-age=\d+/);
    expect(contentSecurityPolicy(config, "abc")).toContain("upgrade-insecure-requests");
  });

  it("on http: neither (it would break a local production build)", () => {
    const config = parseConfig({ ...production, NEXTAUTH_URL: "http://127.0.0.1:3000" });
    expect(strictTransportSecurity(config)).toBeUndefined();
    expect(contentSecurityPolicy(config, "abc")).not.toContain("upgrade-insecure-requests");
  });

  it("lets images come from the provider's host when it is not embedded, and from nowhere else", () => {
    const external = parseConfig({ ...production, AUTHING_APP_HOST: "https://my-app.authing.cn", NEXTAUTH_URL: "https://qr.example.com" });
    expect(contentSecurityPolicy(external, "abc")).toContain("img-src 'self' data: blob: https://my-app.authing.cn;");
    const embedded = parseConfig({ ...production, NEXTAUTH_URL: "https://qr.example.com" });
    expect(contentSecurityPolicy(embedded, "abc")).toContain("img-src 'self' data: blob:;");
  });

  it("allows no inline script, eval or style element without the nonce in production; style attributes only", () => {
    const policy = contentSecurityPolicy(parseConfig({ ...production, NEXTAUTH_URL: "https://qr.example.com" }), "abc");
    expect(policy).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic';");
    expect(policy).toContain("style-src 'self' 'nonce-abc';");
    expect(policy.split("; ").filter((directive) => /unsafe-(inline|eval)/.test(directive))).toEqual(["style-src-attr 'unsafe-inline'"]);
  });
});
