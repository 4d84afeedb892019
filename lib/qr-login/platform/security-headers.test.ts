import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { parseConfig } from "@/lib/qr-login/platform/config";

import { NextRequest, NextResponse } from "next/server";

import { contentSecurityPolicy, strictTransportSecurity, withSecurityHeaders } from "./security-headers";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "qr-login-csp-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const production = {
  NODE_ENV: "production",
  DATA_DIR: dataDir,
  AUTHING_APP_ID: "my-app",
  AUTHING_APP_SECRET: "Zq3v-8KpL2xW7nRt0bYc5mHs9dJf4gEa",
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

  it("allows no inline script, style or eval without the nonce in production", () => {
    const policy = contentSecurityPolicy(parseConfig({ ...production, NEXTAUTH_URL: "https://qr.example.com" }), "abc");
    expect(policy).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic';");
    expect(policy).toContain("style-src 'self' 'nonce-abc';");
    expect(policy).not.toMatch(/unsafe-(inline|eval)/);
  });

  it("without a nonce (a prerendered page has none in its HTML), lets the page's own inline scripts run and keeps the rest", () => {
    const policy = contentSecurityPolicy(parseConfig({ ...production, NEXTAUTH_URL: "https://qr.example.com" }), null);
    expect(policy).toContain("script-src 'self' 'unsafe-inline';");
    expect(policy).not.toContain("nonce-");
    expect(policy).not.toContain("strict-dynamic");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
  });

  it("puts a nonce only on the pages nonceOn names", async () => {
    const policyFor = async (pathname: string) => {
      const request = new NextRequest(`http://localhost${pathname}`);
      const response = await withSecurityHeaders(request, (request) => NextResponse.next({ request: { headers: request.headers } }), {
        nonceOn: (path) => path === "/login",
      });
      return { response: response.headers.get("content-security-policy") ?? "", request: request.headers.get("content-security-policy"), nonce: request.headers.get("x-nonce") };
    };
    const login = await policyFor("/login");
    expect(login.response).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
    expect(login.request).toBe(login.response);
    expect(login.response).toContain(`'nonce-${login.nonce}'`);
    const home = await policyFor("/");
    expect(home.response).toContain("script-src 'self' 'unsafe-inline'");
    expect(home.response).not.toContain("nonce-");
    expect(home.nonce).toBeNull();
  });
});
